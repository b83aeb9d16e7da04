// End-to-end harness: the packaged extension inside a real VS Code (code-server), driven by Debian's Chromium
// through playwright-core, as a person would use it (Chromium drives the workbench; code-server hosts the extension).
//
//   const vsc = await startVsCode({ workspace: dir });
//   await vsc.runCommand('ProcScope: Open Process Explorer');
//   const frame = await vsc.webviewFrame(hasSelector('#app'));   // the panel's inner iframe
//   await vsc.close();
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

/** The repository root: the nearest folder above this file whose package.json is ProcScope's. */
export const repoRoot = findRepoRoot(dirname(__filename));
export const codeServerBin = join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.PROCSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
/** The id VS Code gives the extension: `publisher.name`. */
export const extensionId = `${manifest.publisher}.${manifest.name}`;

export interface StartOptions {
  /** Folder opened as the workspace (absolute or relative to the repo). */
  readonly workspace: string;
  /** A ready .vsix; by default the extension is built and packaged (once per test process, and only when stale). */
  readonly vsixPath?: string;
  /** Extra user settings, merged over the quiet defaults below. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** How long start-up (install, server, first workbench load) may take. */
  readonly timeoutMs?: number;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Extra environment for code-server and so for the extension host (e.g. ProcScope's PROCSCOPE_TEST_* hooks). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface VsCode {
  readonly page: Page;
  readonly browser: Browser;
  /** The workbench URL, with the workspace folder. */
  readonly url: string;
  readonly port: number;
  readonly extensionsDir: string;
  readonly userDataDir: string;
  readonly vsixPath: string;
  /** Runs a command from the Command Palette (F1, type the title, Enter). */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** The first frame (webviews are iframes inside iframes) for which `predicate` holds, polled until the timeout. */
  webviewFrame(predicate: (frame: Frame) => boolean | Promise<boolean>, timeoutMs?: number): Promise<Frame>;
  /** Waits for a notification toast whose message matches and returns its text. */
  notification(message: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Texts of the notification toasts now visible. */
  notificationTexts(): Promise<string[]>;
  /** Texts of the modal dialogs now open (message and detail); a modal blocks every click on the workbench. */
  dialogTexts(): Promise<string[]>;
  /** Closes every open modal dialog with its last button (VS Code puts Cancel there) and returns their texts. */
  dismissDialogs(): Promise<string[]>;
  screenshot(path: string): Promise<void>;
  /** `publisher.name@version` of every extension in this session's extensions dir. */
  listExtensions(): string[];
  /** What code-server printed so far (the last ~200 kB). */
  logs(): string;
  /**
   * At the end of a suite: a screenshot to test-results/e2e-NAME-failure.png when a test of the run failed
   * (what the workbench showed is the first thing to read), then `close`.
   */
  closeSuite(name: string): Promise<void>;
  /** Closes the browser, kills code-server's process group and its descendants, removes the temp dirs. */
  close(): Promise<void>;
}

/**
 * Installed in every frame (page.context().addInitScript) before the panel exists: when VS Code defines
 * `acquireVsCodeApi` in the webview, wrap it so the test can reach the same API the panel's script got (it
 * may be acquired only once), record what the host posts in `__procscopeMessages`, and what the page posts
 * in `__procscopePosted`. VS Code's API object is frozen, so the page gets a copy whose postMessage records
 * each message first. (document.open() in VS Code's webview loader drops earlier listeners, so the listener
 * is added when the API appears.)
 */
export const CAPTURE_API = `(() => {
  let real;
  Object.defineProperty(globalThis, 'acquireVsCodeApi', {
    configurable: true,
    get() { return real; },
    set(fn) {
      let api;
      const posted = (globalThis.__procscopePosted = []);
      real = () =>
        (api ??= ((a) => ({
          postMessage: (m) => { posted.push(m); return a.postMessage(m); },
          getState: () => a.getState(),
          setState: (s) => a.setState(s),
        }))(fn()));
      globalThis.__procscopeApi = real;
      globalThis.__procscopeMessages = [];
      globalThis.addEventListener('message', (e) => {
        if (e.data && typeof e.data.type === 'string') globalThis.__procscopeMessages.push(e.data);
      });
    },
  });
})();`;

/** The host's answer to a request: `ok` with a result, or not with its error. */
export interface HostReply {
  readonly type: string;
  readonly requestId?: number;
  readonly ok?: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * Posts `request` through the page's own API (as a crafted page could) and returns the host's response to it,
 * or null after 10 s. Needs CAPTURE_API installed before the panel opened.
 */
export function askHost(frame: Frame, requestId: number, request: Readonly<Record<string, unknown>>): Promise<HostReply | null> {
  return frame.evaluate(
    async ({ id, asked }) => {
      const g = globalThis as unknown as {
        __procscopeApi: () => { postMessage(m: unknown): void };
        __procscopeMessages: { type: string; requestId?: number }[];
      };
      g.__procscopeApi().postMessage({ type: 'request', requestId: id, request: asked });
      for (let i = 0; i < 100; i++) {
        const m = g.__procscopeMessages.find((x) => x.type === 'response' && x.requestId === id);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    },
    { id: requestId, asked: request },
  );
}

/** The text of ProcScope's output channel (its log file under the user data dir), or '' before it exists. */
export function procscopeLog(vsc: Pick<VsCode, 'userDataDir'>): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.includes(`${extensionId}`) && entry.name.endsWith('.log')) files.push(p);
    }
  };
  if (existsSync(join(vsc.userDataDir, 'logs'))) walk(join(vsc.userDataDir, 'logs'));
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** A `webviewFrame` predicate: the frame holds an element matching `selector` (e.g. the panel's root). */
export function hasSelector(selector: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator(selector).count()) > 0;
}

/** Settings that keep the workbench quiet and predictable for tests. */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.watcherExclude': { '**/node_modules/**': true, '**/.vscode-test/**': true, '**/.git/objects/**': true },
  'search.exclude': { '**/node_modules': true, '**/.vscode-test': true },
};

