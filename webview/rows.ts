// Turns the process table into the flat list of visible rows: a tree built from a complete pid map
// (parents need not come first, pids may wrap), filtered, sorted among siblings, with thread rows
// under the processes whose threads are open.
import type { ProcessInfo, ProcessKey, ThreadInfo } from '../src/core/model';
import type { Scope, WorkspaceMember } from '../src/protocol';
import { buildProcessTree, isParentOf, walkPreorder } from '../src/shared/processTree';
import { needsHost, parseFilter, type Filter } from './filterQuery';

/** A column of the tree; every one sorts except 'wait' (its text comes from a separate, slower look). */
export type SortColumn =
  'pid' | 'name' | 'state' | 'wait' | 'cpu' | 'rss' | 'threads' | 'user' | 'cmd' | 'mem' | 'time' | 'virt' | 'nice' | 'pri' | 'start';
export interface SortSpec {
  readonly column: SortColumn;
  readonly descending: boolean;
}

export interface ProcessRow {
  readonly kind: 'process';
  readonly id: string;
  readonly key: ProcessKey;
  readonly proc: ProcessInfo;
  readonly level: number;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
  readonly threadsOpen: boolean;
  /** Thread rows can be shown (the showThreads setting). */
  readonly threadsAllowed: boolean;
  /** Shown only because a descendant matches the filter. */
  readonly context: boolean;
  readonly parentId: string | null;
  readonly member: WorkspaceMember | undefined;
  /** Why the filter's look-up found it ("listens on TCP :8080"), when the filter has look-up terms. */
  readonly found?: string;
}

export interface ThreadRow {
  readonly kind: 'thread';
  readonly id: string;
  readonly key: ProcessKey;
  readonly proc: ProcessInfo;
  readonly thread: ThreadInfo;
  readonly level: number;
  readonly parentId: string;
}

export type Row = ProcessRow | ThreadRow;

export interface RowOptions {
  readonly collapsed: ReadonlySet<ProcessKey>;
  readonly threadsOpen: ReadonlySet<ProcessKey>;
  readonly filter: string;
  readonly states: ReadonlySet<string>;
  readonly sort: SortSpec;
  readonly showKernelThreads: boolean;
  readonly showThreads: boolean;
  readonly scope: Scope;
  readonly workspace: ReadonlyMap<number, WorkspaceMember>;
  /**
   * The host's answer to the filter's look-up terms: why each found process was found, by key. Null while
   * no answer for these terms has come (nothing matches them yet); ignored when the filter has none.
   */
  readonly found?: ReadonlyMap<ProcessKey, string> | null;
}

export { parseFilter, type Filter } from './filterQuery';

export function commandLine(p: ProcessInfo): string {
  if (p.cmdline && p.cmdline.length > 0) return p.cmdline.join(' ');
  return p.kernelThread ? `[${p.name}]` : '';
}

export function matches(
  p: ProcessInfo,
  filter: Filter,
  states: ReadonlySet<string>,
  found: ReadonlyMap<ProcessKey, string> | null = null,
): boolean {
  if (states.size > 0 && !states.has(p.state)) return false;
  // A look-up word that cannot be asked narrows to nothing (the toolbar says why), as a pid: that names no process.
  if (filter.problems.length > 0) return false;
  if (filter.lookups.length > 0 && !found?.has(p.key)) return false;
  for (const term of filter.terms) {
    const v = term.value;
    switch (term.field) {
      case 'pid':
        if (String(p.pid) !== v) return false;
        break;
      case 'name':
        if (!p.name.toLowerCase().includes(v)) return false;
        break;
      case 'user':
        if (!(p.user ?? '').toLowerCase().includes(v) && String(p.uid) !== v) return false;
        break;
      case 'state':
        if (!v.includes(p.state)) return false;
        break;
      case 'cmd':
        if (!commandLine(p).toLowerCase().includes(v)) return false;
        break;
      default:
        if (
          !p.name.toLowerCase().includes(v) &&
          !String(p.pid).startsWith(v) &&
          !(p.user ?? '').toLowerCase().includes(v) &&
          !commandLine(p).toLowerCase().includes(v)
        )
          return false;
    }
  }
  return true;
}

