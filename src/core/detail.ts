// The PCB detail of one process, read on demand for the selected process (never per tick: smaps_rollup alone
// costs ~80 stat reads). JSON-safe: it crosses the worker and the webview. `null` = unavailable, and the
// reason is in `unavailable` under the field's name.
import { readFileSync } from 'node:fs';
import { classify, isDenied, isGone, ProcScopeError, reasonOf } from './errors';
import { mostActive, parseProcessKey, processKey, STATE_MEANINGS, type SchedPolicy, type StateLetter } from './model';
import { checkProcRoot } from './procRoot';
import { procFs, readlinkText, taskDirNames, taskIds } from './procfs/procFs';
import { parseCgroup, type CgroupEntry } from './procfs/cgroup';
import { decodeBytes, parseCmdline } from './procfs/decode';
import { parseEnviron, type EnvEntry } from './procfs/environ';
import { listFds, type FdEntry } from './procfs/fd';
import { parseIo, type IoCounters } from './procfs/io';
import { parseLimits, type ResourceLimit } from './procfs/limits';
import { parseMaps, type MemoryMap } from './procfs/maps';
import { parseNamespaceLink, type NamespaceLink } from './procfs/namespaces';
import { parseSmapsRollup, type SmapsRollup } from './procfs/smapsRollup';
import { parseStat, PF_KTHREAD, policyName, type StatFields } from './procfs/stat';
import { parseStatus, type IdQuad, type ProcStatus, type StatusMemory, type StatusSignals } from './procfs/status';
import { CLOCK_TICKS, readBootTime } from './system';
import { TtyNames } from './tty';
import { UserNames } from './users';

export type {
  CgroupEntry,
  EnvEntry,
  FdEntry,
  IoCounters,
  MemoryMap,
  NamespaceLink,
  ResourceLimit,
  SmapsRollup,
  StatusMemory,
  StatusSignals,
};
export type { MemoryRegion, RegionKind } from './procfs/maps';
export type { DecodedSignals } from './procfs/signals';
export type { CapabilitySet } from './procfs/capabilities';

export interface NamedIds {
  readonly real: string;
  readonly effective: string;
  readonly saved: string;
  readonly filesystem: string;
}

export interface Credentials {
  readonly uid: IdQuad;
  readonly gid: IdQuad;
  /** Names from /etc/passwd and /etc/group; the number as text when the database has no name. */
  readonly user: NamedIds;
  readonly group: NamedIds;
  /** Supplementary groups. */
  readonly groups: readonly { readonly gid: number; readonly name: string }[];
}

export interface Scheduling {
  readonly policy: SchedPolicy;
  readonly nice: number;
  /** Kernel priority as stat prints it (20 + nice for SCHED_OTHER; -1 - rtPriority for real-time). */
  readonly priority: number;
  readonly rtPriority: number;
  /** CPU the main thread last ran on. */
  readonly lastCpu: number;
  readonly threads: number;
  /**
   * The whole process's context switches: the sum over task/TID/status (status alone counts the main thread
   * only). null, with a reason, when the threads could not be read.
   */
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  /** CPU affinity (sched_getaffinity of the main thread), as a list and as the kernel's list syntax. */
  readonly cpusAllowed: readonly number[] | null;
  readonly cpusAllowedList: string | null;
}

export interface PidNamespaceIds {
  /** Ids in each nested pid namespace, outermost first: a process inside a container has two or more. */
  readonly nsPid: readonly number[] | null;
  readonly nsTgid: readonly number[] | null;
  readonly nsPgid: readonly number[] | null;
  readonly nsSid: readonly number[] | null;
}

/** One thread's own values: what status and wchan of the process would otherwise show for the main thread only. */
export interface ThreadDetail {
  readonly tid: number;
  readonly name: string;
  readonly state: StateLetter;
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  /** Kernel function the thread sleeps in; null when running or not shown (the kernel printed 0). */
  readonly wchan: string | null;
}

