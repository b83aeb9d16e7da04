// The extension host end to end in code-server, from the packaged .vsix:
// - the start-up handshake heals itself when the page's `ready` comes after the host's watchdog and the
//   worker's first answer comes after the `ready` (PROCSCOPE_TEST_DELAY_READY_MS / _WORKER_MS, test hooks);
// - `procscope.language: ko` turns the panel and the host's dialogs Korean without any language pack;
// - "Attach debugger" is offered by what the executable is: a `sleep` whose argv[0] is "node" is not
//   offered it (and survives), a real node process is, behind a modal that says an inspector port opens;
// - a signal confirmed after the process exited and its pid went to a new process (forced through
//   /proc/sys/kernel/ns_last_pid while the modal is open) reaches nothing, and the panel is told why.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { ownsListeningPort } from '../../src/extension/debug/inspector';
import { askHost, CAPTURE_API, procscopeLog, repoRoot, startVsCode, type VsCode } from './harness';

/** Longer than the host's first watchdog (4 s): the first page is replaced before it says ready. */
const DELAY_READY_MS = 5000;
const DELAY_WORKER_MS = 4000;

let vsc: VsCode | undefined;
let workspace = '';
let frame: Frame;
const children: ChildProcess[] = [];
let disguised: ChildProcess;
let realNode: ChildProcess;

