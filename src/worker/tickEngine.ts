// One panel tick: poll, then either the full snapshot or the delta from the previous one, with "This
// workspace" membership when it changed. Pure Node (no vscode import): it runs inside the panel's worker
// thread, so the extension host receives a small delta instead of cloning the whole snapshot each tick
// (at 2000 processes x 4 threads: ~42 ms of main-thread time per tick otherwise, ~20 of them in the diff).
import { readlinkSync } from 'node:fs';
import { diffSnapshots } from '../core/diff';
import type { Delta, ProcessInfo, Snapshot } from '../core/model';
import type { ProcessSource } from '../core/sampler';
import type { KnownProcess } from '../core/ipc/scanner';
import { readMachineSample, summarize, type MachineSample } from '../core/summary';
import { TickHistory } from '../core/record/history';
import type { RecordingHeader, TickLine } from '../core/record/format';
import { MAX_THREAD_KEYS, type HistoryIndex } from '../core/record/historyIndex';
import type { PastTable } from '../protocol';
import type { WorkspaceMember } from '../protocol';
import type { HistoryReach, LabelTemplates, ScopeContext, TickRequest, TickResult } from './protocol';
import { membershipSignature, workspaceMembers, type ScopeLabels } from './workspaceScope';

/** A process may chdir at any time; re-reading every cwd each tick would cost one readlink per process. */
export const CWD_TTL_MS = 5000;
/** The longest the cwd of a process that has not run since is kept unread (it cannot have changed). */
export const QUIET_CWD_MS = 60_000;

/** True when a delta changes what "This workspace" is worked out from: the processes and their lineage and names. */
function reshapes(delta: Delta): boolean {
  if (delta.added.length > 0 || delta.removed.length > 0) return true;
  for (const c of delta.changed) if ('ppid' in c || 'name' in c || 'cmdline' in c || 'exe' in c || 'kernelThread' in c) return true;
  return false;
}

export function labelsFrom(t: LabelTemplates): ScopeLabels {
  const fill = (template: string) => (name: string) => template.replace('{0}', () => name);
  return {
    terminal: fill(t.terminal),
    task: fill(t.task),
    debug: fill(t.debug),
    lab: fill(t.lab),
    folder: fill(t.folder),
    extensionHost: t.extensionHost,
    vscode: t.vscode,
    kinds: t.kinds,
  };
}

export class TickEngine {
  private prev: Snapshot | undefined;
  private signature = '';
  private readonly cwds = new Map<string, { cwd: string | null; at: number; record: ProcessInfo }>();
  /** The last "This workspace" answer and the scope it was worked out for (see members()). */
  private lastMembers: WorkspaceMember[] | undefined;
  private lastScopeKey = '';
  /** The members the current signature was made from. */
  private lastSignedMembers: WorkspaceMember[] | undefined;
  /** The machine files' previous read: CPU% of the summary strip is the change since it. */
  private lastSample: MachineSample | undefined;
  /** The recent past, bounded by the panel's setting (none when it is 0). */
  private history: TickHistory | undefined;
  private lastForks: number | undefined;
  private lastInterval = 1000;

  constructor(
    private readonly source: ProcessSource,
    private readonly procRoot = '/proc',
  ) {}

  /** pid -> name and identity from the newest poll (the IPC scan names its endpoints from it). */
  knownProcesses(): Map<number, KnownProcess> {
    const known = new Map<number, KnownProcess>();
    for (const p of this.prev?.processes ?? []) known.set(p.pid, { name: p.name, key: p.key, vsize: p.vsize });
    return known;
  }

  async tick(request: TickRequest): Promise<TickResult> {
    // The machine files first: the fork counter must be read before the table, or a process forked between
    // the two would be in neither this tick's count nor its table, and show up next tick as a birth the
    // counter never had (births would outnumber forks).
    const sample = readMachineSample(this.procRoot);
    const next = await this.source.poll({ threads: request.threads });
    const prev = this.prev;
    this.prev = next;
    const delta = prev ? diffSnapshots(prev, next) : undefined;
    const members = this.members(next, request.scope, delta);
    const signature = members === this.lastSignedMembers ? this.signature : membershipSignature(members);
    this.lastSignedMembers = members;
    const changed = signature !== this.signature;
    this.signature = signature;
    // The machine at a glance (summary strip): a handful of small files, read with every tick (above).
    const machine = summarize(sample, this.lastSample);
    this.lastSample = sample;
    if (next.intervalMs !== null) this.lastInterval = next.intervalMs;
    if (request.full || !delta) {
      const history = this.remember(request.historyBytes, next, undefined, sample.cpu?.forks);
      return { kind: 'snapshot', snapshot: next, members, machine, ...(history ? { history } : {}) };
    }
    const history = this.remember(request.historyBytes, next, delta, sample.cpu?.forks);
    return { kind: 'delta', delta, ...(changed ? { members } : {}), machine, ...(history ? { history } : {}) };
  }

  dispose(): void {
    this.source.dispose();
  }

