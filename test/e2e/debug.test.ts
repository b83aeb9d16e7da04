// Debug sessions, terminals and traced-stopped threads in a real VS Code (code-server + headless Chromium).
// A Node program that spawns a child process and a worker thread runs under the built-in JavaScript debugger
// (js-debug, which sends no systemProcessId) and stops at a `debugger` statement; the open ProcScope panel
// must find it through the process tree, select it, show its child and its worker's LWP and the label
// "Debug: <session name>"; when the session ends the label goes. A terminal the test opens appears under
// "This workspace" with its shell's pid; a program held by gdb shows state `t` with its meaning.
//
// PROCSCOPE_RECORD_DAP=/dir (passed through to the extension host) records the sessions' DAP messages:
// that is how test/fixtures/dap/ was made. PROCSCOPE_E2E_DEBUG_CONSOLE=integratedTerminal launches the program
// in the debug terminal instead (js-debug then asks VS Code to runInTerminal).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { alive, hasSelector, repoRoot, startVsCode, type VsCode } from './harness';

const SESSION_NAME = 'Debug fork and worker';
const programs = join(repoRoot, 'test', 'e2e', 'programs', 'debuggee');
const consoleKind = process.env.PROCSCOPE_E2E_DEBUG_CONSOLE ?? 'internalConsole';

let vsc: VsCode | undefined;
let workspace = '';
const started: ChildProcess[] = [];

interface DebuggeeInfo {
  readonly pid: number;
  readonly childPid: number;
  readonly workerTid: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** The panel's webview frame, looked up afresh: the frame is re-created whenever the panel was hidden. */
function panel(): Promise<Frame> {
  return vsc!.webviewFrame(hasSelector('body[data-procscope] .row'), 30_000);
}

interface RowView {
  pid: number;
  name: string;
  label: string;
  state: string;
  stateTitle: string;
  selected: boolean;
  thread: boolean;
  exited: boolean;
}

/** The panel's process and thread rows as the user sees them: pid/tid, name, label, state, selected, thread row. */
async function rows(): Promise<RowView[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rowsIn(await panel());
    } catch (error) {
      if (attempt >= 3 || !/detached|navigat/i.test(String(error))) throw error;
    }
  }
}

async function rowsIn(f: Frame): Promise<RowView[]> {
  // The virtual list keeps spare row elements hidden (with their last content): only shown rows count.
  return f.locator('.row:not([hidden])').evaluateAll((els) =>
    els.map((e) => ({
      pid: Number(e.querySelector('.c-pid')?.textContent ?? 'NaN'),
      name: e.querySelector('.name-text')?.textContent ?? '',
      label:
        (e.querySelector('.ws-label') as HTMLElement | null)?.hidden === false ? (e.querySelector('.ws-label')?.textContent ?? '') : '',
      state: e.querySelector('.c-state .state-badge')?.textContent ?? '',
      stateTitle: (e.querySelector('.c-state .state-badge') as HTMLElement | null)?.title ?? '',
      selected: e.getAttribute('aria-selected') === 'true',
      thread: e.classList.contains('thread-row'),
      exited: e.classList.contains('is-exited'),
    })),
  );
}

function ppidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The extension's own log (the "ProcScope" output channel), for failure messages. */
function procScopeLog(): string {
  const logs = join(vsc!.userDataDir, 'logs');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'ProcScope.log') found.push(join(dir, e.name));
    }
  };
  if (existsSync(logs)) walk(logs);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'procscope-debug-ws-'));
    for (const f of ['main.js', 'child.js', 'worker.js']) copyFileSync(join(programs, f), join(workspace, f));
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, '.vscode', 'launch.json'),
      JSON.stringify(
        {
          version: '0.2.0',
          configurations: [
            {
              type: 'node',
              request: 'launch',
              name: SESSION_NAME,
              program: '${workspaceFolder}/main.js',
              args: ['${workspaceFolder}/debuggee.json'],
              console: consoleKind,
            },
          ],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(workspace, '.vscode', 'tasks.json'),
      JSON.stringify(
        {
          version: '2.0.0',
          tasks: [
            {
              label: 'build',
              type: 'process',
              command: 'sleep',
              args: ['61'],
              problemMatcher: [],
              group: { kind: 'build', isDefault: true },
            },
          ],
        },
        null,
        2,
      ),
    );
    vsc = await startVsCode({
      workspace,
      settings: {
        'terminal.integrated.defaultProfile.linux': 'bash',
        'procscope.refreshInterval': 500,
        'debug.openDebug': 'neverOpen',
        'debug.internalConsoleOptions': 'neverOpen',
      },
    });
    // main.js open in the first editor group and the panel in a second one: when the debugger stops, VS Code
    // shows the source in the first group and the panel stays visible (a hidden webview is destroyed).
    await vsc.page.keyboard.press('Control+P');
    await vsc.page.locator('.quick-input-widget input').fill('main.js');
    await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'main.js' }).first().click();
    await vsc.page.locator('.tabs-container .tab', { hasText: 'main.js' }).waitFor({ state: 'visible' });
    await vsc.runCommand('View: Split Editor Right');
    await vsc.page.locator('.editor-group-container').nth(1).waitFor({ state: 'visible' });
    await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
    await vsc.webviewFrame(hasSelector('body[data-procscope] .row'), 60_000);
    // Back to the first group with the mouse (keys pressed now would go to the webview).
    await vsc.page.locator('.editor-group-container').first().locator('.tab', { hasText: 'main.js' }).click();
  },
  { timeout: 300_000 },
);

after(async () => {
  for (const c of started) if (c.pid && alive(c.pid)) process.kill(c.pid, 'SIGKILL');
  if (vsc) await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-debug.png')).catch(() => undefined);
  await vsc?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

// A test that fails half-way must not hand its debug session, or a dialog it left open, to the next test
// (a second start of a running configuration asks "already running. Start another instance?").
afterEach(async () => {
  if (!vsc) return;
  await clearDialogs('the end of a test');
  await vsc.page.keyboard.press('Escape').catch(() => undefined);
  if (
    await vsc.page
      .locator('.debug-toolbar')
      .isVisible()
      .catch(() => false)
  ) {
    await vsc.runCommand('Debug: Stop').catch(() => undefined);
    await vsc.page
      .locator('.debug-toolbar')
      .waitFor({ state: 'hidden', timeout: 30_000 })
      .catch(() => undefined);
  }
});

/** The pids the debuggee wrote, once the whole file is there (it may be read while still being written). */
function debuggeeInfo(path: string): DebuggeeInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DebuggeeInfo;
  } catch {
    return undefined; // not there yet, or half written
  }
}

