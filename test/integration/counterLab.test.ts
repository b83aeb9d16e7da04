// The counter lab runs for real; the host's lab session, fed by ProcScope's own sampler and waits core,
// ticks its card: the three named thread groups, the verdict names the programs give themselves after
// their counts, and a mutex-N thread waiting for a mutex whose holder ProcScope names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interruptedLab, LabRun } from './labRun.helpers';

const ITEMS = ['groups', 'lost', 'mutex-wait', 'mutex-exact', 'cas-exact'];

test(
  "counter lab: no lock loses updates, a mutex and compare-and-swap are exact, and the mutex's waiters and holder are seen",
  { timeout: 150_000 },
  async (t) => {
    const run = new LabRun(t, 'counter', ['--pause', '4', '--seconds', '110']);
    assert.equal(run.session.title, 'Threads racing on a counter');
    const before = await run.tick();
    assert.deepEqual([...before.values()], [false, false, false, false, false]);

    const nolock = await run.event('counted', 40_000, (e) => e['mode'] === 'nolock');
    const value = nolock['value'] as number;
    const expected = nolock['expected'] as number;
    assert.equal(expected, 40_000_000);
    assert.ok(value > 0 && value <= expected, `no update is counted twice: ${value}`);
    // The item follows the program's own count, whatever this machine's luck: lost updates tick it, none do not.
    const lostShown = value < expected;
    assert.equal(nolock['verdict'], lostShown ? 'nolock-short' : 'nolock-exact');

    await run.tickUntil(['mutex-wait'], 40_000);
    const mutexThreads = (await run.event('counting', 5_000, (e) => e['mode'] === 'mutex'))['pid'] as number;
    const note = /\((mutex-\d) (\d+) → (mutex-\d) (\d+)\)$/.exec(run.itemText('mutex-wait'));
    assert.ok(note, run.itemText('mutex-wait'));
    assert.notEqual(note[2], note[4], 'waiter and holder are two threads');
    const mutexDone = await run.event('counted', 40_000, (e) => e['mode'] === 'mutex');
    assert.equal(mutexDone['pid'], mutexThreads);
    const tids = mutexDone['threads'] as Record<string, number>;
    assert.equal(tids[note[1]!], Number(note[2]), 'the waiter is the thread the program named so');
    assert.equal(tids[note[3]!], Number(note[4]), 'the holder is the thread the program named so');
    assert.equal(mutexDone['value'], 40_000_000);
    const cas = await run.event('counted', 40_000, (e) => e['mode'] === 'cas');
    assert.equal(cas['value'], 40_000_000);

    await run.tickUntil(['groups', 'mutex-exact', 'cas-exact', ...(lostShown ? ['lost'] : [])], 15_000);
    const done = await run.tick();
    assert.equal(done.get('lost'), lostShown, 'lost ticks exactly when the program counted short');
    // ProcScope's own snapshot shows each program under its verdict name, with its four named threads.
    const snapshot = run.lastSnapshot!;
    for (const [mode, name] of [
      ['nolock', nolock['verdict']],
      ['mutex', 'mutex-exact'],
      ['cas', 'cas-exact'],
    ] as const) {
      const p = snapshot.processes.find((x) => x.name === name && run.session.labPids(snapshot).includes(x.pid));
      assert.ok(p, `${name} in the snapshot`);
      assert.equal(p.numThreads, 5);
      assert.deepEqual(
        (p.threads ?? [])
          .map((x) => x.name)
          .filter((n) => new RegExp(`^${mode}-\\d$`).test(n))
          .sort(),
        [1, 2, 3, 4].map((n) => `${mode}-${n}`),
      );
    }
    assert.equal(run.outputs.filter((o) => o.completedNow).length, lostShown ? 1 : 0, 'completion once, and only with every item seen');
    assert.ok(ITEMS.every((id) => run.session.card!.items.some((i) => i.id === id)));

    await run.finish();
  },
);

test("counter lab: SIGTERM while the mutex threads count removes the program and the lab's files", { timeout: 60_000 }, async () => {
  await interruptedLab('counter', 'counting', 'SIGTERM', ['--part', 'mutex']);
});
