// "This workspace": which processes belong to this VS Code window, and why. Pure (no vscode import):
// computed from a snapshot's complete pid map, so it does not depend on parents being listed first.
//
// Members, each with the role and label the UI shows:
// - roots: integrated terminals' shells, running tasks, debuggees, lab programs, the extension host itself,
//   and processes whose cwd lies inside a workspace folder;
// - every descendant of a root, labelled like its NEAREST root (a shell started inside a task's terminal
//   gets the terminal's label; the terminal's own children too);
// - the extension host's parent chain (the VS Code processes above it) and the services they run for every
//   window (pty host, file watcher, shared process, ...), without their other children: those are other
//   windows' hosts, terminals and helpers.
// VS Code's own processes are named as its Process Explorer names them (vscodeProcesses.ts).
// The list holds every member pid once; `label` is the same for a root and its descendants, so the UI can
// show it on the root (the member whose parent is not a member with the same label) or on every row.
import type { ProcessInfo } from '../core/model';
import type { WorkspaceMember, WorkspaceRole } from '../protocol';
import { splitProcessKey } from '../shared/processKey';
import { isDebuggerHelper } from '../extension/debug/debuggeeTracker';
import {
  classifyVsCodeProcess,
  ENGLISH_KIND_LABELS,
  isExtensionHostKind,
  kindLabel,
  SHARED_SERVICE_KINDS,
  type VsCodeKind,
  type VsCodeProcess,
} from './vscodeProcesses';

export interface NamedPid {
  readonly pid: number;
  readonly name: string;
  /**
   * The process's start time (clock ticks after boot, as text) when it was learned: the root then names that
   * process only, not a later one that got the same pid. Absent where it could not be read (no /proc).
   */
  readonly startTicks?: string;
}

export interface WorkspaceFolderPath {
  readonly path: string;
  readonly name: string;
}

export interface ScopeLabels {
  readonly terminal: (name: string) => string;
  readonly task: (name: string) => string;
  readonly debug: (name: string) => string;
  readonly lab: (name: string) => string;
  readonly folder: (name: string) => string;
  readonly extensionHost: string;
  readonly vscode: string;
  /** VS Code's own processes by kind, as its Process Explorer names them; `{0}` is a language server's script. */
  readonly kinds: Readonly<Record<VsCodeKind, string>>;
}

export const ENGLISH_LABELS: ScopeLabels = {
  terminal: (name) => `Terminal: ${name}`,
  task: (name) => `Task: ${name}`,
  debug: (name) => `Debug: ${name}`,
  lab: (name) => `Lab: ${name}`,
  folder: (name) => `Folder: ${name}`,
  extensionHost: 'VS Code: extension host',
  vscode: 'VS Code',
  kinds: ENGLISH_KIND_LABELS,
};

export interface ScopeInput {
  readonly processes: readonly (Pick<ProcessInfo, 'pid' | 'ppid' | 'kernelThread' | 'exe' | 'cmdline'> &
    Partial<Pick<ProcessInfo, 'name' | 'key'>>)[];
  /** The extension host's own pid (process.pid). */
  readonly hostPid: number;
  /**
   * Where this VS Code is installed (e.g. /usr/share/code, or code-server's package folder). The host's
   * ancestors count as VS Code's own processes while their exe or an argv entry lies under it.
   */
  readonly installRoot: string | null;
  readonly terminals?: readonly NamedPid[];
  readonly tasks?: readonly NamedPid[];
  readonly debuggees?: readonly NamedPid[];
  readonly labs?: readonly NamedPid[];
  readonly folders?: readonly WorkspaceFolderPath[];
  /** The process's current working directory, or null when unreadable. Asked only for user processes. */
  readonly cwdOf?: (pid: number) => string | null;
  readonly labels?: ScopeLabels;
}

interface Root {
  readonly role: WorkspaceRole;
  readonly label: string;
}

// Higher wins when one pid is several kinds of root (a task's process is also inside the folder).
const PRIORITY: Record<WorkspaceRole, number> = { debug: 6, lab: 5, task: 4, terminal: 3, vscode: 2, folder: 1 };

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') : path;
}

export function isInside(path: string, folder: string): boolean {
  const f = withoutTrailingSlash(folder);
  if (f === '/') return path.startsWith('/');
  return path === f || path.startsWith(`${f}/`);
}

