// The filter's look-ups end to end, in a real VS Code (code-server) from the packaged .vsix: typed in the
// panel's filter, validated by the real host, answered by the real worker over the real /proc. The test starts
// a python3 in the workspace folder that listens on an ephemeral TCP port and names one thread `psc-find-t`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { CAPTURE_API, startVsCode, type VsCode } from './harness';

const PROGRAM = `
import os, socket, sys, threading, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
def work():
    with open('/proc/self/task/%d/comm' % threading.get_native_id(), 'w') as f:
        f.write('psc-find-t')
    time.sleep(600)
threading.Thread(target=work, daemon=True).start()
time.sleep(0.5)
with open(sys.argv[1] + '.tmp', 'w') as f:
    f.write('%d %d' % (os.getpid(), s.getsockname()[1]))
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
time.sleep(600)
`;

let vsc: VsCode | undefined;
let workspace = '';
let program: ChildProcess | undefined;
let pid = 0;
let port = 0;
let frame: Frame;

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** The process rows that match the filter (context rows and the virtual list's recycled elements left out), by pid. */
async function matchedPids(): Promise<string[]> {
  return (await frame.locator('.row:not(.context-row):not(.thread-row):not([hidden]) .c-pid').allInnerTexts()).map((t) => t.trim());
}

before(
  async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-find-ws-')));
    writeFileSync(join(workspace, 'psc_find.py'), PROGRAM);
    const pidFile = join(workspace, 'pid.txt');
    program = spawn('python3', ['psc_find.py', pidFile], { cwd: workspace, stdio: 'ignore' });
    await eventually('the program to start', () => existsSync(pidFile), 15_000);
    [pid, port] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) as [number, number];
    vsc = await startVsCode({ workspace });
    await vsc.page.context().addInitScript(CAPTURE_API);
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('find');
  program?.kill('SIGKILL');
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('port: and thread: in the filter find exactly the program, through the real host and worker', { timeout: 180_000 }, async () => {
  assert.ok(vsc);
  await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
  frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"]').count()) > 0, 60_000);
  // "This workspace" (the default scope) holds the program: it runs in the workspace folder.
  await eventually(
    'the program in the table',
    async () => (await frame.locator('.row:not([hidden]) .c-pid', { hasText: new RegExp(`^\\s*${pid}\\s*$`) }).count()) > 0,
    30_000,
  );
  const field = frame.locator('#filter input');
  await field.fill(`port:${port}`);
  await eventually(
    'the look-up answer',
    async () => (await frame.locator('.lookup-note').innerText()).includes('processes found: 1'),
    30_000,
  );
  assert.deepEqual(await matchedPids(), [String(pid)]);
  assert.match(await frame.locator('.lookup-note').innerText(), new RegExp(`\\(${pid}\\): listens on TCP 127\\.0\\.0\\.1:${port}`));
  await field.fill('thread:PSC-FIND');
  await eventually(
    'the thread look-up answer',
    async () => (await frame.locator('.lookup-note').innerText()).includes('processes found: 1'),
    30_000,
  );
  assert.deepEqual(await matchedPids(), [String(pid)]);
  assert.match(await frame.locator('.lookup-note').innerText(), /: thread psc-find-t \(\d+\) in S/);
});

test('malformed look-up requests from the webview are refused by the host, each with its error', { timeout: 60_000 }, async () => {
  const hostile: unknown[] = [
    { type: 'request', requestId: 910001, request: { kind: 'lookup', terms: [{ kind: 'file', path: 'relative/path' }] } },
    {
      type: 'request',
      requestId: 910002,
      request: { kind: 'lookup', terms: Array.from({ length: 5 }, () => ({ kind: 'port', port: 80 })) },
    },
    { type: 'request', requestId: 910003, request: { kind: 'lookup', terms: [{ kind: 'exec', cmd: 'rm -rf /' }] } },
    { type: 'request', requestId: 910004, request: { kind: 'lookup', terms: [{ kind: 'thread', name: 'x'.repeat(100_000) }] } },
  ];
  await frame.evaluate((messages) => {
    const api = (globalThis as unknown as { __procscopeApi: () => { postMessage(m: unknown): void } }).__procscopeApi();
    for (const m of messages) api.postMessage(m);
  }, hostile);
  type Captured = { type: string; requestId?: number; ok?: boolean; error?: string };
  const responses = async (): Promise<Captured[]> =>
    frame.evaluate(() =>
      (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages.filter(
        (m) => m.type === 'response' && (m.requestId ?? 0) >= 910001,
      ),
    );
  await eventually('a response to each', async () => (await responses()).length === 4);
  const byId = new Map((await responses()).map((r) => [r.requestId, r]));
  for (const r of byId.values()) assert.equal(r.ok, false);
  assert.match(byId.get(910001)!.error!, /path must be absolute/);
  assert.match(byId.get(910002)!.error!, /terms must be a list of 1 to 4/);
  assert.match(byId.get(910003)!.error!, /kind must be one of/);
  assert.match(byId.get(910004)!.error!, /1 to 64 characters/);
});
