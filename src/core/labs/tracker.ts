// The state of one running lab between ticks, so the host's wiring stays a few lines: feed it what was read,
// post what it returns. Pure: the host does the reading (sampler, detail, IPC scan) and the posting.
import type { LabCard, Locale } from './card';
import type { Snapshot } from '../model';
import type { LabId } from './cards';
import { evaluateLab, isLabComplete } from './evaluate';
import { labNeeds, labProcesses, type LabNeeds, type LabObservation } from './observe';

export interface LabUpdate {
  readonly card: LabCard;
  /** The lab's processes, when the set changed since the last update (post a `focus` message); else null. */
  readonly focus: readonly number[] | null;
  /** True exactly once: on the update where every item became observed (run labObservedCommand then). */
  readonly completedNow: boolean;
}

export class LabTracker {
  private card: LabCard | null = null;
  private lastPids = '';
  private completed = false;

  /**
   * @param roots the processes the lab runs under (the terminal's shell pid); without them the lab is found
   *   by its script in every process's argv.
   * @param hostPid the extension host's pid (vscode_itself only).
   */
  constructor(
    readonly labId: LabId,
    private locale: Locale,
    private readonly roots?: readonly number[],
    private readonly hostPid?: number,
  ) {}

  setLocale(locale: Locale): void {
    this.locale = locale;
  }

  /** The lab's processes in this snapshot. */
  pids(snapshot: Snapshot): number[] {
    if (this.labId === 'vscode_itself') return [];
    return labProcesses(this.labId, snapshot, this.roots);
  }

  /** What to read before the next `update` (threads for the next poll, details, an IPC scan). */
  needs(snapshot: Snapshot): LabNeeds {
    return labNeeds(this.labId, snapshot, this.pids(snapshot), this.hostPid);
  }

  update(observation: Omit<LabObservation, 'pids' | 'hostPid'> & { readonly pids?: readonly number[] }): LabUpdate {
    const pids = observation.pids ?? this.pids(observation.snapshot);
    const card = evaluateLab(
      this.labId,
      { ...observation, pids, ...(this.hostPid !== undefined ? { hostPid: this.hostPid } : {}) },
      { previous: this.card, locale: this.locale },
    );
    this.card = card;
    const key = [...pids].sort((a, b) => a - b).join(',');
    const focus = key !== this.lastPids && pids.length > 0 ? pids : null;
    this.lastPids = key;
    const completedNow = !this.completed && isLabComplete(card);
    if (completedNow) this.completed = true;
    return { card, focus, completedNow };
  }

  get current(): LabCard | null {
    return this.card;
  }
}