function underRoot(p: Pick<ProcessInfo, 'exe' | 'cmdline'>, installRoot: string): boolean {
  const root = withoutTrailingSlash(installRoot);
  if (p.exe !== null && isInside(p.exe, root)) return true;
  return (p.cmdline ?? []).some((arg) => isInside(arg, root));
}

export function workspaceMembers(input: ScopeInput): WorkspaceMember[] {
  const labels = input.labels ?? ENGLISH_LABELS;
  const byPid = new Map<number, ScopeInput['processes'][number]>();
  for (const p of input.processes) byPid.set(p.pid, p);

  const roots = new Map<number, Root>();
  const addRoot = (pid: number, root: Root, startTicks?: string): void => {
    const p = byPid.get(pid);
    if (!p) return; // exited, or not in this snapshot
    // The pid was reused since the root was learned (a table without keys cannot say, and is taken as is).
    if (startTicks !== undefined && p.key !== undefined && splitProcessKey(p.key)?.startText !== startTicks) return;
    const existing = roots.get(pid);
    if (!existing || PRIORITY[root.role] > PRIORITY[existing.role]) roots.set(pid, root);
  };
  for (const t of input.terminals ?? []) addRoot(t.pid, { role: 'terminal', label: labels.terminal(t.name) }, t.startTicks);
  for (const t of input.tasks ?? []) addRoot(t.pid, { role: 'task', label: labels.task(t.name) }, t.startTicks);
  for (const d of input.debuggees ?? []) addRoot(d.pid, { role: 'debug', label: labels.debug(d.name) }, d.startTicks);
  for (const l of input.labs ?? []) addRoot(l.pid, { role: 'lab', label: labels.lab(l.name) }, l.startTicks);
  addRoot(input.hostPid, { role: 'vscode', label: labels.extensionHost });

  const folders = (input.folders ?? []).filter((f) => f.path.startsWith('/'));
  if (folders.length > 0 && input.cwdOf) {
    for (const p of input.processes) {
      if (p.kernelThread) continue;
      const cwd = input.cwdOf(p.pid);
      if (cwd === null) continue;
      // The innermost folder names the process when folders nest.
      let best: WorkspaceFolderPath | undefined;
      for (const f of folders) {
        if (isInside(cwd, f.path) && (!best || f.path.length > best.path.length)) best = f;
      }
      if (best) addRoot(p.pid, { role: 'folder', label: labels.folder(best.name) });
    }
  }

  // Nearest root above (or at) each pid, memoised; the visited set guards against a ppid loop.
  const nearest = new Map<number, Root | null>();
  const resolve = (start: number): Root | null => {
    const path: number[] = [];
    const seen = new Set<number>();
    let pid = start;
    let found: Root | null = null;
    for (;;) {
      const known = nearest.get(pid);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(pid);
      seen.add(pid);
      const root = roots.get(pid);
      if (root) {
        found = root;
        break;
      }
      const parent = byPid.get(pid)?.ppid;
      if (parent === undefined || parent <= 0 || parent === pid || seen.has(parent) || !byPid.has(parent)) break;
      pid = parent;
    }
    for (const p of path) nearest.set(p, found);
    return found;
  };

  // A cwd inside a folder is a weak reason: a debuggee's, task's, terminal's or lab's descendant keeps that
  // root's label even when its own cwd lies in a folder (a debugged program's child is part of the session).
  const explicitAbove = new Map<number, Root | null>();
  const explicitRoot = (start: number): Root | null => {
    const path: number[] = [];
    let pid = start;
    let found: Root | null = null;
    while (!explicitAbove.has(pid) && !path.includes(pid)) {
      path.push(pid);
      const root = roots.get(pid);
      if (root && root.role !== 'folder' && root.role !== 'vscode') {
        found = root;
        break;
      }
      const parent = byPid.get(pid)?.ppid;
      if (parent === undefined || parent <= 0 || parent === pid || !byPid.has(parent)) break;
      pid = parent;
    }
    if (found === null && explicitAbove.has(pid)) found = explicitAbove.get(pid) ?? null;
    for (const q of path) explicitAbove.set(q, found);
    return found;
  };

  const members: WorkspaceMember[] = [];
  const included = new Set<number>();
  for (const p of input.processes) {
    let root = resolve(p.pid);
    if (root?.role === 'folder') root = explicitRoot(p.pid) ?? root;
    // js-debug's bootloader starts its watchdog from inside the debuggee, so it sits in the debuggee's subtree;
    // it is the debugger's process (VS Code's), not part of the program being debugged.
    if (root?.role === 'debug' && isDebuggerHelper(p)) root = { role: 'vscode', label: labels.vscode };
    if (root) {
      members.push({ pid: p.pid, role: root.role, label: root.label });
      included.add(p.pid);
    }
  }

  // VS Code's own processes get the name its Process Explorer gives them, and the other processes it starts
  // (git, a shell an extension runs) the name of the nearest one above them. Memoised; a ppid loop stops.
  const kinds = new Map<number, VsCodeProcess | null>();
  const kindOf = (pid: number, depth = 0): VsCodeProcess | null => {
    const known = kinds.get(pid);
    if (known !== undefined) return known;
    const p = byPid.get(pid);
    if (!p || depth > 64) return null;
    kinds.set(pid, null); // a loop back to this pid reads "unknown"
    const parentKind = p.ppid > 0 && p.ppid !== pid ? kindOf(p.ppid, depth + 1)?.kind : undefined;
    const kind = classifyVsCodeProcess({ name: p.name ?? '', cmdline: p.cmdline }, isExtensionHostKind(parentKind));
    kinds.set(pid, kind);
    return kind;
  };
  const vscodeMember = new Map<number, number>(); // pid -> index in members, for role 'vscode' only
  members.forEach((m, i) => {
    if (m.role === 'vscode') vscodeMember.set(m.pid, i);
  });
  const named = new Map<number, string | null>();
  const nameFor = (start: number): string | null => {
    const path: number[] = [];
    let pid = start;
    let found: string | null = null;
    while (vscodeMember.has(pid) && !path.includes(pid)) {
      const memo = named.get(pid);
      if (memo !== undefined) {
        found = memo;
        break;
      }
      path.push(pid);
      const kind = kindOf(pid);
      if (kind) {
        found = kindLabel(labels.kinds, kind);
        break;
      }
      pid = byPid.get(pid)?.ppid ?? 0;
    }
    for (const q of path) named.set(q, found);
    return found;
  };
  for (const [pid, i] of vscodeMember) {
    const m = members[i];
    if (!m) continue;
    // js-debug's helpers sit in a debuggee's subtree: "VS Code" is all that can be said of them.
    if (m.label === labels.vscode && pid !== input.hostPid) continue;
    const label = nameFor(pid);
    if (label !== null) members[i] = { ...m, label };
  }

  // The host's ancestors that are VS Code itself (not the shell or service manager that started it), and the
  // services they run for every window (pty host, file watcher, shared process, GPU, ...). Their other
  // children are other windows' extension hosts and renderers, and the pty host's are every window's
  // terminals: not this workspace.
  if (input.installRoot) {
    const children = new Map<number, number[]>();
    for (const p of input.processes) {
      const list = children.get(p.ppid);
      if (list) list.push(p.pid);
      else children.set(p.ppid, [p.pid]);
    }
    const seen = new Set<number>([input.hostPid]);
    let parent = byPid.get(input.hostPid)?.ppid;
    while (parent !== undefined && parent > 1 && !seen.has(parent)) {
      seen.add(parent);
      const p = byPid.get(parent);
      if (!p || !underRoot(p, input.installRoot)) break;
      if (!included.has(parent)) {
        const kind = kindOf(parent);
        members.push({ pid: parent, role: 'vscode', label: kind ? kindLabel(labels.kinds, kind) : labels.vscode });
        included.add(parent);
      }
      for (const child of children.get(parent) ?? []) {
        if (included.has(child)) continue;
        const kind = kindOf(child);
        if (kind && SHARED_SERVICE_KINDS.has(kind.kind)) {
          members.push({ pid: child, role: 'vscode', label: kindLabel(labels.kinds, kind) });
          included.add(child);
        }
      }
      parent = p.ppid;
    }
  }
  return members.sort((a, b) => a.pid - b.pid);
}

/** A cheap fingerprint, to post the membership only when it changed. */
export function membershipSignature(members: readonly WorkspaceMember[]): string {
  return members.map((m) => `${m.pid}:${m.role}:${m.label}`).join('\n');
}
