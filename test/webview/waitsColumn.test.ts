// The tree's "Waiting for" column and the IPC view's Waits layer in real headless Chromium (the fake host of
// page.ts with the recorded fixtures): what each blocked thread waits for and who can wake it, a process row's
// summary of its threads, deadlocks in red (across processes and inside one), OS text drawn as text, Korean.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixtures, type FakeHost, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, refuseRequests } from './session';
import type { IpcMap } from '../../src/core/ipc/model';
import type { WaitsOverview } from '../../src/protocol';
import { visible } from '../../src/shared/visible';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const byPid = (pid: number | undefined) => procs.find((p) => p.pid === pid)!;
const hostile = byPid(fx.meta.pids.hostile);
const lockA = byPid(fx.meta.pids.lockA);
const lockB = byPid(fx.meta.pids.lockB);
const shell = byPid(fx.meta.pids.pipelineShell);
const zombieParent = byPid(fx.meta.pids.zombieParent);
const stopped = byPid(fx.meta.pids.stopped);
const [, t1, t2] = hostile.threads!.map((t) => t.tid);
const EVIL = 'evil\u202Egnp.exe<img src=x onerror=alert(1)>';

/**
 * Two threads of the hostile process deadlocked on two mutexes (a cycle inside one process), the two recorded
 * lock holders deadlocked on each other's flock (a cycle across processes), a shell reading a pipe whose only
 * writer has a hostile name, and a process idle in poll.
 */
const OVERVIEW: WaitsOverview = {
  threads: [
    {
      pid: hostile.pid,
      tid: t1!,
      key: hostile.key,
      name: 'worker-0',
      kind: 'mutex',
      holders: [{ pid: hostile.pid, tid: t2!, name: 'worker-1' }],
      holderCount: 1,
      object: '0x55d0aa000040',
    },
    {
      pid: hostile.pid,
      tid: t2!,
      key: hostile.key,
      name: 'worker-1',
      kind: 'mutex',
      holders: [{ pid: hostile.pid, tid: t1!, name: 'worker-0' }],
      holderCount: 1,
      object: '0x55d0aa000080',
    },
    {
      pid: shell.pid,
      tid: shell.pid,
      key: shell.key,
      name: 'sh',
      kind: 'pipe',
      holders: [{ pid: stopped.pid, tid: null, name: EVIL }],
      holderCount: 1,
      object: 'pipe 4242',
    },
    {
      pid: lockA.pid,
      tid: lockA.pid,
      key: lockA.key,
      name: 'python3',
      kind: 'flock',
      holders: [{ pid: lockB.pid, tid: null, name: 'python3' }],
      holderCount: 1,
      object: fx.meta.lockFiles[1]!,
    },
    {
      pid: lockB.pid,
      tid: lockB.pid,
      key: lockB.key,
      name: 'python3',
      kind: 'flock',
      holders: [{ pid: lockA.pid, tid: null, name: 'python3' }],
      holderCount: 1,
      object: fx.meta.lockFiles[0]!,
    },
    {
      pid: zombieParent.pid,
      tid: zombieParent.pid,
      key: zombieParent.key,
      name: 'python3',
      kind: 'poll',
      holders: [],
      holderCount: 0,
      object: '',
    },
  ],
  cycles: [
    {
      members: [
        { pid: hostile.pid, tid: t1!, key: hostile.key, name: 'worker-0' },
        { pid: hostile.pid, tid: t2!, key: hostile.key, name: 'worker-1' },
      ],
    },
    {
      members: [
        { pid: lockA.pid, tid: lockA.pid, key: lockA.key, name: 'python3' },
        { pid: lockB.pid, tid: lockB.pid, key: lockB.key, name: 'python3' },
      ],
    },
  ],
};

const NO_CHANNELS: IpcMap = ipcMapOf([]);

let host: FakeHost;

async function boot(locale: 'en' | 'ko' = 'en'): Promise<void> {
  await bootPanel(host, fx.snapshot, { locale, width: 1500, height: 800 });
  await host.send({ type: 'waitsOverview', overview: OVERVIEW });
}

const waitCell = (key: string) => host.page.locator(`.row[data-row-id="p${key}"] .c-wait`);
const threadWaitCell = (tid: number) => host.page.locator(`.thread-row[data-row-id="t${hostile.key}/${tid}"] .c-wait`);