export function compareBy(column: SortColumn): (a: ProcessInfo, b: ProcessInfo) => number {
  switch (column) {
    case 'pid':
      return (a, b) => a.pid - b.pid;
    case 'name':
      return (a, b) => a.name.localeCompare(b.name) || a.pid - b.pid;
    case 'state':
      return (a, b) => a.state.localeCompare(b.state) || a.pid - b.pid;
    case 'cpu':
      return (a, b) => (a.cpuPercent ?? -1) - (b.cpuPercent ?? -1) || a.pid - b.pid;
    case 'rss':
      return (a, b) => a.rss - b.rss || a.pid - b.pid;
    case 'threads':
      return (a, b) => a.numThreads - b.numThreads || a.pid - b.pid;
    case 'user':
      return (a, b) => (a.user ?? '').localeCompare(b.user ?? '') || a.pid - b.pid;
    case 'cmd':
      return (a, b) => commandLine(a).localeCompare(commandLine(b)) || a.pid - b.pid;
    // MEM% is RSS over one machine-wide total: the same order as RSS.
    case 'mem':
      return (a, b) => a.rss - b.rss || a.pid - b.pid;
    case 'time':
      return (a, b) => a.utimeMs + a.stimeMs - (b.utimeMs + b.stimeMs) || a.pid - b.pid;
    case 'virt':
      return (a, b) => a.vsize - b.vsize || a.pid - b.pid;
    case 'nice':
      return (a, b) => a.nice - b.nice || a.pid - b.pid;
    case 'pri':
      return (a, b) => a.priority - b.priority || a.pid - b.pid;
    case 'start':
      return (a, b) => a.startTime - b.startTime || a.pid - b.pid;
    case 'wait':
      return (a, b) => a.pid - b.pid;
  }
}

/** Children by parent pid, from the complete pid map; roots are processes whose parent is not in the map. */
export function buildChildren(
  processes: Iterable<ProcessInfo>,
  byPid: ReadonlyMap<number, ProcessInfo>,
): { roots: ProcessInfo[]; children: Map<number, ProcessInfo[]> } {
  // A parent that started after its child is a reused pid, not the real parent; an exited row whose pid was
  // already reused is shown at the top level (the shared tree's byPid rule).
  const tree = buildProcessTree(processes, { byPid });
  return { roots: [...tree.roots], children: tree.children as Map<number, ProcessInfo[]> };
}

