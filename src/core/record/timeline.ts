// What a recording says happened: each process's life (birth, execs, exit) and the totals, read from the
// deltas without replaying whole tables.
import type { ProcessInfo, ProcessKey, StateLetter } from '../model';
import type { Recording } from './reader';

export interface Exec {
  readonly tick: number;
  readonly at: number;
  readonly name: string;
  readonly cmdline: readonly string[] | null;
}

export interface Lifetime {
  readonly key: ProcessKey;
  readonly pid: number;
  readonly ppid: number;
  /** Name and argv when first seen. */
  readonly name: string;
  readonly cmdline: readonly string[] | null;
  /** The tick it first appeared at; 0 for a process already there when recording started (bornAt undefined). */
  readonly firstTick: number;
  /** The tick it appeared at, when it was born while recording. */
  readonly bornAt?: number;
  /** The first tick it was a zombie at: it had exited, its parent had not yet reaped it. */
  readonly zombieAt?: number;
  /** The first tick it was gone at (exited and reaped), when that happened while recording. */
  readonly exitedAt?: number;
  /** Name or argv changes under the same identity, in order: exec (or a rename: prctl and setproctitle look the same). */
  readonly execs: readonly Exec[];
  /** Minor page faults (min_flt, the whole process) when first seen and when last seen: copy-on-write after a fork shows here. */
  readonly minorFaultsFirst: number;
  readonly minorFaultsLast: number;
}

interface Live {
  life: Lifetime & { execs: Exec[]; exitedAt?: number; zombieAt?: number; minorFaultsLast: number };
  name: string;
  cmdline: readonly string[] | null;
  state: StateLetter;
  kernelThread: boolean;
}

export function lifetimes(recording: Recording): Map<ProcessKey, Lifetime> {
  const out = new Map<ProcessKey, Lifetime>();
  const live = new Map<ProcessKey, Live>();
  const start = (p: ProcessInfo, tick: number, born: boolean): void => {
    const life = {
      key: p.key,
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      cmdline: p.cmdline,
      firstTick: tick,
      ...(born ? { bornAt: tick } : {}),
      ...(born && p.state === 'Z' ? { zombieAt: tick } : {}),
      execs: [] as Exec[],
      minorFaultsFirst: p.minorFaults,
      minorFaultsLast: p.minorFaults,
    };
    out.set(p.key, life);
    live.set(p.key, { life, name: p.name, cmdline: p.cmdline, state: p.state, kernelThread: p.kernelThread });
  };
  for (const tick of recording.ticks) {
    if (tick.full) {
      for (const p of tick.full.processes) start(p, tick.tick, false);
      continue;
    }
    const d = tick.delta!;
    for (const key of d.removed) {
      const l = live.get(key);
      if (l) {
        l.life.exitedAt = tick.tick;
        live.delete(key);
      }
    }
    for (const c of d.changed) {
      const l = live.get(c.key);
      if (!l) continue;
      if (c.minorFaults !== undefined) l.life.minorFaultsLast = c.minorFaults;
      if (c.state !== undefined) {
        if (c.state === 'Z' && l.state !== 'Z' && l.life.zombieAt === undefined) l.life.zombieAt = tick.tick;
        l.state = c.state;
      }
      let exec = false;
      if (c.name !== undefined && c.name !== l.name) {
        l.name = c.name;
        exec = true;
      }
      // A zombie's argv reads empty and an unreadable one null: neither is an exec, nor is argv becoming readable.
      if (c.cmdline !== undefined && c.cmdline !== null && c.cmdline.length > 0 && l.state !== 'Z') {
        if (l.cmdline !== null && !sameArgv(l.cmdline, c.cmdline)) exec = true;
        l.cmdline = c.cmdline;
      }
      if (exec && !l.kernelThread) l.life.execs.push({ tick: tick.tick, at: tick.at, name: l.name, cmdline: l.cmdline });
    }
    for (const p of d.added) start(p, tick.tick, true);
  }
  return out;
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface RecordingSummary {
  readonly ticks: number;
  readonly durationMs: number;
  readonly processesAtStart: number;
  readonly processesAtEnd: number;
  readonly born: number;
  readonly exited: number;
  readonly execs: number;
  /** Growth of the kernel's fork counter over the recording (forks and clones, threads too, whole machine); null if unknown. */
  readonly forks: number | null;
  /** Forks the recording has no birth for: processes (or threads) that lived less than a tick, at most. */
  readonly notSeen: number | null;
}

export function summarize(recording: Recording): RecordingSummary {
  const lives = lifetimes(recording);
  let born = 0;
  let exited = 0;
  let execs = 0;
  for (const l of lives.values()) {
    if (l.bornAt !== undefined) born++;
    if (l.exitedAt !== undefined) exited++;
    execs += l.execs.length;
  }
  let forks: number | null = null;
  let notSeen: number | null = null;
  for (const tick of recording.ticks) {
    if (!tick.delta || tick.forks === null) continue;
    forks = (forks ?? 0) + tick.forks;
    notSeen = (notSeen ?? 0) + Math.max(0, tick.forks - tick.delta.added.length);
  }
  const first = recording.ticks[0]?.full;
  return {
    ticks: recording.ticks.length,
    durationMs: recording.durationMs,
    processesAtStart: first ? first.processes.length : 0,
    processesAtEnd: recording.ticks.length > 0 ? (first ? first.processes.length : 0) + born - exited : 0,
    born,
    exited,
    execs,
    forks,
    notSeen,
  };
}
