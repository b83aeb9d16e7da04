// The process hierarchy, built from a complete pid map and walked without recursion. Browser-safe: the CLI,
// the core (labs), the extension host (debug tracking) and the webview (rows) all use this one module.
//
// Why each rule:
// - Parents are never assumed to be listed before their children: pids wrap around, so a child's pid can
//   be smaller than its parent's (VS Code's own ps.ts assumes the order and breaks on it).
// - A pid can be reused: a process whose recorded parent started AFTER it cannot be that process's child;
//   the parent it had has exited and its pid now belongs to someone else. Such a process is a root.
// - A chain can be any depth (a fork chain of 100,000 is one shell loop away), so every walk keeps its own
//   stack instead of recursing, and every walk visits a node at most once, so a ppid cycle (a corrupt or
//   hostile snapshot) ends instead of looping.

/** What the tree needs of a process. `startTime` is any clock that orders start times; 0, null or absent means unknown. */
export interface TreeNode {
  readonly pid: number;
  readonly ppid: number;
  readonly startTime?: number | null;
}

export interface ProcessTree<T extends TreeNode> {
  /** Processes with no parent in the set (pid 1, kthreadd, an orphan of a filtered view, a reused parent pid), by pid. */
  readonly roots: readonly T[];
  /** Children by parent pid, each list by pid. Every process is a root or in exactly one list. */
  readonly children: ReadonlyMap<number, readonly T[]>;
  readonly byPid: ReadonlyMap<number, T>;
  /** The parent of each process that has one in the set (also for a process whose only way up is a ppid cycle). */
  readonly parentOf: ReadonlyMap<number, T>;
}

function known(start: number | null | undefined): start is number {
  return typeof start === 'number' && Number.isFinite(start) && start > 0;
}

/** Is `parent` really the parent of `child` (not a later process that reuses the parent's pid)? */
export function isParentOf(parent: TreeNode, child: TreeNode): boolean {
  if (child.ppid !== parent.pid || child.pid === parent.pid) return false;
  return !(known(parent.startTime) && known(child.startTime) && parent.startTime > child.startTime);
}

export interface BuildOptions<T extends TreeNode> {
  /**
   * The live process for each pid, when `processes` also holds rows that are kept after they exited (the
   * panel shows a process for a moment after it ends). A row that is not its pid's live process is a root.
   */
  readonly byPid?: ReadonlyMap<number, T>;
}

/** Builds the tree from every process at once; the input order does not matter. */
export function buildProcessTree<T extends TreeNode>(processes: Iterable<T>, options: BuildOptions<T> = {}): ProcessTree<T> {
  const all = [...processes];
  let byPid = options.byPid;
  if (!byPid) {
    const map = new Map<number, T>();
    for (const p of all) map.set(p.pid, p);
    byPid = map;
  }
  const children = new Map<number, T[]>();
  const parentOf = new Map<number, T>();
  const roots: T[] = [];
  for (const p of all) {
    const parent = byPid.get(p.pid) === p ? byPid.get(p.ppid) : undefined;
    if (!parent || !isParentOf(parent, p)) {
      roots.push(p);
      continue;
    }
    parentOf.set(p.pid, parent);
    let list = children.get(parent.pid);
    if (!list) children.set(parent.pid, (list = []));
    list.push(p);
  }
  const byPidOrder = (a: T, b: T): number => a.pid - b.pid;
  for (const list of children.values()) list.sort(byPidOrder);
  roots.sort(byPidOrder);

  // A ppid cycle has no root: nothing above reaches it. Make the lowest pid of each such group a root (and
  // take it out of its parent's list) so every process is reached exactly once from the roots.
  const reached = new Set<T>();
  const mark = (from: T): void => {
    walkPreorder([from], ({ node }) => {
      reached.add(node);
      return (children.get(node.pid) ?? []).filter((c) => !reached.has(c));
    });
  };
  for (const r of roots) mark(r);
  if (reached.size < all.length) {
    const unreached = all.filter((p) => !reached.has(p)).sort(byPidOrder);
    for (const p of unreached) {
      if (reached.has(p)) continue;
      const parent = parentOf.get(p.pid);
      const list = parent ? children.get(parent.pid) : undefined;
      if (list) {
        const i = list.indexOf(p);
        if (i >= 0) list.splice(i, 1);
      }
      roots.push(p);
      mark(p);
    }
    roots.sort(byPidOrder);
  }
  return { roots, children, byPid, parentOf };
}

/** One visit of a pre-order walk. */
export interface WalkStep<T> {
  readonly node: T;
  /** 0 for a root. */
  readonly depth: number;
  readonly parent: T | undefined;
  /** The last of its siblings (for drawing └─ rather than ├─). */
  readonly last: boolean;
}

/**
 * Pre-order walk without recursion: `visit` sees a node before its children and returns the children to
 * descend into, in the order they are to be visited (nothing, to prune). A node is visited at most once.
 */
export function walkPreorder<T>(roots: readonly T[], visit: (step: WalkStep<T>) => readonly T[] | undefined | void): void {
  const seen = new Set<T>();
  const stack: WalkStep<T>[] = [];
  const pushAll = (nodes: readonly T[], depth: number, parent: T | undefined): void => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push({ node: nodes[i]!, depth, parent, last: i === nodes.length - 1 });
  };
  pushAll(roots, 0, undefined);
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (seen.has(step.node)) continue;
    seen.add(step.node);
    const next = visit(step);
    if (next && next.length > 0) pushAll(next, step.depth + 1, step.node);
  }
}

/** The whole tree in pre-order with depths (children by pid, or by `order` when given). */
export function flattenTree<T extends TreeNode>(tree: ProcessTree<T>, order?: (a: T, b: T) => number): WalkStep<T>[] {
  const out: WalkStep<T>[] = [];
  const sorted = (list: readonly T[]): readonly T[] => (order ? [...list].sort(order) : list);
  walkPreorder(sorted(tree.roots), (step) => {
    out.push(step);
    return sorted(tree.children.get(step.node.pid) ?? []);
  });
  return out;
}

/** pid and every descendant of it, pid first, in pre-order (empty when pid is not in the tree). */
export function descendants<T extends TreeNode>(tree: ProcessTree<T>, pid: number): number[] {
  const start = tree.byPid.get(pid);
  if (!start) return [];
  const out: number[] = [];
  walkPreorder([start], ({ node }) => {
    out.push(node.pid);
    return tree.children.get(node.pid);
  });
  return out;
}

/** pid's ancestors, nearest first, up to a root (stopping where a ppid cycle would repeat). */
export function ancestors<T extends TreeNode>(tree: ProcessTree<T>, pid: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  let parent = tree.parentOf.get(pid);
  while (parent && !seen.has(parent.pid)) {
    out.push(parent.pid);
    seen.add(parent.pid);
    parent = tree.parentOf.get(parent.pid);
  }
  return out;
}

/** Every pid under (and including) the given pids that are in `processes`: the union of their subtrees. */
export function descendantPids<T extends TreeNode>(processes: Iterable<T> | ProcessTree<T>, pids: Iterable<number>): Set<number> {
  const tree = 'roots' in processes ? processes : buildProcessTree(processes);
  const out = new Set<number>();
  for (const pid of pids) {
    if (out.has(pid)) continue;
    for (const d of descendants(tree, pid)) out.add(d);
  }
  return out;
}
