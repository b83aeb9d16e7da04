// The detail pane's "Waiting for" section in real headless Chromium (the fake host of page.ts with the
// recorded fixtures): the sentence per blocked thread in English and Korean, the holder link that selects the
// holder's row, the deadlock cycle in red, OS text drawn as text, and the cadence of its requests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, type Fixtures } from './page';
import { fakeHostForSuite } from './session';
import type { ProcessInfo } from '../../src/core/model';
import type { FromWebview, Request, WaitsResult } from '../../src/protocol';
import { visible } from '../../src/shared/visible';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const lockA = procs.find((p) => p.pid === fx.meta.pids.lockA)!;
const lockB = procs.find((p) => p.pid === fx.meta.pids.lockB)!;
const HOSTILE_THREAD = 'evil\u202Egnp.exe<img src=x onerror=alert(1)>';
const LOCK = fx.meta.lockFiles[1]!;

/** What the worker answers for the first of the two recorded lock holders: each waits for the other's flock. */
function waitsOf(p: ProcessInfo, other: ProcessInfo): WaitsResult {
  return {
    key: p.key,
    threads: [
      {
        pid: p.pid,
        tid: p.pid,
        name: p.name,
        state: 'S',
        wchan: 'flock_lock_inode_wait',
        syscall: { nr: 73, name: 'flock', args: ['0x3', '0x2', '0x0', '0x0', '0x0', '0x0'] },
        waitingFor: {
          kind: 'flock',
          holder: { pid: other.pid, tid: null },
          holders: [{ pid: other.pid, tid: null }],
          object: LOCK,
          how: 'flock(LOCK_EX/LOCK_SH) on fd 3: /proc/locks lists this process waiting behind the holder of a conflicting lock',
          howKey: 'lockBehind',
          howParams: { call: 'flock(LOCK_EX/LOCK_SH)', fd: 3 },
        },
      },
      {
        pid: p.pid,
        tid: p.pid + 90000,
        name: HOSTILE_THREAD,
        state: 'S',
        wchan: null,
        syscall: null,
        waitingFor: {
          kind: 'unknown',
          holder: null,
          object: '',
          how: `/proc/${p.pid}/task/${p.pid + 90000}/syscall could not be read (EACCES)`,
        },
        unavailable: { syscall: 'EACCES' },
      },
    ],
    cycles: [
      [
        { pid: p.pid, tid: p.pid },
        { pid: other.pid, tid: other.pid },
      ],
    ],
    names: {
      [String(p.pid)]: p.name,
      [`${p.pid}/${p.pid}`]: p.name,
      [String(other.pid)]: other.name,
      [`${other.pid}/${other.pid}`]: other.name,
    },
    ptraceScope: 1,
  };
}

let host: FakeHost;
const asked: Request[] = [];

async function boot(locale: 'en' | 'ko', ipcRefreshMs = 60_000): Promise<void> {
  asked.length = 0;
  await host.load({ locale, width: 1300, height: 800 });
  await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale, ipcRefreshMs }, platform: 'linux' });
  await host.send(fx.snapshot);
  await host.page.locator('.row').first().waitFor();
}

async function select(p: ProcessInfo): Promise<void> {
  await host.page.locator('#filter input').fill('cmd:python3');
  await host.page.locator(`.row[data-row-id="p${p.key}"]`).click();
}

const waitsAsked = (): Request[] => asked.filter((r) => r.kind === 'waits');

