// The portable backend for macOS and Windows (and on Linux when asked for, so it is tested here):
// `pidtree` lists every pid with its parent system-wide; `ps-list` adds name, command line, uid and start
// time where the platform gives them. Everything else is reported unavailable, never estimated.
import * as os from 'node:os';
import type { ProcessInfo, Snapshot, SystemInfo } from '../model';
import { processKey } from '../model';
import { PID_MAX } from '../../shared/processKey';
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
  uid: "ps's uid, which is the effective uid: the real uid is not given",
  user: "the user of ps's uid, which is the effective uid",
});

/** How long one listing may take before it is given up on (ps-list's, for pidtree; pidtree's, failing the poll). */
export const LIST_TIMEOUT_MS = 30_000;

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
  /** ps-list's entries; checked one by one (cleanEntries), as a lister's output is not trusted. */
  describe(): Promise<readonly unknown[]>;
  /** pidtree's pid/ppid pairs, checked the same way (cleanLinks). */
  link(): Promise<readonly unknown[]>;
}

/** A listing failed, or took longer than LIST_TIMEOUT_MS; the message says which lister and what to do. */
export class PortableListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortableListError';
  }
}

function listError(lister: string, error: unknown): PortableListError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || /\bENOENT\b/.test(text))
    return new PortableListError(
      `the portable backend could not list processes: ${lister} needs the \`ps\` command (on Windows, its fastlist helper), which was not found (${text})`,
    );
  return new PortableListError(`the portable backend could not list processes: ${lister} failed (${text})`);
}