describe('the "Waiting for" column and the Waits layer', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => {
    host = h;
  }, refuseRequests);

  it('a process row says what its thread waits for and who can wake it; a deadlock is marked and red', async () => {
    await boot();
    await host.page.locator('#filter input').fill('cmd:python3');
    assert.equal(await waitCell(lockA.key).textContent(), `⟲ flock lock → ${lockB.pid} python3`);
    assert.match((await waitCell(lockA.key).getAttribute('class'))!, /\bdeadlock\b/);
    assert.equal(
      (await waitCell(lockA.key).getAttribute('title'))!.split('\n')[1],
      `${lockA.pid} python3: flock lock ${fx.meta.lockFiles[1]} → ${lockB.pid} python3`,
    );
    assert.match((await waitCell(lockA.key).getAttribute('title'))!, /^Deadlock: /);
    // Not blocked on anyone: the kind alone, not red.
    assert.equal(await waitCell(zombieParent.key).textContent(), 'poll');
    assert.doesNotMatch((await waitCell(zombieParent.key).getAttribute('class'))!, /deadlock/);
    // The column is red only through its own class: its colour differs from a plain cell's.
    const colours = await Promise.all(
      [waitCell(lockA.key), waitCell(zombieParent.key)].map((c) => c.evaluate((e) => getComputedStyle(e).color)),
    );
    assert.notEqual(colours[0], colours[1]);
  });

  it('a process with several waiting threads shows its most telling one and how many more; its thread rows each their own', async () => {
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    assert.equal(await waitCell(hostile.key).textContent(), `⟲ mutex → ${t2} worker-1 (+1 threads)`);
    const title = (await waitCell(hostile.key).getAttribute('title'))!;
    assert.match(title, new RegExp(`${t1} worker-0: mutex 0x55d0aa000040 → ${t2} worker-1`));
    assert.match(title, new RegExp(`${t2} worker-1: mutex 0x55d0aa000080 → ${t1} worker-0`));
    await host.page.locator(`.row[data-row-id="p${hostile.key}"] [data-action="threads"]`).click();
    assert.equal(await threadWaitCell(t1!).textContent(), `⟲ mutex → ${t2} worker-1`);
    assert.equal(await threadWaitCell(t2!).textContent(), `⟲ mutex → ${t1} worker-0`);
    // The main thread waits for nothing the look saw: an empty cell.
    assert.equal(await threadWaitCell(hostile.pid).textContent(), '');
  });

  it('a hostile holder name is shown as text with its hidden characters escaped', async () => {
    await host.page.locator('#filter input').fill(`pid:${shell.pid}`);
    const text = (await waitCell(shell.key).textContent())!;
    assert.equal(text, `pipe → ${stopped.pid} ${visible(EVIL)}`);
    assert.ok(!text.includes('\u202E'));
    assert.equal(await host.page.locator('.c-wait img').count(), 0);
  });

  it('the header explains the column and does not sort', async () => {
    const header = host.page.locator('.grid-header .c-wait');
    assert.equal((await header.locator('.header-text').textContent())?.trim(), 'Waiting for');
    assert.match((await header.getAttribute('title'))!, /who can wake it/);
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), null);
    assert.equal(await host.page.locator('.grid-header [aria-sort="ascending"], .grid-header [aria-sort="descending"]').count(), 1);
  });

  it('the Waits layer draws waiting process → waking process, the cycle in red with its path; it can be turned off', async () => {
    await host.page.locator('#filter input').fill('cmd:python3');
    await host.page.locator(`.row[data-row-id="p${lockA.key}"]`).click();
    await host.send({ type: 'ipc', map: NO_CHANNELS });
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('svg.ipc-graph').waitFor();
    assert.equal(await host.page.locator('path.ipc-edge.kind-wait.deadlock').count(), 2);
    const banner = host.page.locator('.deadlock-banner.wait-cycle');
    assert.equal(await banner.count(), 1);
    assert.equal(
      (await banner.textContent())?.trim(),
      `Deadlock: python3 (${lockA.pid}) → python3 (${lockB.pid}) → python3 (${lockA.pid}) (each thread waits for the next; none can go on)`,
    );
    const layer = host.page.locator('[data-ipc-action="waits"]');
    assert.equal(await layer.getAttribute('aria-pressed'), 'true');
    await layer.click();
    assert.equal(await layer.getAttribute('aria-pressed'), 'false');
    await host.page.locator('.ipc-canvas .empty-state').waitFor();
    assert.equal(await host.page.locator('path.ipc-edge').count(), 0);
    await layer.click();
    await host.page.locator('path.ipc-edge.kind-wait').first().waitFor({ state: 'attached' }); // a straight edge has no width: never "visible"
  });

  it("a deadlock inside one process is drawn as its process in red with the threads' path", async () => {
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    const banner = host.page.locator('.deadlock-banner.wait-cycle', { hasText: `${hostile.pid}/${t1}` });
    await banner.waitFor();
    assert.match(
      (await banner.textContent())!,
      new RegExp(`worker-0 \\(${hostile.pid}/${t1}\\) → worker-1 \\(${hostile.pid}/${t2}\\) → worker-0`),
    );
    await host.page.locator(`.ipc-node.deadlock[data-pid="${hostile.pid}"]`).waitFor();
  });

  it('speaks Korean', async () => {
    await boot('ko');
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    assert.equal((await host.page.locator('.grid-header .c-wait .header-text').textContent())?.trim(), '기다리는 대상');
    assert.equal(await waitCell(hostile.key).textContent(), `⟲ 뮤텍스 → ${t2} worker-1 (스레드 1개 더)`);
  });
});
