// The lock wait-for graph (waiter -> holder) and its cycles. A cycle means every process in it waits for the
// next one forever: flock() and OFD locks have no deadlock detection in the kernel (POSIX fcntl locks get
// EDEADLK for simple cases), so these cycles really happen.
import type { Channel, Deadlock, WaitEdge } from './model';

export interface WaitEdgeInput {
  readonly waiter: number;
  readonly holder: number;
  readonly channelId: string;
}

export function findDeadlocks(input: readonly WaitEdgeInput[], channels: readonly Channel[]): { edges: WaitEdge[]; deadlocks: Deadlock[] } {
  const seen = new Set<string>();
  const edges: WaitEdge[] = [];
  for (const e of input) {
    const k = `${e.waiter}>${e.holder}>${e.channelId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    edges.push({ waiter: e.waiter, holder: e.holder, channelId: e.channelId });
  }
  edges.sort((a, b) => a.waiter - b.waiter || a.holder - b.holder || a.channelId.localeCompare(b.channelId));

  const out = new Map<number, WaitEdge[]>();
  for (const e of edges) {
    const list = out.get(e.waiter);
    if (list) list.push(e);
    else out.set(e.waiter, [e]);
  }

  const deadlocks: Deadlock[] = [];
  for (const component of stronglyConnected(out)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const cycle = cycleThrough(Math.min(...component), out, members);
    if (!cycle) continue;
    const files: string[] = [];
    const channelIds: string[] = [];
    for (const e of cycle) {
      if (!channelIds.includes(e.channelId)) channelIds.push(e.channelId);
      const c = channels.find((ch) => ch.id === e.channelId);
      const file = c && c.kind === 'lock' ? (c.path ?? `${c.device}:${c.fileInode}`) : e.channelId;
      if (!files.includes(file)) files.push(file);
    }
    deadlocks.push({ pids: cycle.map((e) => e.waiter), files, channelIds });
  }
  deadlocks.sort((a, b) => a.pids[0]! - b.pids[0]!);
  return { edges, deadlocks };
}

/** Tarjan's algorithm, iterative (a long chain of waiters must not overflow the stack). */
function stronglyConnected(out: Map<number, WaitEdge[]>): number[][] {
  const nodes = new Set<number>();
  for (const [w, es] of out) {
    nodes.add(w);
    for (const e of es) nodes.add(e.holder);
  }
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const result: number[][] = [];
  let next = 0;
  for (const root of [...nodes].sort((a, b) => a - b)) {
    if (index.has(root)) continue;
    const work: { node: number; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next); low.set(root, next); next++;
    stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const es = out.get(top.node) ?? [];
      if (top.i < es.length) {
        const to = es[top.i++]!.holder;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next++;
          stack.push(to); onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: number[] = [];
        for (;;) {
          const n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
          if (n === top.node) break;
        }
        result.push(component);
      }
    }
  }
  return result;
}

/** One simple cycle from start back to start inside the component (depth-first, smallest pids first). */
function cycleThrough(start: number, out: Map<number, WaitEdge[]>, members: Set<number>): WaitEdge[] | undefined {
  const path: WaitEdge[] = [];
  const visited = new Set<number>([start]);
  const dfs = (node: number): boolean => {
    for (const e of out.get(node) ?? []) {
      if (!members.has(e.holder)) continue;
      if (e.holder === start) { path.push(e); return true; }
      if (visited.has(e.holder)) continue;
      visited.add(e.holder);
      path.push(e);
      if (dfs(e.holder)) return true;
      path.pop();
    }
    return false;
  };
  return dfs(start) ? path : undefined;
}
