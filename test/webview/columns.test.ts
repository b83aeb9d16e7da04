// The column chooser in real headless Chromium (the fake host of page.ts with the recorded fixtures): columns
// shown and hidden from the toolbar menu and the header's context menu, remembered across a reload, the new
// columns' values for one process whose fields the test sets, sorting by them, and every header label whole.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions } from './page';
import { bootPanel, cutHeaderLabels, fakeHostForSuite, OUT } from './session';
import type { ProcessInfo } from '../../src/core/model';
import type { SnapshotMessage } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const base = fx.snapshot.snapshot;
const target = base.processes.find((p) => p.pid === fx.meta.pids.hostile)!;
const NOW = base.timestamp;
/** 3 GiB virtual, 2.5 % of memory, 1 min 6.23 s of CPU, nice 5, started 90 minutes before the data. */
const MEM_TOTAL = target.rss * 40;
const fixed: ProcessInfo = {
  ...target,
  vsize: 3 * 1024 ** 3,
  utimeMs: 61_000,
  stimeMs: 5_230,
  nice: 5,
  priority: 25,
  startTime: NOW - 90 * 60_000,
};
/** A second process started three days before the data (START shows its date). */
const old = base.processes.find((p) => p.pid !== target.pid && !p.kernelThread)!;
const oldFixed: ProcessInfo = { ...old, startTime: NOW - 3 * 86_400_000 };
const snapshot: SnapshotMessage = {
  ...fx.snapshot,
  snapshot: {
    ...base,
    system: { ...base.system, memTotal: MEM_TOTAL },
    processes: base.processes.map((p) => (p.key === target.key ? fixed : p.key === old.key ? oldFixed : p)),
  },
};

const two = (n: number): string => String(n).padStart(2, '0');
const clock = (ms: number): string => `${two(new Date(ms).getHours())}:${two(new Date(ms).getMinutes())}`;
const date = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
};

let host: FakeHost;

async function boot(options: PageOptions = {}, keepState = false): Promise<void> {
  await bootPanel(host, snapshot, options, keepState);
}

async function shownColumns(): Promise<string[]> {
  return host.page
    .locator('.grid-header .cell')
    .evaluateAll((cells) =>
      cells.filter((c) => getComputedStyle(c).display !== 'none').map((c) => (c as HTMLElement).dataset.column ?? ''),
    );
}

async function toggle(column: string): Promise<void> {
  await host.page.locator(`.columns-menu .column-choice[data-column="${column}"]`).click();
}

function cell(key: string, column: string) {
  return host.page.locator(`.row[data-key="${key}"] .c-${column}`);
}

