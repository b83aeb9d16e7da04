// The one-shot reader behind `procscope snapshot`: what one cold ProcSampler poll with every thread gives
// (src/core/sampler.ts, `poll({ threads: 'all' })` on a new sampler), value for value, without what the
// sampler keeps for its next poll. The sampler holds every `stat` file open between polls, an entry object
// per process and per thread in maps, and closes it all on dispose; a command that reads once pays for that
// bookkeeping (and the garbage it becomes) without ever using it. Here each file is opened, read and closed
// at once, and each process is handed to the caller as soon as it is read, so a caller that serializes it
// keeps text, not objects.
//
// The files are the sampler's, in its order: per process stat, status, cmdline and the exe link; per
// multi-threaded process (or one whose leader is a zombie) the task/ listing and every task/TID/stat.
// test/unit/snapshotRead.test.ts holds the result to the sampler's on the same processes.
import { classify, ProcScopeError, reasonOf } from './errors';
import type { HiddenTasks, ProcessInfo, StateLetter, SystemInfo, ThreadInfo } from './model';
import { mostActive } from './model';
import { parseCmdline } from './procfs/decode';
import { procFs, readWholeGrowing, taskDirNames, taskIds } from './procfs/procFs';
import { parseStat, policyName, type StatFields } from './procfs/stat';
import { parseStatusSummary, type StatusSummary } from './procfs/statusSummary';
import { checkProcRoot, hiddenTasks } from './procRoot';
import { readSystemInfo } from './system';
import { processRecord, readExeLink } from './processRecord';
import { TtyNames } from './tty';
import { UserNames } from './users';
import { pidOfEntry } from '../shared/processKey';

export interface SnapshotReadOptions {
  /** Include every process's threads (`snapshot`), or none (`snapshot --no-threads`). */
  readonly threads: boolean;
  readonly passwdPath?: string;
}

/** What a reading found besides the processes, known only once every process has been read. */
export interface SnapshotReadEnd {
  /** When the reading finished, ms since the epoch (the sampler's Snapshot.timestamp). */
  readonly timestamp: number;
  readonly hidden: readonly HiddenTasks[];
}

/** The machine facts, with the sampler's errors for a root that is not a usable procfs. */
export function readSnapshotSystem(root: string): SystemInfo {
  checkProcRoot(root);
  try {
    return readSystemInfo(root);
  } catch (error) {
    throw new ProcScopeError('NO_PROCFS', `no usable procfs at ${root}: ${(error as Error).message}`);
  }
}

/** The process directories of `root` in pid order (the order of the sampler's snapshot). */
function processPids(root: string): number[] {
  let names: string[];
  try {
    names = procFs.readdirSync(root);
  } catch (error) {
    throw new ProcScopeError('NO_PROCFS', `cannot list ${root}: ${(error as Error).message}`);
  }
  const pids: number[] = [];
  for (const name of names) {
    const pid = pidOfEntry(name);
    if (pid !== undefined) pids.push(pid);
  }
  // A live /proc lists pids in ascending order already; a copied tree may not.
  for (let i = 1; i < pids.length; i++) {
    if (pids[i]! < pids[i - 1]!) {
      pids.sort((a, b) => a - b);
      break;
    }
  }
  return pids;
}

/**
 * Reads every process of `root` once and hands each to `each` in pid order; returns the timestamp and what
 * was left out. `system` is readSnapshotSystem(root).
 */
export function readSnapshot(
  root: string,
  system: SystemInfo,
  options: SnapshotReadOptions,
  each: (p: ProcessInfo) => void,
): SnapshotReadEnd {
  const reader = new SnapshotReader(root, system, options);
  const pids = processPids(root);
  let tasksSeen = 0;
  for (const pid of pids) {
    const p = reader.readProcess(pid);
    if (p === undefined) continue;
    tasksSeen += Math.max(1, p.numThreads);
    each(p);
  }
  const timestamp = Date.now();
  return { timestamp, hidden: reader.hiddenTasks(tasksSeen) };
}