export interface ProcessDetail {
  readonly pid: number;
  /** `${pid}@${startTicks}`: the same identity the snapshot uses. */
  readonly key: string;
  /** comm, exactly as the kernel holds it. */
  readonly name: string;
  /** The process's state; for a zombie leader (`leaderZombie`), its most active live thread's. */
  readonly state: StateLetter;
  readonly stateMeaning: string;
  readonly kernelThread: boolean;
  /**
   * The main thread called pthread_exit and is a zombie while other threads run: the process is alive, and
   * its command line, links and memory were read through a live thread.
   */
  readonly leaderZombie: boolean;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  readonly tty: string | null;
  readonly tpgid: number;
  /** Pid of the process tracing this one (a debugger, strace); 0 when not traced. */
  readonly tracerPid: number | null;
  /** Start time, ms since the epoch. */
  readonly startTime: number | null;
  readonly umask: string | null;
  /** argv; [] for kernel threads and zombies. */
  readonly cmdline: readonly string[] | null;
  /** Link targets exactly as the kernel gives them (a deleted file ends in ` (deleted)`). */
  readonly exe: string | null;
  readonly cwd: string | null;
  readonly root: string | null;
  readonly credentials: Credentials | null;
  readonly scheduling: Scheduling;
  readonly signals: StatusSignals | null;
  readonly capabilities: ProcStatus['capabilities'] | null;
  readonly noNewPrivs: boolean | null;
  readonly seccomp: number | null;
  /** One entry per /proc/PID/ns link (cgroup, ipc, mnt, net, pid, pid_for_children, time, user, uts, ...). */
  readonly namespaces: readonly (NamespaceLink & { readonly name: string })[] | null;
  readonly pidNamespaceIds: PidNamespaceIds | null;
  readonly cgroups: readonly CgroupEntry[] | null;
  /** VmSize, VmRSS, ... from status, bytes. */
  readonly memoryStatus: StatusMemory | null;
  readonly memoryRollup: SmapsRollup | null;
  readonly memoryMap: MemoryMap | null;
  readonly fds: readonly FdEntry[] | null;
  readonly limits: readonly ResourceLimit[] | null;
  readonly io: IoCounters | null;
  /**
   * Where the process's threads wait: the kernel function when every waiting thread waits in the same one,
   * else each distinct function with its thread count (`futex_wait_queue (3), do_epoll_wait (1)`); null when
   * none waits (all running) or none is shown. Each thread's own is in `threads`.
   */
  readonly wchan: string | null;
  /** Every thread with its own context switches and wait channel; null when task/ could not be read. */
  readonly threads: readonly ThreadDetail[] | null;
  readonly oomScore: number | null;
  readonly oomScoreAdj: number | null;
  /** Only when asked for (`includeEnv`): environment variables can hold secrets. */
  readonly environ: readonly EnvEntry[] | null;
  /** Why a field is null (or, for `wchan`, why there is no wait channel). */
  readonly unavailable: Readonly<Record<string, string>>;
}

export interface ReadDetailOptions {
  readonly procRoot?: string;
  readonly includeEnv?: boolean;
  /**
   * The key the caller knows the process by (from a snapshot). When given, a process at that pid with another
   * start time is NO_SUCH_PROCESS, and the detail carries this key, so a `pid@start+N` incarnation the sampler
   * told apart keeps its key (the detail reader alone cannot tell two processes of one tick apart).
   */
  readonly key?: string;
}

export const REASON = {
  denied: "permission denied (EACCES): another user's process, or ptrace rules",
  kernelThread: 'kernel thread: no user address space',
  zombie: 'zombie: the process has exited and released its resources',
  notRequested: 'not requested',
  running: 'not waiting: running or runnable',
  noWchan: "not shown: the kernel printed 0 (no symbol for it, or another user's process)",
  unparsable: 'unexpected content',
} as const;

const userNames = new UserNames();

/** A status with every field absent, for a process whose status could not be read or parsed. */
const EMPTY_STATUS: ProcStatus = parseStatus('Pid:\t0\n')!;

/**
 * Reads the whole PCB detail of one process (~4 ms for a Node process with 255 regions and 33
 * fds). Throws ProcScopeError: BAD_REQUEST, NO_PROCFS, NO_SUCH_PROCESS (also when it exits or its pid is
 * reused mid-read, or the pid is a thread), PERMISSION_DENIED (stat/status refused). A refused optional file
 * is a reason in `unavailable`; an unexpected error (a bug) surfaces as is.
 */
