// The host's snapshot copy, rebuilt from deltas only when read, equals the snapshot the worker holds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { applyDelta, diffSnapshots } from '../../src/core/diff';
import { ProcSampler } from '../../src/core/sampler';
import type { Snapshot } from '../../src/core/model';
import { SnapshotKeeper } from '../../src/extension/snapshotKeeper';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('folding several deltas at once gives the newest snapshot, as applying them one by one does', async () => {
  const sampler = new ProcSampler();
  const a = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const snaps: Snapshot[] = [];
    snaps.push(sampler.pollSync({ threads: [process.pid] }));
    await sleep(100);
    const b = spawn('sleep', ['30'], { stdio: 'ignore' }); // added
    await sleep(100);
    snaps.push(sampler.pollSync({ threads: [process.pid] }));
    a.kill('SIGKILL'); // removed
    await new Promise((r) => a.once('exit', r));
    await sleep(100);
    snaps.push(sampler.pollSync({ threads: [process.pid] }));
    b.kill('SIGKILL');
    await new Promise((r) => b.once('exit', r));
    snaps.push(sampler.pollSync({ threads: [process.pid] }));

    const keeper = new SnapshotKeeper();
    assert.equal(keeper.snapshot, undefined);
    keeper.push(diffSnapshots(snaps[0]!, snaps[1]!)); // ignored: no base yet
    keeper.reset(snaps[0]!);
    let chained = snaps[0]!;
    for (let i = 1; i < snaps.length; i++) {
      const delta = diffSnapshots(snaps[i - 1]!, snaps[i]!);
      keeper.push(delta);
      chained = applyDelta(chained, delta);
    }
    const folded = keeper.snapshot!;
    const last = snaps[snaps.length - 1]!;
    assert.deepEqual(folded.processes, last.processes);
    assert.deepEqual(folded.processes, chained.processes);
    assert.equal(folded.timestamp, last.timestamp);
    assert.equal(
      folded.processes.some((p) => p.pid === a.pid),
      false,
    );
    assert.equal(
      folded.processes.some((p) => p.pid === b.pid),
      false,
    );
    // Reading again without new deltas returns the same object (no refold).
    assert.equal(keeper.snapshot, folded);
  } finally {
    sampler.dispose();
    a.kill('SIGKILL');
  }
});