test(
  "a js-debug session: the panel selects the debuggee, labels it, shows its child and its worker's LWP; the label goes when the session ends",
  { timeout: 240_000 },
  async () => {
    assert.ok(vsc);
    // The palette runs its top row, and "Debug: Start Debugging" ranks below "Select and Start": pick the
    // configuration in the list that command opens.
    await vsc.runCommand('Debug: Select and Start Debugging');
    await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: SESSION_NAME }).first().click({ timeout: 30_000 });
    const infoPath = join(workspace, 'debuggee.json');
    const info = await waitFor('the debuggee to report its pids', () => debuggeeInfo(infoPath), 90_000);
    // It is stopped at the `debugger` statement now: js-debug shows the paused call stack.
    await vsc.page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 30_000 });

    const label = `Debug: ${SESSION_NAME}`;
    // Selected at the focus message; its label comes with the workspace update of the same tick or the next
    // (on a loaded machine the row can show its folder label for a tick first).
    const selected = await waitFor(
      'the debuggee row to be selected and labelled with the session',
      async () => (await rows()).find((r) => r.selected && !r.thread && r.pid === info.pid && r.label === label),
      30_000,
    ).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}; rows: ${JSON.stringify((await rows()).filter((r) => r.label !== '' || r.selected))}; ProcScope log:\n${procScopeLog().slice(-3000)}`,
      );
    });
    assert.equal(selected.label, label);
    assert.equal(selected.name, 'node');
    assert.match((await (await panel()).locator('.notice').allInnerTexts()).join('\n'), new RegExp(`Focused: ${label}`));

    const child = await waitFor('the child process row', async () => (await rows()).find((r) => !r.thread && r.pid === info.childPid));
    // A descendant of the debuggee carries the session's label too (it belongs to the session).
    assert.equal(child.label, label);
    // js-debug's bootloader starts its watchdog inside the debuggee's subtree: it is the debugger's, not the session's.
    const cmdline = (pid: number): string => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    };
    const labelledWatchdogs = (await rows()).filter((r) => r.label === label && /js-debug[^\0]*watchdog\.js/.test(cmdline(r.pid)));
    assert.deepEqual(labelledWatchdogs, [], 'a js-debug watchdog is labelled as the debuggee');

    await (await panel()).locator('.row[aria-selected="true"] [data-action="threads"]').click();
    const worker = await waitFor("the worker thread's LWP row", async () =>
      (await rows()).find((r) => r.thread && r.pid === info.workerTid),
    );
    assert.equal(worker.thread, true);
    const mainThread = (await rows()).find((r) => r.thread && r.pid === info.pid);
    assert.ok(mainThread, 'the main thread (tid = pid) is listed among the threads');

    // Continue: the program ends its child and worker and exits; the session ends.
    await vsc.page.locator('.debug-toolbar .codicon-debug-continue').click();
    await waitFor('the debuggee to exit', () => (alive(info.pid) ? undefined : true), 30_000);
    await vsc.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    await waitFor('the session label to go', async () => ((await rows()).some((r) => r.label === label) ? undefined : true), 15_000).catch(
      async (error: unknown) => {
        const labelled = (await rows()).filter((r) => r.label === label).map((r) => ({ ...r, ppid: ppidOf(r.pid) }));
        const frames = [];
        for (const fr of vsc!.page.frames()) {
          if (fr.isDetached()) continue;
          const n = await fr
            .locator('body[data-procscope] .row')
            .count()
            .catch(() => -1);
          if (n > 0)
            frames.push({
              url: fr.url().slice(0, 80),
              rows: n,
              count: await fr
                .locator('body')
                .evaluate((b) => (b as HTMLElement).innerText.match(/\d+ processes[^\n]*/)?.[0] ?? '')
                .catch(() => '?'),
            });
        }
        await vsc!.screenshot(join(repoRoot, 'test-results', 'e2e-debug-label.png'));
        throw new Error(
          `${String(error)}; frames: ${JSON.stringify(frames)}; labelled rows: ${JSON.stringify(labelled)}; ProcScope log:\n${procScopeLog().slice(-3000)}`,
        );
      },
    );
    assert.equal((await rows()).filter((r) => r.label === label).length, 0);
    // The "Focused" banner of the session goes with it.
    await waitFor(
      'the Focused banner to go',
      async () => ((await (await panel()).locator('.notice').allInnerTexts()).join('\n').includes(`Focused: ${label}`) ? undefined : true),
      15_000,
    );
  },
);

test('a terminal the test opens appears under "This workspace" as "Terminal: bash" with its shell pid', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  const pidFile = join(workspace, 'shell.pid');
  await vsc.runCommand('Terminal: Create New Terminal');
  const input = vsc.page.locator('.terminal-wrapper.active .xterm-helper-textarea, .xterm-helper-textarea').first();
  await input.waitFor({ state: 'attached', timeout: 30_000 });
  const shellPid = await waitFor(
    'the shell to write its pid',
    async () => {
      if (existsSync(pidFile)) {
        const text = readFileSync(pidFile, 'utf8').trim();
        if (/^\d+$/.test(text)) return Number(text);
      }
      await input.focus();
      await vsc!.page.keyboard.type(`echo $$ > ${pidFile}\n`);
      await sleep(1000);
      return undefined;
    },
    60_000,
  );
  // Its cwd makes it a member at once ("Folder: …"); the terminal's label follows once VS Code has given the
  // host the terminal's process id, which on a loaded machine can be a tick or two later.
  const row = await waitFor(
    'the shell row labelled as the terminal',
    async () => (await rows()).find((r) => !r.thread && r.pid === shellPid && r.label === 'Terminal: bash'),
    30_000,
  ).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; the shell's row: ${JSON.stringify((await rows()).find((r) => r.pid === shellPid))}`);
  });
  assert.equal(row.label, 'Terminal: bash');
  assert.equal(row.name, 'bash');
});

