// The IPC view's graph as data, without the DOM: processes as nodes, channels as labelled edges (directed where
// the kernel object has a direction: pipe writer → reader, queue last sender → last receiver, lock holder →
// waiter), the Waits layer's edges (waiting process → waking process), which processes a scope shows, and
// parallel channels merged. Pure, so it is unit-tested without a browser.
import type { Channel, IpcMap } from '../src/core/ipc/model';
import { channelLabel } from '../src/shared/channelText';
import { visible } from '../src/shared/visible';
import { getLocale, hasKey, t, type MessageKey } from './i18n';
import { waitKindText, WaitsStore } from './waitsOverview';

export type IpcScope = 'selection' | 'workspace' | 'all';

export interface GraphEdge {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly directed: boolean;
  readonly kind: string;
  readonly label: string;
  readonly channelId: string;
  readonly deadlock: boolean;
  /** Channels drawn as this one edge (parallel channels between the same two processes are merged). */
  readonly count: number;
  /** The label of each merged channel (for the tooltip). */
  readonly labels: readonly string[];
}

export interface Graph {
  readonly nodes: number[];
  readonly edges: GraphEdge[];
  readonly deadlockPids: Set<number>;
  readonly total: number;
  /** Wait-for cycles (Waits layer) whose members are all drawn, each as its members' pids and tids in order. */
  readonly waitCycles: readonly (readonly { pid: number; tid: number; name: string }[])[];
}

export const MAX_NODES = 300;

/** An edge's label: the kind in the UI language, then the kernel's own names (paths, keys, addresses). */
function shortLabel(c: Channel): string {
  const kind = kindName(c.kind);
  switch (c.kind) {
    case 'pipe':
      return `${kind} ${c.inode ?? ''}`.trim();
    case 'fifo':
      return `${kind} ${c.path}`;
    case 'unix':
      return `${kind} ${c.path ?? t('ipc.unnamed')} ${t(`ipc.socketType.${c.socketType}` as MessageKey)}`;
    case 'tcp':
    case 'udp':
      return `${kind} ${c.local} ↔ ${c.remote}`;
    case 'posix-shm':
      return `${kind} ${c.path}`;
    case 'sysv-shm':
    case 'sysv-sem':
      return `${kind} ${c.key}`;
    case 'sysv-msg':
      return `${kind} ${c.key} (${t('ipc.messages', c.messages)})`;
    case 'mqueue':
    case 'posix-sem':
    case 'memfd':
      return `${kind} ${c.name}`;
    case 'lock':
      return `${c.lockClass} ${kind} ${c.access === 'READ' || c.access === 'WRITE' ? t(`ipc.access.${c.access}`) : c.access} ${c.path ?? c.device + ':' + c.fileInode}`;
    default:
      return channelLabel(c, getLocale());
  }
}

/**
 * The Waits layer's edges: waiting process → the process that can wake it, one edge per pair with every
 * waiting thread behind it in the tooltip, red when one of them is part of a wait-for cycle.
 */
function waitEdges(waits: WaitsStore): GraphEdge[] {
  return waits
    .edges(() => true)
    .map((e) => {
      const kinds = [...new Set(e.waits.map((w) => w.kind))];
      const kind = kinds.length === 1 ? waitKindText(kinds[0]!) : kinds.map(waitKindText).join(', ');
      return {
        id: `wait|${e.from}|${e.to}`,
        from: e.from,
        to: e.to,
        directed: true,
        kind: 'wait',
        label: e.waits.length === 1 ? t('ipc.waitEdge', kind) : t('ipc.waitEdgeMany', e.waits.length, kind),
        channelId: `wait|${e.from}|${e.to}`,
        deadlock: e.deadlock,
        count: e.waits.length,
        labels: e.waits.map((w) => WaitsStore.line(w)),
      };
    });
}

/**
 * Derives the process graph from the IPC map, and from the wait overview when the Waits layer is on.
 * `scopePids` null = every process.
 */
