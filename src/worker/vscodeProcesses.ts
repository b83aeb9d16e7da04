// Which of VS Code's own processes a process is, read from its argv as VS Code's Process Explorer reads it
// (it names processes from `--type=` and the script a Node process runs). Pure (no vscode import): the
// panel's worker runs it on every membership change.
//
// Markers, as VS Code starts its processes:
// - remote server / code-server: `server-main.js`, code-server's `out/node/entry`;
//   its children `bootstrap-fork --type=ptyHost | fileWatcher | extensionHost` (the server-side extension host
//   also gets `--transformURIs`); recorded from code-server 4.100 in test/fixtures/vscode-processes.
// - desktop (Electron): the main process has no `--type=`; `--type=renderer` (a window), `--type=gpu-process`,
//   `--type=zygote`, `--type=utility` with `--utility-sub-type=network.mojom.NetworkService` (network) or
//   `node.mojom.NodeService` (VS Code's Node utility processes: the shared process, pty host, file watcher and
//   extension host, told apart by the entry point or service name in their argv when present).
// - language servers: tsserver.js / typingsInstaller.js, or vscode-languageclient's `--node-ipc` /
//   `--clientProcessId=`, or any Node script started directly by an extension host.
// - search: ripgrep (`rg`), started by the extension host or the server for Find in Files and Quick Open.
import type { LabelTemplates, ScopeContext } from './protocol';

export type VsCodeKind =
  | 'main'
  | 'server'
  | 'window'
  | 'gpu'
  | 'zygote'
  | 'network'
  | 'utility'
  | 'crashReporter'
  | 'sharedProcess'
  | 'ptyHost'
  | 'fileWatcher'
  | 'extensionHost'
  | 'remoteExtensionHost'
  | 'languageServer'
  | 'search';

export interface VsCodeProcess {
  readonly kind: VsCodeKind;
  /** The script a language server runs (e.g. "tsserver.js"); only for `languageServer`. */
  readonly detail?: string;
}

/** Kinds that serve every window (not one window's helpers): "This workspace" lists them beside its host. */
export const SHARED_SERVICE_KINDS: ReadonlySet<VsCodeKind> = new Set<VsCodeKind>([
  'sharedProcess',
  'ptyHost',
  'fileWatcher',
  'gpu',
  'zygote',
  'network',
  'utility',
  'crashReporter',
]);

