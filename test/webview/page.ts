// A fake extension host for the webview tests and the benchmark: serves the built webview (dist/webview)
// over a local HTTP server inside the same HTML and CSP the real panel uses (see the skeleton at the top of
// webview/main.ts), injects a fake acquireVsCodeApi in its own nonce'd script, and plays host messages
// (recorded snapshots, deltas, IPC maps, responses) into real headless Chromium.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { panelHtml } from '../../src/extension/html';
import type { FromWebview, RecordingInfo, Request, ToWebview } from '../../src/protocol';

export const REPO = resolve(__dirname, '..', '..');
// PROCSCOPE_WEBVIEW_DIST: serve another build of the webview (A/B runs of bench/webview.bench.ts).
const DIST = process.env.PROCSCOPE_WEBVIEW_DIST || join(REPO, 'dist', 'webview');
const HOST = join(REPO, 'test', 'webview', 'host');

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type Theme = 'dark' | 'light' | 'high-contrast';

export interface PageOptions {
  readonly locale?: 'en' | 'ko';
  /** The start-up data's `language` field (the procscope.language setting), when the test sets one. */
  readonly language?: string;
  readonly theme?: Theme;
  readonly width?: number;
  readonly height?: number;
  /** The start-up data's `recording` (the page replays a file), when the test sets one. */
  readonly recording?: RecordingInfo;
}

/**
 * The panel HTML as the host builds it (src/extension/html.ts panelHtml: the same CSP, nonce and start-up
 * data), with the test's theme stylesheet, theme body class and acquireVsCodeApi shim added.
 */
export function buildHtml(
  cspSource: string,
  nonce: string,
  locale: string,
  theme: Theme,
  language?: string,
  recording?: RecordingInfo,
): string {
  let html = panelHtml({
    cspSource,
    codiconCss: `${cspSource}/dist/webview/codicon.css`,
    webviewCss: `${cspSource}/dist/webview/webview.css`,
    webviewJs: `${cspSource}/dist/webview/webview.js`,
    startup: {
      locale: locale === 'ko' ? 'ko' : 'en',
      platform: 'linux',
      settings: { ...DEFAULT_SETTINGS, locale: locale === 'ko' ? 'ko' : 'en' },
      ...(language === undefined ? {} : { language }),
      ...(recording === undefined ? {} : { recording }),
    } as Parameters<typeof panelHtml>[0]['startup'],
    lang: locale,
    title: 'ProcScope',
    nonce,
  });
  const insert = (before: string, text: string): void => {
    const at = html.indexOf(before);
    if (at < 0) throw new Error(`panelHtml no longer contains ${JSON.stringify(before)}: update test/webview/page.ts`);
    html = html.slice(0, at) + text + html.slice(at);
  };
  insert(
    '<link rel="stylesheet" id="vscode-codicon-stylesheet"',
    `<link rel="stylesheet" nonce="${nonce}" href="${cspSource}/host/theme-${theme}.css">\n`,
  );
  insert('data-procscope=', `class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}" `);
  insert(
    `<script nonce="${nonce}" src="${cspSource}/dist/webview/webview.js">`,
    `<script nonce="${nonce}" src="${cspSource}/host/shim.js"></script>\n`,
  );
  return html;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html',
};

type Reply = { ok: true; result: unknown } | { ok: false; error: string };

export class FakeHost {
  readonly posted: FromWebview[] = [];
  readonly consoleErrors: string[] = [];
  readonly pageErrors: string[] = [];
  readonly dialogs: string[] = [];
  /** Answers the webview's requests; default: an error saying the fake host does not implement it. */
  onRequest: (request: Request) => Reply | Promise<Reply> = (r) => ({ ok: false, error: `fake host: no handler for ${r.kind}` });
  private server!: Server;
  private context!: BrowserContext;
  private profile!: string;
  page!: Page;
  origin = '';
  private html = '';
  private waiters: { pred: (m: FromWebview) => boolean; resolve: (m: FromWebview) => void }[] = [];

  static async start(): Promise<FakeHost> {
    const host = new FakeHost();
    await host.init();
    return host;
  }