export function readProcessDetail(pid: number, options: ReadDetailOptions = {}): ProcessDetail {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new ProcScopeError('BAD_REQUEST', `not a process id: ${String(pid)} (expected a positive integer)`);
  }
  const procRoot = options.procRoot ?? '/proc';
  checkProcRoot(procRoot);
  const base = `${procRoot}/${pid}`;
  const unavailable: Record<string, string> = {};

  // The essential file: without it there is no process (and no identity) to describe.
  const stat = essential(pid, `${base}/stat`, (buf) => parseStat(buf));
  // status is nearly essential: an errno other than "gone" or "refused" leaves its fields unavailable.
  let status: ProcStatus;
  let statusReason: string | null = null;
  try {
    const parsed = parseStatus(procFs.readFileSync(`${base}/status`).toString('latin1'));
    if (parsed === undefined) statusReason = REASON.unparsable;
    status = parsed ?? EMPTY_STATUS;
  } catch (error) {
    if (isGone(error)) throw new ProcScopeError('NO_SUCH_PROCESS', `no process with pid ${pid}`);
    if (isDenied(error)) throw new ProcScopeError('PERMISSION_DENIED', `permission denied reading ${base}/status`);
    statusReason = reasonOf(error);
    status = EMPTY_STATUS;
  }

  // /proc/TID is reachable for every thread though readdir lists only processes: a tid is not a process.
  if (status.tgid !== null && status.tgid !== pid) {
    throw new ProcScopeError(
      'NO_SUCH_PROCESS',
      `${pid} is a thread (LWP) of process ${status.tgid}, not a process; show ${status.tgid} instead`,
    );
  }
  const kernelThread = (stat.flags & PF_KTHREAD) !== 0 || status.kthread === true;
  const threadList = readThreads(base, pid, unavailable);
  // pthread_exit in main: the leader is a zombie but the process lives in its other threads. Their task
  // directories still reach the process's memory, files and links, so those are read through one of them.
  const live =
    stat.state === 'Z' && stat.numThreads > 1
      ? mostActive((threadList ?? []).filter((t) => t.tid !== pid && t.state !== 'Z' && t.state !== 'X'))
      : undefined;
  const leaderZombie = live !== undefined;
  const state: StateLetter = live ? live.state : stat.state;
  const zombie = !leaderZombie && (stat.state === 'Z' || stat.state === 'X');
  const noMemoryReason = kernelThread ? REASON.kernelThread : zombie ? REASON.zombie : null;
  const mem = live ? `${base}/task/${live.tid}` : base;
  let memStatus = status;
  if (live) {
    try {
      memStatus = parseStatus(procFs.readFileSync(`${mem}/status`).toString('latin1')) ?? status;
    } catch (error) {
      classify(error);
    }
  }

  /** Runs one optional read; a failure marks `field` unavailable instead of throwing. */
  function optional<T>(field: string, read: () => T | undefined, missingReason?: string | null): T | null {
    try {
      const value = read();
      if (value === undefined) {
        unavailable[field] = missingReason ?? REASON.unparsable;
        return null;
      }
      return value;
    } catch (error) {
      unavailable[field] = reasonFor(error, missingReason ?? null);
      return null;
    }
  }

  const cmdline = optional('cmdline', () => parseCmdline(procFs.readFileSync(`${mem}/cmdline`)));
  const exe = optional('exe', () => readlinkText(`${mem}/exe`), noMemoryReason);
  const cwd = optional('cwd', () => readlinkText(`${mem}/cwd`), zombie ? REASON.zombie : null);
  const root = optional('root', () => readlinkText(`${mem}/root`), zombie ? REASON.zombie : null);

  let credentials: Credentials | null = null;
  if (status.uid && status.gid) {
    const groupNames = readGroupNames();
    const gname = (gid: number): string => groupNames.get(gid) ?? String(gid);
    const uname = (uid: number): string => userNames.name(uid);
    credentials = {
      uid: status.uid,
      gid: status.gid,
      user: mapQuad(status.uid, uname),
      group: mapQuad(status.gid, gname),
      groups: status.groups.map((gid) => ({ gid, name: gname(gid) })),
    };
  } else {
    unavailable.credentials = statusReason ?? REASON.unparsable;
  }
  if (statusReason !== null) {
    for (const field of ['signals', 'capabilities', 'tracerPid', 'umask']) unavailable[field] = statusReason;
  }

  // status counts the main thread's switches only; the process's are the sum over its threads.
  let vol: number | null = null;
  let nonvol: number | null = null;
  if (
    threadList &&
    threadList.length > 0 &&
    threadList.every((t) => t.voluntaryCtxtSwitches !== null && t.nonvoluntaryCtxtSwitches !== null)
  ) {
    vol = threadList.reduce((sum, t) => sum + t.voluntaryCtxtSwitches!, 0);
    nonvol = threadList.reduce((sum, t) => sum + t.nonvoluntaryCtxtSwitches!, 0);
  } else if (stat.numThreads <= 1) {
    vol = status.voluntaryCtxtSwitches;
    nonvol = status.nonvoluntaryCtxtSwitches;
  }
  if (vol === null) {
    const why = unavailable.threads ?? statusReason ?? REASON.unparsable;
    unavailable.voluntaryCtxtSwitches = why;
    unavailable.nonvoluntaryCtxtSwitches = why;
  }

  const scheduling: Scheduling = {
    policy: policyName(stat.policy),
    nice: stat.nice,
    priority: stat.priority,
    rtPriority: stat.rtPriority,
    lastCpu: stat.processor,
    threads: status.threads ?? stat.numThreads,
    voluntaryCtxtSwitches: vol,
    nonvoluntaryCtxtSwitches: nonvol,
    cpusAllowed: status.cpusAllowed,
    cpusAllowedList: status.cpusAllowedList,
  };

  const namespaces = optional('namespaces', () => readNamespaces(`${mem}/ns`), zombie ? REASON.zombie : null);
  const cgroups = optional('cgroups', () => parseCgroup(readText(`${base}/cgroup`)));

  const memoryRollup = optional(
    'memoryRollup',
    () => {
      const text = readText(`${mem}/smaps_rollup`);
      return text === '' && noMemoryReason ? undefined : parseSmapsRollup(text);
    },
    noMemoryReason,
  );
  const memoryMap = optional(
    'memoryMap',
    () => {
      const text = readText(`${mem}/maps`);
      if (text === '' && noMemoryReason) return undefined;
      return parseMaps(text, exe === null ? null : stripDeleted(exe));
    },
    noMemoryReason,
  );
  const memoryStatus = memStatus.memory.vmSize === null && noMemoryReason ? null : memStatus.memory;
  if (memoryStatus === null && noMemoryReason) unavailable.memoryStatus = noMemoryReason;

  const limits = optional('limits', () => parseLimits(readText(`${base}/limits`)));
  const io = optional('io', () => parseIo(readText(`${mem}/io`)));
  let wchan: string | null;
  if (threadList && threadList.length > 0) {
    wchan = summarizeWaits(threadList);
    if (wchan === null) unavailable.wchan = threadList.every((t) => t.state === 'R') ? REASON.running : REASON.noWchan;
  } else {
    // No task/ (a fixture tree, or it could not be read): the process's own file, which is the main thread's.
    const wchanText = optional('wchan', () => readText(`${base}/wchan`).trim());
    wchan = wchanText;
    if (wchanText === '0' || wchanText === '') {
      wchan = null;
      unavailable.wchan = stat.state === 'R' ? REASON.running : REASON.noWchan;
    }
  }
  const oomScore = optional('oomScore', () => integer(readText(`${base}/oom_score`)), zombie ? REASON.zombie : null);
  const oomScoreAdj = optional('oomScoreAdj', () => integer(readText(`${base}/oom_score_adj`)));

  let environ: EnvEntry[] | null = null;
  if (options.includeEnv) {
    environ = optional('environ', () => parseEnviron(procFs.readFileSync(`${mem}/environ`)), noMemoryReason);
  } else {
    unavailable.environ = REASON.notRequested;
  }

  const fds = optional(
    'fds',
    () => {
      const listing = listFds(live ? live.tid : pid, live ? `${base}/task` : procRoot, { fdinfo: 'all', stat: true });
      if (listing.unavailable === 'gone') throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      if (listing.unavailable === 'EACCES' || listing.unavailable === 'EPERM') throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      if (listing.unavailable !== null) throw new FieldError(listing.unavailable);
      return listing.fds;
    },
    zombie ? REASON.zombie : null,
  );

  // The pid may have exited (and even been reused) while we read: then the parts do not describe one process.
  // Another errno on this re-read cannot tell either way; what was read stands.
  let again: StatFields | undefined;
  let gone = false;
  try {
    again = parseStat(procFs.readFileSync(`${base}/stat`));
    gone = again === undefined;
  } catch (error) {
    gone = classify(error) === 'gone';
  }
  if (gone || (again && again.starttime !== stat.starttime)) {
    throw new ProcScopeError('NO_SUCH_PROCESS', `process ${pid} exited while it was being read`);
  }

  let key = processKey(pid, stat.starttime);
  if (options.key !== undefined) {
    const want = parseProcessKey(options.key);
    if (!want || want.pid !== pid) throw new ProcScopeError('BAD_REQUEST', `not a key of process ${pid}: ${options.key}`);
    if (want.startTicks !== stat.starttime)
      throw new ProcScopeError('NO_SUCH_PROCESS', `process ${options.key} has exited; pid ${pid} is now another process`);
    key = options.key;
  }

  let startTime: number | null = null;
  try {
    startTime = readBootTime(procRoot) + (stat.starttime * 1000) / CLOCK_TICKS;
  } catch {
    unavailable.startTime = `no boot time in ${procRoot}/stat`;
  }

  return {
    pid,
    key,
    name: stat.comm,
    state,
    stateMeaning: STATE_MEANINGS[state],
    kernelThread,
    leaderZombie,
    ppid: stat.ppid,
    pgid: stat.pgrp,
    sid: stat.session,
    tty: new TtyNames(procRoot).name(stat.ttyNr),
    tpgid: stat.tpgid,
    tracerPid: status.tracerPid,
    startTime,
    umask: status.umask,
    cmdline,
    exe,
    cwd,
    root,
    credentials,
    scheduling,
    signals: status.signals,
    capabilities: status.capabilities,
    noNewPrivs: status.noNewPrivs,
    seccomp: status.seccomp,
    namespaces,
    pidNamespaceIds: { nsPid: status.nsPid, nsTgid: status.nsTgid, nsPgid: status.nsPgid, nsSid: status.nsSid },
    cgroups,
    memoryStatus,
    memoryRollup,
    memoryMap,
    fds,
    limits,
    io,
    wchan,
    threads: threadList,
    oomScore,
    oomScoreAdj,
    environ,
    unavailable,
  };
}

