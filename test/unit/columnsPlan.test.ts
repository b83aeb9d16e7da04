// The tree's column plan as plain logic (no browser): which columns a width keeps, in which order a narrow
// panel drops them, and how the tracks share the spare room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnRoom, DEFAULT_COLUMNS, planColumns } from '../../webview/columns';
import type { SortColumn } from '../../webview/rows';

const defaults = new Set<SortColumn>(DEFAULT_COLUMNS);
const px = (track: string): number => Number(/(\d+)px/.exec(track)![1]);

test('a wide panel shows every chosen column; name and command line share the spare room', () => {
  const plan = planColumns(1400, defaults, {}, {});
  assert.deepEqual(plan.dropped, ['mem', 'virt', 'time', 'nice', 'pri', 'start']);
  assert.equal(plan.tracks.length, DEFAULT_COLUMNS.length);
  assert.match(plan.tracks[0]!, /^minmax\(160px, 3fr\)$/);
  assert.equal(plan.tracks.filter((t) => t.includes('fr')).length, 3, 'name, user and command line grow');
});

test('narrower, the command line and user go first, then Waiting for, before the name is squeezed', () => {
  const sum = (p: { tracks: readonly string[] }): number => p.tracks.reduce((n, t) => n + px(t), 0);
  const mid = planColumns(700, defaults, {}, {});
  assert.ok(mid.dropped.includes('user') && mid.dropped.includes('cmd'));
  assert.ok(!mid.dropped.includes('wait'), 'Waiting for stays while the name keeps 200 px');
  assert.equal(px(mid.tracks[0]!), 200);
  assert.ok(sum(mid) <= 700);
  const narrow = planColumns(575, defaults, {}, {});
  assert.ok(narrow.dropped.includes('wait'));
  assert.ok(!narrow.dropped.includes('cpu') && !narrow.dropped.includes('rss'));
  assert.ok(sum(narrow) <= 575);
  // Threads never goes: its cell holds the button that opens the thread rows.
  assert.ok(!planColumns(200, defaults, {}, {}).dropped.includes('threads'));
});

test('a dragged width and a long label are respected; a sized last column takes the spare room', () => {
  const plan = planColumns(1400, new Set<SortColumn>(['name', 'pid', 'threads']), { threads: 90 }, { pid: 70 });
  assert.deepEqual(plan.tracks, ['minmax(160px, 3fr)', '70px', 'minmax(90px, 1fr)']);
});

test('columnRoom: the widest a column may be made without the panel dropping a column', () => {
  const chosen = new Set(DEFAULT_COLUMNS);
  for (const width of [1400, 1000, 700]) {
    const before = planColumns(width, chosen, {}, {});
    for (const column of ['cpu', 'cmd', 'name'] as const) {
      if (before.dropped.includes(column)) continue;
      const room = columnRoom(width, chosen, {}, {}, column);
      assert.deepEqual(planColumns(width, chosen, { [column]: room }, {}).dropped, before.dropped, `${column} at ${room} of ${width}`);
      assert.notDeepEqual(planColumns(width, chosen, { [column]: room + 1 }, {}).dropped, before.dropped, `${column} one wider`);
    }
  }
});
