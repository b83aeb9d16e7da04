// The data types every layer shares: the sampler produces them, the CLI prints them, the host diffs and
// posts them, the webview draws them. Plain JSON-safe objects only (they cross a worker and a webview).
//
// Convention for missing data: `null` means "not available" (permission denied, the process is a zombie,
// or the backend cannot provide it); the reason, when there is one, is in `unavailable`.

import { STATE_WORDS, type StateLetter } from '../shared/stateText';
export type { StateLetter } from '../shared/stateText';

export type SchedPolicy =
  'SCHED_OTHER' | 'SCHED_FIFO' | 'SCHED_RR' | 'SCHED_BATCH' | 'SCHED_ISO' | 'SCHED_IDLE' | 'SCHED_DEADLINE' | 'SCHED_EXT' | 'unknown';

/** Which backend produced a snapshot. `procfs` is Linux's /proc; `portable` is ps-list + pidtree (macOS/Windows). */
export type BackendKind = 'procfs' | 'portable';

// The key's format lives with the webview-safe values; every core module keeps importing it from here.
import type { ProcessKey } from '../shared/processKey';
export { parseProcessKey, processKey, type ProcessKey } from '../shared/processKey';

export interface ThreadInfo {
  /** Kernel thread id (LWP). The main thread's tid equals the pid. */
  readonly tid: number;
  /** Thread name (comm, at most 15 bytes, as set by pthread_setname_np / prctl). */
  readonly name: string;
  readonly state: StateLetter;
  /** CPU the thread last ran on. */
  readonly processor: number;
  /** User and system CPU time consumed, milliseconds. */
  readonly utimeMs: number;
  readonly stimeMs: number;
  /** CPU% over the last interval (100 = one full core); null on the first sample. */
  readonly cpuPercent: number | null;
  readonly priority: number;
  readonly nice: number;
  readonly policy: SchedPolicy;
  readonly rtPriority: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  /** Context switches from task/TID/status; null when not read (full snapshots read them only on request). */
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  /** This thread's wait channel (task/TID/wchan), read with the context switches; null when running or not read. */
  readonly wchan?: string | null;
  /** Start time, clock ticks after boot (identity of the thread). */
  readonly startTicks: number;
}

export interface ProcessInfo {
  /** `${pid}@${startTicks}`: stable identity across polls. */
  readonly key: ProcessKey;
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** Controlling terminal as `ps` names it (`pts/3`, `tty1`), or null when there is none. */
  readonly tty: string | null;
  /** Raw tty_nr device number from stat (0 = none). */
  readonly ttyNr: number;
  /** Foreground process group of the controlling terminal (-1 = none). */
  readonly tpgid: number;
  readonly uid: number | null;
  readonly euid: number | null;
  readonly gid: number | null;
  readonly egid: number | null;
  /** Name of the real uid; the number as a string when the user database has no name for it. */
  readonly user: string | null;
  /** Name of the effective uid. */
  readonly euser: string | null;
  /** comm: the kernel's name for the task, exactly as it holds it (may hold spaces, `)`, newlines, any bytes). */
  readonly name: string;
  /** argv from cmdline; [] for kernel threads and zombies; null when unreadable. */
  readonly cmdline: readonly string[] | null;
  /** Target of /proc/PID/exe; null when unreadable (other user's process, kernel thread). */
  readonly exe: string | null;
  readonly state: StateLetter;
  /** PF_KTHREAD: a kernel thread (child of kthreadd, no user address space). */
  readonly kernelThread: boolean;
  readonly nice: number;
  readonly priority: number;
  readonly policy: SchedPolicy;
  readonly rtPriority: number;
  readonly numThreads: number;
  /** CPU the main thread last ran on. */
  readonly processor: number;
  /** Start time in clock ticks after boot (the second half of the identity). */
  readonly startTicks: number;
  /** Absolute start time, milliseconds since the Unix epoch. */
  readonly startTime: number;
  /** CPU time of the whole process (all threads), milliseconds. */
  readonly utimeMs: number;
  readonly stimeMs: number;
  /** CPU% over the last interval (100 = one full core, capped at cores x 100); null on the first sample. */
  readonly cpuPercent: number | null;
  /** Virtual size and resident set size, bytes. */
  readonly vsize: number;
  readonly rss: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  /**
   * Context switches of the whole process: the sum over its threads (task/TID/status). /proc/PID/status
   * counts only the main thread, so for a multi-threaded process these are null in a poll that did not read
   * its threads' status. That case alone has no reason in `unavailable`: it is the rule, not a fault, and a
   * reason per process made a 2000-process snapshot a third larger. A null with a reason is a read that failed.
   */
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  /**
   * The main (leader) thread called pthread_exit and is a zombie while other threads run: the process is
   * alive. `state` is then its most active live thread's, and cmdline/exe/memory come from a live thread.
   */
  readonly leaderZombie?: boolean;
  /** Threads (LWPs); absent when this poll did not read this process's threads. */
  readonly threads?: readonly ThreadInfo[];
  /** Fields that could not be read, with the reason (`EACCES`, `zombie`, `not provided by backend`). */
  readonly unavailable?: Readonly<Record<string, string>>;
}

