// The ProcScope panel end to end, in a real VS Code (code-server) from the packaged .vsix, driven as a user
// would: Command Palette, filter, click, keyboard, context menu, the host's modal confirmation.
//
// The test starts its own processes in the workspace folder: a python3 renamed `psc-e2e-main` with two
// threads named `psc-worker-a`/`psc-worker-b` that write into a pipe read by a child `psc-e2e-peer`, and a
// process whose name and argv are HTML/script.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { CAPTURE_API, repoRoot, startVsCode, type VsCode } from './harness';

const MAIN_NAME = 'psc-e2e-main';
const PEER_NAME = 'psc-e2e-peer';
const HTML_NAME = '<i>psc-html</i>'; // 15 bytes: comm's limit
const HTML_ARG = '<img src=x onerror="window.__procscopePwned=1">';

const PROGRAM = `
import os, subprocess, sys, threading, time

def rename(path, name):
    with open(path, 'w') as f:
        f.write(name)

rename('/proc/self/comm', sys.argv[1])
peer = subprocess.Popen([sys.executable, '-c', 'import sys\\nopen("/proc/self/comm", "w").write(sys.argv[1])\\nfor line in sys.stdin: pass', sys.argv[2]], stdin=subprocess.PIPE)

def work(name):
    rename('/proc/self/task/%d/comm' % threading.get_native_id(), name)
    while True:
        peer.stdin.write(b'tick\\n')
        peer.stdin.flush()
        time.sleep(0.5)

for name in ('psc-worker-a', 'psc-worker-b'):
    threading.Thread(target=work, args=(name,), daemon=True).start()
with open(sys.argv[3] + '.tmp', 'w') as f:
    f.write('%d %d' % (os.getpid(), peer.pid))
os.rename(sys.argv[3] + '.tmp', sys.argv[3])
time.sleep(600)
`;

const HTML_PROGRAM = `
import sys, time
open('/proc/self/comm', 'w').write(sys.argv[1])
open(sys.argv[3], 'w').close()
time.sleep(600)
`;

// A tree: psc-tree with two children, one of which has a child of its own (five processes counting the root).
const TREE_PROGRAM = `
import subprocess, sys, time
depth = int(sys.argv[1])
open('/proc/self/comm', 'w').write(['psc-tree', 'psc-tree-kid', 'psc-tree-gk'][depth])
for _ in range([2, 1, 0][depth]):
    subprocess.Popen([sys.executable, sys.argv[0], str(depth + 1)])
time.sleep(600)
`;

let vsc: VsCode | undefined;
let workspace = '';
let main: ChildProcess | undefined;
let htmlProc: ChildProcess | undefined;
let mainPid = 0;
let peerPid = 0;
let frame: Frame;

