// What a recording says happened: each process's life (birth, execs, exit) and the totals, read from the
// deltas without replaying whole tables.
import type { Delta, ProcessInfo, ProcessKey, Snapshot, StateLetter } from '../model';
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

type MutableLife = Live['life'];

/**
 * The lives of a recording, built one tick at a time: the panel's history feeds it each tick as it is kept
 * (so the Timeline's index costs the new ticks, not the whole history, each time it is asked for), and when
 * the history drops its oldest ticks, `rebase` makes it what it would be had it started at the new oldest
 * tick. `lifetimes` feeds it a whole recording.
 */
export class LifeTracker {
  private readonly out = new Map<ProcessKey, MutableLife>();
  private readonly live = new Map<ProcessKey, Live>();

  get lives(): ReadonlyMap<ProcessKey, Lifetime> {
    return this.out;
  }

  private start(p: ProcessInfo, tick: number, born: boolean): void {
    const life: MutableLife = {
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
    this.out.set(p.key, life);
    this.live.set(p.key, { life, name: p.name, cmdline: p.cmdline, state: p.state, kernelThread: p.kernelThread });
  }

  /** The first tick: the whole table. */
  full(snapshot: Snapshot, tick: number): void {
    for (const p of snapshot.processes) this.start(p, tick, false);
  }

  /** A later tick: what changed since the tick before. */
  delta(d: Delta, tick: number, at: number): void {
    for (const key of d.removed) {
      const l = this.live.get(key);
      if (l) {
        l.life.exitedAt = tick;
        this.live.delete(key);
      }
    }
    for (const c of d.changed) {
      const l = this.live.get(c.key);
      if (!l) continue;
      if (c.minorFaults !== undefined) l.life.minorFaultsLast = c.minorFaults;
      if (c.state !== undefined) {
        if (c.state === 'Z' && l.state !== 'Z' && l.life.zombieAt === undefined) l.life.zombieAt = tick;
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
      if (exec && !l.kernelThread) l.life.execs.push({ tick, at, name: l.name, cmdline: l.cmdline });
    }
    for (const p of d.added) this.start(p, tick, true);
  }

  /**
   * The ticks before `tick` were dropped and `base` is the table at `tick`: lives that ended by then go, and
   * the rest start there, as whole-table lives do (first seen at `tick`, not born, their name, argv, parent
   * and faults as `base` has them; only the events after `tick` kept).
   */
  rebase(base: Snapshot, tick: number): void {
    const byKey = new Map<ProcessKey, ProcessInfo>();
    for (const p of base.processes) byKey.set(p.key, p);
    for (const [key, life] of this.out) {
      // A life first seen after the new oldest tick is unchanged by the drop.
      if (life.firstTick > tick) continue;
      const p = byKey.get(key);
      if (!p || (life.exitedAt !== undefined && life.exitedAt <= tick)) {
        this.out.delete(key);
        this.live.delete(key);
        continue;
      }
      const { bornAt: _born, zombieAt, ...rest } = life;
      const next: MutableLife = {
        ...rest,
        ppid: p.ppid,
        name: p.name,
        cmdline: p.cmdline,
        firstTick: tick,
        ...(zombieAt !== undefined && zombieAt > tick ? { zombieAt } : {}),
        execs: life.execs.filter((e) => e.tick > tick),
        minorFaultsFirst: p.minorFaults,
      };
      this.out.set(key, next);
      const l = this.live.get(key);
      if (l) l.life = next;
    }
  }
}

export function lifetimes(recording: Recording): Map<ProcessKey, Lifetime> {
  const tracker = new LifeTracker();
  for (const tick of recording.ticks) {
    if (tick.full) tracker.full(tick.full, tick.tick);
    else tracker.delta(tick.delta!, tick.tick, tick.at);
  }
  return tracker.lives as Map<ProcessKey, Lifetime>;
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
