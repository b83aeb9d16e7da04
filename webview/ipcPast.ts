// The IPC scans the panel received, kept for rewinding: the scanner runs in the host's worker every few
// seconds and keeps nothing, and the history of ticks holds processes, not channels. So the panel keeps the
// scans it was sent, bounded, and a rewound panel shows the newest scan taken at or before the rewound tick.
import type { IpcMap } from '../src/core/ipc/model';

/** Scans kept: at the usual one scan every 3 to 5 s, a quarter of an hour or more. */
export const IPC_PAST_SCANS = 240;
/** Channels kept over all scans (a busy machine's scan holds thousands): the oldest scans go first. */
export const IPC_PAST_CHANNELS = 200_000;

export class IpcPast {
  private readonly scans: IpcMap[] = [];
  private channels = 0;

  keep(map: IpcMap): void {
    const last = this.scans[this.scans.length - 1];
    if (last && map.timestamp < last.timestamp) return;
    this.scans.push(map);
    this.channels += map.channels.length;
    while (this.scans.length > 1 && (this.scans.length > IPC_PAST_SCANS || this.channels > IPC_PAST_CHANNELS)) {
      this.channels -= this.scans.shift()!.channels.length;
    }
  }

  /** The newest scan taken at or before `at` (ms since the epoch), or null when none kept is that old. */
  at(at: number): IpcMap | null {
    let lo = 0;
    let hi = this.scans.length - 1;
    let found: IpcMap | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.scans[mid]!.timestamp <= at) {
        found = this.scans[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  get latest(): IpcMap | null {
    return this.scans[this.scans.length - 1] ?? null;
  }

  /** When the oldest kept scan was taken, or null before the first. */
  get oldest(): number | null {
    return this.scans[0]?.timestamp ?? null;
  }
}
