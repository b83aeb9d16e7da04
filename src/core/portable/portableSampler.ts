// The portable backend for macOS and Windows (and on Linux when asked for, so it is tested here):
// `pidtree` lists every pid with its parent system-wide; `ps-list` adds name, command line, uid and start
// time where the platform gives them. Everything else is reported unavailable, never estimated.
import * as os from 'node:os';
import type { ProcessInfo, Snapshot, SystemInfo } from '../model';
import { processKey } from '../model';
import type { PollOptions, ProcessSource } from '../sampler';

/** ProcessInfo fields this backend never provides. */
export const PORTABLE_UNAVAILABLE = [
  'pgid',
  'sid',
  'tty',
  'tpgid',
  'gid',
  'euid',
  'egid',
  'exe',
  'state',
  'kernelThread',
  'nice',
  'priority',
  'policy',
  'rtPriority',
  'numThreads',
  'processor',
  'utimeMs',
  'stimeMs',
  'cpuPercent',
  'vsize',
  'rss',
  'minorFaults',
  'majorFaults',
  'voluntaryCtxtSwitches',
  'nonvoluntaryCtxtSwitches',
  'threads',
] as const;

const REASON = 'not provided by the portable backend (ps-list + pidtree)';

/** Fields this backend gives as `ps` prints them rather than as the kernel holds them. */
export const PORTABLE_INEXACT: Readonly<Record<string, string>> = Object.freeze({
  name: "as ps prints it: the executable's name (not comm), control characters already replaced by ps",
  cmdline: 'one string as ps prints it: the argument boundaries lost, control characters already replaced by ps',
});

interface PsListEntry {
  pid: number;
  ppid: number;
  name: string;
  cmd?: string;
  uid?: number;
  startTime?: Date;
}

/** How the portable backend lists processes: ps-list first, pidtree when ps-list cannot run. */
export interface PortableListers {
  describe(): Promise<PsListEntry[]>;
  link(): Promise<{ pid: number; ppid: number }[]>;
}

const REAL_LISTERS: PortableListers = {
  describe: async () => (await import('ps-list')).default({ all: true }) as Promise<PsListEntry[]>,
  link: async () => (await import('pidtree')).default(-1, { advanced: true }) as Promise<{ pid: number; ppid: number }[]>,
};

export class PortableSampler implements ProcessSource {
  readonly backend = 'portable' as const;
  private lastAt: number | undefined;

  /** `listers`: for tests that make ps-list fail; the real ones otherwise. */
  constructor(private readonly listers: PortableListers = REAL_LISTERS) {}

  async poll(_options?: PollOptions): Promise<Snapshot> {
    // ps-list gives every process with its parent, name, command line, uid and start time (one `ps` on macOS,
    // its fastlist helper on Windows). pidtree lists pids and parents only, and on Windows through wmic or, where
    // wmic is gone, PowerShell (far heavier): so it runs only when ps-list fails, to list at least the tree.
    let described: PsListEntry[];
    let links: { pid: number; ppid: number }[] = [];
    try {
      described = await this.listers.describe();
    } catch (error) {
      try {
        links = await this.listers.link();
      } catch {
        throw error; // neither could list: ps-list's failure says most
      }
      described = [];
    }
    const now = Date.now();
    const intervalMs = this.lastAt === undefined ? null : now - this.lastAt;
    this.lastAt = now;

    const byPid = new Map<number, PsListEntry>();
    for (const p of described) byPid.set(p.pid, p);
    const parents = new Map<number, number>();
    for (const l of links) parents.set(l.pid, l.ppid);
    for (const p of described) if (!parents.has(p.pid)) parents.set(p.pid, p.ppid);

    let currentUser: { uid: number; username: string } | undefined;
    try {
      const u = os.userInfo();
      currentUser = { uid: u.uid, username: u.username };
    } catch {
      currentUser = undefined;
    }

    const processes: ProcessInfo[] = [];
    for (const [pid, ppid] of parents) {
      const d = byPid.get(pid);
      const startTime = d?.startTime && !Number.isNaN(d.startTime.getTime()) ? d.startTime.getTime() : null;
      const unavailable: Record<string, string> = {};
      for (const f of PORTABLE_UNAVAILABLE) unavailable[f] = REASON;
      if (!d) unavailable.name = 'listed by pidtree only (no details from ps-list)';
      if (d?.uid === undefined) {
        unavailable.uid = REASON;
        unavailable.user = REASON;
      }
      if (d?.cmd === undefined) unavailable.cmdline = REASON;
      if (startTime === null) unavailable.startTime = REASON;
      const uid = d?.uid ?? null;
      processes.push({
        key: processKey(pid, startTime ?? 0),
        pid,
        ppid,
        pgid: 0,
        sid: 0,
        tty: null,
        ttyNr: 0,
        tpgid: -1,
        uid,
        euid: null,
        gid: null,
        egid: null,
        user: uid === null ? null : uid === currentUser?.uid ? currentUser.username : String(uid),
        euser: null,
        name: d?.name ?? '',
        // ps-list gives one string; splitting it on spaces would invent argument boundaries.
        cmdline: d?.cmd === undefined ? null : [d.cmd],
        exe: null,
        state: '?',
        kernelThread: false,
        nice: 0,
        priority: 0,
        policy: 'unknown',
        rtPriority: 0,
        numThreads: 0,
        processor: -1,
        startTicks: 0,
        startTime: startTime ?? 0,
        utimeMs: 0,
        stimeMs: 0,
        cpuPercent: null,
        vsize: 0,
        rss: 0,
        minorFaults: 0,
        majorFaults: 0,
        voluntaryCtxtSwitches: null,
        nonvoluntaryCtxtSwitches: null,
        unavailable,
      });
    }
    processes.sort((a, b) => a.pid - b.pid);
    return {
      backend: 'portable',
      timestamp: now,
      intervalMs,
      system: portableSystemInfo(),
      processes,
      unavailableFields: [...PORTABLE_UNAVAILABLE],
      inexactFields: PORTABLE_INEXACT,
    };
  }

  dispose(): void {}
}

function portableSystemInfo(): SystemInfo {
  return {
    bootTime: Date.now() - os.uptime() * 1000,
    clockTicks: 100,
    pageSize: 4096,
    cpuCount: os.availableParallelism?.() ?? os.cpus().length,
    memTotal: os.totalmem(),
    hostname: os.hostname(),
    platform: process.platform,
  };
}
