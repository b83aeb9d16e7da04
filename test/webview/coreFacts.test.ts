// Facts the core gives beyond a row's own fields, in the panel in real headless Chromium: a note of what
// the poll could not see (hidepid) that follows every delta; a live process whose main thread called
// pthread_exit, marked on its row and in its detail; each thread's own wait channel on its row; and the
// process's context switches as a sum over its threads, with a per-thread table in the scrolling detail pane.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite } from './session';
import type { HiddenTasks, ProcessInfo, Snapshot, ThreadInfo } from '../../src/core/model';
import type { ProcessDetail, ThreadDetail } from '../../src/core/detail';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
const base = fx.snapshot.snapshot;
const hostile = base.processes.find((p) => p.pid === fx.meta.pids.hostile)!;
const T0 = base.timestamp;

// The hostile process as one whose main thread exited: a zombie leader, its other threads asleep, each with
// its own wait channel.
const THREADS: ThreadInfo[] = hostile.threads!.map((th, i) => ({
  ...th,
  state: th.tid === hostile.pid ? 'Z' : 'S',
  wchan: th.tid === hostile.pid ? null : `wait_fn_${i}`,
  voluntaryCtxtSwitches: 10 * (i + 1),
  nonvoluntaryCtxtSwitches: i,
}));
const leaderExited: ProcessInfo = { ...hostile, state: 'S', leaderZombie: true, threads: THREADS };

/** 200 threads: a table far taller than the pane, which must still scroll to its end. */
const DETAIL_THREADS: ThreadDetail[] = Array.from({ length: 200 }, (_, i) => ({
  tid: i === 0 ? hostile.pid : hostile.pid + 1000 + i,
  name: i === 0 ? hostile.name : `worker-${i}`,
  state: i === 0 ? 'Z' : i === 7 ? 'R' : 'S',
  voluntaryCtxtSwitches: i * 3,
  nonvoluntaryCtxtSwitches: i,
  wchan: i === 0 || i === 7 ? null : `futex_wait_${i}`,
}));
const sum = (f: (t: ThreadDetail) => number | null): number => DETAIL_THREADS.reduce((n, t) => n + (f(t) ?? 0), 0);
const detail: ProcessDetail = {
  ...details.detail,
  key: hostile.key,
  state: 'S',
  leaderZombie: true,
  threads: DETAIL_THREADS,
  scheduling: {
    ...details.detail.scheduling,
    threads: 200,
    voluntaryCtxtSwitches: sum((t) => t.voluntaryCtxtSwitches),
    nonvoluntaryCtxtSwitches: sum((t) => t.nonvoluntaryCtxtSwitches),
  },
};

let host: FakeHost;

function snapshotWith(hidden: HiddenTasks[] | undefined): Snapshot {
  const processes = base.processes.map((p) => (p.key === hostile.key ? leaderExited : p));
  return { ...base, processes, ...(hidden ? { hidden } : {}) };
}

async function boot(locale: 'en' | 'ko', hidden: HiddenTasks[] | undefined): Promise<void> {
  await bootPanel(host, { ...fx.snapshot, snapshot: snapshotWith(hidden) }, { locale, width: 1200, height: 700 });
}

const notes = (): Promise<string[]> => host.page.locator('.banner .hidden-note').allTextContents();
const row = (key: string) => host.page.locator(`.row[data-row-id="p${key}"]`);