export function buildRows(processes: Iterable<ProcessInfo>, byPid: ReadonlyMap<number, ProcessInfo>, o: RowOptions): Row[] {
  const filter = parseFilter(o.filter);
  const filtering = filter.terms.length > 0 || o.states.size > 0 || needsHost(filter);
  const found = filter.lookups.length > 0 ? (o.found ?? null) : null;
  const { roots, children } = buildChildren(processes, byPid);
  const cmp = compareBy(o.sort.column);
  const order = o.sort.descending ? (a: ProcessInfo, b: ProcessInfo) => cmp(b, a) : cmp;

  // Workspace scope: members and everything under them.
  let scopeRoots = roots;
  if (o.scope === 'workspace') {
    const members: ProcessInfo[] = [];
    for (const member of o.workspace.keys()) {
      const p = byPid.get(member);
      if (p) members.push(p);
    }
    // A member under another member is shown inside that member's subtree, not twice.
    const memberPids = new Set(members.map((p) => p.pid));
    scopeRoots = members.filter((p) => {
      const seen = new Set<number>();
      // Up the real parents only: a process that took a dead parent's pid is not an ancestor.
      const parentOf = (c: ProcessInfo): ProcessInfo | undefined => {
        const up = byPid.get(c.ppid);
        return up && isParentOf(up, c) ? up : undefined;
      };
      let q = parentOf(p);
      while (q && !seen.has(q.pid)) {
        if (memberPids.has(q.pid)) return false;
        seen.add(q.pid);
        q = parentOf(q);
      }
      return true;
    });
  }

  const visible = (p: ProcessInfo): boolean => o.showKernelThreads || !p.kernelThread;

  // Which subtrees hold a match (post-order), so ancestors of matches stay visible as context.
  const matchInSubtree = new Map<number, boolean>();
  const selfMatch = new Map<number, boolean>();
  if (filtering) {
    // Pre-order without recursion (a chain can be thousands deep), then children before parents.
    const order: { node: ProcessInfo; parent: ProcessInfo | undefined }[] = [];
    walkPreorder(scopeRoots, (step) => {
      order.push(step);
      return children.get(step.node.pid);
    });
    for (const { node: p } of order) {
      const self = visible(p) && matches(p, filter, o.states, found);
      selfMatch.set(p.pid, self);
      if (self) matchInSubtree.set(p.pid, true);
      else if (!matchInSubtree.has(p.pid)) matchInSubtree.set(p.pid, false);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const { node, parent } = order[i]!;
      if (parent && matchInSubtree.get(node.pid)) matchInSubtree.set(parent.pid, true);
    }
  }

  const rows: Row[] = [];
  const top = scopeRoots
    .filter(visible)
    .filter((r) => !filtering || matchInSubtree.get(r.pid))
    .sort(order);
  walkPreorder<ProcessInfo>(top, ({ node: p, depth, parent }) => {
    const level = depth + 1;
    const parentId = parent ? `p${parent.key}` : null;
    const kids = (children.get(p.pid) ?? []).filter((c) => visible(c) && (!filtering || matchInSubtree.get(c.pid)));
    const threads = o.showThreads && o.threadsOpen.has(p.key) && p.threads ? p.threads : null;
    // While filtering, matching subtrees open up so the matches are seen.
    const expanded = kids.length > 0 && (filtering || !o.collapsed.has(p.key));
    const id = `p${p.key}`;
    rows.push({
      kind: 'process',
      id,
      key: p.key,
      proc: p,
      level,
      hasChildren: kids.length > 0,
      expanded,
      threadsOpen: threads !== null,
      threadsAllowed: o.showThreads,
      context: filtering && !selfMatch.get(p.pid),
      parentId,
      member: o.workspace.get(p.pid),
      ...(found?.has(p.key) && selfMatch.get(p.pid) ? { found: found.get(p.key)! } : {}),
    });
    if (threads) {
      for (const th of threads)
        rows.push({ kind: 'thread', id: `t${p.key}/${th.tid}`, key: p.key, proc: p, thread: th, level: level + 1, parentId: id });
    }
    return expanded ? kids.sort(order) : undefined;
  });
  return rows;
}

/**
 * The flat list (htop's `t`): every process in scope that matches, sorted across the whole machine instead of
 * among siblings, each at the top level; thread rows under the processes whose threads are open.
 */
export function buildFlatRows(processes: Iterable<ProcessInfo>, byPid: ReadonlyMap<number, ProcessInfo>, o: RowOptions): Row[] {
  // The tree with everything open gives the processes in scope and which of them match (context rows do not).
  const tree = buildRows(processes, byPid, { ...o, collapsed: new Set(), threadsOpen: new Set() });
  const found = parseFilter(o.filter).lookups.length > 0 ? o.found : null;
  const cmp = compareBy(o.sort.column);
  const shown = tree.filter((r): r is ProcessRow => r.kind === 'process' && !r.context).map((r) => r.proc);
  shown.sort(o.sort.descending ? (a, b) => cmp(b, a) : cmp);
  const rows: Row[] = [];
  for (const p of shown) {
    const threads = o.showThreads && o.threadsOpen.has(p.key) && p.threads ? p.threads : null;
    const id = `p${p.key}`;
    rows.push({
      kind: 'process',
      id,
      key: p.key,
      proc: p,
      level: 1,
      hasChildren: false,
      expanded: false,
      threadsOpen: threads !== null,
      threadsAllowed: o.showThreads,
      context: false,
      parentId: null,
      member: o.workspace.get(p.pid),
      ...(found?.has(p.key) ? { found: found.get(p.key)! } : {}),
    });
    if (threads)
      for (const th of threads)
        rows.push({ kind: 'thread', id: `t${p.key}/${th.tid}`, key: p.key, proc: p, thread: th, level: 2, parentId: id });
  }
  return rows;
}
