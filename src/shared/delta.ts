// Applying the worker's deltas to a copy of the process table, in one place for every side that keeps one:
// the recording reader and history (core), the host's snapshot keeper and the webview's store. Browser-safe
// (no Node imports; the model is imported for its types only).
import type { Delta, ProcessChange, ProcessInfo, ProcessKey, Snapshot } from '../core/model';

/**
 * A process with one change applied. Fields absent from the change keep their value; a field sent as
 * undefined (threads no longer read, a reason that no longer applies) is taken away, as the diff means it.
 */
export function mergeChange(old: ProcessInfo, change: ProcessChange): ProcessInfo {
  // Object.assign is a little faster than { ...old, ...change } in V8 (the webview merges hundreds per tick).
  const next = Object.assign({ ...old }, change) as Record<string, unknown>;
  for (const field in change) if (next[field] === undefined) delete next[field];
  return next as unknown as ProcessInfo;
}

/**
 * Applies deltas to a table keyed by process key, in place. A change for a process the table does not hold is
 * dropped (it was removed by an earlier delta this one raced); an added process replaces any row under its key.
 */
export function applyToTable(table: Map<ProcessKey, ProcessInfo>, deltas: readonly Delta[]): void {
  for (const delta of deltas) {
    for (const key of delta.removed) table.delete(key);
    for (const change of delta.changed) {
      const old = table.get(change.key);
      if (old) table.set(change.key, mergeChange(old, change));
    }
    for (const p of delta.added) table.set(p.key, p);
  }
}

/**
 * The snapshot after all these deltas, in one pass over a map and one sort however many there are. The
 * header (time, interval, what could not be seen) is the last delta's; the process list is by pid.
 */
export function applyDeltas(prev: Snapshot, deltas: readonly Delta[]): Snapshot {
  const last = deltas[deltas.length - 1];
  if (!last) return prev;
  const table = new Map<ProcessKey, ProcessInfo>();
  for (const p of prev.processes) table.set(p.key, p);
  applyToTable(table, deltas);
  const processes = [...table.values()].sort((a, b) => a.pid - b.pid);
  const { hidden: _stale, ...rest } = prev;
  return { ...rest, timestamp: last.timestamp, intervalMs: last.intervalMs, processes, ...(last.hidden ? { hidden: last.hidden } : {}) };
}

export function applyDelta(prev: Snapshot, delta: Delta): Snapshot {
  return applyDeltas(prev, [delta]);
}