test('a program held by gdb shows its threads as traced-stopped (t) with the meaning of the letter', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  // Started in the workspace folder, so it belongs to "This workspace" through its cwd.
  const program = spawn('sleep', ['60'], { cwd: workspace, stdio: 'ignore' });
  started.push(program);
  const pid = program.pid!;
  // gdb attaches with ptrace and holds the program stopped while it runs its `shell sleep`.
  const gdb = spawn('gdb', ['-nx', '-batch', '-p', String(pid), '-ex', 'shell sleep 20'], { stdio: 'ignore' });
  started.push(gdb);
  await waitFor(
    'the kernel to report state t',
    () => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 't' ? true : undefined;
    },
    30_000,
  );
  const row = await waitFor(
    'the traced-stopped row',
    async () => (await rows()).find((r) => !r.thread && r.pid === pid && r.state === 't'),
    30_000,
  );
  assert.equal(row.stateTitle, 't: Stopped by a debugger');
  assert.match(row.label, /^Folder: /);
  gdb.kill('SIGKILL');
  program.kill('SIGKILL');
});

// ---- the panel closed: "ProcScope: Reveal Debuggee", and the setting procscope.openOnDebugStart ----

async function startSession(): Promise<DebuggeeInfo> {
  const page = vsc!.page;
  const infoPath = join(workspace, 'debuggee.json');
  rmSync(infoPath, { force: true });
  await vsc!.runCommand('Debug: Select and Start Debugging');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: SESSION_NAME }).first().click({ timeout: 30_000 });
  const info = await waitFor('the debuggee to report its pids', () => debuggeeInfo(infoPath), 90_000);
  await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 30_000 });
  // Stopped at the `debugger` statement, VS Code shows that line in an editor and moves the focus there: wait
  // until it has, so the focus does not move under the next command.
  await page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ state: 'visible', timeout: 30_000 });
  return info;
}

async function endSession(info: DebuggeeInfo): Promise<void> {
  await vsc!.page.locator('.debug-toolbar .codicon-debug-continue').click();
  await waitFor('the debuggee to exit', () => (alive(info.pid) ? undefined : true), 30_000);
  await vsc!.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
}

const procScopeTab = () => vsc!.page.locator('.tabs-container .tab', { hasText: 'ProcScope' });

/**
 * Clicks a row of the panel. If the row cannot be clicked for a while, the run prints why (the row's box, the
 * visibility of the frames around it, which tabs are shown) and saves a screenshot, then shows the panel's tab
 * again and tries once more.
 */
async function clickRow(row: Locator, button: 'left' | 'right'): Promise<void> {
  try {
    await row.click({ button, timeout: 10_000 });
    return;
  } catch (error) {
    const page = vsc!.page;
    const box = await row.boundingBox().catch((e: unknown) => String(e));
    const styles = await row
      .evaluate((e) => {
        const chain: string[] = [];
        for (let n: Element | null = e; n; n = n.parentElement) {
          const s = getComputedStyle(n);
          const r = n.getBoundingClientRect();
          chain.push(`${n.tagName.toLowerCase()}.${[...n.classList].join('.')} ${s.display}/${s.visibility} ${r.width}x${r.height}`);
        }
        return `${document.visibilityState}; ${chain.join(' < ')}`;
      })
      .catch((e: unknown) => String(e));
    const frames = await page
      .locator('iframe')
      .evaluateAll((els) =>
        els.map((e) => {
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          return `${e.className}:${s.display}/${s.visibility} ${r.width}x${r.height}@${r.x},${r.y}`;
        }),
      )
      .catch((e: unknown) => String(e));
    const tabs = await page
      .locator('.editor-group-container')
      .evaluateAll((groups) => groups.map((g) => g.querySelector('.tab.active')?.textContent?.trim() ?? ''))
      .catch((e: unknown) => String(e));
    console.error(
      `[e2e] a ${button} click on a row failed: ${String(error).split('\n')[0]}\n  box ${JSON.stringify(box)}\n  row ${styles}\n  iframes ${JSON.stringify(frames)}\n  active tabs ${JSON.stringify(tabs)}`,
    );
    await vsc!.screenshot(join(repoRoot, 'test-results', `e2e-debug-row-${button}.png`)).catch(() => undefined);
    await procScopeTab().first().click();
    await row.click({ button, timeout: 20_000 });
  }
}