/** `listing`, or a PortableListError once it has taken `timeoutMs` (the child it started is left to end). */
async function bounded<T>(lister: string, listing: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new PortableListError(`the portable backend could not list processes: ${lister} gave no answer in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([listing(), late]);
  } catch (error) {
    throw error instanceof PortableListError ? error : listError(lister, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A pid as keys, recordings and the host's checks take it: 1 to PID_MAX. (Windows' pids are 32-bit in theory;
 * one above PID_MAX, never seen in practice, is left out rather than written into a key nothing can read.)
 */
const isPid = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= PID_MAX;
/** A parent pid: a pid, or 0 for a root (the kernel's own tasks and, on Windows, the idle process' children). */
const isParent = (n: unknown): n is number => n === 0 || isPid(n);

/**
 * The first well-formed entry for each pid: a pid that is not a positive integer (Windows' pid 0, "System
 * Idle Process", or a garbled line) is left out, as is a second entry for a pid already listed, so one
 * entry gives both the parent and the details. Fields of the wrong type count as not given.
 */
export function cleanEntries(entries: readonly unknown[]): Map<number, PsListEntry> {
  const out = new Map<number, PsListEntry>();
  for (const raw of entries) {
    if (raw === null || typeof raw !== 'object') continue;
    const e = raw as Record<string, unknown>;
    if (!isPid(e.pid) || out.has(e.pid)) continue;
    const start = e.startTime instanceof Date && Number.isFinite(e.startTime.getTime()) ? e.startTime : undefined;
    out.set(e.pid, {
      pid: e.pid,
      ppid: isParent(e.ppid) && e.ppid !== e.pid ? e.ppid : 0,
      name: typeof e.name === 'string' ? e.name : '',
      cmd: typeof e.cmd === 'string' ? e.cmd : undefined,
      uid: typeof e.uid === 'number' && Number.isSafeInteger(e.uid) && e.uid >= 0 ? e.uid : undefined,
      startTime: start,
    });
  }
  return out;
}

/** The first pid/parent pair for each pid, with the same rules as cleanEntries. */
export function cleanLinks(links: readonly unknown[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const raw of links) {
    if (raw === null || typeof raw !== 'object') continue;
    const l = raw as Record<string, unknown>;
    if (!isPid(l.pid) || out.has(l.pid)) continue;
    out.set(l.pid, isParent(l.ppid) && l.ppid !== l.pid ? l.ppid : 0);
  }
  return out;
}

const REAL_LISTERS: PortableListers = {
  describe: async () => (await import('ps-list')).default({ all: true }),
  link: async () => (await import('pidtree')).default(-1, { advanced: true }),
};

export class PortableSampler implements ProcessSource {
  readonly backend = 'portable' as const;
  private lastAt: number | undefined;
  /**
   * Where no start time is given (Windows' fastlist gives none), what each pid was at the last poll and the
   * number its key carries where the start time would be. A pid that was missing from the last poll, or is
   * there with another name or parent, is another process: it takes the next number, so it is never taken
   * for the one before. Only the last poll's pids are kept.
   */
  private sightings = new Map<number, { name: string; ppid: number; incarnation: number }>();
  private nextIncarnation = 1;
  /** A listing still running (one that timed out included): the next poll waits on it instead of starting another. */
  private readonly inFlight = new Map<string, Promise<readonly unknown[]>>();

  /** `listers`: for tests that make ps-list fail; the real ones otherwise. `timeoutMs`: LIST_TIMEOUT_MS unless a test asks. */
  constructor(
    private readonly listers: PortableListers = REAL_LISTERS,
    private readonly timeoutMs = LIST_TIMEOUT_MS,
  ) {}

  async poll(_options?: PollOptions): Promise<Snapshot> {
    // ps-list gives every process with its parent, name, command line, uid and start time (one `ps` on macOS,
    // its fastlist helper on Windows). pidtree lists pids and parents only, and on Windows through wmic or, where
    // wmic is gone, PowerShell (far heavier): so it runs only when ps-list fails, to list at least the tree.
    let described: readonly unknown[];
    let links: readonly unknown[] = [];
    /** Why ps-list gave nothing, when pidtree listed the tree instead (e.g. ps-list refuses Windows on ARM64). */
    let describeFailure = '';
    try {
      described = await this.list('ps-list', () => this.listers.describe());
      if (!Array.isArray(described)) throw new PortableListError('the portable backend could not list processes: ps-list gave no list');
    } catch (error) {
      try {
        links = await this.list('pidtree', () => this.listers.link());
        if (!Array.isArray(links)) throw new PortableListError('pidtree gave no list');
      } catch {
        throw error; // neither could list: ps-list's failure says most
      }
      described = [];
      describeFailure = error instanceof Error ? error.message : String(error);
    }
    const now = Date.now();
    const intervalMs = this.lastAt === undefined ? null : now - this.lastAt;
    this.lastAt = now;

    const byPid = cleanEntries(described);
    const parents = cleanLinks(links);
    for (const p of byPid.values()) if (!parents.has(p.pid)) parents.set(p.pid, p.ppid);
    const sightings = new Map<number, { name: string; ppid: number; incarnation: number }>();

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
      const startTime = d?.startTime ? d.startTime.getTime() : null;
      const name = d?.name ?? '';
      const before = this.sightings.get(pid);
      // A poll that only pidtree answered has no names: the name seen before stands (only the parent is compared).
      const seenName = d ? name : (before?.name ?? name);
      const incarnation = before && before.name === seenName && before.ppid === ppid ? before.incarnation : this.nextIncarnation++;
      sightings.set(pid, { name: seenName, ppid, incarnation });
      const unavailable: Record<string, string> = {};
      for (const f of PORTABLE_UNAVAILABLE) unavailable[f] = REASON;
      if (!d) unavailable.name = `listed by pidtree only (no details from ps-list: ${describeFailure || 'this pid was not in its list'})`;
      if (d?.uid === undefined) {
        unavailable.uid = REASON;
        unavailable.user = REASON;
      }
      if (d?.cmd === undefined) unavailable.cmdline = REASON;
      if (startTime === null) unavailable.startTime = REASON;
      const uid = d?.uid ?? null;
      processes.push({
        key: processKey(pid, startTime ?? incarnation),
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
        name,
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
    this.sightings = sightings;
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

  /** One listing per lister at a time: a hung `ps` is waited on again, not joined by another every poll. */
  private list(lister: string, start: () => Promise<readonly unknown[]>): Promise<readonly unknown[]> {
    let running = this.inFlight.get(lister);
    if (!running) {
      const started = start();
      running = started;
      this.inFlight.set(lister, started);
      started.then(
        () => this.inFlight.delete(lister),
        () => this.inFlight.delete(lister),
      );
    }
    const listing = running;
    return bounded(lister, () => listing, this.timeoutMs);
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
