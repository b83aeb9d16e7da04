// What the panel's timeline draws from a recording (the in-memory history or a file): the time of every tick,
// and each process's life in it (first seen, born, became a zombie, gone, each exec) in milliseconds. The
// lives with something to show come first (born, exited or exec'd within the window, newest first); the rest
// ran the whole time and are only counted.
import type { ProcessKey, Snapshot } from '../model';
import type { Recording } from './reader';
import { threadStrips, type ThreadStrip } from './threadStrips';
import { lifetimes, type Lifetime } from './timeline';

export interface LifeBrief {
  readonly key: ProcessKey;
  readonly pid: number;
  readonly ppid: number;
  /** The name when first seen, and its last one. */
  readonly name: string;
  readonly lastName: string;
  /** First tick it was seen at, ms. */
  readonly from: number;
  /** Born within the window, ms (absent: it was there when the window starts). */
  readonly bornAt?: number;
  readonly zombieAt?: number;
  /** Gone (exited and reaped) within the window, ms; absent while it lives. */
  readonly exitedAt?: number;
  readonly execs: readonly { readonly at: number; readonly name: string }[];
  /** Minor page faults (min_flt) when first and last seen in the window. */
  readonly minorFaultsFirst: number;
  readonly minorFaultsLast: number;
}

export interface HistoryIndex {
  /** The time of each tick, oldest first. */
  readonly times: readonly number[];
  /** Lives with an event in the window (born, gone, zombie, exec), newest event first, at most `limit`. */
  readonly lives: readonly LifeBrief[];
  /** Lives with an event left out by the limit. */
  readonly more: number;
  /** Lives that ran the whole window unchanged. */
  readonly steady: number;
  /** The kernel's fork counter grew by this much more than the births seen: lives shorter than a tick; null if unknown. */
  readonly unseen: number | null;
  /** The per-thread state strips of the processes asked for (absent when none were asked for). */
  readonly threads?: { readonly strips: readonly ThreadStrip[]; readonly more: Readonly<Record<ProcessKey, number>> };
}

export const INDEX_LIMIT = 400;

/** @param threadKeys the processes whose threads get a strip each (the timeline's expanded or selected rows). */
export function indexHistory(recording: Recording, limit = INDEX_LIMIT, threadKeys: readonly ProcessKey[] = []): HistoryIndex {
  const times = recording.ticks.map((t) => t.at);
  let unseen: number | null = null;
  for (const t of recording.ticks) {
    if (!t.delta || t.forks === null) continue;
    unseen = (unseen ?? 0) + Math.max(0, t.forks - t.delta.added.length);
  }
  return {
    ...indexLives(times, 0, lifetimes(recording).values(), unseen, limit),
    ...(threadKeys.length > 0 ? { threads: threadStrips(recording, threadKeys) } : {}),
  };
}

/**
 * The index from lives already made (the panel's history keeps them up to date tick by tick).
 * @param times the time of each tick held, oldest first; `firstTick` is the number of the oldest.
 */
export function indexLives(
  times: readonly number[],
  firstTick: number,
  lives: Iterable<Lifetime>,
  unseen: number | null,
  limit = INDEX_LIMIT,
): HistoryIndex {
  const at = (tick: number): number => times[tick - firstTick] ?? times[times.length - 1] ?? 0;
  // The newest event of each life first; briefs are made only for the lives shown.
  const withEvents: { life: Lifetime; last: number }[] = [];
  let steady = 0;
  for (const l of lives) {
    let last = -1;
    if (l.bornAt !== undefined) last = l.bornAt;
    if (l.zombieAt !== undefined && l.zombieAt > last) last = l.zombieAt;
    if (l.exitedAt !== undefined && l.exitedAt > last) last = l.exitedAt;
    for (const e of l.execs) if (e.tick > last) last = e.tick;
    if (last < 0) steady++;
    else withEvents.push({ life: l, last: at(last) });
  }
  withEvents.sort((a, b) => b.last - a.last || a.life.pid - b.life.pid);
  const brief = (l: Lifetime): LifeBrief => ({
    key: l.key,
    pid: l.pid,
    ppid: l.ppid,
    name: l.name,
    lastName: l.execs.at(-1)?.name ?? l.name,
    from: at(l.firstTick),
    ...(l.bornAt !== undefined ? { bornAt: at(l.bornAt) } : {}),
    ...(l.zombieAt !== undefined ? { zombieAt: at(l.zombieAt) } : {}),
    ...(l.exitedAt !== undefined ? { exitedAt: at(l.exitedAt) } : {}),
    execs: l.execs.map((e) => ({ at: e.at, name: e.name })),
    minorFaultsFirst: l.minorFaultsFirst,
    minorFaultsLast: l.minorFaultsLast,
  });
  return {
    times: [...times],
    lives: withEvents.slice(0, limit).map((e) => brief(e.life)),
    more: Math.max(0, withEvents.length - limit),
    steady,
    unseen,
  };
}

/** The most processes whose thread strips one index request may ask for. */
export const MAX_THREAD_KEYS = 16;

/**
 * A whole recording answering the panel's history requests (the Timeline's index, a past table): what the
 * worker answers from its in-memory history, answered the same way from a file.
 */
export class RecordingHistory {
  /** A file does not change: its lives are indexed once, only the thread strips asked for are made per request. */
  private lives: HistoryIndex | undefined;

  constructor(readonly recording: Recording) {}

  index(threadKeys: readonly ProcessKey[] = []): HistoryIndex | null {
    if (this.recording.ticks.length === 0) return null;
    this.lives ??= indexHistory(this.recording);
    const keys = threadKeys.slice(0, MAX_THREAD_KEYS);
    return keys.length === 0 ? this.lives : { ...this.lives, threads: threadStrips(this.recording, keys) };
  }

  /** The table at the last tick taken at or before `at` (the first one for an earlier time). */
  at(at: number): { readonly at: number; readonly snapshot: Snapshot } | null {
    if (this.recording.ticks.length === 0) return null;
    const tick = this.recording.tickAt(at);
    return { at: this.recording.ticks[tick]!.at, snapshot: this.recording.snapshotAt(tick) };
  }

  /** The newest table: what the panel shows first and returns to from the past. */
  newest(): Snapshot | null {
    const n = this.recording.ticks.length;
    return n === 0 ? null : this.recording.snapshotAt(n - 1);
  }
}
