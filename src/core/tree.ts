// The process hierarchy, built from a complete pid map: parents are never assumed to come before their
// children (pid wrap-around makes a child's pid smaller than its parent's; VS Code's ps.ts breaks on that).
import type { ProcessInfo } from './model';

export interface ProcessTree {
  /** Processes whose parent is not in the set (pid 1, kthreadd, or an orphan of a filtered view). */
  readonly roots: readonly ProcessInfo[];
  readonly children: ReadonlyMap<number, readonly ProcessInfo[]>;
  readonly byPid: ReadonlyMap<number, ProcessInfo>;
}

export function buildTree(processes: readonly ProcessInfo[]): ProcessTree {
  const byPid = new Map<number, ProcessInfo>();
  for (const p of processes) byPid.set(p.pid, p);
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of processes) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      let list = children.get(p.ppid);
      if (!list) children.set(p.ppid, (list = []));
      list.push(p);
    } else {
      roots.push(p);
    }
  }
  for (const list of children.values()) list.sort((a, b) => a.pid - b.pid);
  roots.sort((a, b) => a.pid - b.pid);
  return { roots, children, byPid };
}

/** pid and every descendant of it (iterative: a deep fork chain must not overflow the stack). */
export function descendants(tree: ProcessTree, pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(p);
    for (const c of tree.children.get(p) ?? []) stack.push(c.pid);
  }
  return out;
}

/** pid's ancestors, nearest first, stopping at a root. */
export function ancestors(tree: ProcessTree, pid: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  let p = tree.byPid.get(pid);
  while (p && tree.byPid.has(p.ppid) && !seen.has(p.ppid)) {
    out.push(p.ppid);
    seen.add(p.ppid);
    p = tree.byPid.get(p.ppid);
  }
  return out;
}
