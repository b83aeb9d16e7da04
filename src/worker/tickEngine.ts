// One panel tick: poll, then either the full snapshot or the delta from the previous one, with "This
// workspace" membership when it changed. Pure Node (no vscode import): it runs inside the panel's worker
// thread, so the extension host receives a small delta instead of cloning the whole snapshot each tick
// (at 2000 processes x 4 threads: ~42 ms of main-thread time per tick otherwise, ~20 of them in the diff).
import { readlinkSync } from 'node:fs';
import { diffSnapshots } from '../core/diff';
import type { Delta, Snapshot } from '../core/model';
import type { ProcessSource } from '../core/sampler';
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
  private readonly cwds = new Map<string, { cwd: string | null; at: number }>();
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
  knownProcesses(): Map<number, { name: string; key: string }> {
    const known = new Map<number, { name: string; key: string }>();
    for (const p of this.prev?.processes ?? []) known.set(p.pid, { name: p.name, key: p.key });
    return known;
  }

  async tick(request: TickRequest): Promise<TickResult> {
    // The machine files first: the fork counter must be read before the table, or a process forked between
    // the two would be in neither this tick's count nor its table, and show up next tick as a birth the
    // counter never had (births would outnumber forks).
    const sample = readMachineSample(this.procRoot);
    const next = await this.source.poll({ threads: request.threads });
    const members = this.members(next, request.scope);
    const signature = membershipSignature(members);
    const prev = this.prev;
    this.prev = next;
    const changed = signature !== this.signature;
    this.signature = signature;
    // The machine at a glance (summary strip): a handful of small files, read with every tick (above).
    const machine = summarize(sample, this.lastSample);
    this.lastSample = sample;
    if (next.intervalMs !== null) this.lastInterval = next.intervalMs;
    if (request.full || !prev) {
      const history = this.remember(request.historyBytes, next, undefined, sample.cpu?.forks);
      return { kind: 'snapshot', snapshot: next, members, machine, ...(history ? { history } : {}) };
    }
    const delta = diffSnapshots(prev, next);
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

  private members(snapshot: Snapshot, scope: ScopeContext): WorkspaceMember[] {
    const now = Date.now();
    const keyOf = new Map<number, string>();
    for (const p of snapshot.processes) keyOf.set(p.pid, p.key);
    const live = new Set(keyOf.values());
    for (const key of this.cwds.keys()) if (!live.has(key)) this.cwds.delete(key);
    const cwdOf = (pid: number): string | null => {
      const key = keyOf.get(pid);
      if (key === undefined) return null;
      const cached = this.cwds.get(key);
      if (cached && now - cached.at < CWD_TTL_MS) return cached.cwd;
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`${this.procRoot}/${pid}/cwd`);
      } catch {
        cwd = null; // another user's process (EACCES) or gone: not known to be inside the workspace
      }
      this.cwds.set(key, { cwd, at: now });
      return cwd;
    };
    return workspaceMembers({
      processes: snapshot.processes,
      hostPid: scope.hostPid,
      installRoot: scope.installRoot,
      terminals: scope.terminals,
      tasks: scope.tasks,
      debuggees: scope.debuggees,
      labs: scope.labs,
      folders: scope.folders,
      cwdOf: snapshot.backend === 'procfs' ? cwdOf : undefined,
      labels: labelsFrom(scope.labels),
    });
  }
}