  /**
   * Adds the tick to the in-memory history (made, resized or dropped as the bound asks), with how much the
   * kernel's fork counter grew since the last tick: births between two ticks that no poll could see.
   */
  private remember(
    bytes: number | undefined,
    snapshot: Snapshot,
    delta: Delta | undefined,
    forksSinceBoot: number | null | undefined,
  ): HistoryReach | undefined {
    if (!bytes || bytes <= 0) {
      this.history = undefined;
      return undefined;
    }
    // The fork counter comes with the machine sample's read of /proc/stat (no second read).
    const forksNow = forksSinceBoot ?? undefined;
    const forks = forksNow !== undefined && this.lastForks !== undefined ? Math.max(0, forksNow - this.lastForks) : null;
    this.lastForks = forksNow;
    if (!this.history) this.history = new TickHistory(bytes);
    else if (this.history.maxBytes !== bytes) this.history.maxBytes = bytes;
    if (delta && this.history.length > 0) this.history.pushDelta(snapshot, delta, forks);
    else this.history.push(snapshot, forks);
    const h = this.history;
    return { ticks: h.length, bytes: h.bytes, maxBytes: h.maxBytes, reachMs: h.reachMs };
  }

  /** The timeline's index of the history (null without one). */
  historyIndex(threadKeys: readonly string[] = []): HistoryIndex | null {
    if (!this.history || this.history.length === 0) return null;
    return this.history.index(threadKeys.slice(0, MAX_THREAD_KEYS));
  }

  /** The table at the last tick taken at or before `at` (the oldest one for an earlier time). */
  historyAt(at: number): PastTable | null {
    const tick = this.history?.tickAtTime(at);
    if (tick === undefined) return null;
    const snapshot = this.history!.snapshotAt(tick);
    return { at: snapshot.timestamp, snapshot };
  }

  /** The history as recording lines (null without one). */
  historyLines(producer: string): [RecordingHeader, ...TickLine[]] | null {
    if (!this.history || this.history.length === 0) return null;
    return this.history.toRecording({ intervalMs: this.lastInterval, threads: false, producer });
  }

  /**
   * "This workspace": who belongs to it and under which root. Worked out again only when something it
   * depends on changed: the table's shape (a process came, went, or changed its parent, name, argv or
   * executable), a cwd, or the window's scope (terminals, tasks, debuggees, labs, folders). Otherwise last
   * tick's answer stands; at 2000 processes the walk and its classification cost more than the tick's diff.
   */
  private members(snapshot: Snapshot, scope: ScopeContext, delta: Delta | undefined): WorkspaceMember[] {
    const scopeKey = JSON.stringify(scope);
    const cwdMoved = this.refreshCwds(snapshot, scope);
    if (this.lastMembers && !cwdMoved && scopeKey === this.lastScopeKey && delta && !reshapes(delta)) return this.lastMembers;
    this.lastScopeKey = scopeKey;
    const keyOf = new Map<number, string>();
    for (const p of snapshot.processes) keyOf.set(p.pid, p.key);
    this.lastMembers = workspaceMembers({
      processes: snapshot.processes,
      hostPid: scope.hostPid,
      installRoot: scope.installRoot,
      terminals: scope.terminals,
      tasks: scope.tasks,
      debuggees: scope.debuggees,
      labs: scope.labs,
      folders: scope.folders,
      cwdOf: snapshot.backend === 'procfs' ? (pid) => this.cwds.get(keyOf.get(pid) ?? '')?.cwd ?? null : undefined,
      labels: labelsFrom(scope.labels),
    });
    return this.lastMembers;
  }

  /**
   * Re-reads the cwd of user processes whose cached one is due: after CWD_TTL_MS for a process that ran since
   * (its record is a new object: the sampler hands out the same one while the process does nothing, and a
   * process that does nothing cannot chdir), after QUIET_CWD_MS for any. Only with a workspace folder to
   * compare against and on procfs. True when some process's cwd is not what it was.
   */
  private refreshCwds(snapshot: Snapshot, scope: ScopeContext): boolean {
    if (snapshot.backend !== 'procfs' || !scope.folders.some((f) => f.path.startsWith('/'))) {
      this.cwds.clear();
      return false;
    }
    const now = Date.now();
    let moved = false;
    const live = new Set<string>();
    for (const p of snapshot.processes) {
      if (p.kernelThread) continue;
      live.add(p.key);
      const cached = this.cwds.get(p.key);
      if (cached) {
        const age = now - cached.at;
        if (age < CWD_TTL_MS || (cached.record === p && age < QUIET_CWD_MS)) continue;
      }
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`${this.procRoot}/${p.pid}/cwd`);
      } catch {
        cwd = null; // another user's process (EACCES) or gone: not known to be inside the workspace
      }
      if (cached?.cwd !== cwd) moved = true;
      this.cwds.set(p.key, { cwd, at: now, record: p });
    }
    for (const key of this.cwds.keys()) {
      if (!live.has(key)) {
        this.cwds.delete(key);
        moved = true;
      }
    }
    return moved;
  }
}
