// One poll of the live process table from /proc: every process, and the threads of the processes asked for.
//
// Cost model (measured in bench/, reported in docs/PERFORMANCE.md): every tick reads one `stat` per process
// (and per wanted thread) with synchronous reads into one reused buffer, keeping the `stat` files open
// between polls (re-reading a procfs file from offset 0 regenerates it: one syscall instead of three).
// `status`, `cmdline` and `exe` are read on first sight of a (pid, start time) and refreshed slowly, and only
// for a process that did something: a process whose `stat` bytes are exactly those of the last poll has not
// run since (its CPU times, faults, state, last CPU and sizes are all in them), so it keeps last poll's record,
// object and all, and the diff that follows skips it by identity. At 2000 mostly idle processes that is most
// of them: no status, cmdline or exe re-read, no parse, no new object.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { classify, ProcScopeError, reasonOf } from './errors';
import type { BackendKind, HiddenTasks, ProcessInfo, Snapshot, StateLetter, SystemInfo, ThreadInfo } from './model';
import { mostActive } from './model';
import { parseCmdline } from './procfs/decode';
import { keepOwnFile, releaseOwnFile } from './procfs/ownFiles';
import { procFs, readWholeFrom, taskDirNames, taskIds } from './procfs/procFs';
import { checkProcRoot, hiddenTasks, hidingMountOption } from './procRoot';
import { parseStat, PF_KTHREAD, policyName, type StatFields } from './procfs/stat';
import { parseStatusSummary, type StatusSummary } from './procfs/statusSummary';
import { PortableSampler } from './portable/portableSampler';
import { readSystemInfo } from './system';
import { processRecord, readExeLink } from './processRecord';
import { TtyNames } from './tty';
import { UserNames } from './users';
import { pidOfEntry } from '../shared/processKey';

export interface PollOptions {
  /**
   * Whose threads to read: every process ('all': the full snapshot of the CLI and tests), none, or these
   * pids (the panel's live poll: expanded or selected rows), as htop skips the threads it does not show.
   */
  readonly threads?: 'all' | 'none' | Iterable<number>;
  /**
   * Also read task/TID/status for thread context switches. Default: true when `threads` is a set of pids,
   * false for 'all' (one more file per thread).
   */
  readonly threadStatus?: boolean;
}

export interface ProcessSource {
  readonly backend: BackendKind;
  poll(options?: PollOptions): Promise<Snapshot>;
  dispose(): void;
}

export interface ProcSamplerOptions {
  readonly procRoot?: string;
  /** Most `stat` files kept open between polls; past it files are opened and closed each poll. */
  readonly maxOpenFiles?: number;
  /** How often status (credentials, context switches) of a process nobody watches is re-read. */
  readonly statusRefreshMs?: number;
  /** How often cmdline/exe of a known process is re-read (setproctitle, exec keeps the pid but not start time). */
  readonly cmdlineRefreshMs?: number;
  /**
   * The longest a process whose stat bytes never change keeps last poll's record (status, cmdline and exe
   * unread). Default 60 s; 0 turns the unchanged-process fast path off.
   */
  readonly quietRefreshMs?: number;
  readonly passwdPath?: string;
  /**
   * Read each process's `exe` link (default true). A one-shot reader that prints no executable path (`procscope
   * ps`) skips it: a readlink per process; `exe` is then null with the reason in `unavailable`.
   */
  readonly exe?: boolean;
}

interface ThreadEntry {
  readonly tid: number;
  readonly startTicks: number;
  fd: number;
  prevCpu: number;
  prevAt: number;
  seen: number;
}

interface ProcEntry {
  readonly pid: number;
  readonly startTicks: number;
  /** 0, or how many earlier processes this sampler saw at this pid with this same start time. */
  readonly incarnation: number;
  fd: number;
  cmdline: readonly string[] | null;
  exe: string | null;
  exeReason: string | undefined;
  cmdlineReason: string | undefined;
  cmdlineAt: number;
  status: StatusSummary | null;
  statusReason: string | undefined;
  statusAt: number;
  prevCpu: number;
  prevAt: number;
  seen: number;
  threads: Map<number, ThreadEntry> | null;
  threadCount: number;
  /** A live non-leader thread's memory sizes from its stat (for a zombie leader, whose own stat shows 0). */
  liveStat: { readonly tid: number; readonly vsize: number; readonly rss: number } | null;
  /** The record last poll made, and the stat bytes it was made from (for the unchanged-process fast path). */
  last: ProcessInfo | null;
  lastStat: Buffer | null;
}