function findRepoRoot(start: string): string {
  // Walked up rather than fixed at '../..': tsx may load this file through a wrapper whose __dirname differs.
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'procscope') return dir;
    if (dirname(dir) === dir) throw new Error(`ProcScope's package.json not found above ${start}`);
  }
}

class HarnessError extends Error {
  constructor(message: string, log?: string) {
    super(log ? `${message}\n--- code-server output (last 4 kB) ---\n${log.slice(-4096)}` : message);
    this.name = 'HarnessError';
  }
}

function run(cmd: string, args: readonly string[], what: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): string {
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit code ${String(r.status)}${r.signal ? ` (${r.signal})` : ''}`;
    throw new HarnessError(`${what} failed: ${why}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r.stdout;
}

/** Newest modification time (ms) of a file or of any file under a folder; 0 when it does not exist. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const packagedInputs = [
  'dist',
  'media',
  'labs',
  'l10n',
  'package.json',
  'package.nls.json',
  'package.nls.ko.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  '.vscodeignore',
];
let packaged: string | undefined;

/**
 * Builds the extension and packages it with vsce (what a user installs, so `.vscodeignore` is tested too).
 * Packaging is skipped when the .vsix is newer than everything that goes into it.
 */
export function packageExtension(): string {
  if (packaged) return packaged;
  run(process.execPath, ['scripts/build.mjs'], 'building the extension (node scripts/build.mjs)');
  // Inside this checkout (test-results/ is git-ignored), not in .vscode-test/: that folder may be shared by
  // several checkouts, whose packages would then replace each other.
  const out = join(repoRoot, 'test-results', 'vsix', `${manifest.name}-${manifest.version}.vsix`);
  const inputsTime = Math.max(...packagedInputs.map((p) => newestMtime(join(repoRoot, p))));
  if (!existsSync(out) || statSync(out).mtimeMs < inputsTime) {
    mkdirSync(dirname(out), { recursive: true });
    // Written beside the target, then renamed: a half-written .vsix is never picked up.
    const partial = `${out}.${process.pid}.partial.vsix`;
    const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
    run(
      vsce,
      ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', partial],
      'packaging the extension (vsce package)',
    );
    renameSync(partial, out);
  }
  packaged = out;
  return out;
}

function requireTools(): void {
  if (!existsSync(codeServerBin)) {
    throw new HarnessError(`code-server is not installed at ${codeServerBin}; run scripts/setup.sh (or scripts/install-code-server.sh)`);
  }
  if (!existsSync(chromiumPath))
    throw new HarnessError(`Chromium not found at ${chromiumPath}; run scripts/setup.sh (apt-get install chromium)`);
}

/** Where one code-server session keeps its state; all of it lives in one temp dir. */
export interface CodeServerDirs {
  readonly extensionsDir: string;
  readonly userDataDir: string;
  /** Our own config file, so code-server never writes one into ~/.config. */
  readonly configPath: string;
  /** XDG_DATA_HOME for code-server: it keeps its logs and heartbeat there, not in ~/.local/share. */
  readonly dataHome: string;
}

function codeServerDirs(root: string): CodeServerDirs {
  return {
    extensionsDir: join(root, 'extensions'),
    userDataDir: join(root, 'user-data'),
    configPath: join(root, 'config.yaml'),
    dataHome: join(root, 'xdg-data'),
  };
}