export interface SystemInfo {
  readonly bootTime: number;
  readonly clockTicks: number;
  readonly pageSize: number;
  readonly cpuCount: number;
  readonly memTotal: number | null;
  readonly hostname: string;
  readonly platform: NodeJS.Platform;
}

export interface Snapshot {
  readonly backend: BackendKind;
  /** When the poll finished, ms since the epoch. */
  readonly timestamp: number;
  /** Milliseconds since the previous poll of the same sampler (null for the first). */
  readonly intervalMs: number | null;
  readonly system: SystemInfo;
  readonly processes: readonly ProcessInfo[];
  /** Fields this backend never provides (shown as unavailable in every view). */
  readonly unavailableFields: readonly string[];
  /**
   * Fields this backend gives, but not as the kernel holds them: field → how they differ (the portable
   * backend's name and command line are what `ps` prints). Absent when every field given is exact.
   */
  readonly inexactFields?: Readonly<Record<string, string>>;
  /**
   * What this poll could not see, and why: tasks procfs hides (mounted with hidepid=/subset=), processes
   * whose stat the kernel refused or failed to give. Absent when nothing was left out.
   */
  readonly hidden?: readonly HiddenTasks[];
}

export interface HiddenTasks {
  /** How many were left out. */
  readonly count: number;
  /** `tasks`: threads and processes together (all the kernel's count gives); `processes`: whole processes. */
  readonly unit: 'tasks' | 'processes';
  /** `hidepid=invisible` (the mount option), `EACCES`, `EIO: input/output error`, ... */
  readonly reason: string;
}

/** Only the fields that changed; key identifies the process. */
export type ProcessChange = { readonly key: ProcessKey } & Partial<Omit<ProcessInfo, 'key'>>;

export interface Delta {
  readonly timestamp: number;
  readonly intervalMs: number | null;
  readonly added: readonly ProcessInfo[];
  readonly removed: readonly ProcessKey[];
  readonly changed: readonly ProcessChange[];
  /** The new snapshot's `hidden` (absent when nothing is hidden any more): small, so sent whole. */
  readonly hidden?: readonly HiddenTasks[];
}

/** Order of activity for a process shown by its threads, as procps ranks them: running first. */
const ACTIVITY: readonly StateLetter[] = ['R', 'D', 'S', 'I', 'T', 't', 'W', 'P', 'K', 'Z', 'X', 'x', '?'];

/** The most active of these threads (the state a process with a zombie leader is shown in). */
export function mostActive<T extends { readonly state: StateLetter }>(threads: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const t of threads) {
    if (!best || ACTIVITY.indexOf(t.state) < ACTIVITY.indexOf(best.state)) best = t;
  }
  return best;
}

/** Each state letter's meaning in English (the words of src/shared/stateText.ts), for machine-readable output. */
export const STATE_MEANINGS: Readonly<Record<StateLetter, string>> = Object.fromEntries(
  Object.entries(STATE_WORDS.en).map(([letter, words]) => [letter, words.meaning]),
) as Record<StateLetter, string>;

/** A process's main thread as a thread row, from the process's own fields: for a poll that read no threads. */
export function mainThreadOf(p: ProcessInfo): ThreadInfo {
  return {
    tid: p.pid,
    name: p.name,
    state: p.state,
    processor: p.processor,
    utimeMs: p.utimeMs,
    stimeMs: p.stimeMs,
    cpuPercent: p.cpuPercent,
    priority: p.priority,
    nice: p.nice,
    policy: p.policy,
    rtPriority: p.rtPriority,
    minorFaults: p.minorFaults,
    majorFaults: p.majorFaults,
    voluntaryCtxtSwitches: p.voluntaryCtxtSwitches,
    nonvoluntaryCtxtSwitches: p.nonvoluntaryCtxtSwitches,
    startTicks: p.startTicks,
  };
}
