// One rule for applying the worker's deltas (src/shared/delta.ts): the core's snapshots, the host's keeper
// and the webview's store all arrive at the snapshot the sampler actually read, on real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { diffSnapshots } from '../../src/core/diff';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { ProcSampler } from '../../src/core/sampler';
import { applyDelta, applyDeltas, mergeChange } from '../../src/shared/delta';
import { ProcessStore } from '../../webview/store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Four real polls: a child appears, another exits, and our own threads are read and then no longer read. */
async function recordedPolls(): Promise<Snapshot[]> {
  const sampler = new ProcSampler();
  const a = spawn('sleep', ['30'], { stdio: 'ignore' });
  let b: ReturnType<typeof spawn> | undefined;
  try {
    const snaps: Snapshot[] = [sampler.pollSync({ threads: [process.pid] })];
    await sleep(100);
    b = spawn('sleep', ['30'], { stdio: 'ignore' });
    await sleep(100);
    snaps.push(sampler.pollSync({ threads: [process.pid] }));
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    await sleep(100);
    snaps.push(sampler.pollSync({ threads: [process.pid] }));
    snaps.push(sampler.pollSync());
    return snaps;
  } finally {
    a.kill('SIGKILL');
    b?.kill('SIGKILL');
    sampler.dispose();
  }
}

const byPid = (list: readonly ProcessInfo[]): ProcessInfo[] => [...list].sort((x, y) => x.pid - y.pid || x.key.localeCompare(y.key));

test('each delta applied to the previous snapshot gives the next one, and all at once give the last', async () => {
  const snaps = await recordedPolls();
  const deltas = snaps.slice(1).map((s, i) => diffSnapshots(snaps[i]!, s));
  assert.ok(deltas.some((d) => d.added.length > 0) && deltas.some((d) => d.removed.length > 0), 'the polls saw processes come and go');
  // The last poll did not read our threads: the delta says so with an undefined field, and it goes.
  const own = deltas[2]!.changed.find((c) => c.key === snaps[2]!.processes.find((p) => p.pid === process.pid)!.key);
  assert.ok(own && 'threads' in own && own.threads === undefined, 'the threads field is sent as undefined');
  let chained = snaps[0]!;
  for (let i = 0; i < deltas.length; i++) {
    chained = applyDelta(chained, deltas[i]!);
    assert.deepEqual(byPid(chained.processes), byPid(snaps[i + 1]!.processes), `after delta ${i + 1}`);
    assert.equal(chained.timestamp, snaps[i + 1]!.timestamp);
  }
  assert.ok(!('threads' in chained.processes.find((p) => p.pid === process.pid)!));
  assert.deepEqual(applyDeltas(snaps[0]!, deltas), chained);
  assert.equal(applyDeltas(snaps[0]!, []), snaps[0]);
});

test('the webview store holds the same processes as the shared fold, delta after delta', async () => {
  const snaps = await recordedPolls();
  const store = new ProcessStore();
  store.setSnapshot(snaps[0]!, undefined, 0);
  for (let i = 1; i < snaps.length; i++) {
    store.applyDelta(diffSnapshots(snaps[i - 1]!, snaps[i]!), undefined, 0);
    assert.deepEqual(byPid([...store.byKey.values()]), byPid(snaps[i]!.processes), `after delta ${i}`);
  }
});

test('a change keeps the fields it does not name, replaces those it does, and takes away those sent as undefined', () => {
  const old = { key: '7@1', pid: 7, name: 'a', numThreads: 2, threads: [], unavailable: { cwd: 'EACCES' } } as unknown as ProcessInfo;
  const next = mergeChange(old, { key: '7@1', name: 'b', threads: undefined });
  assert.deepEqual(next, { key: '7@1', pid: 7, name: 'b', numThreads: 2, unavailable: { cwd: 'EACCES' } });
  assert.ok(!('threads' in next));
  assert.equal(old.name, 'a', 'the old row is left as it was');
});

test("a change for a process already gone is dropped, and an added process replaces its key's row", () => {
  const row = (pid: number, name: string) => ({ key: `${pid}@1`, pid, ppid: 1, name }) as unknown as ProcessInfo;
  const prev = { timestamp: 1, intervalMs: null, processes: [row(3, 'c'), row(2, 'b')], hidden: [{ pid: 9 }] } as unknown as Snapshot;
  const next = applyDelta(prev, {
    timestamp: 2,
    intervalMs: 1000,
    added: [row(2, 'b2'), row(1, 'a')],
    removed: ['3@1'],
    changed: [{ key: '3@1', name: 'late' }],
  });
  assert.deepEqual(
    next.processes.map((p) => [p.pid, p.name]),
    [
      [1, 'a'],
      [2, 'b2'],
    ],
  );
  assert.equal(next.intervalMs, 1000);
  assert.equal('hidden' in next, false, 'a delta without hidden means nothing is hidden any more');
});