function alive(pid: number): boolean {
  try {
    // A zombie has ended too: only its parent has not collected it yet.
    return pid > 0 && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** The process row whose name cell reads exactly `name`. */
function processRow(name: string): Locator {
  // Hidden rows are the virtual list's recycled elements (stale content): only shown rows count.
  return frame
    .locator('.row:not(.thread-row):not([hidden])')
    .filter({ has: frame.locator('.name-text', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

async function startPrograms(): Promise<void> {
  writeFileSync(join(workspace, 'psc_e2e.py'), PROGRAM);
  writeFileSync(join(workspace, 'psc_html.py'), HTML_PROGRAM);
  // cwd inside the workspace folder: both belong to "This workspace". No stdio: the program's only channel
  // is its pipe to the peer (the pids come back through a file), so the IPC view shows just that.
  const pidFile = join(workspace, 'pids.txt');
  main = spawn('python3', ['psc_e2e.py', MAIN_NAME, PEER_NAME, pidFile], { cwd: workspace, stdio: 'ignore' });
  main.once('exit', (code) => {
    if (!mainPid) throw new Error(`the test program exited early (${code})`);
  });
  await eventually('the program to start', () => existsSync(pidFile), 15_000);
  const pids = readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
  mainPid = pids[0] ?? 0;
  peerPid = pids[1] ?? 0;
  assert.ok(mainPid > 0 && peerPid > 0, `the program wrote its pids: ${JSON.stringify(pids)}`);
  const ready = join(workspace, 'html.ready');
  htmlProc = spawn('python3', ['psc_html.py', HTML_NAME, HTML_ARG, ready], { cwd: workspace, stdio: 'ignore' });
  await eventually('the HTML-named process to start', () => existsSync(ready), 15_000);
}

before(
  async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-panel-ws-')));
    await startPrograms();
    vsc = await startVsCode({ workspace });
    await vsc.page.context().addInitScript(CAPTURE_API);
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('panel');
  for (const pid of [mainPid, peerPid, htmlProc?.pid ?? 0]) {
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('the panel opens from the Command Palette and lists the test\'s processes under "This workspace"', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
  frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"]').count()) > 0, 60_000);
  // "This workspace" is the default scope: the programs run in the workspace folder.
  await eventually(
    'the default scope from the settings',
    async () => (await frame.locator('[data-scope="workspace"]').getAttribute('aria-checked')) === 'true',
  );
  await processRow(MAIN_NAME).first().waitFor({ timeout: 30_000 });
  assert.equal((await processRow(MAIN_NAME).locator('.c-pid').innerText()).trim(), String(mainPid));
  assert.equal((await processRow(PEER_NAME).locator('.c-pid').innerText()).trim(), String(peerPid));
});

test('filtering and selecting the program shows its two named threads', { timeout: 60_000 }, async () => {
  await frame.locator('#filter input').fill('psc');
  await eventually(
    'the filter to leave only psc processes (and their context rows)',
    async () =>
      (await processRow(MAIN_NAME).count()) === 1 &&
      (await frame.locator('.row:not(.context-row):not(.thread-row):not([hidden])').count()) <= 3,
  );
  const row = processRow(MAIN_NAME);
  await row.click();
  assert.equal(await row.getAttribute('aria-selected'), 'true');
  await row.locator('[data-action="threads"]').click();
  await eventually(
    'thread rows for both workers',
    async () =>
      (await frame.locator('.thread-row:not([hidden]) .name-text').allInnerTexts()).filter((n) => n.startsWith('psc-worker-')).length === 2,
  );
  const threadNames = (await frame.locator('.thread-row:not([hidden]) .name-text').allInnerTexts()).sort();
  assert.deepEqual(threadNames, [MAIN_NAME, 'psc-worker-a', 'psc-worker-b']);
  // Each thread row shows its own LWP id, and they are the kernel's tids of our process.
  const tids = (await frame.locator('.thread-row:not([hidden]) .c-pid').allInnerTexts()).map(Number).sort((a, b) => a - b);
  const real = (await import('node:fs'))
    .readdirSync(`/proc/${mainPid}/task`)
    .map(Number)
    .sort((a, b) => a - b);
  assert.deepEqual(tids, real);
});

test('the IPC view shows the pipe from the program to its peer', { timeout: 60_000 }, async () => {
  await frame.locator('vscode-tab-header[data-tab="tab.ipc"]').click();
  const peerNode = frame.locator(`g.ipc-node[data-pid="${peerPid}"]`);
  await peerNode.waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator(`g.ipc-node.selected[data-pid="${mainPid}"]`).count(), 1);
  const titles = await frame.locator('path.ipc-edge.kind-pipe title').allTextContents();
  const pipe = titles.find((t) => t.includes(`(${mainPid}) → `) && t.includes(`(${peerPid})`));
  assert.ok(pipe, `a directed pipe edge ${mainPid} → ${peerPid}; edges: ${JSON.stringify(titles)}`);
});

interface Captured {
  readonly type: string;
  readonly requestId?: number;
  readonly ok?: boolean;
  readonly error?: string;
}

test('hostile messages from the webview are refused by the host, which keeps serving the panel', { timeout: 60_000 }, async () => {
  const hostile: unknown[] = [
    { type: 'request', requestId: 900001, request: { kind: 'signal', pid: mainPid, key: `${mainPid}@1`, signal: 'SIGSEGV' } },
    { type: 'request', requestId: 900002, request: { kind: 'signal', pid: mainPid, key: `${mainPid}@1`, signal: 'SIGKILL', all: true } },
    { type: 'request', requestId: 900003, request: { kind: 'renice', pid: mainPid, key: `${mainPid}@1`, nice: -100 } },
    { type: 'request', requestId: 900004, request: { kind: 'detail', pid: '1; rm -rf /', key: '1@1' } },
    'rm -rf /',
    null,
    { type: 'eval', code: 'process.exit(1)' },
  ];
  const before = await frame.evaluate((messages) => {
    const g = globalThis as unknown as { __procscopeApi: () => { postMessage(m: unknown): void }; __procscopeMessages: unknown[] };
    const api = g.__procscopeApi();
    // Prototype pollution needs an own "__proto__" key, which only JSON.parse makes.
    api.postMessage(JSON.parse('{"type":"request","requestId":900005,"request":{"kind":"detail","pid":1,"__proto__":{"polluted":true}}}'));
    for (const m of messages) api.postMessage(m);
    return g.__procscopeMessages.length;
  }, hostile);
  await eventually('an error response to each hostile request', async () => {
    const got = await frame.evaluate(
      () =>
        (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages.filter(
          (m) => m.type === 'response' && (m.requestId ?? 0) >= 900001,
        ).length,
    );
    return got === 5;
  });
  const responses = await frame.evaluate(() =>
    (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages
      .filter((m) => m.type === 'response' && (m.requestId ?? 0) >= 900001)
      .map((m) => ({ id: m.requestId, ok: m.ok, error: m.error })),
  );
  const byId = new Map(responses.map((r) => [r.id, r]));
  assert.equal(responses.length, 5, 'exactly one response per request');
  for (const r of responses) assert.equal(r.ok, false);
  assert.match(byId.get(900001)!.error!, /signal must be one of SIGTERM/);
  assert.match(byId.get(900002)!.error!, /unknown field "all"/);
  assert.match(byId.get(900003)!.error!, /nice must be an integer from -20 to 19/);
  assert.match(byId.get(900004)!.error!, /pid must be an integer/);
  assert.match(byId.get(900005)!.error!, /forbidden key "__proto__"/);
  assert.equal(alive(mainPid), true, 'nothing was sent to the program');
  // The host is still serving the panel: deltas keep arriving after the attack.
  await eventually('a delta after the hostile messages', async () =>
    frame.evaluate(
      (n) => (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages.slice(n).some((m) => m.type === 'delta'),
      before,
    ),
  );
});

test('a page that floods the host: one confirmation dialog at a time, at most 32 requests unanswered', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  const stat = readFileSync(`/proc/${mainPid}/stat`, 'utf8');
  const key = `${mainPid}@${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  const signal = { kind: 'signal', pid: mainPid, key, signal: 'SIGTERM' };
  const details = Array.from({ length: 60 }, (_, i) => ({
    type: 'request',
    requestId: 910100 + i,
    request: { kind: 'detail', pid: mainPid, key },
  }));
  const post = (messages: unknown[]): Promise<void> =>
    frame.evaluate((list) => {
      const api = (globalThis as unknown as { __procscopeApi: () => { postMessage(m: unknown): void } }).__procscopeApi();
      for (const m of list) api.postMessage(m);
    }, messages);
  const responses = (from: number, to: number): Promise<Captured[]> =>
    frame.evaluate(
      ([lo, hi]) =>
        (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages.filter(
          (m) => m.type === 'response' && (m.requestId ?? 0) >= lo && (m.requestId ?? 0) < hi,
        ),
      [from, to] as const,
    );
  try {
    // The first signal opens the modal and stays unanswered while it is open; the second, and the details,
    // come in while it is.
    await post([{ type: 'request', requestId: 910000, request: signal }]);
    await vsc.page.locator('.monaco-dialog-box').waitFor({ timeout: 15_000 });
    await post([{ type: 'request', requestId: 910001, request: signal }, ...details]);
    await eventually(
      'a response to the second signal and to each of the 60 details',
      async () => (await responses(910001, 910200)).length === 61,
      60_000,
    );
    const second = (await responses(910001, 910002))[0]!;
    assert.equal(second.ok, false);
    assert.match(second.error!, /Another action is waiting for your answer/);
    assert.equal((await vsc.dialogTexts()).length, 1, 'one dialog, not one per message');

    const answered = await responses(910100, 910200);
    assert.equal(new Set(answered.map((r) => r.requestId)).size, 60, 'exactly one response per request');
    const refused = answered.filter((r) => r.ok === false);
    for (const r of refused) assert.match(r.error!, /^Too many requests at once \(32 unanswered\); this one was not run\.$/);
    assert.ok(refused.length > 0, 'with 60 sent at once, some were refused');
    assert.ok(answered.length - refused.length >= 31, 'the first 31 (with the open signal, 32) were run');
    assert.equal((await responses(910000, 910001)).length, 0, 'the signal waits for the dialog');
  } finally {
    const dialog = vsc.page.locator('.monaco-dialog-box');
    if (await dialog.isVisible()) {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
  }
  await eventually('the cancelled signal answered', async () => (await responses(910000, 910001)).length === 1);
  assert.equal(alive(mainPid), true, 'nothing was sent: the dialog was cancelled');
  // The limit counts what is unanswered, not what was ever asked: a new request runs.
  await post([{ type: 'request', requestId: 910300, request: { kind: 'detail', pid: mainPid, key } }]);
  await eventually('a detail after the flood', async () => (await responses(910300, 910301)).length === 1);
  assert.equal((await responses(910300, 910301))[0]!.ok, true);

  // Messages that ask for work early (a whole snapshot, a poll for newly watched threads) are coalesced: 300
  // of each in a loop give a few snapshots and polls, not 300.
  const count = (type: string): Promise<number> =>
    frame.evaluate(
      (t) => (globalThis as unknown as { __procscopeMessages: Captured[] }).__procscopeMessages.filter((m) => m.type === t).length,
      type,
    );
  const [snapshots, deltas] = [await count('snapshot'), await count('delta')];
  const started = Date.now();
  await post(
    Array.from({ length: 300 }, (_, i) => [{ type: 'resync' }, { type: 'watchThreads', pids: [i % 2 === 0 ? mainPid : peerPid] }]).flat(),
  );
  await new Promise((r) => setTimeout(r, 2000));
  const seconds = (Date.now() - started) / 1000;
  const [moreSnapshots, moreDeltas] = [(await count('snapshot')) - snapshots, (await count('delta')) - deltas];
  assert.ok(moreSnapshots >= 1, 'a resync is answered');
  assert.ok(moreSnapshots <= Math.ceil(seconds * 4) + 1, `${moreSnapshots} whole snapshots in ${seconds} s`);
  assert.ok(moreDeltas <= Math.ceil(seconds * 4) + 1, `${moreDeltas} polls in ${seconds} s`);
});

/** Picks a color theme as a user would (Preferences: Color Theme) and waits until the workbench wears it. */
async function pickTheme(label: 'Dark Modern' | 'Light Modern'): Promise<void> {
  const page = vsc!.page;
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await input.fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: /^Preferences: Color Theme/ })
    .first()
    .click();
  await input.fill(label);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: `Default ${label}` })
    .first()
    .click();
  const themeClass = `vscode-theme-defaults-themes-${label.toLowerCase().replace(' ', '_')}-json`;
  await eventually(`the ${label} theme`, async () => (await page.locator(`.monaco-workbench.${themeClass}`).count()) > 0);
  await new Promise((r) => setTimeout(r, 1000)); // the webview receives the new --vscode-* variables
}

test('screenshots of the panel in the dark and light themes', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  const dark = join(repoRoot, 'docs', 'images', 'panel-dark.png');
  const light = join(repoRoot, 'docs', 'images', 'panel-light.png');
  // Dark: the IPC graph of the selected program (threads expanded on the left).
  await pickTheme('Dark Modern');
  await vsc.screenshot(dark);
  // Light: the PCB detail pane of the same process.
  await pickTheme('Light Modern');
  await frame.locator('vscode-tab-header[data-tab="tab.details"]').click();
  await new Promise((r) => setTimeout(r, 1500)); // the detail request round trip
  await vsc.screenshot(light);
  for (const file of [dark, light]) {
    const png = readFileSync(file);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), 1400, 'the whole 1400 px wide window');
  }
});

test('the PCB detail pane scrolls with the mouse wheel down to its last section, inside the window', { timeout: 60_000 }, async () => {
  assert.ok(vsc);
  await frame.locator('vscode-tab-header[data-tab="tab.details"]').click();
  const last = frame.locator('.detail-pane vscode-collapsible[data-section="more"]');
  await last.waitFor({ timeout: 20_000 });
  const sizes = await frame.evaluate(() => {
    const panel = document.querySelector('.detail-pane')!.closest('vscode-tab-panel') as HTMLElement;
    return {
      scrollHeight: panel.scrollHeight,
      clientHeight: panel.clientHeight,
      page: document.documentElement.scrollHeight,
      window: window.innerHeight,
    };
  });
  assert.ok(sizes.scrollHeight > sizes.clientHeight, `the detail pane scrolls (${sizes.scrollHeight} > ${sizes.clientHeight})`);
  assert.ok(sizes.page <= sizes.window, `the panel page is no taller than its frame (${sizes.page} ≤ ${sizes.window})`);
  // The wheel over the pane, as a user scrolls it (coordinates of the main page: the frame is nested).
  const box = await frame.locator('.detail-pane').boundingBox();
  assert.ok(box);
  await vsc.page.mouse.move(box.x + box.width / 2, box.y + 60);
  for (let i = 0; i < 60; i++) await vsc.page.mouse.wheel(0, 400);
  await eventually('the detail pane to reach its end', () =>
    frame.evaluate(() => {
      const panel = document.querySelector('.detail-pane')!.closest('vscode-tab-panel') as HTMLElement;
      return panel.scrollTop > 0 && panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 1;
    }),
  );
  const seen = await last.evaluate((section) => {
    // The section's last row (the section itself may be taller than the pane).
    const r = [...section.querySelectorAll('.kv')].pop()!.getBoundingClientRect();
    const panel = (section.closest('vscode-tab-panel') as HTMLElement).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, panelTop: panel.top, panelBottom: panel.bottom, window: window.innerHeight };
  });
  assert.ok(
    seen.top >= seen.panelTop && seen.bottom <= seen.panelBottom + 1,
    `the last section's last row is in view (${seen.top}–${seen.bottom} in ${seen.panelTop}–${seen.panelBottom})`,
  );
  assert.ok(seen.panelBottom <= seen.window, `the pane ends inside the frame (${seen.panelBottom} ≤ ${seen.window})`);
});

test('a process named like HTML shows as literal text and runs nothing', { timeout: 60_000 }, async () => {
  const row = processRow(HTML_NAME);
  await row.waitFor({ timeout: 20_000 });
  assert.equal(await row.locator('.name-text').innerText(), HTML_NAME);
  assert.equal(await row.locator('.name-text i').count(), 0, 'no <i> element was created from the name');
  assert.match(await row.locator('.c-cmd').innerText(), new RegExp(HTML_ARG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await frame.locator('.c-cmd img').count(), 0, 'no <img> element was created from the command line');
  assert.equal(await frame.evaluate(() => (window as unknown as { __procscopePwned?: number }).__procscopePwned), undefined);
});

test('SIGTERM from the context menu asks first; cancelling leaves the process running', { timeout: 60_000 }, async () => {
  assert.ok(vsc);
  const row = processRow(HTML_NAME);
  await row.click({ button: 'right' });
  const menuItem = frame.locator('vscode-context-menu').getByText('Send SIGTERM', { exact: true });
  await menuItem.click();
  const dialog = vsc.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 15_000 });
  assert.equal(
    (await dialog.locator('.dialog-message-text').innerText()).trim(),
    `Send SIGTERM to process ${htmlProc!.pid} (${HTML_NAME})?`,
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(alive(htmlProc!.pid!), true);
  assert.equal(await processRow(HTML_NAME).count(), 1);
});

/** pid and its descendants, from /proc. */
function treeOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out = [root];
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (out.includes(ppid) && !out.includes(pid)) {
        out.push(pid);
        grew = true;
      }
  }
  return out;
}

test('Kill process tree asks with the count, then ends exactly that tree', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  writeFileSync(join(workspace, 'psc_tree.py'), TREE_PROGRAM);
  const tree = spawn('python3', ['psc_tree.py', '0'], { cwd: workspace, stdio: 'ignore' });
  let pids: number[] = [];
  try {
    await eventually('the tree to reach five processes', () => (pids = treeOf(tree.pid!)).length === 5, 15_000);
    const named = (p: number): boolean => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('psc-tree');
      } catch {
        return false;
      }
    };
    await eventually('every process of the tree to be named', () => pids.every(named), 15_000);
    // The host acts on the tree its newest poll saw: wait until the panel shows all five.
    await eventually(
      "the tree's rows",
      async () =>
        (await processRow('psc-tree').count()) === 1 &&
        (await processRow('psc-tree-kid').count()) === 2 &&
        (await processRow('psc-tree-gk').count()) === 2,
      30_000,
    );
    await processRow('psc-tree').click({ button: 'right' });
    await frame.locator('vscode-context-menu').getByText('Kill process tree (SIGTERM)', { exact: true }).click();
    const dialog = vsc.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.equal(
      (await dialog.locator('.dialog-message-text').innerText()).trim(),
      `Send SIGTERM to process ${tree.pid} (psc-tree) and its descendants: 5 processes?`,
    );
    assert.match(await dialog.innerText(), /psc-tree-gk/, 'the dialog names the first members');
    await dialog.getByRole('button', { name: 'Send SIGTERM to 5 processes' }).click();
    await eventually('every process of the tree to end', () => pids.every((p) => !alive(p)));
    await eventually('the counts in the status bar', async () =>
      /SIGTERM sent to 5 of 5 processes/.test(await frame.locator('.statusbar').innerText()),
    );
    // Unrelated processes, started by this test too, still run.
    assert.equal(alive(htmlProc!.pid!), true);
    assert.equal(alive(mainPid), true);
  } finally {
    // A failed assertion must not leave the modal open over the next test.
    const open = vsc.page.locator('.monaco-dialog-box');
    if (await open.isVisible())
      await open
        .getByRole('button', { name: 'Cancel' })
        .click()
        .catch(() => undefined);
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
  }
});

test('SIGTERM by keyboard (Delete) with the modal confirmed ends the program, and its row goes', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  await frame.locator('vscode-tab-header[data-tab="tab.details"]').click();
  const row = processRow(MAIN_NAME);
  await row.click();
  await frame.locator('[role="treegrid"]').press('Delete');
  const dialog = vsc.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 15_000 });
  assert.equal((await dialog.locator('.dialog-message-text').innerText()).trim(), `Send SIGTERM to process ${mainPid} (${MAIN_NAME})?`);
  await dialog.getByRole('button', { name: 'Send SIGTERM' }).click();
  await eventually('the program to exit', () => !alive(mainPid));
  // Its peer reads EOF on the pipe and exits too.
  await eventually('the peer to exit', () => !alive(peerPid));
  await eventually("the program's row to disappear", async () => (await processRow(MAIN_NAME).count()) === 0, 30_000);
  await eventually("the peer's row to disappear", async () => (await processRow(PEER_NAME).count()) === 0, 30_000);
  assert.match(await frame.locator('.statusbar').innerText(), new RegExp(`SIGTERM sent to ${MAIN_NAME} \\(${mainPid}\\)`));
  // The HTML-named process, untouched, is still listed.
  assert.equal(await processRow(HTML_NAME).count(), 1);
});

