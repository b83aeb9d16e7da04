// The signals lab runs for real; the host's lab session, fed by ProcScope's own sampler and PCB details,
// ticks its card: SIGUSR1 in the caught mask, SIGUSR2 blocked and pending at once, T after SIGSTOP, S after
// SIGCONT. Each moment is asserted while it lasts (the lab waits at each pause until the test presses Enter).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readProcessDetail } from '../../src/core/detail';
import { interruptedLab, LabRun } from './labRun.helpers';

test(
  'signals lab: a caught SIGUSR1, a blocked SIGUSR2 left pending, then T after SIGSTOP and S after SIGCONT',
  { timeout: 120_000 },
  async (t) => {
    const run = new LabRun(t, 'signals', ['--pause', '600', '--seconds', '100']);
    assert.equal(run.session.title, 'Signals: caught, pending, stopped');
    assert.deepEqual([...(await run.tick()).values()], [false, false, false, false]);

    const caught = await run.event('caught');
    await run.tickUntil(['caught'], 15_000);
    assert.equal((await run.tick()).get('pending'), false);
    const catcher = readProcessDetail(caught['pid'] as number).signals!;
    assert.ok(catcher.caught!.names.includes('SIGUSR1'));
    assert.ok(!catcher.caught!.names.includes('SIGUSR2'), 'only its own handler');

    run.shell.stdin.write('\n');
    const pending = await run.event('pending');
    await run.tickUntil(['pending'], 15_000);
    const blocker = readProcessDetail(pending['pid'] as number).signals!;
    assert.ok(blocker.blocked!.names.includes('SIGUSR2'));
    assert.ok(blocker.sharedPending!.names.includes('SIGUSR2'), 'a signal sent to the process is pending for the whole process');
    assert.ok(!blocker.blocked!.names.includes('SIGUSR1'));

    run.shell.stdin.write('\n');
    const delivered = await run.event('delivered');
    assert.equal(delivered['delivered'], true, 'unblocked, the pending signal is delivered');
    const stopped = await run.event('stopped');
    await run.tickUntil(['stopped'], 15_000);
    const pid = stopped['pid'] as number;
    const inT = run.lastSnapshot!.processes.find((p) => p.pid === pid);
    assert.equal(inT?.state, 'T');
    assert.equal(inT?.name, 'sig-sleeper');
    assert.equal((await run.tick()).get('continued'), false, 'not continued yet');

    run.shell.stdin.write('\n');
    await run.event('continued');
    await run.tickUntil(['continued'], 15_000);
    const inS = run.lastSnapshot!.processes.find((p) => p.pid === pid);
    assert.deepEqual([inS?.state, inS?.name], ['S', 'sig-continued'], 'the same process, back in S');
    assert.equal(run.outputs.filter((o) => o.completedNow).length, 1, 'completion is reported exactly once');

    await run.finish();
  },
);

test("signals lab: SIGTERM while a process is stopped removes it (T is no obstacle) and the lab's files", { timeout: 60_000 }, async () => {
  await interruptedLab('signals', 'stopped', 'SIGTERM', ['--part', 'stop']);
});
