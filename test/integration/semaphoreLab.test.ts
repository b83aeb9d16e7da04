// The semaphore lab runs for real; the host's lab session, fed by ProcScope's own sampler and waits core,
// ticks its card: five named workers, three of them blocked in a futex wait on one word (the semaphore)
// while two work, no holder named for those waits, and with one permit four waiting and one working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectWaits } from '../../src/core/waits/collect';
import { interruptedLab, LabRun } from './labRun.helpers';

test(
  "semaphore lab: with K permits K workers work and the others wait on the semaphore's futex word, with no owner",
  { timeout: 150_000 },
  async (t) => {
    const run = new LabRun(t, 'semaphore', ['--pause', '600', '--seconds', '110']);
    assert.equal(run.session.title, 'A semaphore limits the workers');
    const before = await run.tick();
    assert.deepEqual([...before.values()], [false, false, false, false]);

    const pool = await run.event('workers', 30_000, (e) => e['group'] === 'pool');
    const pid = pool['pid'] as number;
    const tids = pool['threads'] as Record<string, number>;
    assert.deepEqual(Object.keys(tids).sort(), ['pool-1', 'pool-2', 'pool-3', 'pool-4', 'pool-5']);
    await run.tickUntil(['workers', 'waiting', 'no-owner'], 30_000);
    assert.equal((await run.tick()).get('binary'), false, 'the binary part has not run yet');
    const note = /\(futex (0x[0-9a-f]+): (pool-\d), (pool-\d), (pool-\d)\)$/.exec(run.itemText('waiting'));
    assert.ok(note, run.itemText('waiting'));
    // The same facts straight from the waits core: waiters on that word are pool threads of this process,
    // each a plain futex wait (the word is no mutex with an owner).
    const report = collectWaits({ pid });
    const onWord = report.threads.filter((x) => x.waitingFor?.object === note[1]);
    assert.ok(
      onWord.every((x) => x.pid === pid && /^pool-\d$/.test(x.name) && x.waitingFor!.kind === 'futex' && x.waitingFor!.holder === null),
      JSON.stringify(onWord),
    );
    assert.ok(onWord.length <= 5 - 2, 'never more waiters than workers without a permit');

    run.shell.stdin.write('\n');
    const ended = await run.event('ended', 10_000, (e) => e['group'] === 'pool');
    assert.equal(ended['most'], 2, 'the program never saw more than 2 permits in use');
    assert.ok((ended['turns'] as number) >= 5, `the workers took turns: ${ended['turns']}`);
    await run.event('workers', 30_000, (e) => e['group'] === 'binary');
    await run.tickUntil(['binary'], 30_000);
    assert.match(run.itemText('binary'), /\(futex 0x[0-9a-f]+\)$/);
    assert.equal(run.outputs.filter((o) => o.completedNow).length, 1, 'completion is reported exactly once');
    run.shell.stdin.write('\n');
    const binaryEnded = await run.event('ended', 10_000, (e) => e['group'] === 'binary');
    assert.equal(binaryEnded['most'], 1);

    await run.finish();
  },
);

test("semaphore lab: SIGINT while the workers wait removes the program and the lab's files", { timeout: 60_000 }, async () => {
  await interruptedLab('semaphore', 'workers', 'SIGINT');
});
