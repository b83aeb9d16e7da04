// The machine at a glance: per-core CPU, load average, tasks by state, memory as `free` shows it, and
// pressure stall information. One `readMachineSample` per tick; CPU% needs two samples (`summarize`).
// Each part stands alone: a file that cannot be read makes that part null with the reason in `unavailable`,
// never the whole summary.
import { reasonOf } from './errors';
import type { Snapshot, StateLetter } from './model';
import { cpuPercent, parseCpuStat, type CpuPercent, type CpuStat } from './procfs/cpuStat';
import { freeMemory, parseMeminfo, type FreeMemory } from './procfs/meminfo';
import { parsePressure, PRESSURE_RESOURCES, type Pressure, type PressureResource } from './procfs/pressure';
import { procFs } from './procfs/procFs';

export interface LoadAverage {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
  /** Runnable tasks now / every task the kernel has (the 4th field, `running/total`). */
  readonly running: number;
  readonly total: number;
  /** The pid the kernel gave out last. */
  readonly lastPid: number;
}

/** `0.52 0.58 0.59 3/512 12345`; undefined when it is not that. */
export function parseLoadavg(text: string): LoadAverage | undefined {
  const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)\/(\d+) (\d+)\s*$/.exec(text);
  if (!m) return undefined;
  return {
    load1: Number(m[1]),
    load5: Number(m[2]),
    load15: Number(m[3]),
    running: Number(m[4]),
    total: Number(m[5]),
    lastPid: Number(m[6]),
  };
}

/** What one read of the machine files gave. Parts are null when unavailable, with the reason by part name. */
export interface MachineSample {
  /** When the read finished, ms since the epoch. */
  readonly at: number;
  readonly cpu: CpuStat | null;
  readonly load: LoadAverage | null;
  readonly memory: FreeMemory | null;
  readonly pressure: Readonly<Record<PressureResource, Pressure | null>>;
  /** `cpu`, `load`, `memory`, `pressure.cpu`, ... -> why it is null (`ENOENT: no such file or directory`). */
  readonly unavailable: Readonly<Record<string, string>>;
}

function readPart<T>(path: string, parse: (text: string) => T | undefined, part: string, unavailable: Record<string, string>): T | null {
  let text: string;
  try {
    text = procFs.readFileSync(path).toString('latin1');
  } catch (error) {
    // Any errno: ENOENT (a kernel without PSI), EOPNOTSUPP (PSI built in but switched off with psi=0), EACCES.
    unavailable[part] = reasonOf(error);
    return null;
  }
  const value = parse(text);
  if (value === undefined) {
    unavailable[part] = 'unexpected content';
    return null;
  }
  return value;
}

export function readMachineSample(procRoot = '/proc'): MachineSample {
  const unavailable: Record<string, string> = {};
  const cpu = readPart(`${procRoot}/stat`, parseCpuStat, 'cpu', unavailable);
  const load = readPart(`${procRoot}/loadavg`, parseLoadavg, 'load', unavailable);
  const memory = readPart(`${procRoot}/meminfo`, (text) => freeMemory(parseMeminfo(text)), 'memory', unavailable);
  const pressure = {} as Record<PressureResource, Pressure | null>;
  for (const r of PRESSURE_RESOURCES) pressure[r] = readPart(`${procRoot}/pressure/${r}`, parsePressure, `pressure.${r}`, unavailable);
  return { at: Date.now(), cpu, load, memory, pressure, unavailable };
}

export interface CpuUsage {
  /** Every core together. */
  readonly total: CpuPercent;
  /** Each core present in both samples, by core number. */
  readonly cores: readonly { readonly cpu: number; readonly percent: CpuPercent }[];
}

/** Tasks by state letter: whole processes (by their shown state) and every thread. */
export interface TasksByState {
  readonly processes: Readonly<Partial<Record<StateLetter, number>>>;
  readonly threads: Readonly<Partial<Record<StateLetter, number>>>;
  readonly processCount: number;
  readonly threadCount: number;
  /** False when the snapshot did not read every process's threads: `threads` then counts what it read. */
  readonly threadsComplete: boolean;
}

export function tasksByState(snapshot: Snapshot): TasksByState {
  const processes: Partial<Record<StateLetter, number>> = {};
  const threads: Partial<Record<StateLetter, number>> = {};
  let threadCount = 0;
  let threadsComplete = true;
  for (const p of snapshot.processes) {
    processes[p.state] = (processes[p.state] ?? 0) + 1;
    if (!p.threads) {
      threadsComplete = false;
      continue;
    }
    for (const th of p.threads) {
      threads[th.state] = (threads[th.state] ?? 0) + 1;
      threadCount++;
    }
  }
  return { processes, threads, processCount: snapshot.processes.length, threadCount, threadsComplete };
}

export interface MachineSummary {
  readonly at: number;
  /** Time between the two samples CPU% was computed over; null with one sample. */
  readonly intervalMs: number | null;
  /** null on the first sample (no delta yet: `unavailable.cpu` says so) or when /proc/stat could not be read. */
  readonly cpu: CpuUsage | null;
  readonly load: LoadAverage | null;
  readonly tasks: TasksByState | null;
  readonly memory: FreeMemory | null;
  readonly pressure: Readonly<Record<PressureResource, Pressure | null>>;
  readonly unavailable: Readonly<Record<string, string>>;
}

/** The summary of `after`, with CPU% over the time since `before` (omit it for a first sample). */
export function summarize(after: MachineSample, before?: MachineSample, snapshot?: Snapshot): MachineSummary {
  const unavailable: Record<string, string> = { ...after.unavailable };
  let cpu: CpuUsage | null = null;
  if (after.cpu && before?.cpu) {
    const total = cpuPercent(before.cpu.total, after.cpu.total);
    if (total) {
      const earlier = new Map(before.cpu.cores.map((c) => [c.cpu, c.times]));
      const cores: { cpu: number; percent: CpuPercent }[] = [];
      for (const c of after.cpu.cores) {
        const prev = earlier.get(c.cpu);
        const percent = prev && cpuPercent(prev, c.times);
        if (percent) cores.push({ cpu: c.cpu, percent });
      }
      cpu = { total, cores };
    } else unavailable.cpu = 'no time passed between the two samples';
  } else if (after.cpu) unavailable.cpu = 'first sample: CPU% needs a second one';
  if (!snapshot) unavailable.tasks = 'no snapshot';
  return {
    at: after.at,
    intervalMs: before ? after.at - before.at : null,
    cpu,
    load: after.load,
    tasks: snapshot ? tasksByState(snapshot) : null,
    memory: after.memory,
    pressure: after.pressure,
    unavailable,
  };
}
