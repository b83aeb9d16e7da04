// The GIL lab runs for real; the host's lab session, fed by ProcScope's own sampler (per-thread CPU between
// two polls), ticks its card: two busy threads sharing about one core, the same work in two processes, and
// two coroutines on one thread.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { interruptedLab, LabRun } from './labRun.helpers';

/** utime + stime of a process, in clock ticks, from its stat (the test's own reading, not ProcScope's). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

test(
  'gil lab: two CPU-bound threads share one core, two processes do not, asyncio stays on one thread',
  { timeout: 150_000 },
  async (t) => {
    const run = new LabRun(t, 'gil', ['--pause', '600', '--seconds', '120']);
    assert.equal(run.session.title, "Python's GIL, thread by thread");
    assert.deepEqual([...(await run.tick()).values()], [false, false, false, false]);

    const threads = await run.event('threads');
    await run.tickUntil(['threads', 'one-core'], 14_000);
    const gt = run.lastSnapshot!.processes.find((p) => p.pid === threads['pid']);
    assert.deepEqual((gt?.threads ?? []).map((x) => x.name).sort(), ['gil-threads', 'spin-1', 'spin-2']);

    run.shell.stdin.write('\n');
    const procs = await run.event('processes');
    const pids = [procs['one'] as number, procs['two'] as number];
    const start = pids.map(cpuTicks);
    const started = Date.now();
    // The item needs two free cores; on a busy machine the processes may not get them. The test's own
    // reading of their CPU decides what to expect: more than 1.3 cores over the phase must tick the item.
    let ticked = false;
    while (!ticked && Date.now() - started < 12_000) {
      ticked = (await run.tick()).get('processes') === true;
      await delay(250);
    }
    const cores =
      (pids.map(cpuTicks).reduce((a, b) => a + b, 0) - start.reduce((a, b) => a + b, 0)) / 100 / ((Date.now() - started) / 1000);
    if (cores > 1.3) assert.ok(ticked, `the processes used ${cores.toFixed(2)} cores together, yet the item did not tick`);
    else t.diagnostic(`the processes got ${cores.toFixed(2)} cores on this machine: processes ${ticked ? 'ticked' : 'left open'}`);

    run.shell.stdin.write('\n');
    const asyncio = await run.event('asyncio');
    await run.tickUntil(['asyncio'], 14_000);
    assert.equal(run.lastSnapshot!.processes.find((p) => p.pid === asyncio['pid'])?.numThreads, 1);
    assert.equal(run.outputs.filter((o) => o.completedNow).length, ticked ? 1 : 0, 'completion once, and only with every item seen');

    await run.finish();
  },
);

test("gil lab: SIGTERM while the threads spin removes them and the lab's files", { timeout: 60_000 }, async () => {
  await interruptedLab('gil', 'threads', 'SIGTERM');
});
