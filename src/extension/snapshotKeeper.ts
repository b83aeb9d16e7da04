// The host's copy of the newest snapshot, rebuilt from the worker's deltas only when someone reads it
// (an action, the debug tracker): folding each delta as it comes would cost ~10 ms per tick at 2000
// processes for a copy that is rarely read. Pure (no vscode import).
import type { Delta, Snapshot } from '../core/model';
import { applyDeltas } from '../shared/delta';

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
    if (this.base) this.base = applyDeltas(this.base, this.pending);
    this.pending = [];
  }
}