function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function keyOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return `${pid}@${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

function rowOf(pid: number): Locator {
  return frame.locator('.row:not(.thread-row):not([hidden])').filter({ has: frame.locator('.c-pid', { hasText: new RegExp(`^${pid}$`) }) });
}

interface Captured {
  readonly type: string;
  readonly ok?: boolean;
  readonly result?: { readonly key?: string; readonly nodeRuntime?: boolean };
}

/**
 * Whether the host has answered a detail request about this key (and what it said about Node). Other replies
 * carry the key too (what the process's threads wait for): a detail reply is the one that says `nodeRuntime`.
 */
async function detailReply(key: string): Promise<Captured['result'] | undefined> {
  return frame.evaluate(
    (k) =>
      (globalThis as unknown as { __procscopeMessages?: Captured[] }).__procscopeMessages
        ?.filter((m) => m.type === 'response' && m.ok && m.result?.key === k && typeof m.result.nodeRuntime === 'boolean')
        .at(-1)?.result,
    key,
  );
}

async function menuLabels(pid: number): Promise<string[]> {
  await rowOf(pid).click({ button: 'right' });
  const menu = frame.locator('vscode-context-menu');
  await menu.getByText('SIGTERM', { exact: false }).first().waitFor({ timeout: 10_000 });
  const labels = (await menu.locator('*').allInnerTexts()).join('\n');
  await frame.locator('vscode-context-menu').press('Escape');
  return labels
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'procscope-e2e-host-'));
    // Both in the workspace folder, so they are in "This workspace".
    disguised = spawn('bash', ['-c', 'exec -a node sleep 300'], { cwd: workspace, stdio: 'ignore' });
    realNode = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)'], { cwd: workspace, stdio: 'ignore' });
    children.push(disguised, realNode);
    vsc = await startVsCode({
      workspace,
      settings: { 'procscope.language': 'ko' },
      env: { PROCSCOPE_TEST_DELAY_READY_MS: String(DELAY_READY_MS), PROCSCOPE_TEST_DELAY_WORKER_MS: String(DELAY_WORKER_MS) },
    });
    await vsc.page.context().addInitScript(CAPTURE_API);
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('host');
  for (const c of children) if (c.pid && alive(c.pid)) c.kill('SIGKILL');
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test(
  'the panel fills although its ready comes after the watchdog and the worker answers after the ready',
  { timeout: 150_000 },
  async () => {
    assert.ok(vsc);
    await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
    frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"] .row:not([hidden])').count()) > 0, 120_000);
    await rowOf(realNode.pid!).first().waitFor({ timeout: 30_000 });
    const log = procscopeLog(vsc);
    // The log proves the events crossed as intended, and that each step was logged.
    assert.match(log, /handshake: page 1 did not report ready within 4000 ms; loading page 2/, log);
    assert.match(log, /test hook: holding the worker's first answer for 4000 ms/, log);
    assert.match(log, /handshake: page \d+ said ready again/, 'the page repeated ready while the worker was held');
    assert.match(log, /handshake: the worker's first snapshot arrived; sending it to page \d+/);
    await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-host-handshake.png'));
  },
);

test('procscope.language ko: the panel speaks Korean with no Korean language pack installed', { timeout: 30_000 }, async () => {
  assert.ok(vsc);
  assert.ok(!vsc.listExtensions().some((e) => /language-pack/i.test(e)), 'no language pack is installed');
  assert.equal((await frame.locator('vscode-tab-header[data-tab="tab.details"]').innerText()).trim(), '상세');
  // The core's errors (English, naming the case exactly) reach the page in Korean, the core's words after.
  // A live pid under a key that is not its own: the waits reader finds no such process (NO_SUCH_PROCESS).
  const pid = realNode.pid!;
  const reply = await askHost(frame, 990_001, { kind: 'waits', pid, key: `${pid}@1` });
  assert.equal(reply?.ok, false);
  assert.match(reply?.error ?? '', /^프로세스가 없거나 이미 종료되었습니다\(.+\)$/, JSON.stringify(reply));
});

test('a sleep whose argv[0] is "node" is not offered "Attach debugger", and survives', { timeout: 60_000 }, async () => {
  const pid = disguised.pid!;
  await eventually('bash to exec sleep', () => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep');
  assert.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0], 'node');
  const key = keyOf(pid);
  await rowOf(pid).click();
  // The host decides from the executable and says so in the detail reply.
  await eventually("the host's detail reply for the disguised sleep", async () => (await detailReply(key)) !== undefined);
  assert.equal((await detailReply(key))?.nodeRuntime, false);
  const labels = await menuLabels(pid);
  assert.ok(
    labels.some((l) => l.includes('SIGTERM')),
    JSON.stringify(labels),
  );
  assert.ok(!labels.includes('디버거 연결'), `offered attach: ${JSON.stringify(labels)}`);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(alive(pid), true);
});

test(
  'a real node process is offered "Attach debugger", behind a Korean modal that names the inspector port',
  { timeout: 60_000 },
  async () => {
    assert.ok(vsc);
    const pid = realNode.pid!;
    const key = keyOf(pid);
    await rowOf(pid).click();
    await eventually("the host's detail reply for node", async () => (await detailReply(key))?.nodeRuntime === true);
    await rowOf(pid).click({ button: 'right' });
    await frame.locator('vscode-context-menu').getByText('디버거 연결', { exact: true }).click();
    const dialog = vsc.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.equal((await dialog.locator('.dialog-message-text').innerText()).trim(), `프로세스 ${pid}(node)에 디버거를 연결할까요?`);
    assert.match(await dialog.locator('.dialog-message-detail').innerText(), /SIGUSR1.*127\.0\.0\.1:9229/s);
    await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-host-attach-modal.png'));
    await dialog.getByRole('button', { name: /Cancel|취소/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(alive(pid), true);
    // Cancelled: no SIGUSR1 was sent, so no inspector listens for it.
    assert.equal(ownsListeningPort(pid, 9229), false, 'the process opened an inspector although the modal was cancelled');
  },
);

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

test('a SIGKILL confirmed after the pid changed hands reaches nothing; the host answers why', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  const old = spawn('sleep', ['300'], { cwd: workspace, stdio: 'ignore' });
  children.push(old);
  const pid = old.pid!;
  await new Promise((r) => setTimeout(r, 100)); // its successor will start in a later clock tick
  const key = keyOf(pid);
  // The request the panel's context menu sends, posted through the page's own API; the host opens its modal.
  await frame.evaluate(
    ([p, k]) => {
      const g = globalThis as unknown as { __procscopeApi: () => { postMessage(m: unknown): void } };
      g.__procscopeApi().postMessage({
        type: 'request',
        requestId: 910001,
        request: { kind: 'signal', pid: Number(p), key: k, signal: 'SIGKILL' },
      });
    },
    [String(pid), key] as const,
  );
  const dialog = vsc.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 15_000 });
  assert.equal((await dialog.locator('.dialog-message-text').innerText()).trim(), `프로세스 ${pid}(sleep)에 SIGKILL을(를) 보낼까요?`);
  // While the modal is open the process ends and a new one gets its pid.
  old.kill('SIGKILL');
  await exited(old);
  let successor: ChildProcess | undefined;
  for (let attempt = 0; attempt < 200 && !successor; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const next = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.push(next);
    if (next.pid === pid) successor = next;
    else next.kill('SIGKILL');
  }
  assert.ok(successor, `pid ${pid} was not handed to a new process`);
  assert.notEqual(keyOf(pid), key);
  await dialog.getByRole('button', { name: 'SIGKILL 보내기' }).click();
  await eventually(
    "the host's answer",
    async () =>
      await frame.evaluate(() =>
        (globalThis as unknown as { __procscopeMessages: { type: string; requestId?: number }[] }).__procscopeMessages.some(
          (m) => m.type === 'response' && m.requestId === 910001,
        ),
      ),
  );
  const reply = await frame.evaluate(() =>
    (
      globalThis as unknown as { __procscopeMessages: { type: string; requestId?: number; ok?: boolean; error?: string }[] }
    ).__procscopeMessages.find((m) => m.type === 'response' && m.requestId === 910001),
  );
  assert.equal(reply?.ok, false);
  assert.equal(reply?.error, `프로세스 ${pid}(sleep)은(는) 종료되었고 그 PID는 이제 다른 프로세스의 것입니다. 아무것도 보내지 않았습니다.`);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(alive(pid), true, 'the process that now holds the pid is alive');
  assert.equal(successor.signalCode, null);
});