describe('ProcScope webview: facts of the core', { timeout: 120000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) => {
      if (request.kind === 'detail' && request.key === hostile.key) return { ok: true, result: { ...detail, nodeRuntime: false } };
      return { ok: false, error: 'refused by the test host' };
    },
  );

  it('notes what the poll could not see, and follows each delta (changed, then gone)', async () => {
    await boot('en', [{ count: 12, unit: 'processes', reason: 'hidepid=2 (EACCES)' }]);
    assert.deepEqual(await notes(), ['12 processes could not be seen: hidepid=2 (EACCES)']);
    // A delta that changes only a live field (rows patched in place) still carries the new note.
    await host.send({
      type: 'delta',
      delta: {
        timestamp: T0 + 1000,
        intervalMs: 1000,
        added: [],
        removed: [],
        changed: [{ key: hostile.key, cpuPercent: 1.5 }],
        hidden: [{ count: 40, unit: 'tasks', reason: 'hidepid=invisible' }],
      },
    });
    await host.page.waitForFunction(() => document.querySelector('.banner .hidden-note')?.textContent?.startsWith('40'));
    assert.deepEqual(await notes(), ['40 tasks (processes and threads) could not be seen: hidepid=invisible']);
    await host.send({
      type: 'delta',
      delta: { timestamp: T0 + 2000, intervalMs: 1000, added: [], removed: [], changed: [{ key: hostile.key, cpuPercent: 2.5 }] },
    });
    await host.page.waitForFunction(() => document.querySelector('.banner .hidden-note') === null);
    assert.deepEqual(await notes(), []);
    assert.deepEqual(host.pageErrors, []);
  });

  it('says it in Korean, with the reason shown as text', async () => {
    await boot('ko', [{ count: 3, unit: 'processes', reason: 'EIO: <b>x</b>\u202e' }]);
    const [note] = await notes();
    assert.ok(note?.startsWith('프로세스 3개를 볼 수 없었습니다: EIO: <b>x</b>'), note);
    assert.equal(await host.page.locator('.banner .hidden-note b').count(), 0, 'the reason is text, never markup');
  });

  it('shows a process whose main thread exited as alive, marked; thread rows carry their own wait channel', async () => {
    await boot('en', undefined);
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    const r = row(hostile.key);
    assert.equal(await r.locator('.c-state .state-badge').textContent(), 'S');
    const mark = r.locator('.c-state .leader-zombie-mark');
    assert.equal(await mark.getAttribute('title'), 'main thread exited; other threads run');
    assert.match((await r.locator('.c-state .state-badge').getAttribute('title'))!, /\nmain thread exited; other threads run$/);
    await r.locator('[data-action="threads"]').click();
    for (const [i, th] of THREADS.entries()) {
      const badge = host.page.locator(`.thread-row[data-row-id="t${hostile.key}/${th.tid}"] .c-state .state-badge`);
      const title = await badge.getAttribute('title');
      if (th.tid === hostile.pid) assert.match(title!, /^Z: [^\n]+$/, 'the zombie leader has no wait channel');
      else assert.match(title!, new RegExp(`\\nwaits in wait_fn_${i}$`));
      assert.equal(await host.page.locator(`.thread-row[data-row-id="t${hostile.key}/${th.tid}"] .leader-zombie-mark`).count(), 0);
    }
    // A delta in which the flag goes (sent as undefined: the field is gone) drops the mark.
    await host.send({
      type: 'delta',
      delta: { timestamp: T0 + 1000, intervalMs: 1000, added: [], removed: [], changed: [{ key: hostile.key, leaderZombie: undefined }] },
    });
    await host.page.waitForFunction(
      (key) => document.querySelector(`.row[data-row-id="p${key}"] .leader-zombie-mark`) === null,
      hostile.key,
    );
  });

  it('gives context switches as a sum over the threads and a per-thread table the pane scrolls to the end of', async () => {
    await boot('en', undefined);
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await row(hostile.key).click();
    const pane = host.page.locator('.detail-pane');
    await pane.locator('.thread-table').waitFor();
    assert.match(
      (await pane.locator('.notice.leader-zombie').textContent())!,
      /^Main thread exited \(pthread_exit\); 199 other threads run/,
    );
    assert.equal(await pane.locator('.ctxsw-sum').textContent(), 'Sum over 200 threads');
    assert.equal(await pane.locator('.thread-table-title').textContent(), 'Threads (200)');
    const rows = pane.locator('.thread-table tr[data-tid]');
    assert.equal(await rows.count(), 200);
    const cells = async (tid: number): Promise<string[]> => pane.locator(`.thread-table tr[data-tid="${tid}"] td`).allTextContents();
    assert.deepEqual(await cells(hostile.pid + 1005), [String(hostile.pid + 1005), 'worker-5', 'S', '15 / 5', 'futex_wait_5']);
    assert.deepEqual(await cells(hostile.pid + 1007), [String(hostile.pid + 1007), 'worker-7', 'R', '21 / 7', 'running']);
    const leader = await cells(hostile.pid);
    assert.deepEqual([leader[0], ...leader.slice(2)], [String(hostile.pid), 'Z', '0 / 0', '–']);
    // The pane scrolls (the page does not grow) down to the table's last row.
    const box = await host.page.evaluate(() => {
      const panel = document.querySelector('.detail-pane')!.closest('vscode-tab-panel') as HTMLElement;
      return {
        scroll: panel.scrollHeight,
        client: panel.clientHeight,
        page: document.documentElement.scrollHeight,
        window: window.innerHeight,
      };
    });
    assert.ok(box.scroll > box.client, `the pane is taller than its box (${box.scroll} > ${box.client})`);
    assert.ok(box.page <= box.window, `the page is no taller than the window (${box.page} <= ${box.window})`);
    const last = rows.last();
    const paneBox = (await pane.boundingBox())!;
    await host.page.mouse.move(paneBox.x + paneBox.width / 2, paneBox.y + 100);
    // Wheel down step by step (what a user does) until the table's last row is inside the window.
    const lastInView = (): Promise<boolean> =>
      host.page.evaluate(() => {
        const all = document.querySelectorAll('.thread-table tr[data-tid]');
        const b = all[all.length - 1]!.getBoundingClientRect();
        return b.top >= 0 && b.bottom <= window.innerHeight;
      });
    let seen = false;
    for (let i = 0; i < 80 && !seen; i++) {
      await host.page.mouse.wheel(0, 200);
      await host.page.waitForTimeout(30);
      seen = await lastInView();
    }
    assert.ok(seen, 'the last thread row scrolls into view');
    assert.ok(await last.isVisible());
  });
});