  private async init(): Promise<void> {
    if (!existsSync(join(DIST, 'webview.js')) || !existsSync(join(DIST, 'webview.css'))) {
      throw new Error('dist/webview is not built: run `npm run build` first (npm test does it)');
    }
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(this.html);
        return;
      }
      const [base, rel] = url.pathname.startsWith('/dist/webview/')
        ? [DIST, url.pathname.slice(14)]
        : url.pathname.startsWith('/host/')
          ? [HOST, url.pathname.slice(6)]
          : [null, ''];
      const file = base ? normalize(join(base, rel)) : '';
      if (!base || !file.startsWith(base) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no server address');
    this.origin = `http://127.0.0.1:${address.port}`;
    this.profile = mkdtempSync(join(tmpdir(), 'procscope-chromium-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    // Fail fast rather than wait 30 s for an element that is not coming.
    this.page.setDefaultTimeout(10000);
    this.page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    this.page.on('pageerror', (e) => this.pageErrors.push(String(e)));
    this.page.on('dialog', (d) => {
      this.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await this.page.exposeFunction('__hostReceive', (m: FromWebview) => this.receive(m));
    // tsx compiles the callbacks we pass to page.evaluate with esbuild's keepNames, which wraps named inner
    // functions in a `__name(fn, "name")` helper that the page does not have: give it an identity one.
    await this.context.addInitScript('globalThis.__name = (fn) => fn;');
  }

  /** Loads the panel fresh (new state) and waits for its `ready`. */
  async load(options: PageOptions = {}, keepState = false): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    this.html = buildHtml(this.origin, nonce, options.locale ?? 'en', options.theme ?? 'dark', options.language, options.recording);
    await this.page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 800 });
    this.posted.length = 0;
    this.consoleErrors.length = 0;
    this.pageErrors.length = 0;
    this.dialogs.length = 0;
    if (!keepState) {
      await this.page.goto(`${this.origin}/host/shim.js`);
      await this.page.evaluate(() => sessionStorage.clear());
    }
    const ready = this.waitFor((m) => m.type === 'ready');
    await this.page.goto(`${this.origin}/`);
    await ready;
  }

  private async receive(m: FromWebview): Promise<void> {
    this.posted.push(m);
    for (const w of [...this.waiters]) {
      if (w.pred(m)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
    if (m.type === 'request') {
      const reply = await this.onRequest(m.request);
      await this.send(
        reply.ok
          ? { type: 'response', requestId: m.requestId, ok: true, result: reply.result }
          : { type: 'response', requestId: m.requestId, ok: false, error: reply.error },
      );
    }
  }

  /** Resolves with the first message (already posted or future) that matches. */
  waitFor(pred: (m: FromWebview) => boolean, timeoutMs = 10000): Promise<FromWebview> {
    const found = this.posted.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message from the webview')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Waits for a message posted after this call. */
  next(pred: (m: FromWebview) => boolean, timeoutMs = 10000): Promise<FromWebview> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message from the webview')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Posts a host → webview message (as VS Code's webview.postMessage does: a window message event). */
  async send(message: ToWebview): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
  }

  async violations(): Promise<{ directive: string; blocked: string; sample: string }[]> {
    return this.page.evaluate(
      () => (window as unknown as { __violations: { directive: string; blocked: string; sample: string }[] }).__violations,
    );
  }

  async close(): Promise<void> {
    await this.context?.close();
    await new Promise<void>((r) => this.server?.close(() => r()));
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }
}

export interface Fixtures {
  readonly snapshot: import('../../src/protocol').SnapshotMessage;
  readonly deltas: import('../../src/core/model').Delta[];
  readonly ipc: import('../../src/core/ipc/model').IpcMap;
  readonly meta: { pids: Record<string, number>; recorderPid: number; lockFiles: string[] };
}

export function loadFixtures(): Fixtures {
  const dir = join(REPO, 'test', 'webview', 'fixtures');
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const s = read('snapshot.json') as {
    snapshot: import('../../src/core/model').Snapshot;
    workspace: import('../../src/protocol').WorkspaceMember[];
  };
  return {
    snapshot: { type: 'snapshot', snapshot: s.snapshot, workspace: s.workspace },
    deltas: read('deltas.json') as import('../../src/core/model').Delta[],
    ipc: read('ipc.json') as import('../../src/core/ipc/model').IpcMap,
    meta: read('meta.json') as Fixtures['meta'],
  };
}

export const DEFAULT_SETTINGS = {
  // The fake host sends ticks only when a test does; with the real cadence the page would say after 3 s that
  // the host has gone silent (webview/app.ts heardFromHost). The test of that notice sets its own.
  refreshMs: 600_000,
  ipcRefreshMs: 5000,
  showThreads: true,
  showKernelThreads: false,
  scope: 'all',
  locale: 'en',
} as const;
