// The host's copy of the newest snapshot, rebuilt from the worker's deltas only when someone reads it
// (an action, the debug tracker): folding each delta as it comes would cost ~10 ms per tick at 2000
// processes for a copy that is rarely read. Pure (no vscode import).
import type { Delta, ProcessInfo, ProcessKey, Snapshot } from '../core/model';

/** Past this many unread deltas they are folded anyway, so memory stays bounded. */
const MAX_PENDING = 20;

export class SnapshotKeeper {
  private base: Snapshot | undefined;
  private pending: Delta[] = [];

  get hasSnapshot(): boolean {
    return this.base !== undefined;
  }

  reset(snapshot: Snapshot): void {
    this.base = snapshot;
    this.pending = [];
  }

  push(delta: Delta): void {
    if (!this.base) return;
    this.pending.push(delta);
    if (this.pending.length >= MAX_PENDING) this.fold();
  }

  get snapshot(): Snapshot | undefined {
    if (this.pending.length > 0) this.fold();
    return this.base;
  }

  /** All pending deltas in one pass over a map (one sort), however many there are. */
  private fold(): void {
    const base = this.base;
    if (!base) return;
    const byKey = new Map<ProcessKey, ProcessInfo>();
    for (const p of base.processes) byKey.set(p.key, p);
    let last: Delta | undefined;
    for (const delta of this.pending) {
      for (const key of delta.removed) byKey.delete(key);
      for (const change of delta.changed) {
        const old = byKey.get(change.key);
        if (!old) continue;
        const merged: Record<string, unknown> = { ...old };
        for (const [k, v] of Object.entries(change)) {
          if (v === undefined) delete merged[k];
          else merged[k] = v;
        }
        byKey.set(change.key, merged as unknown as ProcessInfo);
      }
      for (const p of delta.added) byKey.set(p.key, p);
      last = delta;
    }
    this.pending = [];
    if (!last) return;
    const processes = [...byKey.values()].sort((a, b) => a.pid - b.pid);
    this.base = { ...base, timestamp: last.timestamp, intervalMs: last.intervalMs, processes };
  }
}
