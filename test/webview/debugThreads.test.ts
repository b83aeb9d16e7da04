// DAP thread names beside OS threads, in real headless Chromium: the fake host posts the
// host→webview 'debugThreads' message the debug tracker sends for pairings it marked certain, for the
// recorded process with the hostile name and its real threads (worker-0..2, recorded from /proc).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, type Fixtures } from './page';
import { fakeHostForSuite } from './session';
import type { DebugThreadsMessage } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const hostile = fx.snapshot.snapshot.processes.find((p) => p.pid === fx.meta.pids.hostile)!;
const worker = (name: string) => hostile.threads!.find((t) => t.name === name)!;

let host: FakeHost;

const threadRow = (tid: number) => host.page.locator(`.thread-row[data-row-id="t${hostile.key}/${tid}"]`);

describe('DAP thread names in the thread rows', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h));

  it("shows the debugger's name beside a paired LWP, with why the pairing is certain, and clears it", async () => {
    await host.load({ width: 1400, height: 800 });
    await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
    await host.send(fx.snapshot);
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"] [data-action="threads"]`).click();
    await threadRow(worker('worker-1').tid).waitFor();

    const message: DebugThreadsMessage = {
      type: 'debugThreads',
      pid: hostile.pid,
      threads: [
        { tid: worker('worker-1').tid, dapName: 'worker-1', session: 'Launch <b>app</b>', reason: 'name-match' },
        {
          tid: worker('worker-2').tid,
          dapName: 'Worker <img src=x onerror=alert(1)>',
          session: 'Launch <b>app</b>',
          reason: 'single-thread',
        },
      ],
    };
    await host.send(message);
    const label = (tid: number) => threadRow(tid).locator('.ws-label');
    assert.equal(await label(worker('worker-1').tid).textContent(), '· DAP: worker-1');
    assert.equal(await label(worker('worker-1').tid).isVisible(), true);
    assert.equal(await threadRow(worker('worker-1').tid).locator('.name-text').textContent(), 'worker-1', 'the OS name stays');
    const why = await label(worker('worker-1').tid).getAttribute('title');
    assert.equal(
      why,
      'Debug session "Launch <b>app</b>" calls this thread "worker-1". The pairing is certain: exactly one OS thread and exactly one debugger thread have this name. (DAP thread ids are the debugger\'s own numbers, not thread ids.)',
    );
    // Strings from the debugger are text, never markup.
    assert.equal(await label(worker('worker-2').tid).textContent(), '· DAP: Worker <img src=x onerror=alert(1)>');
    assert.equal(await host.page.locator('.thread-row img').count(), 0);
    assert.match(
      (await label(worker('worker-2').tid).getAttribute('title')) ?? '',
      /exactly one OS thread and the debugger lists exactly one thread/,
    );
    // Unpaired threads show nothing extra.
    assert.equal(await label(worker('worker-0').tid).isVisible(), false);
    assert.equal(await label(worker('worker-0').tid).textContent(), '');
    // The process row keeps its workspace label (not a DAP label).
    const processLabel = host.page.locator(`.row[data-row-id="p${hostile.key}"] .ws-label`);
    assert.equal(await processLabel.textContent(), 'Lab: hostile names');
    assert.equal(await processLabel.evaluate((e) => e.classList.contains('dap-label')), false);

    // A delta keeps the names (they belong to the pid, not to one snapshot).
    const t = fx.snapshot.snapshot.timestamp + 1000;
    await host.send({
      type: 'delta',
      delta: { timestamp: t, intervalMs: 1000, added: [], removed: [], changed: [{ key: hostile.key, cpuPercent: 3 }] },
    });
    assert.equal(await label(worker('worker-1').tid).textContent(), '· DAP: worker-1');

    // Malformed entries are dropped, the rest kept; a malformed message changes nothing.
    await host.send({ type: 'debugThreads', pid: 'x', threads: 5 } as unknown as DebugThreadsMessage);
    assert.equal(await label(worker('worker-1').tid).textContent(), '· DAP: worker-1');
    await host.send({
      type: 'debugThreads',
      pid: hostile.pid,
      threads: [
        { tid: worker('worker-0').tid, dapName: 'main', session: 's', reason: 'guess' },
        { tid: worker('worker-2').tid, dapName: 'w2', session: 's', reason: 'name-match' },
      ],
    } as unknown as DebugThreadsMessage);
    assert.equal(await label(worker('worker-0').tid).textContent(), '', 'an uncertain reason is not shown');
    assert.equal(await label(worker('worker-1').tid).textContent(), '', 'the new list replaces the old one');
    assert.equal(await label(worker('worker-2').tid).textContent(), '· DAP: w2');

    // The session ended: an empty list clears the names.
    await host.send({ type: 'debugThreads', pid: hostile.pid, threads: [] });
    assert.equal(await host.page.locator('.thread-row .dap-label').count(), 0);
    assert.equal(await label(worker('worker-2').tid).isVisible(), false);
    assert.deepEqual(host.pageErrors, []);
    assert.deepEqual(await host.violations(), []);
  });
});