function essential<T>(pid: number, path: string, parse: (buf: Buffer) => T | undefined): T {
  let buf: Buffer;
  try {
    buf = procFs.readFileSync(path);
  } catch (error) {
    if (isGone(error)) throw new ProcScopeError('NO_SUCH_PROCESS', `no process with pid ${pid}`);
    if (isDenied(error)) throw new ProcScopeError('PERMISSION_DENIED', `permission denied reading ${path}`);
    if (path.endsWith('/stat')) throw new ProcScopeError('NO_SUCH_PROCESS', `process ${pid} cannot be read: ${path}: ${reasonOf(error)}`);
    throw error;
  }
  const value = parse(buf);
  if (value !== undefined) return value;
  // An empty read: the task was reaped between open and read. Text that is not what the kernel writes comes
  // only from a copied tree (--proc-root): that tree is what cannot be used, not a process that left.
  if (buf.length === 0) throw new ProcScopeError('NO_SUCH_PROCESS', `process ${pid} exited while it was being read`);
  throw new ProcScopeError('NO_PROCFS', `unexpected content in ${path}: not what the kernel writes there`);
}

/**
 * The reason an optional file could not be read. ENOENT/ESRCH here is not "the process is gone" (that is
 * checked once, at the end): kernel threads have no exe and refuse smaps_rollup with ESRCH.
 */
