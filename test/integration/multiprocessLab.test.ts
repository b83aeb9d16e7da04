// The multi-process lab runs for real; the host's lab session, fed by ProcScope's own sampler and its
// reading of a zombie's exit status, ticks its card: the supervisor's three workers in the tree, the one
// killed by SIGSEGV (a zombie whose status says so) while its siblings run on, then its replacement.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { readExitStatus } from '../../src/worker/labFacts';
import { interruptedLab, LabRun } from './labRun.helpers';

test(
  'multiprocess lab: one worker is killed by SIGSEGV, the others live on, the supervisor starts another',
  { timeout: 120_000 },
  async (t) => {
    const run = new LabRun(t, 'multiprocess', ['--pause', '600', '--seconds', '100']);
    assert.equal(run.session.title, 'One worker crashes, the others live on');
    assert.deepEqual([...(await run.tick()).values()], [false, false, false, false]);

    const tree = await run.event('tree');
    const main = tree['pid'] as number;
    const workers = tree['workers'] as Record<string, number>;
    await run.tickUntil(['tree'], 15_000);
    const snap = run.lastSnapshot!;
    for (const [name, pid] of Object.entries(workers)) {
      const p = snap.processes.find((x) => x.pid === pid);
      assert.deepEqual([p?.name, p?.ppid], [name, main], `${name} is browser-main's child`);
    }
    assert.equal((await run.tick()).get('crashed'), false, 'nothing has crashed yet');

    run.shell.stdin.write('\n');
    const crashed = await run.event('crashed');
    assert.equal(crashed['pid'], workers['renderer-2']);
    assert.equal(crashed['signal'], 11);
    await run.tickUntil(['crashed', 'isolated'], 15_000);
    // ProcScope's own reading of the zombie's status: killed by signal 11 (SIGSEGV), no core dumped.
    const status = readExitStatus(workers['renderer-2']!);
    assert.equal(status, 11);
    const now = run.lastSnapshot!;
    assert.equal(now.processes.find((p) => p.pid === workers['renderer-2'])?.state, 'Z');
    for (const pid of [main, workers['renderer-1'], workers['renderer-3']]) {
      const state = now.processes.find((p) => p.pid === pid)?.state;
      assert.ok(state !== undefined && state !== 'Z', `${pid} still runs (${state})`);
    }
    assert.equal((await run.tick()).get('restarted'), false, 'no replacement yet');

    run.shell.stdin.write('\n');
    const restarted = await run.event('restarted');
    await run.tickUntil(['restarted'], 15_000);
    const after = run.lastSnapshot!;
    assert.equal(
      after.processes.some((p) => p.pid === workers['renderer-2']),
      false,
      'the zombie was collected',
    );
    const r4 = after.processes.find((p) => p.pid === restarted['pid']);
    assert.deepEqual([r4?.name, r4?.ppid], ['renderer-4', main]);
    assert.equal(run.outputs.filter((o) => o.completedNow).length, 1, 'completion is reported exactly once');
    const crashText = run.session.card!.items.find((i) => i.id === 'crashed')!;
    assert.equal(crashText.done, true, 'ticks stay after the zombie is gone');

    await run.finish();
    assert.deepEqual(
      readdirSync('/tmp').filter((n) => n.startsWith('procscope-lab-multiprocess-')),
      [],
      'no folder (nor core file) left',
    );
  },
);

test(
  "multiprocess lab: SIGTERM while the crashed worker is a zombie removes every process and the lab's files",
  { timeout: 60_000 },
  async () => {
    await interruptedLab('multiprocess', 'crashed', 'SIGTERM');
  },
);