export interface ArgvProcess {
  readonly name: string;
  readonly cmdline: readonly string[] | null;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function typeOf(argv: readonly string[]): string | undefined {
  for (const a of argv) if (a.startsWith('--type=')) return a.slice('--type='.length);
  return undefined;
}

const SCRIPT = /\.(?:js|mjs|cjs)$/;

function scriptOf(argv: readonly string[]): string | undefined {
  // The first argument that names a script: Node's options (--max-old-space-size=...) come before it.
  for (const a of argv.slice(1)) {
    if (a.startsWith('-')) continue;
    return SCRIPT.test(a) ? basename(a) : undefined;
  }
  return undefined;
}

// The desktop starts extensions' servers with its own Electron binary as Node (ELECTRON_RUN_AS_NODE).
const ELECTRON_AS_NODE = new Set(['code', 'code-insiders', 'codium', 'code-oss']);

function isNode(argv: readonly string[], name: string): boolean {
  const exe = basename(argv[0] ?? '');
  return /^node(?:js)?(?:\d+)?$/.test(exe) || name === 'node' || ELECTRON_AS_NODE.has(exe);
}

const UTILITY_SERVICES: ReadonlyArray<readonly [RegExp, VsCodeKind]> = [
  [/sharedProcess|shared-process/, 'sharedProcess'],
  [/ptyHost|pty-host/, 'ptyHost'],
  [/fileWatcher|file-watcher|watcherMain/, 'fileWatcher'],
  [/extensionHost|extension-host/, 'extensionHost'],
];

/**
 * What VS Code process this is, or null when its argv alone does not say (an ordinary program, or a child
 * whose meaning depends on its parent: see `parentIsExtensionHost`).
 * @param parentIsExtensionHost a Node script started by an extension host is an extension's server.
 */
export function classifyVsCodeProcess(p: ArgvProcess, parentIsExtensionHost = false): VsCodeProcess | null {
  const argv = p.cmdline ?? [];
  if (argv.length === 0) return null; // a zombie or kernel thread: nothing to read
  const joined = argv.join(' ');
  const type = typeOf(argv);
  if (type !== undefined) {
    switch (type) {
      case 'extensionHost':
        return { kind: argv.includes('--transformURIs') ? 'remoteExtensionHost' : 'extensionHost' };
      case 'ptyHost':
        return { kind: 'ptyHost' };
      case 'fileWatcher':
        return { kind: 'fileWatcher' };
      case 'renderer':
        return { kind: 'window' };
      case 'gpu-process':
        return { kind: 'gpu' };
      case 'zygote':
        return { kind: 'zygote' };
      case 'crashpad-handler':
        return { kind: 'crashReporter' };
      case 'utility': {
        if (joined.includes('--utility-sub-type=network.mojom.NetworkService')) return { kind: 'network' };
        for (const [marker, kind] of UTILITY_SERVICES) if (marker.test(joined)) return { kind };
        return { kind: 'utility' };
      }
      default:
        break; // another program's --type= (a language server's own flag): judged below
    }
  }
  const exe = basename(argv[0] ?? '');
  if (exe === 'crashpad_handler' || p.name === 'crashpad_handler') return { kind: 'crashReporter' };
  if ((exe === 'rg' || p.name === 'rg') && (joined.includes('ripgrep') || parentIsExtensionHost)) return { kind: 'search' };
  const script = scriptOf(argv);
  if (script === 'server-main.js' || argv.some((a) => /\/code-server\/out\/node\/entry(?:\.js)?$/.test(a))) return { kind: 'server' };
  if (script === 'tsserver.js' || script === 'typingsInstaller.js') return { kind: 'languageServer', detail: script };
  if (script !== undefined && (argv.includes('--node-ipc') || argv.some((a) => a.startsWith('--clientProcessId=')))) {
    return { kind: 'languageServer', detail: script };
  }
  if (parentIsExtensionHost && script !== undefined && isNode(argv, p.name)) return { kind: 'languageServer', detail: script };
  // Electron's main process: the VS Code binary itself, with no --type=.
  if (type === undefined && (exe === 'code' || exe === 'code-insiders' || exe === 'codium' || exe === 'code-oss')) return { kind: 'main' };
  return null;
}

export function isExtensionHostKind(kind: VsCodeKind | undefined): boolean {
  return kind === 'extensionHost' || kind === 'remoteExtensionHost';
}

/** English labels; the host sends translated ones. `{0}` is the language server's script. */
export const ENGLISH_KIND_LABELS: Readonly<Record<VsCodeKind, string>> = {
  main: 'VS Code: main',
  server: 'VS Code: server',
  window: 'VS Code: window',
  gpu: 'VS Code: GPU process',
  zygote: 'VS Code: zygote',
  network: 'VS Code: network service',
  utility: 'VS Code: utility process',
  crashReporter: 'VS Code: crash reporter',
  sharedProcess: 'VS Code: shared process',
  ptyHost: 'VS Code: pty host',
  fileWatcher: 'VS Code: file watcher',
  extensionHost: 'VS Code: extension host',
  remoteExtensionHost: 'VS Code: extension host (remote)',
  languageServer: 'VS Code: language server ({0})',
  search: 'VS Code: search (ripgrep)',
};

export function kindLabel(labels: Readonly<Record<VsCodeKind, string>>, p: VsCodeProcess): string {
  return labels[p.kind].replace('{0}', () => p.detail ?? '');
}

/** The label templates in English, as the host fills them in for an English window (tests, benchmarks). */
export const ENGLISH_LABELS: LabelTemplates = {
  terminal: 'Terminal: {0}',
  task: 'Task: {0}',
  debug: 'Debug: {0}',
  lab: 'Lab: {0}',
  folder: 'Folder: {0}',
  extensionHost: 'VS Code: extension host',
  vscode: 'VS Code',
  kinds: ENGLISH_KIND_LABELS,
};

/** A window with no terminals, tasks, debuggees, labs or folders (each can be given), in English. */
export function quietScope(parts: Partial<ScopeContext> = {}): ScopeContext {
  return {
    hostPid: 999_999,
    installRoot: null,
    terminals: [],
    tasks: [],
    debuggees: [],
    labs: [],
    folders: [],
    labels: ENGLISH_LABELS,
    ...parts,
  };
}