/**
 * A modal dialog that no test asked for (VS Code's own, or code-server's when its connection stalls on a loaded
 * machine) blocks every click on the workbench: close it with its Cancel button, and print its text so the run
 * says what it was.
 */
async function clearDialogs(where: string): Promise<void> {
  const texts = await vsc!.dismissDialogs();
  if (texts.length) console.error(`[e2e] a dialog was open at ${where}; closed it: ${JSON.stringify(texts)}`);
}

async function closePanel(): Promise<void> {
  await clearDialogs('closing the panel');
  // A middle click closes an editor tab; then the first group gets the focus back (keys go to the workbench).
  while ((await procScopeTab().count()) > 0) await procScopeTab().first().click({ button: 'middle' });
  await vsc!.page.locator('.editor-group-container').first().locator('.tab', { hasText: 'main.js' }).first().click();
}

function setUserSetting(key: string, value: unknown): void {
  const path = join(vsc!.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...settings, [key]: value }, null, 2));
}

test(
  'with the panel closed a session opens nothing; "ProcScope: Reveal Debuggee" opens the panel on the debuggee',
  { timeout: 240_000 },
  async () => {
    assert.ok(vsc);
    await closePanel();
    const info = await startSession();
    try {
      await waitFor(
        'the extension to find the debuggee',
        () => (procScopeLog().includes(`debuggee pid ${info.pid} `) ? true : undefined),
        30_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; ProcScope log:\n${procScopeLog().slice(-3000)}`);
      });
      assert.equal(await procScopeTab().count(), 0, 'procscope.openOnDebugStart is off: the panel stays closed');
      await vsc.runCommand('ProcScope: Reveal Debuggee');
      await procScopeTab()
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 })
        .catch(async (error: unknown) => {
          throw new Error(
            `"ProcScope: Reveal Debuggee" opened no panel: ${String(error)}; notifications: ${JSON.stringify(await vsc!.notificationTexts())}; ProcScope log:\n${procScopeLog().slice(-3000)}`,
          );
        });
      const selected = await waitFor(
        'the debuggee row to be selected',
        async () => (await rows()).find((r) => r.selected && !r.thread && r.pid === info.pid),
        60_000,
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; notifications: ${JSON.stringify(await vsc!.notificationTexts())}; ProcScope log:\n${procScopeLog().slice(-3000)}`,
        );
      });
      assert.equal(selected.label, `Debug: ${SESSION_NAME}`);
      await closePanel();
    } finally {
      await endSession(info);
    }
  },
);

test(
  'with procscope.openOnDebugStart the panel opens by itself beside the code and selects the debuggee',
  { timeout: 240_000 },
  async () => {
    assert.ok(vsc);
    await closePanel();
    setUserSetting('procscope.openOnDebugStart', true);
    await sleep(1500); // the workbench reloads changed user settings
    const info = await startSession();
    try {
      const selected = await waitFor(
        'the debuggee row to be selected',
        async () =>
          (await procScopeTab().count()) > 0 ? (await rows()).find((r) => r.selected && !r.thread && r.pid === info.pid) : undefined,
        60_000,
      );
      assert.equal(selected.label, `Debug: ${SESSION_NAME}`);
      // Beside the stopped source: the panel and main.js are both the visible (active) editors of their groups.
      const visible = await vsc.page
        .locator('.editor-group-container')
        .evaluateAll((groups) => groups.map((g) => g.querySelector('.tab.active')?.textContent?.trim() ?? ''));
      assert.ok(
        visible.some((t) => t.includes('ProcScope')) && visible.some((t) => t.includes('main.js')),
        `visible editors: ${JSON.stringify(visible)}`,
      );
    } finally {
      await endSession(info);
    }
  },
);

