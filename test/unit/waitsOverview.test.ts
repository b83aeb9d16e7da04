// The webview's wait overview store as plain logic (no browser): which thread stands for a process, how many
// parties are named, the wait-for graph between processes and the cycles that stay inside one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLocale } from '../../webview/i18n';
import { briefText, WaitsStore } from '../../webview/waitsOverview';
import type { WaitBrief, WaitsOverview } from '../../src/protocol';

const brief = (
  pid: number,
  tid: number,
  kind: WaitBrief['kind'],
  holders: WaitBrief['holders'],
  holderCount = holders.length,
): WaitBrief => ({ pid, tid, key: `${pid}@100`, name: `t${tid}`, kind, holders, holderCount, object: '' });

const OVERVIEW: WaitsOverview = {
  threads: [
    brief(10, 10, 'poll', []),
    brief(
      10,
      11,
      'pipe',
      [
        { pid: 20, tid: null, name: 'cat' },
        { pid: 21, tid: null, name: 'tee' },
      ],
      3,
    ),
    brief(10, 12, 'mutex', [{ pid: 10, tid: 13, name: 't13' }]),
    brief(10, 13, 'mutex', [{ pid: 10, tid: 12, name: 't12' }]),
    brief(20, 20, 'child', [{ pid: 30, tid: null, name: 'sleep' }]),
    brief(21, 21, 'socket', [{ pid: 20, tid: null, name: 'cat' }]),
  ],
  cycles: [
    {
      members: [
        { pid: 10, tid: 12, key: '10@100', name: 't12' },
        { pid: 10, tid: 13, key: '10@100', name: 't13' },
      ],
    },
  ],
};

test('a thread cell names the kind and the first party; more parties are counted', () => {
  setLocale('en');
  const s = new WaitsStore();
  s.set(OVERVIEW);
  assert.equal(s.forThread('10@100', 10)?.text, 'poll');
  assert.equal(s.forThread('10@100', 11)?.text, 'pipe → 20 cat +2');
  assert.deepEqual(s.forThread('10@100', 12), {
    text: '⟲ mutex → 13 t13',
    title: `${'Deadlock: this thread is part of a wait-for cycle (each thread waits for the next; none can go on).'}\n12 t12: mutex → 13 t13`,
    deadlock: true,
  });
  assert.equal(s.forThread('10@100', 99), undefined);
  // Another incarnation of the pid (another start time) is another process: nothing known about it.
  assert.equal(s.forThread('10@200', 10), undefined);
});

test('a process cell stands for it by its most telling thread: a deadlocked one first', () => {
  const s = new WaitsStore();
  s.set(OVERVIEW);
  const cell = s.forProcess('10@100')!;
  assert.equal(cell.text, '⟲ mutex → 13 t13 (+3 threads)');
  assert.equal(cell.deadlock, true);
  assert.equal(cell.title.split('\n').length, 5, cell.title);
  // Without the cycle, the thread someone known can wake stands for it.
  s.set({ threads: OVERVIEW.threads, cycles: [] });
  assert.equal(s.forProcess('10@100')!.text, 'pipe → 20 cat +2 (+3 threads)');
  assert.equal(s.forProcess('10@100')!.deadlock, false);
  assert.equal(s.forProcess('99@1'), undefined);
});

test('the wait-for graph joins processes, not a process to itself, and keeps the cycle inside one process apart', () => {
  const s = new WaitsStore();
  s.set(OVERVIEW);
  const edges = s
    .edges(() => true)
    .map((e) => `${e.from}>${e.to}:${e.waits.length}${e.deadlock ? '!' : ''}`)
    .sort();
  assert.deepEqual(edges, ['10>20:1', '10>21:1', '20>30:1', '21>20:1']);
  assert.deepEqual(
    s
      .edges((pid) => pid !== 30)
      .map((e) => `${e.from}>${e.to}`)
      .sort(),
    ['10>20', '10>21', '21>20'],
  );
  assert.deepEqual([...s.selfCycles().keys()], [10]);
  const gen = s.generation;
  s.set(OVERVIEW);
  assert.equal(s.generation, gen + 1);
});

test('Korean kinds and counts', () => {
  setLocale('ko');
  try {
    assert.equal(briefText(OVERVIEW.threads[1]!), '파이프 → 20 cat 외 2');
    assert.equal(briefText(OVERVIEW.threads[4]!), '자식 프로세스 → 30 sleep');
  } finally {
    setLocale('en');
  }
});