/** A process's status, cmdline and exe as the sampler's first sight of it reads them. */
interface Identity {
  status: StatusSummary | null;
  statusReason: string | undefined;
  cmdline: readonly string[] | null;
  cmdlineReason: string | undefined;
  exe: string | null;
  exeReason: string | undefined;
}

class SnapshotReader {
  private buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  private readonly users: UserNames;
  private readonly ttys: TtyNames;
  /** Processes whose stat could not be read, by reason, in reading order. */
  private readonly statFailures = new Map<string, number>();
  /** Why the task/ listing of the process being read failed; undefined when it did not. */
  private taskListFailure: string | undefined;

  constructor(
    private readonly root: string,
    private readonly system: SystemInfo,
    private readonly options: SnapshotReadOptions,
  ) {
    this.users = new UserNames(options.passwdPath);
    this.ttys = new TtyNames(root);
  }

  readProcess(pid: number): ProcessInfo | undefined {
    const base = `${this.root}/${pid}`;
    const st = this.readStat(`${base}/stat`, true);
    if (st === undefined) return undefined;
    const id: Identity = {
      status: null,
      statusReason: undefined,
      cmdline: null,
      cmdlineReason: undefined,
      exe: null,
      exeReason: undefined,
    };
    // Gone while being read: left out, as the sampler drops a half-read process.
    if (!this.readStatus(base, id) || !this.readIdentity(base, id)) return undefined;

    const system = this.system;
    const leaderZombie = st.state === 'Z' && st.numThreads > 1;
    const wantThreads = this.options.threads;
    this.taskListFailure = undefined;
    let threads: ThreadInfo[] | undefined;
    let liveStat: { vsize: number; rss: number } | null = null;
    if (wantThreads || leaderZombie) {
      if (st.numThreads <= 1) threads = [threadFromStat(pid, st, system)];
      else {
        threads = [];
        for (const tid of this.listTasks(base, pid)) {
          const t = this.readStat(`${base}/task/${tid}/stat`, false);
          if (t === undefined) continue;
          // Kept for a zombie leader: any live thread's stat has the process's memory sizes (one mm).
          if (tid !== pid && liveStat === null && isLive(t.state)) liveStat = { vsize: t.vsize, rss: t.rss };
          threads.push(threadFromStat(tid, t, system));
        }
      }
    }
    let state = st.state;
    let vsize = st.vsize;
    let statRss = st.rss;
    if (leaderZombie && threads) {
      const live = mostActive(threads.filter((t) => t.tid !== pid));
      if (live) state = live.state;
      if (liveStat) {
        vsize = liveStat.vsize;
        statRss = liveStat.rss;
      }
      if (id.cmdline === null || id.cmdline.length === 0 || id.exe === null) {
        if (live === undefined || !this.readIdentity(`${base}/task/${live.tid}`, id)) {
          id.cmdline = null;
          id.cmdlineReason = 'leader thread exited and no live thread could be read';
        }
      }
    }

    const status = id.status;
    const unavailable: Record<string, string> = {};
    // Threads are read without their status, so the process's context switches are status's, which counts
    // the leader thread only: known for a single-threaded process alone (the sampler's rule).
    let vol: number | null = null;
    let nonvol: number | null = null;
    if (status && st.numThreads <= 1 && !leaderZombie) {
      vol = status.voluntaryCtxtSwitches;
      nonvol = status.nonvoluntaryCtxtSwitches;
    }
    if (vol === null && !status) {
      const why = id.statusReason ?? 'unreadable';
      unavailable.voluntaryCtxtSwitches = why;
      unavailable.nonvoluntaryCtxtSwitches = why;
    }
    if (this.taskListFailure !== undefined && wantThreads) unavailable.threads = this.taskListFailure;
    if (id.exe === null) unavailable.exe = id.exeReason ?? 'unreadable';
    if (id.cmdline === null) unavailable.cmdline = id.cmdlineReason ?? 'unreadable';

    return processRecord({
      pid,
      incarnation: 0,
      st,
      system,
      ttys: this.ttys,
      users: this.users,
      status,
      statusReason: id.statusReason,
      cmdline: id.cmdline,
      exe: id.exe,
      state,
      vsize,
      // status was read in this same reading: its VmRSS is the exact count (stat's rss lags per-CPU caches).
      rss: status?.vmRss != null && !leaderZombie ? status.vmRss : statRss * system.pageSize,
      cpuPercent: null,
      voluntaryCtxtSwitches: vol,
      nonvoluntaryCtxtSwitches: nonvol,
      leaderZombie,
      threads: threads && wantThreads ? threads : undefined,
      unavailable,
    });
  }