test('hidden behind another editor and shown again, the panel comes back filled (a new handshake)', { timeout: 60_000 }, async () => {
  assert.ok(vsc);
  const page = vsc.page;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('psc_html.py');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'psc_html.py' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'psc_html.py' }).waitFor();
  // retainContextWhenHidden is off: hiding the panel destroys its page.
  await eventually(
    "the panel's page to go",
    () =>
      frame.isDetached() ||
      frame
        .locator('[role="treegrid"]')
        .count()
        .then(
          (n) => n === 0,
          () => true,
        ),
  );
  await page.locator('.tab', { hasText: 'ProcScope' }).click();
  frame = await vsc.webviewFrame(
    async (f) => (await f.locator('.row:not([hidden]) .name-text', { hasText: HTML_NAME }).count()) > 0,
    60_000,
  );
  assert.equal(await frame.locator('.row:not([hidden]) .name-text', { hasText: HTML_NAME }).count(), 1);
});

test('the panel survives a window reload (its serializer restores it)', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  await vsc.runCommand('Developer: Reload Window', 30_000);
  await vsc.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  const restored = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"] .row:not([hidden])').count()) > 0, 90_000);
  assert.equal(await vsc.page.locator('.tab', { hasText: 'ProcScope' }).count(), 1);
  assert.ok((await restored.locator('[role="treegrid"] .row:not([hidden])').count()) > 0);
});

