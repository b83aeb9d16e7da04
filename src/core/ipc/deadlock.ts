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
  for (const cycle of cyclesOf(
    out,
    (e) => e.holder,
    (a, b) => a - b,
  )) {
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

/**
 * One simple cycle per strongly connected component of a directed graph (`out`: each node's outgoing edges,
 * `to`: an edge's target), as the edges walked, starting at the component's smallest node by `compare`.
 * Generic so every wait-for graph (file locks here, thread waits in src/core/waits) finds cycles the same way.
 * A component of one node counts only with an edge to itself.
 */
export function cyclesOf<N, E>(out: ReadonlyMap<N, readonly E[]>, to: (e: E) => N, compare: (a: N, b: N) => number): E[][] {
  const cycles: E[][] = [];
  for (const component of stronglyConnected(out, to, compare)) {
    const members = new Set(component);
    const start = [...component].sort(compare)[0]!;
    if (component.length < 2 && !(out.get(start) ?? []).some((e) => to(e) === start)) continue;
    const cycle = cycleThrough(start, out, to, members);
    if (cycle) cycles.push(cycle);
  }
  return cycles;
}

/** Tarjan's algorithm, iterative (a long chain of waiters must not overflow the stack). */
function stronglyConnected<N, E>(out: ReadonlyMap<N, readonly E[]>, to: (e: E) => N, compare: (a: N, b: N) => number): N[][] {
  const nodes = new Set<N>();
  for (const [w, es] of out) {
    nodes.add(w);
    for (const e of es) nodes.add(to(e));
  }
  const index = new Map<N, number>();
  const low = new Map<N, number>();
  const onStack = new Set<N>();
  const stack: N[] = [];
  const result: N[][] = [];
  let next = 0;
  for (const root of [...nodes].sort(compare)) {
    if (index.has(root)) continue;
    const work: { node: N; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next);
    next++;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const es = out.get(top.node) ?? [];
      if (top.i < es.length) {
        const target = to(es[top.i++]!);
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next);
          next++;
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: N[] = [];
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

/** One simple cycle from start back to start inside the component (depth-first, edges in the given order). */
function cycleThrough<N, E>(start: N, out: ReadonlyMap<N, readonly E[]>, to: (e: E) => N, members: Set<N>): E[] | undefined {
  const path: E[] = [];
  const visited = new Set<N>([start]);
  const dfs = (node: N): boolean => {
    for (const e of out.get(node) ?? []) {
      const target = to(e);
      if (!members.has(target)) continue;
      if (target === start) {
        path.push(e);
        return true;
      }
      if (visited.has(target)) continue;
      visited.add(target);
      path.push(e);
      if (dfs(target)) return true;
      path.pop();
    }
    return false;
  };
  return dfs(start) ? path : undefined;
}