describe('the "Waiting for" section', { timeout: 180000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) => {
      asked.push(request);
      if (request.kind === 'waits' && request.key === lockA.key) return { ok: true, result: waitsOf(lockA, lockB) };
      if (request.kind === 'waits' && request.key === lockB.key) return { ok: true, result: waitsOf(lockB, lockA) };
      return { ok: false, error: 'refused by the test host' };
    },
  );

  it('says in English what each thread waits for, how that was found, and what could not be read', async () => {
    await boot('en');
    await select(lockA);
    const line = host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid}"]`);
    await line.waitFor();
    assert.equal(
      await line.textContent(),
      `Thread ${lockA.pid} (python3) waits for a flock lock (${LOCK}) held by process ${lockB.pid} (python3).`,
    );
    assert.equal(
      await line.getAttribute('title'),
      'How this was found: flock(LOCK_EX/LOCK_SH) on fd 3: /proc/locks lists this process waiting behind the holder of a conflicting lock',
    );
    const denied = host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid + 90000}"]`);
    assert.equal(
      await denied.textContent(),
      `Thread ${lockA.pid + 90000} (${visible(HOSTILE_THREAD)}): what it waits for cannot be read: permission denied (EACCES). Reading /proc/PID/task/TID/syscall needs ptrace-read permission over the process (the same user, or CAP_SYS_PTRACE). Yama ptrace_scope is 1.`,
    );
    assert.equal(await host.page.locator('.waits-section .wait-unreadable').textContent(), 'Not readable: syscall (EACCES)');
    // Asked once, with the process's key, on selection.
    assert.deepEqual(waitsAsked(), [{ kind: 'waits', pid: lockA.pid, key: lockA.key }]);
  });

  it('draws the deadlock cycle in red with its path, and the threads in it in red', async () => {
    const cycle = host.page.locator('.waits-section .wait-cycle');
    assert.equal(await cycle.textContent(), `Deadlock: ${lockA.pid} (python3) → ${lockB.pid} (python3) → ${lockA.pid} (python3)`);
    assert.equal(await cycle.getAttribute('role'), 'alert');
    const colors = await host.page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--vscode-errorForeground)';
      document.body.append(probe);
      const red = getComputedStyle(probe).color;
      probe.remove();
      const box = document.querySelector('.waits-section .wait-cycle')!;
      const inCycle = document.querySelector('.waits-section .wait-line.in-cycle')!;
      const other = document.querySelector('.waits-section .wait-line:not(.in-cycle)')!;
      return {
        red,
        box: getComputedStyle(box).color,
        border: getComputedStyle(box).borderTopColor,
        inCycle: getComputedStyle(inCycle).color,
        other: getComputedStyle(other).color,
      };
    });
    assert.equal(colors.box, colors.red);
    assert.equal(colors.border, colors.red);
    assert.equal(colors.inCycle, colors.red);
    assert.notEqual(colors.other, colors.red, 'a thread outside the cycle is not red');
  });

  it('draws a hostile thread name as text: escaped, no element made from it', async () => {
    const seen = await host.page.evaluate(() => {
      const section = document.querySelector('.waits-section')!;
      return { imgs: section.querySelectorAll('img').length, text: section.textContent ?? '' };
    });
    assert.equal(seen.imgs, 0);
    assert.ok(seen.text.includes(visible(HOSTILE_THREAD)), 'the name is shown with its override escaped');
    assert.doesNotMatch(seen.text, /[\u202A-\u202E\u2066-\u2069]/);
    assert.deepEqual(host.dialogs, []);
  });

  it("selects the holder's row from its link, and then asks about the holder", async () => {
    const link = host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid}"] button.wait-holder`);
    assert.equal(await link.textContent(), `process ${lockB.pid} (python3)`);
    assert.equal(await link.getAttribute('title'), `Select process ${lockB.pid} in the tree`);
    const selected = host.next((m: FromWebview) => m.type === 'select' && m.key === lockB.key);
    await link.click();
    await selected;
    await host.page.locator(`.row[data-row-id="p${lockB.key}"][aria-selected="true"]`).waitFor();
    await host.page.locator(`.waits-section .wait-line[data-tid="${lockB.pid}"]`).waitFor();
    assert.deepEqual(waitsAsked().at(-1), { kind: 'waits', pid: lockB.pid, key: lockB.key });
    assert.equal(
      await host.page.locator(`.waits-section .wait-line[data-tid="${lockB.pid}"]`).textContent(),
      `Thread ${lockB.pid} (python3) waits for a flock lock (${LOCK}) held by process ${lockA.pid} (python3).`,
    );
  });

  it('says it in Korean', async () => {
    await boot('ko');
    await select(lockA);
    const line = host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid}"]`);
    await line.waitFor();
    assert.equal(
      await line.textContent(),
      `스레드 ${lockA.pid}(python3)은(는) 프로세스 ${lockB.pid}(python3)이(가) 가진 flock 잠금(${LOCK})을(를) 기다립니다.`,
    );
    assert.equal(
      await host.page.locator('.waits-section .wait-cycle').textContent(),
      `교착 상태: ${lockA.pid}(python3) → ${lockB.pid}(python3) → ${lockA.pid}(python3)`,
    );
    assert.equal(
      await line.getAttribute('title'),
      '알아낸 방법: flock(LOCK_EX/LOCK_SH), fd 3: /proc/locks에 이 프로세스가 충돌하는 잠금의 보유자 뒤에서 기다린다고 나옵니다',
    );
    assert.equal(
      await host.page.locator('.waits-section').evaluate((e) => (e as HTMLElement & { heading: string }).heading),
      '기다리는 대상',
    );
  });

  it('asks again at the IPC refresh interval while the details show, and not while another tab does', async () => {
    await boot('en', 1000);
    await select(lockA);
    await host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid}"]`).waitFor();
    // A holder link with the keyboard focus keeps it across refreshes that bring the same answer.
    await host.page.locator(`.waits-section .wait-line[data-tid="${lockA.pid}"] button.wait-holder`).focus();
    await new Promise((r) => setTimeout(r, 2600));
    const shown = waitsAsked().length;
    assert.ok(shown >= 2 && shown <= 4, `about one request per second while shown, got ${shown} in 2.6 s`);
    assert.equal(
      await host.page.evaluate(() => document.activeElement?.classList.contains('wait-holder') ?? false),
      true,
      'the focused link was not redrawn away',
    );
    await host.page.locator('vscode-tab-header[data-tab="tab.history"]').click();
    await new Promise((r) => setTimeout(r, 300));
    const atSwitch = waitsAsked().length;
    await new Promise((r) => setTimeout(r, 2200));
    assert.equal(waitsAsked().length, atSwitch, 'no requests while the History tab shows');
  });
});