test('a setting changed in the Settings editor applies to the open panel at once', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  const page = vsc.page;
  await vsc.runCommand('Preferences: Open Settings (UI)');
  await page.locator('.settings-editor').first().waitFor();
  // Settings on the right, the panel visible on the left.
  await vsc.runCommand('View: Split Editor Right');
  await vsc.runCommand('ProcScope: Open Process Explorer');
  frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"] .row:not([hidden])').count()) > 0, 60_000);
  await frame.locator('[data-scope="all"]').click();
  await frame.locator('#filter input').fill('kthreadd');
  const kthreadd = frame.locator('.row:not([hidden]) .name-text', { hasText: /^kthreadd$/ });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await kthreadd.count(), 0, 'kernel threads are hidden by default');
  assert.equal(
    await frame.locator('vscode-checkbox.kernel-toggle').evaluate((e) => (e as HTMLElement & { checked: boolean }).checked),
    false,
  );

  const settings = page.locator('.settings-editor:visible').first();
  await settings.locator('.search-container').click();
  await page.keyboard.type('procscope.showKernelThreads');
  const item = settings.locator('.setting-item-contents', { hasText: 'kernel threads' }).first();
  await item.locator('.setting-value-checkbox').click();
  await eventually("the panel's kernel-threads toggle to follow the setting", async () =>
    frame.locator('vscode-checkbox.kernel-toggle').evaluate((e) => (e as HTMLElement & { checked: boolean }).checked),
  );
  await eventually('kthreadd to be listed', async () => (await kthreadd.count()) === 1);
});