function reasonFor(error: unknown, missingReason: string | null): string {
  if (error instanceof FieldError) return error.message;
  if (isDenied(error)) return REASON.denied;
  if (isGone(error)) return missingReason ?? `not available (${(error as NodeJS.ErrnoException).code})`;
  return `not available (${reasonOf(error)})`;
}

/** A field's failure whose reason is already worded (from a reader that reports rather than throws). */
class FieldError extends Error {}

function readText(path: string): string {
  return decodeBytes(procFs.readFileSync(path));
}

/**
 * Every thread's name, state, context switches and wait channel (task/TID/{stat,status,wchan}), in the
 * kernel's order as ps prints them (taskDirNames). A thread
 * that exits meanwhile is left out; null, with the reason in `unavailable.threads`, when task/ is unreadable.
 */
function readThreads(base: string, pid: number, unavailable: Record<string, string>): ThreadDetail[] | null {
  let tids: number[];
  try {
    tids = taskIds(taskDirNames(`${base}/task`, pid));
  } catch (error) {
    unavailable.threads = reasonFor(error, null);
    return null;
  }
  const out: ThreadDetail[] = [];
  for (const tid of tids) {
    const dir = `${base}/task/${tid}`;
    let st: StatFields | undefined;
    try {
      st = parseStat(procFs.readFileSync(`${dir}/stat`));
    } catch (error) {
      if (classify(error) === 'gone') continue;
    }
    if (!st) continue;
    let ts: ProcStatus | undefined;
    try {
      ts = parseStatus(procFs.readFileSync(`${dir}/status`).toString('latin1'));
    } catch (error) {
      classify(error);
    }
    let wchan: string | null = null;
    if (st.state !== 'R') {
      try {
        const text = readText(`${dir}/wchan`).trim();
        wchan = text === '' || text === '0' ? null : text;
      } catch (error) {
        classify(error);
      }
    }
    out.push({
      tid,
      name: st.comm,
      state: st.state,
      voluntaryCtxtSwitches: ts?.voluntaryCtxtSwitches ?? null,
      nonvoluntaryCtxtSwitches: ts?.nonvoluntaryCtxtSwitches ?? null,
      wchan,
    });
  }
  return out;
}

