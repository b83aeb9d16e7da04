// /proc/stat: the CPU time counters (USER_HZ ticks since boot) of the whole machine and of each core, and the
// task counters. CPU% is a delta between two reads, as top and htop compute it.

/** The eight columns top and htop turn into percentages (guest time is already inside user and nice). */
export const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuField = (typeof CPU_FIELDS)[number];

export type CpuTimes = Readonly<Record<CpuField, number>>;

export interface CpuStat {
  /** The `cpu` line: every core together. */
  readonly total: CpuTimes;
  /** The `cpuN` lines in the order the kernel prints them (an offline core has no line). */
  readonly cores: readonly { readonly cpu: number; readonly times: CpuTimes }[];
  /** `procs_running` / `procs_blocked` (tasks runnable now, tasks in uninterruptible I/O wait); null when absent. */
  readonly procsRunning: number | null;
  readonly procsBlocked: number | null;
  /** `ctxt`: context switches since boot; `processes`: forks since boot. */
  readonly contextSwitches: number | null;
  readonly forks: number | null;
}

function times(fields: readonly string[]): CpuTimes {
  // Kernels before 2.6.11 print fewer columns: the missing ones are zero, as top treats them.
  const n = (i: number): number => {
    const v = Number(fields[i]);
    return Number.isFinite(v) && v >= 0 ? v : 0;
  };
  return { user: n(0), nice: n(1), system: n(2), idle: n(3), iowait: n(4), irq: n(5), softirq: n(6), steal: n(7) };
}

/** Parses /proc/stat; undefined when it has no `cpu` line (not a /proc/stat). */
export function parseCpuStat(text: string): CpuStat | undefined {
  let total: CpuTimes | undefined;
  const cores: { cpu: number; times: CpuTimes }[] = [];
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const name = f[0] ?? '';
    if (name === 'cpu') total = times(f.slice(1));
    else if (/^cpu\d+$/.test(name)) cores.push({ cpu: Number(name.slice(3)), times: times(f.slice(1)) });
    else if (f.length === 2 && /^\d+$/.test(f[1]!)) counters.set(name, Number(f[1]));
  }
  if (!total) return undefined;
  const counter = (name: string): number | null => counters.get(name) ?? null;
  return {
    total,
    cores,
    procsRunning: counter('procs_running'),
    procsBlocked: counter('procs_blocked'),
    contextSwitches: counter('ctxt'),
    forks: counter('processes'),
  };
}

export type CpuPercent = Readonly<Record<CpuField, number>> & {
  /** 100 - idle - iowait: the share the core spent doing anything (iowait is idle time with I/O pending). */
  readonly busy: number;
};

/**
 * Each field's share of the time between two reads, in percent (they add up to 100). A counter that went
 * backwards (iowait may, on some kernels; a core taken offline and back) counts as zero, as top does.
 * Undefined when no time passed: a percentage of nothing is not zero.
 */
export function cpuPercent(before: CpuTimes, after: CpuTimes): CpuPercent | undefined {
  const delta = {} as Record<CpuField, number>;
  let sum = 0;
  for (const f of CPU_FIELDS) {
    delta[f] = Math.max(0, after[f] - before[f]);
    sum += delta[f];
  }
  if (sum === 0) return undefined;
  const out = {} as Record<CpuField, number>;
  for (const f of CPU_FIELDS) out[f] = (delta[f] * 100) / sum;
  return { ...out, busy: 100 - out.idle - out.iowait };
}
