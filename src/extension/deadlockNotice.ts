// When to tell the user about a deadlock: once when a wait-for cycle appears, not on every look that still
// finds it, and again only after it was gone for a look and came back. Pure (no vscode import).
import type { WaitCycle } from '../protocol';
import { visible } from '../shared/visible';

/** A cycle's identity: its threads by process key (pid + start time) and tid, in any rotation. */
export function cycleId(cycle: WaitCycle): string {
  return cycle.members
    .map((m) => `${m.key}/${m.tid}`)
    .sort()
    .join(' ');
}

/** `812 worker-1 → 813 worker-2 → 812 worker-1`, names shown as text (visible). */
export function cyclePath(cycle: WaitCycle): string {
  const ms = cycle.members;
  return [...ms, ms[0]!].map((m) => `${m.tid} ${visible(m.name)}`).join(' → ');
}

export class DeadlockNotice {
  private present = new Set<string>();

  /**
   * The cycles of this look that the previous look did not have (the ones to announce). A look that could
   * not be made is not passed here, so it neither forgets nor announces anything.
   */
  update(cycles: readonly WaitCycle[]): WaitCycle[] {
    const now = new Map<string, WaitCycle>();
    for (const c of cycles) if (c.members.length > 0) now.set(cycleId(c), c);
    const fresh = [...now].filter(([id]) => !this.present.has(id)).map(([, c]) => c);
    this.present = new Set(now.keys());
    return fresh;
  }

  /** Scope changed or the panel was hidden long enough that nothing was looked at: start afresh. */
  reset(): void {
    this.present.clear();
  }
}
