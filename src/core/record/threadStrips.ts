// Each thread's state over a recording (the in-memory history or a file), for the timeline's per-thread
// strips: runs of one state letter between the times it was seen. A delta carries a process's whole `threads`
// list whenever one of its threads changed, so a state holds from the tick it was seen until the next tick
// that shows it different (or the thread gone). Ticks in which a process's threads were not read (the panel
// reads them only for expanded or selected rows) leave a gap: nothing is guessed for them.
import type { ProcessKey, StateLetter, ThreadInfo } from '../model';
import type { Recording } from './reader';

export interface StateRun {
  /** ms: the tick the state was first seen at, and the tick it was last seen before a change, a gap or the end. */
  readonly from: number;
  readonly to: number;
  readonly state: StateLetter;
}

export interface ThreadStrip {
  readonly key: ProcessKey;
  readonly tid: number;
  /** The thread's name when last seen. */
  readonly name: string;
  readonly runs: readonly StateRun[];
}

/** More threads than this per process are left out (counted in `more`): a strip each would not be legible. */
export const STRIPS_PER_PROCESS = 32;

interface Open {
  tid: number;
  name: string;
  runs: { from: number; to: number; state: StateLetter }[];
}

/**
 * The strips of the threads of the processes `keys`, in the order of their first sight (the main thread
 * first), at most `limit` per process; `more` counts the threads left out per process.
 */
export function threadStrips(
  recording: Recording,
  keys: readonly ProcessKey[],
  limit = STRIPS_PER_PROCESS,
): { readonly strips: readonly ThreadStrip[]; readonly more: Readonly<Record<ProcessKey, number>> } {
  const wanted = new Set(keys);
  /** Per process: its threads by identity (tid and start time: a tid may be reused). */
  const seen = new Map<ProcessKey, Map<string, Open>>();
  /**
   * Per process: the threads of the last list read (undefined: not read then), and the last tick that list is
   * known to hold at. A list no delta mentions holds on, and only that time moves: its runs are made to reach it
   * when the list changes, goes or the recording ends. Reaching each thread's run to every tick instead cost
   * every thread of the process at every tick: a process of thousands of threads over thousands of ticks took
   * seconds from a file of a few MB.
   */
  const current = new Map<ProcessKey, { readonly threads: readonly Open[]; heldTo: number } | undefined>();
  let prevAt: number | undefined;

  /** The runs of `key`'s last list, reaching the last tick it held at. */
  const close = (key: ProcessKey): void => {
    const held = current.get(key);
    if (held) for (const open of held.threads) open.runs.at(-1)!.to = held.heldTo;
  };

  const observe = (key: ProcessKey, threads: readonly ThreadInfo[] | undefined, at: number): void => {
    close(key);
    if (!threads) {
      current.set(key, undefined);
      return;
    }
    let table = seen.get(key);
    if (!table) seen.set(key, (table = new Map()));
    const listed: Open[] = [];
    const ids = new Set<string>();
    for (const t of threads) {
      const id = `${t.tid}@${t.startTicks}`;
      // A thread listed twice (no kernel lists one twice; a damaged file may) is read once.
      if (ids.has(id)) continue;
      ids.add(id);
      let open = table.get(id);
      if (!open) table.set(id, (open = { tid: t.tid, name: t.name, runs: [] }));
      open.name = t.name;
      const last = open.runs.at(-1);
      // The same state seen at the previous tick goes on; a change, a gap or a return starts a new run.
      if (last && last.state === t.state && last.to === prevAt) last.to = at;
      else open.runs.push({ from: at, to: at, state: t.state });
      listed.push(open);
    }
    current.set(key, { threads: listed, heldTo: at });
  };

  for (const tick of recording.ticks) {
    if (tick.full) {
      for (const p of tick.full.processes) if (wanted.has(p.key)) observe(p.key, p.threads, tick.at);
    } else if (tick.delta) {
      const d = tick.delta;
      for (const key of d.removed) {
        close(key);
        current.delete(key);
      }
      const touched = new Set<ProcessKey>();
      for (const c of d.changed) {
        if (!wanted.has(c.key) || !('threads' in c)) continue;
        touched.add(c.key);
        observe(c.key, c.threads, tick.at);
      }
      for (const p of d.added) {
        if (!wanted.has(p.key)) continue;
        touched.add(p.key);
        observe(p.key, p.threads, tick.at);
      }
      // A list the delta did not mention is the same as before: its runs reach this tick too.
      for (const [key, held] of current) if (!touched.has(key) && held) held.heldTo = tick.at;
    }
    prevAt = tick.at;
  }
  for (const key of current.keys()) close(key);

  const strips: ThreadStrip[] = [];
  const more: Record<ProcessKey, number> = {};
  for (const key of keys) {
    const table = seen.get(key);
    if (!table) continue;
    const all = [...table.values()];
    // The main thread (tid = pid) first, the rest in order of first sight.
    const pid = Number.parseInt(key, 10);
    all.sort((a, b) => Number(b.tid === pid) - Number(a.tid === pid));
    for (const t of all.slice(0, limit)) strips.push({ key, tid: t.tid, name: t.name, runs: t.runs });
    if (all.length > limit) more[key] = all.length - limit;
  }
  return { strips, more };
}