/** The process's wait channels from its threads': one name when they agree, else each with its count. */
function summarizeWaits(threads: readonly ThreadDetail[]): string | null {
  const counts = new Map<string, number>();
  for (const t of threads) if (t.wchan !== null) counts.set(t.wchan, (counts.get(t.wchan) ?? 0) + 1);
  if (counts.size === 0) return null;
  if (counts.size === 1) return [...counts.keys()][0]!;
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${name} (${n})`)
    .join(', ');
}

function stripDeleted(path: string): string {
  return path.endsWith(' (deleted)') ? path.slice(0, -' (deleted)'.length) : path;
}

function integer(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

function mapQuad(ids: IdQuad, name: (id: number) => string): NamedIds {
  return { real: name(ids.real), effective: name(ids.effective), saved: name(ids.saved), filesystem: name(ids.filesystem) };
}

function readNamespaces(dir: string): (NamespaceLink & { name: string })[] | undefined {
  const out: (NamespaceLink & { name: string })[] = [];
  for (const name of procFs.readdirSync(dir).sort()) {
    let target: string;
    try {
      target = readlinkText(`${dir}/${name}`);
    } catch (error) {
      // EACCES (another user's process) makes the whole section unavailable; a vanished link is skipped.
      if (isGone(error)) continue;
      throw error;
    }
    const link = parseNamespaceLink(target);
    if (link) out.push({ name, ...link });
  }
  // A zombie lists ns/ but every link is gone: nothing to show, rather than "no namespaces".
  return out.length === 0 ? undefined : out;
}

/** gid -> group name from /etc/group (re-read each detail request: it is on demand and small). */
function readGroupNames(): Map<number, string> {
  const names = new Map<number, string>();
  let text = '';
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const parts = line.split(':');
    const gid = Number(parts[2]);
    if (parts.length >= 3 && parts[0] && Number.isInteger(gid) && !names.has(gid)) names.set(gid, parts[0]);
  }
  return names;
}
