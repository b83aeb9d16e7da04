// What the panel's timeline draws from a recording (the in-memory history or a file): the time of every tick,
// and each process's life in it (first seen, born, became a zombie, gone, each exec) in milliseconds. The
// lives with something to show come first (born, exited or exec'd within the window, newest first); the rest
// ran the whole time and are only counted.
import type { ProcessKey } from '../model';
import type { Recording } from './reader';
import { lifetimes } from './timeline';

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
}

export const INDEX_LIMIT = 400;

export function indexHistory(recording: Recording, limit = INDEX_LIMIT): HistoryIndex {
  const times = recording.ticks.map((t) => t.at);
  const at = (tick: number): number => times[tick] ?? times[times.length - 1] ?? 0;
  const withEvents: { life: LifeBrief; last: number }[] = [];
  let steady = 0;
  for (const l of lifetimes(recording).values()) {
    const events = [l.bornAt, l.zombieAt, l.exitedAt, ...l.execs.map((e) => e.tick)].filter((t): t is number => t !== undefined);
    if (events.length === 0) {
      steady++;
      continue;
    }
    const life: LifeBrief = {
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
    };
    withEvents.push({ life, last: at(Math.max(...events)) });
  }
  withEvents.sort((a, b) => b.last - a.last || a.life.pid - b.life.pid);
  let unseen: number | null = null;
  for (const t of recording.ticks) {
    if (!t.delta || t.forks === null) continue;
    unseen = (unseen ?? 0) + Math.max(0, t.forks - t.delta.added.length);
  }
  return { times, lives: withEvents.slice(0, limit).map((e) => e.life), more: Math.max(0, withEvents.length - limit), steady, unseen };
}
