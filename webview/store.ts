// The webview's copy of the process table: a Map keyed by ProcessKey, updated in place by deltas.
// (In place rather than a new snapshot per delta: at 10,000 processes a delta of a few hundred changes must
// not copy the whole table every refresh. Each change is merged by the shared rule, src/shared/delta.ts.)
import type { Delta, HiddenTasks, ProcessInfo, ProcessKey, Snapshot, SystemInfo, BackendKind, StateLetter } from '../src/core/model';
import type { WorkspaceMember } from '../src/protocol';
import { mergeChange } from '../src/shared/delta';

/** How long new and exited processes stay marked (and exited rows stay visible). */
export const MARK_MS = 2000;
/** History samples kept per watched process (at one refresh per second: five minutes). */
export const HISTORY_LENGTH = 300;

export interface ThreadHistory {
  readonly name: string;
  readonly cpu: (number | null)[];
  readonly states: (StateLetter | null)[];
}

export interface History {
  readonly times: number[];
  readonly cpu: (number | null)[];
  readonly rss: number[];
  readonly threads: Map<number, ThreadHistory>;
}

export class ProcessStore {
  readonly byKey = new Map<ProcessKey, ProcessInfo>();
  byPid = new Map<number, ProcessInfo>();
  /** Exited processes kept for MARK_MS so the user sees them go. */
  readonly exited = new Map<ProcessKey, { info: ProcessInfo; until: number }>();
  /** Newly appeared processes, until this time. */
  readonly added = new Map<ProcessKey, number>();
  readonly history = new Map<ProcessKey, History>();
  workspace: readonly WorkspaceMember[] = [];
  workspaceByPid = new Map<number, WorkspaceMember>();
  system: SystemInfo | null = null;
  backend: BackendKind = 'procfs';
  unavailableFields: readonly string[] = [];
  /** What the last poll could not see (hidepid, refused stat files); every delta carries the current list. */
  hidden: readonly HiddenTasks[] = [];
  timestamp = 0;
  hasSnapshot = false;
  /** Bumped on every change, so views can skip work when nothing moved. */
  version = 0;

  setSnapshot(snapshot: Snapshot, workspace: readonly WorkspaceMember[] | undefined, now = Date.now()): void {
    const first = !this.hasSnapshot;
    const previous = new Set(this.byKey.keys());
    this.byKey.clear();
    this.threads = 0;
    for (const p of snapshot.processes) {
      if (!this.byKey.has(p.key)) this.threads += p.numThreads;
      this.byKey.set(p.key, p);
      // In the table again (a rewound table, or a whole one after it): no longer one of the exited.
      this.exited.delete(p.key);
      if (!first && !previous.has(p.key)) this.added.set(p.key, now + MARK_MS);
    }
    if (!first) for (const key of previous) if (!this.byKey.has(key)) this.markExited(key, now);
    this.system = snapshot.system;
    this.backend = snapshot.backend;
    this.unavailableFields = snapshot.unavailableFields;
    this.hidden = snapshot.hidden ?? [];
    this.timestamp = snapshot.timestamp;
    this.hasSnapshot = true;
    if (workspace) this.setWorkspace(workspace);
    this.rebuildPidIndex();
    this.version++;
  }

  applyDelta(delta: Delta, workspace: readonly WorkspaceMember[] | undefined, now = Date.now()): void {
    for (const key of delta.removed) this.markExited(key, now);
    for (const p of delta.added) {
      this.threads += p.numThreads - (this.byKey.get(p.key)?.numThreads ?? 0);
      this.byKey.set(p.key, p);
      this.added.set(p.key, now + MARK_MS);
      this.exited.delete(p.key);
    }
    let structural = delta.added.length > 0 || delta.removed.length > 0;
    for (const change of delta.changed) {
      const old = this.byKey.get(change.key);
      if (!old) continue;
      const next = mergeChange(old, change);
      this.threads += next.numThreads - old.numThreads;
      this.byKey.set(change.key, next);
      if (change.ppid !== undefined) structural = true;
      // Keep the pid index current without rebuilding it (10,000 entries) for changes that move nothing.
      if (this.byPid.get(next.pid)?.key === next.key) this.byPid.set(next.pid, next);
    }
    this.timestamp = delta.timestamp;
    this.hidden = delta.hidden ?? [];
    if (workspace) this.setWorkspace(workspace);
    if (structural) this.rebuildPidIndex();
    this.version++;
  }

