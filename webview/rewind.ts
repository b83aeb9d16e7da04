// Rewinding the panel to a tick of the host's in-memory history: the store takes the past table and live
// updates wait (the host keeps polling); "Live" asks the host for its newest whole table, and the deltas that
// follow it apply as usual. Nothing of the past is kept here: the host has it.
import { t } from './i18n';
import type { ProcessStore } from './store';
import type { HostClient } from './hostClient';
import type { UiState } from './uiState';

export interface RewindCallbacks {
  /** The table changed: rows, counts, banner and the shown tab follow. */
  redraw(): void;
  /** The history could not give that tick (an error text for the status bar). */
  failed(text: string): void;
}

export class Rewind {
  /** Asks are answered in order; only the newest one's table is shown. */
  private asked = 0;

  constructor(
    private readonly ui: UiState,
    private readonly store: ProcessStore,
    private readonly host: HostClient,
    private readonly cb: RewindCallbacks,
  ) {}

  async go(at: number): Promise<void> {
    const ask = ++this.asked;
    const reply = await this.host.request({ kind: 'historyAt', at });
    if (ask !== this.asked) return;
    if (!reply.ok) {
      this.cb.failed(reply.error);
      return;
    }
    if (!reply.result) {
      this.cb.failed(t('timeline.none'));
      return;
    }
    this.ui.pastAt = reply.result.at;
    this.ui.resyncing = false;
    this.store.setSnapshot(reply.result.snapshot, this.store.workspace);
    this.cb.redraw();
  }

  live(): void {
    this.asked++;
    if (this.ui.pastAt === null) return;
    this.ui.pastAt = null;
    this.ui.resyncing = true;
    this.host.post({ type: 'resync' });
    this.cb.redraw();
  }

  /** Whether a live snapshot or delta may go into the store now. */
  accepts(type: 'snapshot' | 'delta'): boolean {
    if (this.ui.pastAt !== null) return false;
    if (!this.ui.resyncing) return true;
    if (type === 'snapshot') this.ui.resyncing = false;
    return type === 'snapshot';
  }
}