function cliArgs(dirs: CodeServerDirs): string[] {
  return ['--config', dirs.configPath, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

/** Installs a .vsix into an extensions dir with code-server's own CLI, as a user would. */
export function installExtension(vsixPath: string, dirs: CodeServerDirs): void {
  run(codeServerBin, [...cliArgs(dirs), '--install-extension', vsixPath], `code-server --install-extension ${vsixPath}`, {
    XDG_DATA_HOME: dirs.dataHome,
  });
}

/** `publisher.name@version` of every extension in the extensions dir, from code-server's own CLI. */
export function listExtensions(dirs: CodeServerDirs): string[] {
  const out = run(codeServerBin, [...cliArgs(dirs), '--list-extensions', '--show-versions'], 'code-server --list-extensions', {
    XDG_DATA_HOME: dirs.dataHome,
  });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w.-]+\.[\w.-]+@/.test(l));
}

/** Pids of every live descendant of `root`, read from /proc (children first found, so parents come first). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name may hold spaces and ')': the fields after it start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      continue; // the process ended while we listed /proc
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [pid, ppid] of parentOf) {
      if (ppid === p && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/** Whether a pid still exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone: nothing to do
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Kills the process group led by `pid` and every descendant that left it; waits until all are gone. */
async function killTree(pid: number, graceMs = 5000): Promise<void> {
  const all = [pid, ...descendants(pid)];
  signal(-pid, 'SIGTERM');
  for (const p of all) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && all.some(alive)) await sleep(100);
  signal(-pid, 'SIGKILL');
  for (const p of all) if (alive(p)) signal(p, 'SIGKILL');
}

/** Starts code-server with the packaged extension and opens the workspace in headless Chromium. */
export async function startVsCode(options: StartOptions): Promise<VsCode> {
  requireTools();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const workspace = resolve(repoRoot, options.workspace);
  if (!existsSync(workspace)) throw new HarnessError(`workspace folder does not exist: ${workspace}`);
  const vsixPath = options.vsixPath ? resolve(options.vsixPath) : packageExtension();

  const tmp = mkdtempSync(join(tmpdir(), 'procscope-e2e-'));
  const dirs = codeServerDirs(tmp);
  const { extensionsDir, userDataDir } = dirs;
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(dirs.configPath, 'auth: none\ncert: false\n');
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));

  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let output = '';
  const onExit = () => {
    // Last resort if the test process dies without close(): never leave a server behind.
    if (child?.pid) signal(-child.pid, 'SIGKILL');
  };
  process.once('exit', onExit);

  // Runs once: a second close() must not signal a pid that the kernel may have handed to someone else.
  let closing: Promise<void> | undefined;
  const cleanup = () =>
    (closing ??= (async () => {
      process.removeListener('exit', onExit);
      if (browser) await browser.close().catch(() => undefined);
      if (child?.pid) await killTree(child.pid);
      rmSync(tmp, { recursive: true, force: true });
    })());

  try {
    installExtension(vsixPath, dirs);

    // Port 0: the kernel picks a free loopback port and code-server prints it; no race with other tests.
    child = spawn(
      codeServerBin,
      [
        ...cliArgs(dirs),
        '--auth',
        'none',
        '--bind-addr',
        '127.0.0.1:0',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        workspace,
      ],
      {
        cwd: workspace,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: '0', XDG_DATA_HOME: dirs.dataHome, ...options.env },
      },
    );
    const started = child;
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 200_000) output = output.slice(-150_000);
    };
    started.stdout?.on('data', append);
    started.stderr?.on('data', append);

    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(
        () => reject(new HarnessError(`code-server did not report a listening port within ${timeoutMs} ms`, output)),
        timeoutMs,
      );
      const check = () => {
        const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      };
      started.stdout?.on('data', check);
      started.stderr?.on('data', check);
      started.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new HarnessError(`code-server exited during start-up (code ${String(code)}, signal ${String(sig)})`, output));
      });
      started.once('error', (err) => {
        clearTimeout(timer);
        reject(new HarnessError(`code-server could not be started: ${err.message}`, output));
      });
    });
    started.removeAllListeners('exit');

    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      timeout: 60_000,
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(url, { timeout: timeoutMs, waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, timeoutMs).catch((err: unknown) => {
      throw new HarnessError(`the workbench did not become ready: ${err instanceof Error ? err.message : String(err)}`, output);
    });

    const vsc: VsCode = {
      page,
      browser,
      url,
      port,
      extensionsDir,
      userDataDir,
      vsixPath,
      runCommand: (title, ms) =>
        runCommand(page, title, ms ?? 30_000).catch((err: unknown) => {
          throw new HarnessError(err instanceof Error ? err.message : String(err), output);
        }),
      webviewFrame: (predicate, ms) => webviewFrame(page, predicate, ms ?? 30_000),
      notification: (message, ms) => notification(page, message, ms ?? 30_000),
      notificationTexts: () => notificationTexts(page),
      dialogTexts: () => dialogTexts(page),
      dismissDialogs: () => dismissDialogs(page),
      screenshot: async (path) => {
        mkdirSync(dirname(resolve(path)), { recursive: true });
        await page.screenshot({ path });
      },
      listExtensions: () => listExtensions(dirs),
      logs: () => output,
      close: cleanup,
      closeSuite: async (name) => {
        if (process.exitCode) await vsc.screenshot(join(repoRoot, 'test-results', `e2e-${name}-failure.png`)).catch(() => undefined);
        await cleanup();
      },
    };
    return vsc;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The workbench is ready when its parts are laid out and the extension host has reported (status bar filled). */
async function waitForWorkbench(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page
    .locator('.monaco-workbench .part.activitybar, .monaco-workbench .part.sidebar')
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

async function runCommand(page: Page, title: string, timeoutMs: number): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + timeoutMs;
  let lastSeen: string[] = [];
  // Commands contributed by extensions appear once the extension host has registered them: retry until then.
  while (Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    if (!(await input.isVisible().catch(() => false))) {
      await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
    }
    if (await input.isVisible()) {
      await input.fill(`>${title}`);
      // The row whose label is the title itself (others may contain it: "Debug: Stop" in "Debug: Stop All").
      const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
      const row = page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exact }) })
        .first();
      const found = await row.waitFor({ state: 'visible', timeout: 3000 }).then(
        () => true,
        () => false,
      );
      // Click the row that names the command, not Enter: Enter runs the list's top row, which can be another
      // command, and goes to whatever took the focus when the palette closed by itself (a debugger stopping
      // at a breakpoint shows its source and closes the palette). A click that finds no row tries again.
      const clicked =
        found &&
        (await row.click({ timeout: 3000 }).then(
          () => true,
          () => false,
        ));
      if (clicked) {
        await page
          .locator('.quick-input-widget')
          .waitFor({ state: 'hidden', timeout: 5000 })
          .catch(() => undefined);
        return;
      }
      lastSeen = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
    }
    await sleep(500);
  }
  await page.keyboard.press('Escape');
  throw new Error(
    `command "${title}" was not found in the Command Palette within ${timeoutMs} ms (last rows: ${JSON.stringify(lastSeen.slice(0, 5))})`,
  );
}

