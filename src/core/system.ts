// Facts about the machine the sampler needs to turn ticks and pages into times and bytes.
import * as os from 'node:os';
import type { SystemInfo } from './model';
import { procFs } from './procfs/procFs';

/**
 * USER_HZ. Linux fixes it at 100 for user space on every architecture it supports (the kernel's own HZ may
 * differ; /proc reports in USER_HZ), so no `getconf CLK_TCK` process is spawned for it.
 */
export const CLOCK_TICKS = 100;

export function readSystemInfo(procRoot = '/proc'): SystemInfo {
  return {
    bootTime: readBootTime(procRoot),
    clockTicks: CLOCK_TICKS,
    pageSize: readPageSize(procRoot),
    cpuCount: os.availableParallelism?.() ?? os.cpus().length,
    memTotal: readMemTotal(procRoot),
    hostname: os.hostname(),
    platform: process.platform,
  };
}

/** Boot time in ms since the epoch, from `btime` in /proc/stat (what procps uses for STIME). */
export function readBootTime(procRoot = '/proc'): number {
  const text = procFs.readFileSync(`${procRoot}/stat`).toString('latin1');
  const m = /^btime (\d+)$/m.exec(text);
  if (!m) throw new Error(`${procRoot}/stat has no btime line`);
  return Number(m[1]) * 1000;
}

/**
 * Page size without spawning getconf: /proc/self/statm counts resident pages and /proc/self/status gives the
 * same resident size in kB. Falls back to 4096 when /proc/self is not ours (a fixture tree).
 */
export function readPageSize(procRoot = '/proc'): number {
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const statm = procFs.readFileSync(`${procRoot}/self/statm`).toString('latin1').split(' ');
      const status = procFs.readFileSync(`${procRoot}/self/status`).toString('latin1');
      const statm2 = procFs.readFileSync(`${procRoot}/self/statm`).toString('latin1').split(' ');
      if (statm[1] !== statm2[1]) continue; // RSS moved between the reads; try again
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      const pages = Number(statm[1]);
      if (!kb || !pages) break;
      const size = (Number(kb[1]) * 1024) / pages;
      for (const candidate of [4096, 16384, 65536]) if (Math.abs(size - candidate) / candidate < 0.02) return candidate;
      break;
    }
  } catch {
    // fixture trees have no self; fall through
  }
  return 4096;
}

function readMemTotal(procRoot: string): number | null {
  try {
    const m = /^MemTotal:\s+(\d+) kB$/m.exec(procFs.readFileSync(`${procRoot}/meminfo`).toString('latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