/**
 * The longest a process whose stat never changes keeps its status, cmdline and exe unread. A change that
 * leaves no trace in stat (a setuid or an argv rewrite in a wake-up shorter than one clock tick, with no page
 * fault) is seen at most this late.
 */
const DEFAULT_QUIET_REFRESH_MS = 60_000;

const DEFAULT_STATUS_REFRESH_MS = 5000;
const DEFAULT_CMDLINE_REFRESH_MS = 10000;

export class ProcSampler implements ProcessSource {
  readonly backend = 'procfs' as const;
  private readonly root: string;
  private readonly entries = new Map<number, ProcEntry>();
  private readonly users: UserNames;
  private readonly ttys: TtyNames;
  private readonly buf = Buffer.allocUnsafe(16 * 1024);
  private bigBuf: Buffer | undefined;
  private maxOpenFiles: number;
  private readonly statusRefreshMs: number;
  private readonly cmdlineRefreshMs: number;
  private readonly quietRefreshMs: number;
  private readonly readExe: boolean;
  private openFiles = 0;
  private generation = 0;
  private lastPollAt: number | undefined;
  private system: SystemInfo | undefined;
  /** The procfs mount option that hides tasks (`hidepid=invisible`), null when none; read on the first poll. */
  private hiding: string | null | undefined;
  /** Processes whose stat could not be read in the current poll, by reason. */
  private readonly statFailures = new Map<string, number>();
  /** Processes whose task/ could not be listed in the current poll, with the reason. */
  private readonly taskListFailures = new Map<number, string>();

  constructor(options: ProcSamplerOptions = {}) {
    this.root = options.procRoot ?? '/proc';
    this.users = new UserNames(options.passwdPath);
    this.ttys = new TtyNames(this.root);
    this.maxOpenFiles = options.maxOpenFiles ?? defaultMaxOpenFiles();
    this.statusRefreshMs = options.statusRefreshMs ?? DEFAULT_STATUS_REFRESH_MS;
    this.cmdlineRefreshMs = options.cmdlineRefreshMs ?? DEFAULT_CMDLINE_REFRESH_MS;
    this.quietRefreshMs = options.quietRefreshMs ?? DEFAULT_QUIET_REFRESH_MS;
    this.readExe = options.exe ?? true;
  }