export function buildGraph(
  map: IpcMap,
  scope: IpcScope,
  selectedPid: number | null,
  workspacePids: ReadonlySet<number>,
  waits: WaitsStore | null = null,
): Graph {
  const deadlockPids = new Set<number>();
  const deadlockChannels = new Set<string>();
  for (const d of map.deadlocks) {
    for (const pid of d.pids) deadlockPids.add(pid);
    for (const id of d.channelIds) deadlockChannels.add(id);
  }
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const add = (from: number, to: number, directed: boolean, c: Channel, label: string, deadlock = false): void => {
    if (from === to) return;
    const [a, b] = directed || from < to ? [from, to] : [to, from];
    const id = `${c.id}|${a}|${b}|${directed ? 'd' : 'u'}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push({ id, from: a, to: b, directed, kind: c.kind, label, channelId: c.id, deadlock, count: 1, labels: [label] });
  };
  const pidsOf = (c: Channel, roles?: readonly string[]): number[] => [
    ...new Set(c.endpoints.filter((e) => !roles || roles.includes(e.role)).map((e) => e.pid)),
  ];

  for (const c of map.channels) {
    // Paths and names inside labels are OS text: shown with their hidden characters escaped.
    const label = visible(shortLabel(c));
    switch (c.kind) {
      case 'pipe':
      case 'fifo':
      case 'mqueue': {
        const writers = pidsOf(c, ['write', 'readwrite']);
        const readers = pidsOf(c, ['read', 'readwrite']);
        for (const w of writers) for (const r of readers) add(w, r, true, c, label);
        break;
      }
      case 'sysv-msg': {
        if (c.lastSendPid > 0 && c.lastRecvPid > 0) add(c.lastSendPid, c.lastRecvPid, true, c, label);
        else pairwise(pidsOf(c), (a, b) => add(a, b, false, c, label));
        break;
      }
      case 'lock':
        break; // drawn from the wait-for graph below (holder → waiter)
      default:
        pairwise(pidsOf(c), (a, b) => add(a, b, false, c, label));
    }
  }
  const byId = new Map(map.channels.map((c) => [c.id, c]));
  for (const w of map.waitFor) {
    const c = byId.get(w.channelId);
    const deadlock = deadlockPids.has(w.waiter) && deadlockPids.has(w.holder) && deadlockChannels.has(w.channelId);
    const label = visible(c ? shortLabel(c) : w.channelId);
    const fake = c ?? ({ id: w.channelId, kind: 'lock' } as Channel);
    add(w.holder, w.waiter, true, fake, label, deadlock);
  }
  const waitLayer = waits ? waitEdges(waits) : [];
  const cycleGroups: number[][] = map.deadlocks.map((d) => [...d.pids]);
  if (waits) {
    for (const c of waits.cycles) {
      for (const m of c.members) deadlockPids.add(m.pid);
      cycleGroups.push(c.members.map((m) => m.pid));
    }
  }

  // Which processes to show.
  const adjacency = new Map<number, Set<number>>();
  for (const e of [...edges, ...waitLayer]) {
    if (!adjacency.has(e.from)) adjacency.set(e.from, new Set());
    if (!adjacency.has(e.to)) adjacency.set(e.to, new Set());
    adjacency.get(e.from)!.add(e.to);
    adjacency.get(e.to)!.add(e.from);
  }
  let keep: Set<number>;
  if (scope === 'selection') {
    keep = new Set<number>();
    if (selectedPid !== null) {
      keep.add(selectedPid);
      for (const n of adjacency.get(selectedPid) ?? []) keep.add(n);
    }
    // A deadlock that touches the selection is always shown whole.
    for (const pids of cycleGroups) if (pids.some((p) => keep.has(p))) for (const p of pids) keep.add(p);
  } else if (scope === 'workspace') {
    keep = new Set([...adjacency.keys()].filter((p) => workspacePids.has(p)));
    for (const p of [...keep]) for (const n of adjacency.get(p) ?? []) keep.add(n);
  } else {
    keep = new Set(adjacency.keys());
  }
  const total = keep.size;
  if (keep.size > MAX_NODES) {
    const ranked = [...keep].sort(
      (a, b) =>
        (deadlockPids.has(b) ? 1 : 0) - (deadlockPids.has(a) ? 1 : 0) || (adjacency.get(b)?.size ?? 0) - (adjacency.get(a)?.size ?? 0),
    );
    keep = new Set(ranked.slice(0, MAX_NODES));
    if (selectedPid !== null && adjacency.has(selectedPid)) keep.add(selectedPid);
  }
  // Waits are not channels: their edges are never merged with a channel's.
  const kept = [
    ...mergeParallel(edges.filter((e) => keep.has(e.from) && keep.has(e.to))),
    ...waitLayer.filter((e) => keep.has(e.from) && keep.has(e.to)),
  ];
  // A cycle inside one process (two of its threads on two mutexes) draws no edge: its process is still shown.
  if (waits)
    for (const c of waits.cycles)
      if (
        c.members.every((m) => m.pid === c.members[0]!.pid) &&
        (scope !== 'selection' || c.members[0]!.pid === selectedPid || keep.has(c.members[0]!.pid))
      )
        keep.add(c.members[0]!.pid);
  const nodes = [...keep].filter((p) => adjacency.has(p) || p === selectedPid || deadlockPids.has(p)).sort((a, b) => a - b);
  const drawn = new Set(nodes);
  const waitCycles = (waits?.cycles ?? [])
    .filter((c) => c.members.every((m) => drawn.has(m.pid)))
    .map((c) => c.members.map((m) => ({ pid: m.pid, tid: m.tid, name: m.name })));
  return { nodes, edges: kept, deadlockPids, total, waitCycles };
}

/**
 * One edge per pair of processes and direction: ten pipes between a shell and its child are drawn as one
 * line labelled "10 × pipe" (its tooltip lists them), not ten overlapping lines with unreadable labels.
 */
export function mergeParallel(edges: readonly GraphEdge[]): GraphEdge[] {
  const byPair = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const pair = `${e.from}|${e.to}|${e.directed ? 'd' : 'u'}`;
    const group = byPair.get(pair);
    if (group) group.push(e);
    else byPair.set(pair, [e]);
  }
  const out: GraphEdge[] = [];
  for (const [pair, group] of byPair) {
    const first = group[0]!;
    if (group.length === 1) {
      out.push(first);
      continue;
    }
    const kinds = new Set(group.map((e) => e.kind));
    const kind = kinds.size === 1 ? first.kind : 'mixed';
    out.push({
      id: `merged|${pair}`,
      from: first.from,
      to: first.to,
      directed: first.directed,
      kind,
      label: kinds.size === 1 ? t('ipc.merged', group.length, kindName(first.kind)) : t('ipc.mergedMixed', group.length),
      channelId: first.channelId,
      deadlock: group.some((e) => e.deadlock),
      count: group.length,
      labels: group.map((e) => e.label),
    });
  }
  return out;
}

function kindName(kind: string): string {
  // The dictionary is the one list of kinds with a reader's name; the rest (eventfd, epoll, …) are their own name.
  const key = `ipc.kindName.${kind}`;
  return hasKey(key) ? t(key) : kind;
}

function pairwise(pids: number[], f: (a: number, b: number) => void): void {
  // A star from the first endpoint rather than every pair: n-1 edges for an object shared by n processes.
  for (let i = 1; i < pids.length; i++) f(pids[0]!, pids[i]!);
}
