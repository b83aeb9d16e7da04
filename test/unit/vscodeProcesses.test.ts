// VS Code's own processes named as its Process Explorer names them: the classifier on argv recorded from a
// real code-server 4.100 (test/fixtures/vscode-processes, recorded by record.ts there) and on the desktop
// (Electron) markers, and "This workspace" labels computed from the recorded process tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyVsCodeProcess, ENGLISH_KIND_LABELS, type VsCodeProcess } from '../../src/worker/vscodeProcesses';
import { ENGLISH_LABELS, workspaceMembers } from '../../src/worker/workspaceScope';

interface Recorded {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
}

const recorded: Recorded[] = readFileSync(join(__dirname, '..', 'fixtures', 'vscode-processes', 'code-server-4.100.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Recorded);
const byPid = new Map(recorded.map((p) => [p.pid, p]));
const find = (what: string, pred: (p: Recorded) => boolean): Recorded => {
  const p = recorded.find(pred);
  assert.ok(p, `the recording holds ${what}`);
  return p;
};

const server = find('the server', (p) => p.argv.some((a) => a.endsWith('/out/node/entry')));
const host = find('the extension host', (p) => p.argv.includes('--type=extensionHost') && p.ppid === server.pid);
const watcher = find('the file watcher', (p) => p.argv.includes('--type=fileWatcher'));
const ptyHost = find('the pty host', (p) => p.argv.includes('--type=ptyHost'));
const terminal = find('the terminal shell', (p) => p.ppid === ptyHost.pid && p.comm === 'bash');
const tsservers = recorded.filter((p) => p.argv.some((a) => a.endsWith('/tsserver.js')));
const typings = find('the typings installer', (p) => p.argv.some((a) => a.endsWith('/typingsInstaller.js')));
const searches = recorded.filter((p) => p.comm === 'rg');
const git = find('git started by the extension host', (p) => p.comm === 'git' && p.ppid === host.pid && p.argv.length > 0);

const classify = (p: Recorded): VsCodeProcess | null => {
  const parent = byPid.get(p.ppid);
  const parentKind = parent ? classifyVsCodeProcess({ name: parent.comm, cmdline: parent.argv })?.kind : undefined;
  return classifyVsCodeProcess({ name: p.comm, cmdline: p.argv }, parentKind === 'extensionHost' || parentKind === 'remoteExtensionHost');
};

test('the recording holds two tsservers and two ripgrep runs (Quick Open and Find in Files)', () => {
  assert.equal(tsservers.length, 2);
  assert.ok(searches.length >= 2, `${searches.length} rg`);
});

const recordedCases: ReadonlyArray<readonly [string, () => Recorded[], VsCodeProcess | null]> = [
  ['code-server (out/node/entry) is the server', () => [server], { kind: 'server' }],
  ['bootstrap-fork --type=extensionHost --transformURIs is the remote extension host', () => [host], { kind: 'remoteExtensionHost' }],
  ['bootstrap-fork --type=fileWatcher is the file watcher', () => [watcher], { kind: 'fileWatcher' }],
  ['bootstrap-fork --type=ptyHost is the pty host', () => [ptyHost], { kind: 'ptyHost' }],
  ['tsserver.js is a language server', () => tsservers, { kind: 'languageServer', detail: 'tsserver.js' }],
  ['typingsInstaller.js is a language server', () => [typings], { kind: 'languageServer', detail: 'typingsInstaller.js' }],
  ['ripgrep is search', () => searches, { kind: 'search' }],
  ['a terminal shell is not VS Code itself', () => [terminal], null],
  ['git started by the extension host is not named by itself', () => [git], null],
  [
    'the code-server launcher script is not the server',
    () => [find('the launcher', (p) => p.argv.some((a) => a.endsWith('/.bin/code-server')))],
    null,
  ],
];
for (const [name, pick, expected] of recordedCases) {
  test(`recorded: ${name}`, () => {
    for (const p of pick()) assert.deepEqual(classify(p), expected, JSON.stringify(p.argv));
  });
}

const desktopCases: ReadonlyArray<readonly [string, string[], VsCodeProcess | null, boolean?]> = [
  ['the Electron main process', ['/usr/share/code/code', '--no-sandbox'], { kind: 'main' }],
  [
    'a window (renderer)',
    ['/usr/share/code/code', '--type=renderer', '--enable-crash-reporter=x', '--app-path=/usr/share/code/resources/app'],
    { kind: 'window' },
  ],
  ['the GPU process', ['/usr/share/code/code', '--type=gpu-process', '--crashpad-handler-pid=1'], { kind: 'gpu' }],
  ['the zygote', ['/usr/share/code/code', '--type=zygote', '--no-zygote-sandbox'], { kind: 'zygote' }],
  [
    'the network service',
    ['/usr/share/code/code', '--type=utility', '--utility-sub-type=network.mojom.NetworkService', '--lang=en-US'],
    { kind: 'network' },
  ],
  [
    'the shared process',
    [
      '/usr/share/code/code',
      '--type=utility',
      '--utility-sub-type=node.mojom.NodeService',
      '--lang=en-US',
      '--vscode-shared-process',
      'sharedProcessMain',
    ],
    { kind: 'sharedProcess' },
  ],
  [
    'a Node utility process it cannot tell apart',
    ['/usr/share/code/code', '--type=utility', '--utility-sub-type=node.mojom.NodeService', '--lang=en-US'],
    { kind: 'utility' },
  ],
  ['the local extension host (no --transformURIs)', ['/usr/share/code/code', '--type=extensionHost'], { kind: 'extensionHost' }],
  [
    'the crash reporter',
    ['/usr/share/code/chrome_crashpad_handler', '--type=crashpad-handler', '--database=/tmp/x'],
    { kind: 'crashReporter' },
  ],
  [
    'the VS Code server (vscode-server)',
    [
      '/home/u/.vscode-server/cli/servers/Stable-x/server/node',
      '/home/u/.vscode-server/cli/servers/Stable-x/server/out/server-main.js',
      '--host=127.0.0.1',
    ],
    { kind: 'server' },
  ],
  [
    'a vscode-languageclient server',
    ['/usr/bin/node', '--max-old-space-size=1024', '/ext/out/server.js', '--node-ipc', '--clientProcessId=42'],
    { kind: 'languageServer', detail: 'server.js' },
  ],
  [
    'a Node script started by an extension host',
    ['/usr/bin/node', '/ext/dist/eslintServer.js'],
    { kind: 'languageServer', detail: 'eslintServer.js' },
    true,
  ],
  [
    "an extension's server run by the desktop's Electron binary as Node",
    ['/usr/share/code/code', '/ext/server/out/cssServerMain.js'],
    { kind: 'languageServer', detail: 'cssServerMain.js' },
    true,
  ],
  [
    "tsserver.js run by the desktop's Electron binary as Node",
    [
      '/usr/share/code/code',
      '--max-old-space-size=3072',
      '/usr/share/code/resources/app/extensions/node_modules/typescript/lib/tsserver.js',
      '--serverMode',
      'partialSemantic',
    ],
    { kind: 'languageServer', detail: 'tsserver.js' },
  ],
  ['the same script started by anyone else', ['/usr/bin/node', '/ext/dist/eslintServer.js'], null, false],
  ["a program's own --type= flag", ['/usr/bin/foo', '--type=bar'], null],
  ['rg run by a user', ['/usr/bin/rg', 'needle'], null],
  ['rg run by an extension host', ['/usr/bin/rg', '--json', 'needle'], { kind: 'search' }, true],
  ['a process with no argv (zombie or kernel thread)', [], null],
];
for (const [name, argv, expected, parentIsHost] of desktopCases) {
  test(`argv: ${name}`, () => {
    const exe = argv[0] ?? '';
    assert.deepEqual(classifyVsCodeProcess({ name: exe.slice(exe.lastIndexOf('/') + 1), cmdline: argv }, parentIsHost ?? false), expected);
  });
}

test('"This workspace" over the recorded code-server tree names each VS Code process, and keeps terminals and other windows out', () => {
  const members = workspaceMembers({
    processes: recorded.map((p) => ({ pid: p.pid, ppid: p.ppid, name: p.comm, kernelThread: false, exe: null, cmdline: p.argv })),
    hostPid: host.pid,
    installRoot: '/repo/.vscode-test/code-server/node_modules/code-server',
    terminals: [{ pid: terminal.pid, name: 'bash' }],
  });
  const label = (pid: number) => members.find((m) => m.pid === pid)?.label;
  const K = ENGLISH_KIND_LABELS;
  assert.equal(label(server.pid), K.server);
  assert.equal(label(host.pid), K.remoteExtensionHost);
  assert.equal(label(watcher.pid), K.fileWatcher);
  assert.equal(label(ptyHost.pid), K.ptyHost);
  for (const t of tsservers) assert.equal(label(t.pid), 'VS Code: language server (tsserver.js)');
  assert.equal(label(typings.pid), 'VS Code: language server (typingsInstaller.js)');
  for (const s of searches) assert.equal(label(s.pid), K.search);
  assert.equal(label(terminal.pid), 'Terminal: bash');
  // What the extension host starts without a name of its own is the host's.
  assert.equal(label(git.pid), K.remoteExtensionHost);
  // The pty host's helpers (cpuUsage.sh) are not listed: its children are every window's terminals.
  const ptyHelpers = recorded.filter((p) => p.ppid === ptyHost.pid && p.pid !== terminal.pid);
  assert.ok(ptyHelpers.length > 0);
  for (const p of ptyHelpers) assert.equal(label(p.pid), undefined, JSON.stringify(p.argv));
  // The launcher above the server lies outside the install folder.
  assert.equal(label(server.ppid), undefined);
});

test("a second window's extension host under the same server is not this workspace", () => {
  const other = { pid: 999_999, ppid: server.pid, name: 'node', kernelThread: false, exe: null, cmdline: host.argv };
  const members = workspaceMembers({
    processes: [
      ...recorded.map((p) => ({ pid: p.pid, ppid: p.ppid, name: p.comm, kernelThread: false, exe: null, cmdline: p.argv })),
      other,
    ],
    hostPid: host.pid,
    installRoot: '/repo/.vscode-test/code-server/node_modules/code-server',
  });
  assert.equal(
    members.some((m) => m.pid === other.pid),
    false,
  );
});

test('labels come from the labels given (translated by the host)', () => {
  const kinds = { ...ENGLISH_KIND_LABELS, ptyHost: 'VS Code: pty 호스트', languageServer: 'VS Code: 언어 서버({0})' };
  const members = workspaceMembers({
    processes: recorded.map((p) => ({ pid: p.pid, ppid: p.ppid, name: p.comm, kernelThread: false, exe: null, cmdline: p.argv })),
    hostPid: host.pid,
    installRoot: '/repo/.vscode-test/code-server/node_modules/code-server',
    labels: { ...ENGLISH_LABELS, kinds },
  });
  assert.equal(members.find((m) => m.pid === ptyHost.pid)?.label, 'VS Code: pty 호스트');
  assert.equal(members.find((m) => m.pid === tsservers[0]!.pid)?.label, 'VS Code: 언어 서버(tsserver.js)');
});