  poll(options?: PollOptions): Promise<Snapshot> {
    try {
      return Promise.resolve(this.pollSync(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Open `stat` files kept between polls (for tests and benchmarks). */
  get keptOpenFiles(): number {
    return this.openFiles;
  }

  pollSync(options: PollOptions = {}): Snapshot {
    if (this.system === undefined) checkProcRoot(this.root);
    const system = (this.system ??= this.readSystem());
    const gen = ++this.generation;
    const at = performance.now();
    const intervalMs = this.lastPollAt === undefined ? null : at - this.lastPollAt;
    this.lastPollAt = at;

    const threadsOpt = options.threads ?? 'none';
    const watched = typeof threadsOpt === 'string' ? null : new Set(threadsOpt);
    const allThreads = threadsOpt === 'all';
    const threadStatus = options.threadStatus ?? watched !== null;
    const maxCpu = system.cpuCount * 100;

    let names: string[];
    try {
      names = procFs.readdirSync(this.root);
    } catch (error) {
      throw new ProcScopeError('NO_PROCFS', `cannot list ${this.root}: ${(error as Error).message}`);
    }

    this.statFailures.clear();
    this.taskListFailures.clear();
    const processes: ProcessInfo[] = [];
    for (const name of names) {
      const pid = pidOfEntry(name);
      if (pid === undefined) continue;
      const info = this.sampleProcess(
        pid,
        gen,
        at,
        system,
        maxCpu,
        allThreads || (watched?.has(pid) ?? false),
        threadStatus,
        watched?.has(pid) ?? false,
      );
      if (info) processes.push(info);
    }
    for (const [pid, entry] of this.entries) {
      if (entry.seen !== gen) this.forget(pid, entry);
    }
    // readdir order of /proc is not numeric; consumers (ps output, tests, diffs) want a stable order.
    processes.sort((a, b) => a.pid - b.pid);
    const hidden = this.hiddenTasks(processes);
    return {
      backend: 'procfs',
      timestamp: Date.now(),
      intervalMs,
      system,
      processes,
      unavailableFields: [],
      ...(hidden.length > 0 ? { hidden } : {}),
    };
  }

  /** What this poll left out (see hiddenTasks in procRoot.ts); the mount's options are read once. */
  private hiddenTasks(processes: readonly ProcessInfo[]): HiddenTasks[] {
    this.hiding ??= hidingMountOption(this.root);
    return hiddenTasks(
      this.root,
      this.statFailures,
      () => {
        let seen = 0;
        for (const p of processes) seen += Math.max(1, p.numThreads);
        return seen;
      },
      this.hiding,
    );
  }

  dispose(): void {
    for (const [pid, entry] of this.entries) this.forget(pid, entry);
  }

  private readSystem(): SystemInfo {
    try {
      return readSystemInfo(this.root);
    } catch (error) {
      throw new ProcScopeError('NO_PROCFS', `no usable procfs at ${this.root}: ${(error as Error).message}`);
    }
  }

  private sampleProcess(
    pid: number,
    gen: number,
    at: number,
    system: SystemInfo,
    maxCpu: number,
    wantThreads: boolean,
    threadStatus: boolean,
    isWatched: boolean,
  ): ProcessInfo | undefined {
    let entry = this.entries.get(pid);
    const path = `${this.root}/${pid}/stat`;
    let read = this.readStat(entry, path);
    /** Set when our kept-open file failed: the process it belonged to exited (it was reaped). */
    let exited: ProcEntry | undefined;
    if (read === undefined && entry) {
      // Our kept-open file belongs to a task that exited; the pid may already hold a new process.
      if (entry.fd >= 0) exited = entry;
      this.forget(pid, entry);
      entry = undefined;
      read = this.readStat(undefined, path);
    }
    if (read === undefined) return undefined;
    const fresh = entry && read.fd === entry.fd ? -1 : read.fd; // a file this poll opened
    if (entry && !wantThreads && !isWatched && this.unchanged(entry, read.length, at)) {
      if (fresh >= 0) this.keepOrClose(entry, fresh);
      entry.seen = gen;
      entry.prevAt = at; // same CPU time: 0 % over this interval
      const last = entry.last!;
      if (last.cpuPercent !== 0) entry.last = { ...last, cpuPercent: 0 };
      return entry.last!;
    }
    const st = parseStat(this.buf, read.length);
    // Kept before status and cmdline reuse the buffer: what the next poll compares its stat with.
    const statBytes = wantThreads || isWatched ? null : Buffer.from(this.buf.subarray(0, read.length));
    if (!st) {
      closeQuietly(fresh);
      this.countStatFailure('unexpected content');
      return undefined;
    }
    if (entry && entry.startTicks !== st.starttime) {
      // Same pid, different start time: the old process is gone and this is a new one.
      this.forget(pid, entry);
      entry = undefined;
    }
    if (!entry) {
      // The pid was reused within one clock tick: same pid, same start time, yet a different process (the
      // one whose file we held was reaped). Only a kept-open file can tell; the key gets a suffix.
      const incarnation = exited && exited.startTicks === st.starttime ? exited.incarnation + 1 : 0;
      entry = this.firstSight(pid, st, fresh, at, incarnation);
      if (!entry) return undefined;
    } else {
      if (fresh >= 0) this.keepOrClose(entry, fresh);
      if (isWatched || at - entry.statusAt >= this.statusRefreshMs) {
        if (!this.readStatus(entry, at)) return this.vanished(pid, entry);
      }
      // A zombie leader has no cmdline or exe of its own: keep what was read while it could be.
      // A new comm is most often an exec: its argv and executable are read now, not at the next refresh.
      const renamed = entry.last !== null && entry.last.name !== st.comm;
      if ((renamed || at - entry.cmdlineAt >= this.cmdlineRefreshMs) && !leaderZombieStat(st)) {
        this.readIdentity(entry, at);
        this.retryEmptyArgv(entry, st);
      }
    }
    entry.seen = gen;

    const cpu = st.utime + st.stime;
    const cpuPercent =
      entry.prevAt >= 0 && at > entry.prevAt
        ? Math.min(maxCpu, ((cpu - entry.prevCpu) / system.clockTicks / ((at - entry.prevAt) / 1000)) * 100)
        : null;
    entry.prevCpu = cpu;
    entry.prevAt = at;

    // A leader that called pthread_exit is a zombie while its process lives on in other threads: the
    // process's state, memory and identity come from a live thread (procps shows such a process alive).
    const leaderZombie = leaderZombieStat(st);
    const wantsTasks = wantThreads || leaderZombie;
    const threads = wantsTasks ? this.sampleThreads(entry, st, cpuPercent, gen, at, system, threadStatus) : undefined;
    if (!wantsTasks && entry.threads) this.forgetThreads(entry);
    let state = st.state;
    let vsize = st.vsize;
    let statRss = st.rss;
    if (leaderZombie && threads) {
      const live = mostActive(threads.filter((t) => t.tid !== pid));
      if (live) state = live.state;
      if (entry.liveStat) {
        vsize = entry.liveStat.vsize;
        statRss = entry.liveStat.rss;
      }
      if (entry.cmdline === null || entry.cmdline.length === 0 || (entry.exe === null && this.readExe))
        this.readIdentityFromThread(entry, live?.tid, at);
    }

    const status = entry.status;
    const unavailable: Record<string, string> = {};
    // status counts the leader thread's context switches only: the process's are the sum over its threads.
    let vol: number | null = null;
    let nonvol: number | null = null;
    if (threads && threads.length > 0 && threads.every((t) => t.voluntaryCtxtSwitches !== null && t.nonvoluntaryCtxtSwitches !== null)) {
      vol = 0;
      nonvol = 0;
      for (const t of threads) {
        vol += t.voluntaryCtxtSwitches!;
        nonvol += t.nonvoluntaryCtxtSwitches!;
      }
    } else if (status && st.numThreads <= 1 && !leaderZombie) {
      vol = status.voluntaryCtxtSwitches;
      nonvol = status.nonvoluntaryCtxtSwitches;
    }
    // A null sum for a process whose threads this poll did not read is the rule and carries no reason (see
    // ProcessInfo); one whose status, or one of whose threads' status, failed says why.
    const threadsAsked = wantThreads && threadStatus;
    if (vol === null && (!status || threadsAsked)) {
      const tasksWhy = this.taskListFailures.get(pid);
      const why = !status
        ? (entry.statusReason ?? 'unreadable')
        : tasksWhy !== undefined
          ? `threads not listed: ${tasksWhy}`
          : "a thread's status could not be read";
      unavailable.voluntaryCtxtSwitches = why;
      unavailable.nonvoluntaryCtxtSwitches = why;
    }
    const tasksWhy = this.taskListFailures.get(pid);
    if (tasksWhy !== undefined && wantThreads) unavailable.threads = tasksWhy;
    if (entry.exe === null) unavailable.exe = entry.exeReason ?? 'unreadable';
    if (entry.cmdline === null) unavailable.cmdline = entry.cmdlineReason ?? 'unreadable';

    const info = processRecord({
      pid,
      incarnation: entry.incarnation,
      st,
      system,
      ttys: this.ttys,
      users: this.users,
      status,
      statusReason: entry.statusReason,
      cmdline: entry.cmdline,
      exe: entry.exe,
      state,
      vsize,
      // The exact VmRSS when status was read in this poll (always on first sight and for watched processes),
      // else stat's rss, which the kernel keeps in per-CPU caches and may lag by a few hundred kB.
      rss: status?.vmRss != null && entry.statusAt === at && !leaderZombie ? status.vmRss : statRss * system.pageSize,
      cpuPercent,
      voluntaryCtxtSwitches: vol,
      nonvoluntaryCtxtSwitches: nonvol,
      leaderZombie,
      threads: threads && wantThreads ? threads : undefined,
      unavailable,
    });
    // Only a record without threads can be handed out again unchanged (threads have their own stat files).
    const reusable = !wantsTasks && status !== null && statBytes !== null;
    entry.last = reusable ? info : null;
    entry.lastStat = reusable ? statBytes : null;
    return info;
  }

  /**
   * True when the stat just read into this.buf is byte for byte the one last poll's record was made from, and
   * that record's slow reads are recent enough: the record stands as it is.
   */
  private unchanged(entry: ProcEntry, length: number, at: number): boolean {
    const last = entry.lastStat;
    return (
      last !== null &&
      entry.last !== null &&
      last.length === length &&
      this.buf.compare(last, 0, length, 0, length) === 0 &&
      at - entry.statusAt < this.quietRefreshMs &&
      at - entry.cmdlineAt < this.quietRefreshMs
    );
  }

  private vanished(pid: number, entry: ProcEntry): undefined {
    this.forget(pid, entry);
    return undefined;
  }

  /**
   * Reads a stat file into this.buf: through the kept-open fd when there is one, else by path. Undefined when
   * the task is gone, or its stat cannot be read at all (then, for a process, counted in `hidden`).
   */
  private readStat(entry: { fd: number } | undefined, path: string, isProcess = true): { length: number; fd: number } | undefined {
    if (entry && entry.fd >= 0) {
      try {
        return { length: procFs.readSync(entry.fd, this.buf, 0, this.buf.length, 0), fd: entry.fd };
      } catch (error) {
        // Gone: the task this file was opened for is no more (the caller re-reads by path, and a process found
        // there with the same start time is a new incarnation). Any other errno says nothing about which
        // process is there: drop the file and read by path as for a process seen for the first time.
        if (classify(error) === 'gone') return undefined;
        this.release(entry);
      }
    }
    let fd: number;
    try {
      fd = this.open(path);
    } catch (error) {
      if (classify(error) !== 'gone' && isProcess) this.countStatFailure(reasonOf(error));
      return undefined;
    }
    try {
      return { length: procFs.readSync(fd, this.buf, 0, this.buf.length, 0), fd };
    } catch (error) {
      closeQuietly(fd);
      if (classify(error) !== 'gone' && isProcess) this.countStatFailure(reasonOf(error));
      return undefined;
    }
  }

  private countStatFailure(reason: string): void {
    this.statFailures.set(reason, (this.statFailures.get(reason) ?? 0) + 1);
  }

  private firstSight(pid: number, st: StatFields, fd: number, at: number, incarnation: number): ProcEntry | undefined {
    const entry: ProcEntry = {
      pid,
      startTicks: st.starttime,
      incarnation,
      fd: -1,
      liveStat: null,
      cmdline: null,
      exe: null,
      exeReason: undefined,
      cmdlineReason: undefined,
      cmdlineAt: at,
      status: null,
      statusReason: undefined,
      statusAt: at,
      prevCpu: 0,
      prevAt: -1,
      seen: 0,
      threads: null,
      threadCount: 0,
      last: null,
      lastStat: null,
    };
    if (!this.readStatus(entry, at) || !this.readIdentity(entry, at)) {
      // Gone while we were reading it: drop the half-read process (htop does the same).
      closeQuietly(fd);
      return undefined;
    }
    this.retryEmptyArgv(entry, st);
    if (fd >= 0) this.keepOrClose(entry, fd);
    this.entries.set(pid, entry);
    return entry;
  }

  /**
   * Reads a whole procfs file (procfs reports size 0, so readFileSync pays an fstat and a second read) into
   * this.buf, or into this.bigBuf when it does not fit; returns its length.
   */
  private readWhole(path: string): number {
    const fd = this.open(path);
    try {
      const read = readWholeFrom(fd, this.buf, path);
      if (read.buf !== this.buf) this.bigBuf = read.buf;
      return read.length;
    } finally {
      procFs.closeSync(fd);
    }
  }

  /** The buffer readWhole left `length` bytes in. */
  private wholeBuffer(length: number): Buffer {
    return length < this.buf.length ? this.buf : this.bigBuf!;
  }

  private keepOrClose(holder: { fd: number }, fd: number): void {
    if (holder.fd < 0 && this.openFiles < this.maxOpenFiles && keptInProcess < processOpenFileCap()) {
      holder.fd = fd;
      this.openFiles++;
      keptInProcess++;
      keepOwnFile(fd);
    } else {
      closeQuietly(fd);
    }
  }

  private release(holder: { fd: number }): void {
    if (holder.fd < 0) return;
    releaseOwnFile(holder.fd);
    closeQuietly(holder.fd);
    holder.fd = -1;
    this.openFiles--;
    keptInProcess--;
  }

  /**
   * Opens a procfs file. When the process is out of descriptors (EMFILE/ENFILE: other code, or other samplers,
   * hold them), this sampler gives back every file it keeps open, keeps at most half as many from then on,
   * and tries once more; a second failure surfaces.
   */
  private open(path: string): number {
    try {
      return procFs.openSync(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EMFILE' && code !== 'ENFILE') throw error;
      const kept = this.openFiles;
      for (const entry of this.entries.values()) {
        this.release(entry);
        if (entry.threads) for (const t of entry.threads.values()) this.release(t);
      }
      this.maxOpenFiles = Math.floor(kept / 2);
      return procFs.openSync(path, 'r');
    }
  }

  /** Returns false when the process is gone. */
  private readStatus(entry: ProcEntry, at: number): boolean {
    entry.statusAt = at;
    try {
      // Whole: a process with thousands of supplementary groups has a status file past any fixed buffer, and
      // the lines after Groups: (context switches) would be lost.
      const n = this.readWhole(`${this.root}/${entry.pid}/status`);
      entry.status = parseStatusSummary(this.wholeBuffer(n), n) ?? null;
      entry.statusReason = entry.status ? undefined : 'unexpected content';
      return true;
    } catch (error) {
      if (classify(error) === 'gone') return false;
      entry.status = null;
      entry.statusReason = reasonOf(error);
      return true;
    }
  }

  /**
   * exec gives a process its new name before it builds the new program's stack, so a read between the two sees
   * the new name with an empty argv. An empty argv of a live process that is not a kernel thread is read again at
   * the next poll instead of standing until the next refresh (a kernel thread's or a zombie's is empty for good;
   * a program that really runs with an empty argv costs one read a poll).
   */
  private retryEmptyArgv(entry: ProcEntry, st: StatFields): void {
    if (entry.cmdline !== null && entry.cmdline.length === 0 && st.state !== 'Z' && (st.flags & PF_KTHREAD) === 0)
      entry.cmdlineAt = Number.NEGATIVE_INFINITY;
  }

  /** cmdline and exe. Returns false when the process is gone. */
  private readIdentity(entry: ProcEntry, at: number, base = `${this.root}/${entry.pid}`): boolean {
    entry.cmdlineAt = at;
    try {
      const length = this.readWhole(`${base}/cmdline`);
      entry.cmdline = parseCmdline(this.wholeBuffer(length), length);
      entry.cmdlineReason = undefined;
    } catch (error) {
      if (classify(error) === 'gone') return false;
      entry.cmdline = null;
      entry.cmdlineReason = reasonOf(error);
    }
    if (!this.readExe) {
      entry.exe = null;
      entry.exeReason = 'not read (this reader was asked not to)';
      return true;
    }
    ({ exe: entry.exe, exeReason: entry.exeReason } = readExeLink(base));
    return true;
  }

  /** cmdline and exe of a process whose leader is a zombie, through one of its live threads. */
  private readIdentityFromThread(entry: ProcEntry, tid: number | undefined, at: number): void {
    if (tid !== undefined && this.readIdentity(entry, at, `${this.root}/${entry.pid}/task/${tid}`)) return;
    entry.cmdline = null;
    entry.cmdlineReason = 'leader thread exited and no live thread could be read';
  }

  private sampleThreads(
    entry: ProcEntry,
    st: StatFields,
    cpuPercent: number | null,
    gen: number,
    at: number,
    system: SystemInfo,
    threadStatus: boolean,
  ): ThreadInfo[] {
    const out: ThreadInfo[] = [];
    if (st.numThreads <= 1 && !threadStatus) {
      // Single-threaded: the main thread's stat is the process's (times differ only by threads that already
      // exited); skipping task/ saves a directory listing and a file per process.
      if (entry.threads) this.forgetThreads(entry);
      out.push(threadFromStat(entry.pid, st, cpuPercent === null ? null : Math.min(100, cpuPercent), system, null));
      return out;
    }
    entry.liveStat = null;
    const threads = (entry.threads ??= new Map());
    let tids: number[] | undefined;
    // Re-list task/ only when the thread count changed or a kept-open read failed (a thread replaced by
    // another at the same count shows up as a failed read of the old one).
    if (threads.size !== st.numThreads || entry.threadCount !== st.numThreads) tids = this.listTasks(entry.pid);
    entry.threadCount = st.numThreads;
    let retried = false;
    for (;;) {
      const list = tids ?? [...threads.keys()];
      let failed = false;
      out.length = 0;
      for (const tid of list) {
        const info = this.sampleThread(entry, threads, tid, gen, at, system, threadStatus);
        if (info) out.push(info);
        else failed = true;
      }
      if (!failed || retried || tids) break;
      retried = true;
      tids = this.listTasks(entry.pid);
    }
    for (const [tid, t] of threads) {
      if (t.seen !== gen) {
        this.release(t);
        threads.delete(tid);
      }
    }
    return out;
  }

  private listTasks(pid: number): number[] {
    try {
      return taskIds(taskDirNames(`${this.root}/${pid}/task`, pid));
    } catch (error) {
      // Gone, refused or failed: this poll shows the process without its threads (and says why).
      if (classify(error) !== 'gone') this.taskListFailures.set(pid, reasonOf(error));
      return [];
    }
  }

  private sampleThread(
    entry: ProcEntry,
    threads: Map<number, ThreadEntry>,
    tid: number,
    gen: number,
    at: number,
    system: SystemInfo,
    threadStatus: boolean,
  ): ThreadInfo | undefined {
    const base = `${this.root}/${entry.pid}/task/${tid}`;
    let t = threads.get(tid);
    const read = this.readStat(t, `${base}/stat`, false);
    if (read === undefined && t) {
      this.release(t);
      threads.delete(tid);
      return undefined;
    }
    if (read === undefined) return undefined;
    const st = parseStat(this.buf, read.length);
    const fresh = t && read.fd === t.fd ? -1 : read.fd; // a file this poll opened
    if (!st) {
      closeQuietly(fresh);
      return undefined;
    }
    if (t && t.startTicks !== st.starttime) {
      this.release(t);
      threads.delete(tid);
      t = undefined;
    }
    if (!t) {
      t = { tid, startTicks: st.starttime, fd: -1, prevCpu: 0, prevAt: -1, seen: gen };
      threads.set(tid, t);
    }
    if (fresh >= 0) this.keepOrClose(t, fresh);
    t.seen = gen;
    if (tid !== entry.pid && entry.liveStat === null && isLive(st.state)) {
      // Kept for a zombie leader: any live thread's stat has the process's memory sizes (one mm).
      entry.liveStat = { tid, vsize: st.vsize, rss: st.rss };
    }
    let status: StatusSummary | null = null;
    let wchan: string | null | undefined;
    if (threadStatus) {
      const stState = st.state;
      try {
        const n = this.readWhole(`${base}/status`);
        status = parseStatusSummary(this.wholeBuffer(n), n) ?? null;
      } catch (error) {
        classify(error); // this thread's counters stay null; the process's sum is then unavailable
      }
      wchan = this.readWchan(`${base}/wchan`, stState);
    }
    const cpu = st.utime + st.stime;
    const cpuPercent =
      t.prevAt >= 0 && at > t.prevAt ? Math.min(100, ((cpu - t.prevCpu) / system.clockTicks / ((at - t.prevAt) / 1000)) * 100) : null;
    const info = threadFromStat(tid, st, cpuPercent, system, status, wchan);
    t.prevCpu = st.utime + st.stime;
    t.prevAt = at;
    return info;
  }

  /** A thread's wait channel; null when it is running or the kernel shows none (`0`). */
  private readWchan(path: string, state: StateLetter): string | null {
    if (state === 'R') return null;
    try {
      const n = this.readWhole(path);
      const text = this.wholeBuffer(n).toString('latin1', 0, n).trim();
      return text === '' || text === '0' ? null : text;
    } catch (error) {
      classify(error);
      return null;
    }
  }

  private forgetThreads(entry: ProcEntry): void {
    if (!entry.threads) return;
    for (const t of entry.threads.values()) {
      this.release(t);
    }
    entry.threads = null;
    entry.threadCount = 0;
  }

  private forget(pid: number, entry: ProcEntry): void {
    this.forgetThreads(entry);
    this.release(entry);
    if (this.entries.get(pid) === entry) this.entries.delete(pid);
  }
}

function threadFromStat(
  tid: number,
  st: StatFields,
  cpuPercent: number | null,
  system: SystemInfo,
  status: StatusSummary | null,
  wchan?: string | null,
): ThreadInfo {
  return {
    tid,
    name: st.comm,
    state: st.state,
    processor: st.processor,
    utimeMs: (st.utime * 1000) / system.clockTicks,
    stimeMs: (st.stime * 1000) / system.clockTicks,
    cpuPercent,
    priority: st.priority,
    nice: st.nice,
    policy: policyName(st.policy),
    rtPriority: st.rtPriority,
    minorFaults: st.minflt,
    majorFaults: st.majflt,
    voluntaryCtxtSwitches: status?.voluntaryCtxtSwitches ?? null,
    nonvoluntaryCtxtSwitches: status?.nonvoluntaryCtxtSwitches ?? null,
    ...(wchan !== undefined ? { wchan } : {}),
    startTicks: st.starttime,
  };
}

function isLive(state: StateLetter): boolean {
  return state !== 'Z' && state !== 'X' && state !== 'x';
}

/** A leader in state Z whose process still has other threads (it called pthread_exit). */
export function leaderZombieStat(st: StatFields): boolean {
  return st.state === 'Z' && st.numThreads > 1;
}

function closeQuietly(fd: number): void {
  if (fd < 0) return;
  try {
    procFs.closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

/** stat files kept open by every sampler in this process together (the open-file limit is per process). */
let keptInProcess = 0;
let processCap: number | undefined;

function processOpenFileCap(): number {
  return (processCap ??= defaultMaxOpenFiles());
}

/**
 * Half the soft open-file limit, at most 32768: enough to keep every task open at 2000 processes x 4 threads
 * under a 20,000 limit (a quarter left half of them reopened every poll: 205 vs 158 ms warm in bench/), while
 * leaving the other half for everything else in the process.
 */
function defaultMaxOpenFiles(): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    const soft = !m || m[1] === 'unlimited' ? 65536 : Number(m[1]);
    return Math.max(0, Math.min(32768, Math.floor(soft / 2)));
  } catch {
    return 1024;
  }
}

/** The sampler for this platform: /proc where there is one, else the portable ps-list + pidtree backend. */
export function createSampler(options: { backend?: 'auto' | 'procfs' | 'portable'; procRoot?: string; exe?: boolean } = {}): ProcessSource {
  const wanted = options.backend ?? 'auto';
  if (wanted === 'procfs' || (wanted === 'auto' && process.platform === 'linux')) {
    return new ProcSampler({ procRoot: options.procRoot, exe: options.exe });
  }
  return new PortableSampler();
}