  /** Drops expired marks and exited rows; returns true when something changed. */
  expireMarks(now = Date.now()): boolean {
    let changed = false;
    for (const [key, until] of this.added)
      if (until <= now) {
        this.added.delete(key);
        changed = true;
      }
    for (const [key, e] of this.exited)
      if (e.until <= now) {
        this.exited.delete(key);
        changed = true;
      }
    if (changed) {
      this.rebuildPidIndex();
      this.version++;
    }
    return changed;
  }

  nextMarkExpiry(): number | null {
    let next: number | null = null;
    for (const until of this.added.values()) if (next === null || until < next) next = until;
    for (const e of this.exited.values()) if (next === null || e.until < next) next = e.until;
    return next;
  }

  /** Live and recently exited processes (exited ones are drawn struck through). */
  get(key: ProcessKey): ProcessInfo | undefined {
    return this.byKey.get(key) ?? this.exited.get(key)?.info;
  }

  isExited(key: ProcessKey): boolean {
    return !this.byKey.has(key) && this.exited.has(key);
  }

  /** Every process to draw: live ones plus the recently exited. */
  *all(): IterableIterator<ProcessInfo> {
    yield* this.byKey.values();
    for (const e of this.exited.values()) yield e.info;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Threads of the live processes, kept up to date by setSnapshot/applyDelta (summing 10,000 entries per refresh cost ~1 ms). */
  threadCount(): number {
    return this.threads;
  }

  private threads = 0;

  /** Records one history sample for each watched process (selected or with threads shown). */
  recordHistory(keys: Iterable<ProcessKey>, time: number): void {
    for (const key of keys) {
      const p = this.byKey.get(key);
      if (!p) continue;
      let h = this.history.get(key);
      if (!h) {
        h = { times: [], cpu: [], rss: [], threads: new Map() };
        this.history.set(key, h);
      }
      if (h.times.length > 0 && h.times[h.times.length - 1] === time) continue;
      const index = h.times.length;
      h.times.push(time);
      h.cpu.push(p.cpuPercent);
      h.rss.push(p.rss);
      const seen = new Set<number>();
      for (const th of p.threads ?? []) {
        seen.add(th.tid);
        let tHist = h.threads.get(th.tid);
        if (!tHist) {
          tHist = {
            name: th.name,
            cpu: new Array<number | null>(index).fill(null),
            states: new Array<StateLetter | null>(index).fill(null),
          };
          h.threads.set(th.tid, tHist);
        }
        tHist.cpu.push(th.cpuPercent);
        tHist.states.push(th.state);
      }
      for (const [tid, tHist] of h.threads) {
        if (!seen.has(tid)) {
          tHist.cpu.push(null);
          tHist.states.push(null);
        }
      }
      if (h.times.length > HISTORY_LENGTH) {
        const drop = h.times.length - HISTORY_LENGTH;
        h.times.splice(0, drop);
        h.cpu.splice(0, drop);
        h.rss.splice(0, drop);
        for (const [tid, tHist] of h.threads) {
          tHist.cpu.splice(0, drop);
          tHist.states.splice(0, drop);
          if (tHist.states.every((s) => s === null)) h.threads.delete(tid);
        }
      }
    }
    // History of processes no longer watched is dropped, so memory stays bounded at 10,000 processes.
    const keep = new Set(keys);
    for (const key of this.history.keys()) if (!keep.has(key)) this.history.delete(key);
  }

  private markExited(key: ProcessKey, now: number): void {
    const info = this.byKey.get(key);
    if (!info) return;
    this.threads -= info.numThreads;
    this.byKey.delete(key);
    this.added.delete(key);
    this.exited.set(key, { info, until: now + MARK_MS });
  }

  private setWorkspace(members: readonly WorkspaceMember[]): void {
    this.workspace = members;
    this.workspaceByPid = new Map(members.map((m) => [m.pid, m]));
  }

  private rebuildPidIndex(): void {
    const byPid = new Map<number, ProcessInfo>();
    for (const e of this.exited.values()) byPid.set(e.info.pid, e.info);
    // Live processes win over an exited one that had the same pid.
    for (const p of this.byKey.values()) byPid.set(p.pid, p);
    this.byPid = byPid;
  }
}

/** Whether two `hidden` lists say the same (so the note is redrawn only when it changes). */
export function sameHidden(a: readonly HiddenTasks[], b: readonly HiddenTasks[]): boolean {
  return a.length === b.length && a.every((h, i) => h.count === b[i]!.count && h.unit === b[i]!.unit && h.reason === b[i]!.reason);
}