describe('ProcScope webview columns', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h));

  it('shows and hides columns from the Columns menu and remembers the choice across a reload', async () => {
    await boot({ width: 1400, height: 600 });
    assert.deepEqual(await shownColumns(), ['name', 'pid', 'state', 'wait', 'cpu', 'rss', 'threads', 'user', 'cmd'], 'the default columns');
    await host.page.locator('[data-action="columns"]').click();
    const menu = host.page.locator('.columns-menu');
    await menu.waitFor();
    // Name and threads cannot be hidden.
    assert.equal(
      await menu.locator('.column-choice[data-column="name"]').evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled),
      true,
    );
    for (const c of ['mem', 'time', 'virt', 'nice', 'pri', 'start']) await toggle(c);
    await toggle('user');
    await toggle('wait');
    assert.deepEqual(await shownColumns(), [
      'name',
      'pid',
      'state',
      'cpu',
      'mem',
      'rss',
      'virt',
      'time',
      'nice',
      'pri',
      'start',
      'threads',
      'cmd',
    ]);
    // The rows follow the header's tracks.
    const header = (await host.page.locator('.grid-header .c-time').boundingBox())!;
    const first = (await host.page.locator('.row:not([aria-hidden]) .c-time').first().boundingBox())!;
    assert.ok(Math.abs(header.x - first.x) <= 1 && Math.abs(header.width - first.width) <= 1, 'rows use the header tracks');
    assert.equal(
      await host.page.locator('.row:not([aria-hidden]) .c-user').first().isVisible(),
      false,
      'the user column is hidden in the rows too',
    );
    await host.page.screenshot({ path: join(OUT, 'columns-menu.png'), clip: { x: 0, y: 0, width: 1400, height: 420 } });
    await host.page.keyboard.press('Escape');
    assert.equal(await menu.count(), 0, 'Escape closes the menu');
    assert.equal(host.posted.filter((m) => m.type === 'request').length, 0, 'choosing columns is not a request');

    await boot({ width: 1400, height: 600 }, true);
    assert.deepEqual(
      await shownColumns(),
      ['name', 'pid', 'state', 'cpu', 'mem', 'rss', 'virt', 'time', 'nice', 'pri', 'start', 'threads', 'cmd'],
      'the choice survives a reload',
    );

    // The header's context menu opens the same chooser; unticking hides again; Default columns resets.
    await host.page.locator('.grid-header .c-pid').click({ button: 'right' });
    await menu.waitFor();
    await toggle('virt');
    assert.ok(!(await shownColumns()).includes('virt'));
    await menu.locator('.columns-reset').click();
    assert.deepEqual(await shownColumns(), ['name', 'pid', 'state', 'wait', 'cpu', 'rss', 'threads', 'user', 'cmd']);
    // A click outside closes it.
    await host.page.mouse.click(700, 500);
    assert.equal(await menu.count(), 0);
    assert.deepEqual(host.pageErrors, []);
  });

  it('shows MEM%, TIME+, VIRT, NI, PRI and START for a process and sorts by each', async () => {
    await boot({ width: 1500, height: 600 });
    await host.page.locator('[data-action="columns"]').click();
    for (const c of ['mem', 'time', 'virt', 'nice', 'pri', 'start']) await toggle(c);
    await host.page.keyboard.press('Escape');
    await host.page.locator('#filter input').fill(`pid:${target.pid}`);
    await cell(target.key, 'time').waitFor();
    assert.equal(await cell(target.key, 'mem').textContent(), '2.5');
    assert.equal(await cell(target.key, 'time').textContent(), '1:06.23');
    assert.equal(await cell(target.key, 'virt').textContent(), '3.0 GiB');
    assert.equal(await cell(target.key, 'nice').textContent(), '5');
    assert.equal(await cell(target.key, 'pri').textContent(), '25');
    assert.equal(await cell(target.key, 'start').textContent(), clock(fixed.startTime));
    assert.ok(
      (await host.page.locator('.grid-header .c-time').getAttribute('title'))!.startsWith('TIME+:'),
      'a terse header explains itself',
    );
    await host.page.locator('#filter input').fill(`pid:${old.pid}`);
    await cell(old.key, 'start').waitFor();
    assert.equal(await cell(old.key, 'start').textContent(), date(oldFixed.startTime), 'older than a day: the date');
    const fit = await cell(old.key, 'start').evaluate((c) => ({ full: c.scrollWidth, shown: c.clientWidth }));
    assert.ok(fit.full <= fit.shown, `the date fits its column (${fit.full} ≤ ${fit.shown})`);

    // Sorting: the flat list across the machine, by each new column; the order must follow the value.
    await host.page.locator('#filter input').fill('');
    await host.page.keyboard.press('Escape');
    await host.page.locator('[data-action="flat"]').click();
    const byPid = new Map(snapshot.snapshot.processes.map((p) => [p.key, p]));
    const value: Record<string, (p: ProcessInfo) => number> = {
      mem: (p) => p.rss,
      time: (p) => p.utimeMs + p.stimeMs,
      virt: (p) => p.vsize,
      nice: (p) => p.nice,
      pri: (p) => p.priority,
      start: (p) => p.startTime,
    };
    for (const column of Object.keys(value)) {
      await host.page.locator(`.grid-header .c-${column}`).click();
      const sort = await host.page.locator(`.grid-header .c-${column}`).getAttribute('aria-sort');
      assert.ok(sort === 'ascending' || sort === 'descending', `${column} is the sort column`);
      // In row order (the virtual list reuses row elements, so document order is not the display order).
      const keys = await host.page.locator('.row:not([aria-hidden])').evaluateAll((rows) =>
        rows
          .map((r) => ({ index: Number(r.getAttribute('aria-rowindex')), key: (r as HTMLElement).dataset.key! }))
          .sort((a, b) => a.index - b.index)
          .map((r) => r.key),
      );
      const values = keys.map((k) => value[column]!(byPid.get(k)!));
      assert.ok(values.length > 5, `${values.length} rows`);
      for (let i = 1; i < values.length; i++) {
        assert.ok(
          sort === 'ascending' ? values[i - 1]! <= values[i]! : values[i - 1]! >= values[i]!,
          `${column} ${sort}: ${values.join(',')}`,
        );
      }
    }
    assert.deepEqual(host.pageErrors, []);
  });

  for (const locale of ['en', 'ko'] as const) {
    it(`fits every header label whole with every column shown (${locale})`, async () => {
      await boot({ locale, width: 1700, height: 500 });
      await host.page.locator('[data-action="columns"]').click();
      for (const c of ['mem', 'time', 'virt', 'nice', 'pri', 'start']) await toggle(c);
      await host.page.keyboard.press('Escape');
      const cut = await cutHeaderLabels(host.page);
      assert.deepEqual(cut, [], 'no header label is cut');
      const shown = await shownColumns();
      for (const c of ['mem', 'time', 'virt', 'nice', 'pri', 'start'])
        assert.ok(shown.includes(c), `${c} shown at 1700 px (${shown.join(',')})`);
      await host.page.screenshot({ path: join(OUT, `columns-all-${locale}.png`), clip: { x: 0, y: 0, width: 1700, height: 200 } });
    });
  }
});
