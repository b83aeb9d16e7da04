// The Timeline's index kept up to date tick by tick (TickHistory.index) gives what indexing the whole history
// again gives (indexHistory of asRecording), also while the bound drops the oldest ticks: polls of the real
// /proc while this test starts, renames (exec) and ends real processes between them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, it } from 'node:test';
import { diffSnapshots } from '../../src/core/diff';
import type { Snapshot } from '../../src/core/model';
import { TickHistory } from '../../src/core/record/history';
import { indexHistory } from '../../src/core/record/historyIndex';
import { ProcSampler } from '../../src/core/sampler';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
});
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('matches a full re-index at every tick, before and after the bound drops the oldest ticks', async () => {
  const sampler = new ProcSampler();
  let history: TickHistory | undefined;
  let prev: Snapshot | undefined;
  let trimmed = 0;
  // Whether some compared index held an exec or a zombie (the short window may have dropped them by the end).
  let sawEvent = false;
  try {
    for (let i = 0; i < 16; i++) {
      // Births, an exec (sh becomes sleep), a zombie (its parent does not wait at once) and deaths between polls.
      if (i % 3 === 0) children.push(spawn('sh', ['-c', 'sleep 0.05; exec sleep 0.4'], { stdio: 'ignore' }));
      if (i % 4 === 1)
        children.push(spawn('python3', ['-c', 'import os,time\nif os.fork()==0: os._exit(0)\ntime.sleep(0.3)'], { stdio: 'ignore' }));
      await wait(60);
      const s = sampler.pollSync({ threads: [process.pid] });
      // Unbounded for the first ticks (the spawned processes' execs and zombies land in the window), then
      // bounded at what those ticks hold, so every later tick drops the oldest: deltas' sizes follow the
      // machine's activity, so no bound fixed in advance both keeps several ticks and drops some.
      if (!history) history = new TickHistory(Number.MAX_SAFE_INTEGER);
      if (i === 6) history.maxBytes = history.bytes;
      if (prev) history.pushDelta(s, diffSnapshots(prev, s));
      else history.push(s);
      prev = s;
      if (history.firstTick > 0) trimmed++;
      const whole = indexHistory(history.asRecording({ intervalMs: 60, threads: false }), Number.MAX_SAFE_INTEGER);
      const kept = history.index([], Number.MAX_SAFE_INTEGER)!;
      assert.deepEqual(kept, whole, `tick ${i} (oldest held ${history.firstTick})`);
      if (kept.lives.some((l) => l.execs.length > 0 || l.zombieAt !== undefined)) sawEvent = true;
      // The thread strips come with it, the same as from the whole history.
      const me = s.processes.find((p) => p.pid === process.pid)!.key;
      assert.deepEqual(
        history.index([me])!.threads,
        indexHistory(history.asRecording({ intervalMs: 60, threads: false }), 1, [me]).threads,
      );
    }
  } finally {
    sampler.dispose();
  }
  assert.ok(trimmed > 3, `the bound dropped ticks in ${trimmed} of the polls`);
  assert.ok(sawEvent, 'some compared window held an exec or a zombie');
});
