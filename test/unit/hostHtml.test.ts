// The panel's HTML (CSP, nonce, start-up data) and the "copy as ps -eLF" lines, checked against real `ps`.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ProcSampler } from '../../src/core/sampler';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { escapeAttribute, panelHtml, type HtmlInput } from '../../src/extension/html';
import { copyText, printable, uptimeSeconds } from '../../src/extension/copyText';

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>\'&amp;';

const input: HtmlInput = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  codiconCss: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
  webviewCss: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.css',
  webviewJs: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.js',
  startup: {
    locale: 'ko',
    settings: { refreshMs: 1000, ipcRefreshMs: 3000, showThreads: true, showKernelThreads: false, scope: 'workspace', locale: 'ko' },
    platform: 'linux',
  },
  lang: 'ko',
  title: hostile,
};

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

test('the CSP allows nothing by default and scripts only by the nonce', () => {
  const html = panelHtml({ ...input, nonce: 'abc123' });
  const csp = decodeEntities(/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!);
  assert.equal(
    csp,
    `default-src 'none'; style-src ${input.cspSource} 'nonce-abc123'; font-src ${input.cspSource}; img-src ${input.cspSource} data:; script-src 'nonce-abc123'`,
  );
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [` nonce="abc123" src="${input.webviewJs}"`]);
  assert.match(html, /<div id="root"><\/div>/);
  assert.ok(html.includes(`<link rel="stylesheet" id="vscode-codicon-stylesheet" nonce="abc123" href="${input.codiconCss}">`));
  assert.ok(html.includes(`<link rel="stylesheet" nonce="abc123" href="${input.webviewCss}">`));
  assert.match(html, /<html lang="ko">/);
});

test('each render gets a fresh random nonce', () => {
  const nonce = (html: string) => /nonce="([^"]+)"/.exec(html)![1]!;
  const a = nonce(panelHtml(input));
  const b = nonce(panelHtml(input));
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9_-]{24}$/);
});

test('start-up data round-trips through the data attribute and hostile text stays text', () => {
  const startup = { ...input.startup, note: hostile };
  const html = panelHtml({ ...input, startup: startup as HtmlInput['startup'] });
  const attr = /<body data-procscope="([^"]*)">/.exec(html)![1]!;
  assert.deepEqual(JSON.parse(decodeEntities(attr)), startup);
  // The only tags in the document are the skeleton's: no injected script or img.
  const tags = [...html.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]);
  assert.deepEqual(tags, ['html', 'head', 'meta', 'meta', 'meta', 'link', 'link', 'title', 'body', 'div', 'script']);
  assert.equal(escapeAttribute(`<>&"'`), '&#60;&#62;&#38;&#34;&#39;');
});

// ---- ps -eLF lines against the real ps ----

let py: ChildProcess | undefined;
let snapshot: Snapshot;
let target: ProcessInfo;

before(async () => {
  // A process with two named threads, so ps prints three LWP rows.
  const code = [
    'import threading, time',
    'def idle():',
    '    time.sleep(300)',
    'for name in ("worker-a", "worker-b"):',
    '    threading.Thread(target=idle, name=name, daemon=True).start()',
    'print("ready", flush=True)',
    'time.sleep(300)',
  ].join('\n');
  py = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    py!.stdout!.once('data', () => resolve());
    py!.once('error', reject);
  });
  const sampler = new ProcSampler();
  snapshot = sampler.pollSync({ threads: [py.pid!] });
  sampler.dispose();
  target = snapshot.processes.find((p) => p.pid === py!.pid)!;
});

after(() => {
  if (py?.pid) process.kill(py.pid, 'SIGKILL');
});

test('copy as ps -eLF gives the same columns as ps for a process with threads', () => {
  assert.equal(target.threads?.length, 3);
  const text = copyText(target, snapshot, 'ps', uptimeSeconds(snapshot.system.bootTime));
  const [header, ...rows] = text.split('\n');
  assert.deepEqual(header!.trim().split(/\s+/), [
    'UID',
    'PID',
    'PPID',
    'LWP',
    'C',
    'NLWP',
    'SZ',
    'RSS',
    'PSR',
    'STIME',
    'TTY',
    'TIME',
    'CMD',
  ]);
  const ours = rows.map((l) => l.trim().split(/\s+/));
  const ps = spawnSync('ps', ['-eLF', '--no-headers', '-q', String(target.pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  assert.equal(ours.length, 3);
  assert.equal(ps.length, 3);
  // Compare the columns that cannot move while the threads sleep: RSS and PSR may, and C (a lifetime
  // average over whole seconds) jumps while a process is under a second old, as this one is.
  const stable = [0, 1, 2, 3, 5, 6, 9, 10, 11];
  for (let i = 0; i < ours.length; i++) {
    assert.deepEqual(
      stable.map((c) => ours[i]![c]),
      stable.map((c) => ps[i]![c]),
      `row ${i}`,
    );
    assert.deepEqual(ours[i]!.slice(12), ps[i]!.slice(12), `command of row ${i}`);
  }
});

test('copy as JSON is the snapshot entry; copy of an unthreaded poll still gives the main thread', () => {
  assert.deepEqual(JSON.parse(copyText(target, snapshot, 'json', 0)), JSON.parse(JSON.stringify(target)));
  const { threads: _threads, ...bare } = target;
  const lines = copyText(bare, snapshot, 'ps', uptimeSeconds(snapshot.system.bootTime)).split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.trim().split(/\s+/)[3], String(target.pid));
  assert.equal(printable('sh -c echo a\nb'), 'sh -c echo a b');
});