  /** The sampler's `hidden`: stat failures by reason, and under hidepid=2 the tasks /proc did not list. */
  hiddenTasks(tasksSeen: number): HiddenTasks[] {
    return hiddenTasks(this.root, this.statFailures, () => tasksSeen);
  }

  /** A stat line, parsed; undefined when the task is gone or its stat unreadable (counted for a process). */
  private readStat(path: string, isProcess: boolean): StatFields | undefined {
    let length: number;
    try {
      const fd = procFs.openSync(path, 'r');
      try {
        length = procFs.readSync(fd, this.buf, 0, this.buf.length, 0);
      } finally {
        procFs.closeSync(fd);
      }
    } catch (error) {
      if (classify(error) !== 'gone' && isProcess) this.countStatFailure(reasonOf(error));
      return undefined;
    }
    const st = parseStat(this.buf, length);
    if (!st && isProcess) this.countStatFailure('unexpected content');
    return st;
  }

  private countStatFailure(reason: string): void {
    this.statFailures.set(reason, (this.statFailures.get(reason) ?? 0) + 1);
  }

  /** Returns false when the process is gone. */
  private readStatus(base: string, id: Identity): boolean {
    try {
      // Whole: a process with thousands of supplementary groups has a status file past any fixed buffer, and
      // the lines after Groups: (context switches) would be lost.
      const n = this.readWhole(`${base}/status`);
      id.status = parseStatusSummary(this.buf, n) ?? null;
      id.statusReason = id.status ? undefined : 'unexpected content';
      return true;
    } catch (error) {
      if (classify(error) === 'gone') return false;
      id.status = null;
      id.statusReason = reasonOf(error);
      return true;
    }
  }

  /** cmdline and exe. Returns false when the process is gone. */
  private readIdentity(base: string, id: Identity): boolean {
    try {
      const n = this.readWhole(`${base}/cmdline`);
      id.cmdline = parseCmdline(this.buf, n);
      id.cmdlineReason = undefined;
    } catch (error) {
      if (classify(error) === 'gone') return false;
      id.cmdline = null;
      id.cmdlineReason = reasonOf(error);
    }
    ({ exe: id.exe, exeReason: id.exeReason } = readExeLink(base));
    return true;
  }

  private listTasks(base: string, pid: number): number[] {
    let names: string[];
    try {
      names = taskDirNames(`${base}/task`, pid);
    } catch (error) {
      // Gone, refused or failed: the process is shown without its threads (and, unless gone, says why).
      if (classify(error) !== 'gone') this.taskListFailure = reasonOf(error);
      return [];
    }
    return taskIds(names);
  }

  /** A whole file into the buffer, growing it for long command lines and status files (procfs reports size 0). */
  private readWhole(path: string): number {
    const read = readWholeGrowing(path, this.buf);
    this.buf = read.buf;
    return read.length;
  }
}

function threadFromStat(tid: number, st: StatFields, system: SystemInfo): ThreadInfo {
  return {
    tid,
    name: st.comm,
    state: st.state,
    processor: st.processor,
    utimeMs: (st.utime * 1000) / system.clockTicks,
    stimeMs: (st.stime * 1000) / system.clockTicks,
    cpuPercent: null,
    priority: st.priority,
    nice: st.nice,
    policy: policyName(st.policy),
    rtPriority: st.rtPriority,
    minorFaults: st.minflt,
    majorFaults: st.majflt,
    voluntaryCtxtSwitches: null,
    nonvoluntaryCtxtSwitches: null,
    startTicks: st.starttime,
  };
}

function isLive(state: StateLetter): boolean {
  return state !== 'Z' && state !== 'X' && state !== 'x';
}