async function webviewFrame(page: Page, predicate: (frame: Frame) => boolean | Promise<boolean>, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await predicate(frame)) return frame;
      } catch {
        continue; // the frame navigated or detached while we looked: try the next one
      }
    }
    await sleep(250);
  }
  const urls = page.frames().map((f) => f.url().slice(0, 120));
  throw new Error(`no frame matched within ${timeoutMs} ms; frames: ${JSON.stringify(urls)}`);
}

async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

async function dialogTexts(page: Page): Promise<string[]> {
  const boxes = page.locator('.monaco-dialog-box');
  const out: string[] = [];
  for (let i = 0; i < (await boxes.count()); i++) {
    const text = await boxes
      .nth(i)
      .innerText({ timeout: 2000 })
      .catch(() => '');
    out.push(text.replace(/\s+/g, ' ').trim());
  }
  return out;
}

async function dismissDialogs(page: Page): Promise<string[]> {
  const seen: string[] = [];
  for (let round = 0; round < 5; round++) {
    const box = page.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible().catch(() => false))) break;
    seen.push(...(await dialogTexts(page)));
    const buttons = box.locator('.dialog-buttons .monaco-button');
    const n = await buttons.count();
    if (n > 0)
      await buttons
        .nth(n - 1)
        .click({ timeout: 5000 })
        .catch(() => undefined);
    else await page.keyboard.press('Escape').catch(() => undefined);
    await box.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
  return seen;
}

async function notification(page: Page, message: string | RegExp, timeoutMs: number): Promise<string> {
  const item = page.locator('.notifications-toasts .notification-list-item-message', { hasText: message }).first();
  try {
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(
      `no notification matching ${String(message)} within ${timeoutMs} ms; visible: ${JSON.stringify(await notificationTexts(page))}`,
    );
  }
  // Let the toast finish sliding in, so a screenshot taken next shows it whole.
  await page
    .locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: message })
    .first()
    .waitFor({ state: 'visible', timeout: 2000 })
    .catch(() => undefined);
  return (await item.innerText()).trim();
}