test(
  '"Attach debugger" on a running Node process: SIGUSR1 opens its inspector, js-debug attaches, the session labels it',
  { timeout: 240_000 },
  async () => {
    assert.ok(vsc);
    // A free port for this process's inspector (9229 may be in use on a shared machine); the host reads it from
    // --inspect-port, sends SIGUSR1 and attaches only once the process itself listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const target = spawn(
      process.execPath,
      [`--inspect-port=127.0.0.1:${port}`, '-e', 'setInterval(() => {}, 1000); setTimeout(() => process.exit(0), 120000)'],
      { cwd: workspace, stdio: 'ignore' },
    );
    started.push(target);
    const pid = target.pid!;
    // The panel the last test left open may sit behind main.js in its group (a stopped session shows its
    // source there): its rows can be read but not clicked until its tab is the one shown.
    await procScopeTab().first().click();
    const f = await panel();
    await waitFor('the Node process row', async () => (await rows()).find((r) => !r.thread && r.pid === pid), 30_000);
    const nodeRow = f.locator('.row:not([hidden])', { has: f.locator('.c-pid', { hasText: new RegExp(`^${pid}$`) }) }).first();
    // The menu offers the item once the host has said (in the selection's detail) that the executable is Node.
    await clickRow(nodeRow, 'left');
    const attachItem = f.locator('vscode-context-menu').getByText('Attach debugger', { exact: true });
    await waitFor(
      '"Attach debugger" in the context menu',
      async () => {
        await clickRow(nodeRow, 'right');
        if (await attachItem.isVisible().catch(() => false)) return true;
        await f
          .locator('vscode-context-menu')
          .press('Escape')
          .catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
        return undefined;
      },
      20_000,
    );
    await attachItem.click();
    // The modal says what will happen; confirming it opens the inspector.
    const dialog = vsc.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.locator('.dialog-message-detail').innerText(), new RegExp(`127\\.0\\.0\\.1:${port}`));
    await dialog.getByRole('button', { name: 'Open Inspector and Attach' }).click();
    await vsc.page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 60_000 });
    const attachLabel = `Debug: Attach to node (${pid})`;
    const row = await waitFor(
      'the attached process labelled with the session',
      async () => (await rows()).find((r) => !r.thread && r.pid === pid && r.label === attachLabel),
      30_000,
    ).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}; row: ${JSON.stringify((await rows()).find((r) => r.pid === pid))}; ProcScope log:\n${procScopeLog().slice(-2000)}`,
      );
    });
    assert.equal(row.label, attachLabel);
    await vsc.page.locator('.debug-toolbar .codicon-debug-disconnect').click();
    await vsc.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    await waitFor('the label to go', async () => ((await rows()).some((r) => r.label === attachLabel) ? undefined : true), 15_000);
    target.kill('SIGKILL');
  },
);

test('a running task appears under "This workspace" as "Task: build" with its process\'s pid', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  await vsc.page.locator('.editor-group-container').first().locator('.tab', { hasText: 'main.js' }).first().click();
  // The default build task runs without a picker.
  await vsc.runCommand('Tasks: Run Build Task');
  // A process task: VS Code reports the program's own pid (onDidStartTaskProcess), here `sleep 61`.
  const row = await waitFor('the task row', async () => (await rows()).find((r) => !r.thread && r.label === 'Task: build'), 60_000);
  assert.equal(row.name, 'sleep');
  assert.deepEqual(readFileSync(`/proc/${row.pid}/cmdline`, 'utf8').split('\0').filter(Boolean), ['/usr/bin/sleep', '61']);
  process.kill(row.pid, 'SIGTERM');
  await waitFor('the task label to go', async () => ((await rows()).some((r) => r.label === 'Task: build') ? undefined : true), 30_000);
});
