// One look at every blocked thread: what it waits for, who can wake it, and the cycles of that wait-for
// graph across every kind of wait. Synchronous, like the IPC scan it builds on.
import { classify, ProcScopeError, reasonOf } from '../errors';
import { cyclesOf } from '../ipc/deadlock';
import type { Channel, IpcMap, LockChannel } from '../ipc/model';
import { scanIpcSync } from '../ipc/scan';
import { checkProcRoot } from '../procRoot';
import { formatDevice, readProcText } from '../procfs/fd';
import { procFs, readlinkText, taskDirNames, taskIds } from '../procfs/procFs';
import { parseStat, PF_KTHREAD, type StatFields } from '../procfs/stat';
import { ipcWarningEnglish } from '../../shared/channelText';
import type { TaskRef, ThreadSyscall, ThreadWait, WaitHowKey, WaitingFor, WaitKind, WaitObject, WaitReport, WaitWarning } from './model';
import { argNumber, argSigned, probeThread, readMemory, type ThreadProbe } from './probe';
import { syscallTableKnown } from './syscalls';
import { pushAll } from '../../shared/arrays';

export interface WaitOptions {
  readonly procRoot?: string;
  /** List only this process's threads. Unless `from` says otherwise, the look starts from it (see `from`). */
  readonly pid?: number;
  /**
   * Look at these processes' threads and at those of every process they wait for, transitively, instead of
   * at every process (null: every process). Every cycle through one of them is found, since a cycle is made
   * of waits; cycles elsewhere are not. The panel's looks start from what it shows.
   */
  readonly from?: readonly number[] | null;
  /** Every thread, not only those in S or D (and kernel threads). */
  readonly all?: boolean;
  /**
   * An IPC map already scanned, or where to get one on first need (the panel's own incremental scanner);
   * otherwise one is scanned when an fd wait needs it.
   */
  readonly ipc?: IpcMap | (() => IpcMap);
  /** Where the probe of a thread comes from; the panel passes a cache's lookup, the CLI reads afresh. */
  readonly probe?: (taskDir: string, tid: number, stat: StatFields) => ThreadProbe | 'gone';
}

interface Task {
  readonly pid: number;
  readonly tid: number;
  readonly stat: StatFields;
}

interface Proc {
  readonly pid: number;
  readonly stat: StatFields;
  readonly tids: number[];
}

const READS = new Set(['read', 'readv', 'pread64', 'preadv', 'recvfrom', 'recvmsg', 'recvmmsg']);
const WRITES = new Set(['write', 'writev', 'pwrite64', 'pwritev', 'sendto', 'sendmsg', 'sendmmsg']);
const POLLS = new Set(['poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2']);
const SIGNALS = new Set(['rt_sigsuspend', 'rt_sigtimedwait', 'pause']);
const ASYNC_IO = new Set(['io_getevents', 'io_pgetevents', 'io_uring_enter']);

/** futex ops (include/uapi/linux/futex.h), after masking FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME. */
const FUTEX_WAIT = 0;
const FUTEX_LOCK_PI = 6;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_LOCK_PI2 = 13;
const FUTEX_TID_MASK = 0x3fffffff;
/** glibc's struct __pthread_mutex_s on 64-bit: int __lock; unsigned __count; int __owner; ... */
const MUTEX_OWNER_OFFSET = 8;

/** fcntl commands that wait for a lock (include/uapi/asm-generic/fcntl.h). */
const F_SETLKW = 7;
const F_OFD_SETLKW = 38;

/** Most pollfds read from a poll() array: enough to name them, bounded against a huge nfds. */
const MAX_POLLFDS = 64;

/**
 * The processes a look has read, loaded as it needs them: one stat per process, and its children from the
 * kernel's own `task/TID/children` lists (every process's stat is read only when those lists are missing,
 * a kernel without CONFIG_PROC_CHILDREN, or when the look spans every process anyway).
 */
class ProcTable {
  readonly procs = new Map<number, Proc>();
  private readonly missing = new Set<number>();
  private everyPid: number[] | undefined;
  private complete = false;

  constructor(
    private readonly procRoot: string,
    private readonly names: Map<string, string>,
    private readonly warnings: WaitWarning[],
  ) {}

  /** Every pid in the proc root (listed once). */
  pids(): number[] {
    if (!this.everyPid) {
      try {
        this.everyPid = procFs
          .readdirSync(this.procRoot)
          .filter((n) => /^[1-9]\d*$/.test(n))
          .map(Number);
      } catch (error) {
        throw new ProcScopeError('NO_PROCFS', `cannot list ${this.procRoot}: ${reasonOf(error)}`);
      }
    }
    return this.everyPid;
  }

  get(pid: number): Proc | undefined {
    const known = this.procs.get(pid);
    if (known || this.missing.has(pid)) return known;
    const stat = readStatFile(`${this.procRoot}/${pid}/stat`, this.warnings);
    if (!stat) {
      this.missing.add(pid);
      return undefined;
    }
    this.names.set(String(pid), stat.comm);
    const proc: Proc = { pid, stat, tids: [] };
    this.procs.set(pid, proc);
    return proc;
  }

  /** Reads every process (the whole-machine look, or children without the kernel's lists). */
  loadAll(): void {
    if (this.complete) return;
    for (const pid of this.pids()) this.get(pid);
    this.complete = true;
  }

  children(proc: Proc): Proc[] {
    if (!this.complete && proc.tids.length > 0) {
      const pids = new Set<number>();
      try {
        for (const tid of proc.tids) {
          for (const n of procFs.readFileSync(`${this.procRoot}/${proc.pid}/task/${tid}/children`).toString('latin1').split(/\s+/))
            if (n !== '') pids.add(Number(n));
        }
        // A child may have been reaped and its pid reused meanwhile: its stat says whose child it is.
        return [...pids].map((c) => this.get(c)).filter((c): c is Proc => c !== undefined && c.stat.ppid === proc.pid);
      } catch (error) {
        // No children lists in this kernel, or a thread that just exited: ask every process instead.
        if (classify(error) !== 'gone') this.loadAll();
      }
    }
    this.loadAll();
    return [...this.procs.values()].filter((p) => p.stat.ppid === proc.pid);
  }
}

export function collectWaits(options: WaitOptions = {}): WaitReport {
  const procRoot = options.procRoot ?? '/proc';
  checkProcRoot(procRoot);
  const warnings: WaitWarning[] = [];
  const names = new Map<string, string>();
  const table = new ProcTable(procRoot, names, warnings);
  const from = options.from !== undefined ? options.from : options.pid !== undefined ? [options.pid] : null;
  if (options.pid !== undefined && !table.get(options.pid)) throw new ProcScopeError('NO_SUCH_PROCESS', `no process ${options.pid}`);
  if (from === null) table.loadAll();

  const ctx = new Context(procRoot, table, options.ipc, warnings);
  const probe = options.probe ?? ((dir: string) => probeThread(dir));
  const threads: ThreadWait[] = [];
  const visited = new Set<number>();
  const queue: number[] = from === null ? [...table.procs.keys()] : [...from];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (visited.has(pid)) continue;
    visited.add(pid);
    const proc = table.get(pid);
    if (!proc) continue;
    if ((proc.stat.flags & PF_KTHREAD) !== 0 && !options.all && options.pid !== pid) continue;
    let tids: number[];
    try {
      tids = taskIds(taskDirNames(`${procRoot}/${pid}/task`, pid)).filter((tid) => tid > 0);
    } catch (error) {
      if (classify(error) !== 'gone') warnings.push({ code: 'threadsUnlisted', params: { pid, reason: reasonOf(error) } });
      continue;
    }
    // Every thread of the process first: a futex owner is checked against the process's live threads.
    const tasks: Task[] = [];
    for (const tid of tids) {
      const tstat = readStatFile(`${procRoot}/${pid}/task/${tid}/stat`, warnings);
      if (!tstat) continue;
      proc.tids.push(tid);
      names.set(`${pid}/${tid}`, tstat.comm);
      tasks.push({ pid, tid, stat: tstat });
    }
    for (const task of tasks) {
      const blocked = task.stat.state === 'S' || task.stat.state === 'D';
      if (!blocked && !options.all) continue;
      const p = probe(`${procRoot}/${pid}/task/${task.tid}`, task.tid, task.stat);
      if (p === 'gone') continue;
      const thread = ctx.describe(task, p);
      if (!thread) continue;
      threads.push(thread);
      if (from !== null) for (const h of thread.waitingFor?.holders ?? []) if (!visited.has(h.pid)) queue.push(h.pid);
    }
  }

  // By process; within one, the kernel's order as read (taskDirNames; the sort is stable).
  threads.sort((a, b) => a.pid - b.pid);
  const cycles = findWaitCycles(threads, table.procs);
  const shown = options.pid === undefined ? threads : threads.filter((th) => th.pid === options.pid);
  const shownCycles = options.pid === undefined ? cycles : cycles.filter((c) => c.some((n) => n.pid === options.pid));
  const notes = new Map<string, WaitWarning>();
  for (const w of warnings) if (!notes.has(ipcWarningEnglish(w))) notes.set(ipcWarningEnglish(w), w);
  return {
    threads: shown,
    cycles: shownCycles,
    warnings: [...notes.keys()],
    warningCodes: [...notes.values()],
    names,
    ptraceScope: readPtraceScope(procRoot),
  };
}

function readStatFile(path: string, warnings: WaitWarning[]): StatFields | undefined {
  try {
    const buf = procFs.readFileSync(path);
    const stat = parseStat(buf, buf.length);
    if (!stat) warnings.push({ code: 'statFormat', params: { path } });
    return stat;
  } catch (error) {
    if (classify(error) !== 'gone') warnings.push({ code: 'statUnreadable', params: { path, reason: reasonOf(error) } });
    return undefined;
  }
}

/** Yama's ptrace_scope (0 classic, 1 restricted to descendants, 2 admin only, 3 none); null without Yama. */
export function readPtraceScope(procRoot: string): number | null {
  try {
    const n = Number(readProcText(`${procRoot}/sys/kernel/yama/ptrace_scope`).trim());
    return Number.isInteger(n) ? n : null;
  } catch {
    // No Yama (or not readable): the classic rule applies, nothing more to say.
    return null;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function refs(pids: Iterable<number>): TaskRef[] {
  return [...new Set(pids)].sort((a, b) => a - b).map((pid) => ({ pid, tid: null }));
}

/** The fact with its `how` as a key and parameters too, for displays in other languages (English `how` unchanged). */
function keyed(w: WaitingFor, howKey: WaitHowKey, howParams: Readonly<Record<string, string | number>> = {}): WaitingFor {
  return { ...w, howKey, howParams };
}

/** A fact with its holders: `holder` is set only when exactly one party can wake the thread. */
function fact(kind: WaitKind, object: string, how: string, holders: readonly TaskRef[] = [], objectRef?: WaitObject): WaitingFor {
  return {
    kind,
    holder: holders.length === 1 ? holders[0]! : null,
    ...(holders.length > 0 ? { holders } : {}),
    object,
    ...(objectRef ? { objectRef } : {}),
    how,
  };
}

class Context {
  private map: IpcMap | undefined;
  private scope: number | null | undefined;

  constructor(
    private readonly procRoot: string,
    private readonly table: ProcTable,
    private readonly given: IpcMap | (() => IpcMap) | undefined,
    private readonly warnings: WaitWarning[],
  ) {}

  /** The IPC map, scanned on first need only: sleeping in futex or nanosleep needs no fd walk. */
  private ipc(): IpcMap {
    if (!this.map) {
      const given = this.given;
      if (typeof given === 'function') this.map = given();
      else if (given) this.map = given;
      else {
        // A scan of its own: its warnings are this look's (a caller's scan reports its own).
        this.map = scanIpcSync({ procRoot: this.procRoot, maps: 'never' });
        pushAll(this.warnings, this.map.warningCodes ?? []);
      }
    }
    return this.map;
  }

  describe(task: Task, p: ThreadProbe): ThreadWait | undefined {
    const base = { pid: task.pid, tid: task.tid, name: task.stat.comm, state: task.stat.state, wchan: p.wchan };
    if ((task.stat.flags & PF_KTHREAD) !== 0) return this.kernelThread(task, p, base);
    const unavailable = Object.keys(p.unavailable).length > 0 ? { unavailable: p.unavailable } : {};
    const line = p.line;
    if (line?.kind === 'running') return { ...base, syscall: null, waitingFor: null, ...unavailable };
    const syscall = line?.kind === 'call' ? line.syscall : null;
    let waitingFor: WaitingFor | null;
    if (task.stat.state === 'D') {
      waitingFor = keyed(
        fact(
          'io',
          p.wchan ?? '',
          `state D (uninterruptible sleep)${p.wchan ? ` in kernel function ${p.wchan}` : ''}: disk or other kernel I/O, woken by the kernel`,
        ),
        p.wchan ? 'ioIn' : 'io',
        { wchan: p.wchan ?? '' },
      );
    } else if (line === null) {
      const why = p.unavailable['syscall'] ?? 'unknown';
      const path = `/proc/${task.pid}/task/${task.tid}/syscall`;
      const hint = this.deniedHint(why);
      const scope = this.scope ?? null;
      const hintKey: WaitHowKey =
        hint === ''
          ? 'syscallUnreadable'
          : scope !== null && scope > 0
            ? scope === 1
              ? 'syscallDeniedYama1'
              : scope === 2
                ? 'syscallDeniedYama2'
                : 'syscallDeniedYama3'
            : 'syscallDenied';
      waitingFor = keyed(fact('unknown', p.wchan ?? '', `${path} could not be read (${why})${hint}`), hintKey, {
        path,
        reason: why,
        scope: scope ?? '',
      });
    } else if (line.kind === 'none') {
      waitingFor =
        task.stat.state === 'S'
          ? keyed(fact('unknown', p.wchan ?? '', 'not inside a system call (blocked on a page fault or stopped)'), 'notInSyscall')
          : null;
    } else if (!syscallTableKnown()) {
      waitingFor = keyed(
        fact(
          'unknown',
          p.wchan ?? '',
          `system call ${line.syscall.nr}: this machine's system call table (${process.arch}) is not known to ProcScope (x86_64 and arm64 are)`,
        ),
        'tableUnknown',
        { nr: line.syscall.nr, arch: process.arch },
      );
    } else {
      try {
        waitingFor = this.interpret(task, line.syscall, p.wchan);
      } catch (error) {
        // A file of this thread could not be read: the fact says so instead of failing the whole look. ENOENT
        // may mean the thread exited (then it is left out) or only that the fd was closed meanwhile.
        if (classify(error) === 'gone' && !this.exists(`${this.procRoot}/${task.pid}/task/${task.tid}`)) return undefined;
        waitingFor = keyed(
          fact('unknown', p.wchan ?? '', `${line.syscall.name ?? `syscall ${line.syscall.nr}`}: ${reasonOf(error)}`),
          'callError',
          { call: line.syscall.name ?? `syscall ${line.syscall.nr}`, reason: reasonOf(error) },
        );
      }
    }
    return { ...base, syscall, waitingFor, ...unavailable };
  }

  /**
   * A kernel thread runs only in the kernel and never enters a system call: its syscall file still reads as
   * call 0 with zero arguments (0 is read on x86_64), which would name a call it is not in. So no call is
   * reported, only that it is a kernel thread and the kernel function it sleeps in; and a syscall file that
   * could not be read hides nothing here, so its reason is not kept.
   */
  private kernelThread(task: Task, p: ThreadProbe, base: Pick<ThreadWait, 'pid' | 'tid' | 'name' | 'state' | 'wchan'>): ThreadWait {
    const rest = Object.fromEntries(Object.entries(p.unavailable).filter(([file]) => file !== 'syscall'));
    const unavailable = Object.keys(rest).length > 0 ? { unavailable: rest } : {};
    const wchan = p.wchan;
    let waitingFor: WaitingFor | null;
    if (p.line?.kind === 'running') waitingFor = null;
    else if (task.stat.state === 'D')
      waitingFor = keyed(
        fact(
          'io',
          wchan ?? '',
          `kernel thread (it makes no system calls) in state D (uninterruptible sleep)${wchan ? ` in kernel function ${wchan}` : ''}: disk or other kernel I/O, woken by the kernel`,
        ),
        wchan ? 'kernelThreadIoIn' : 'kernelThreadIo',
        { wchan: wchan ?? '' },
      );
    else
      waitingFor = keyed(
        fact(
          'unknown',
          wchan ?? '',
          `kernel thread: it runs only in the kernel and makes no system calls${wchan ? `; it sleeps in kernel function ${wchan}` : ''}`,
        ),
        wchan ? 'kernelThreadIn' : 'kernelThread',
        { wchan: wchan ?? '' },
      );
    return { ...base, kernelThread: true, syscall: null, waitingFor, ...unavailable };
  }

  private exists(path: string): boolean {
    try {
      procFs.statSync(path);
      return true;
    } catch (error) {
      classify(error);
      return false;
    }
  }

  private deniedHint(reason: string): string {
    if (reason !== 'EACCES' && reason !== 'EPERM') return '';
    if (this.scope === undefined) this.scope = readPtraceScope(this.procRoot);
    const scope = this.scope;
    const yama =
      scope !== null && scope > 0
        ? `; Yama ptrace_scope is ${scope} (${scope === 1 ? 'only descendants may be inspected' : scope === 2 ? 'only CAP_SYS_PTRACE may inspect' : 'no process may be inspected'})`
        : '';
    return `: reading it needs ptrace-read permission over the process (the same user, or CAP_SYS_PTRACE)${yama}`;
  }

  private interpret(task: Task, sc: ThreadSyscall, wchan: string | null): WaitingFor {
    const name = sc.name ?? `syscall ${sc.nr}`;
    const a = sc.args;
    if (name === 'futex') return this.futex(task, argNumber(a[0]), argNumber(a[1]));
    if (name === 'futex_waitv')
      return keyed(fact('futex', '', 'futex_waitv: waits on several futexes at once; their owners cannot be known'), 'futexWaitv');
    if (READS.has(name) || WRITES.has(name) || name === 'accept' || name === 'accept4' || name === 'connect') {
      return this.fdWait(task, name, argNumber(a[0]));
    }
    if (name === 'flock') return this.lockWait(task, 'flock', argNumber(a[0]), 'flock(LOCK_EX/LOCK_SH)');
    if (name === 'fcntl') {
      const cmd = argNumber(a[1]);
      if (cmd === F_SETLKW) return this.lockWait(task, 'posix-lock', argNumber(a[0]), 'fcntl(F_SETLKW)');
      if (cmd === F_OFD_SETLKW) return this.lockWait(task, 'ofd-lock', argNumber(a[0]), 'fcntl(F_OFD_SETLKW)');
    }
    if (name === 'wait4' || name === 'waitid') return this.childWait(task, name, a);
    if (name === 'semop' || name === 'semtimedop') return this.semWait(argNumber(a[0]));
    if (name === 'msgrcv' || name === 'msgsnd') return this.msgWait(name, argNumber(a[0]));
    if (name === 'nanosleep' || name === 'clock_nanosleep')
      return keyed(fact('sleep', 'timer', `${name}: woken by its timer`), 'sleep', { call: name });
    if (POLLS.has(name)) return this.pollWait(task, name, a);
    if (SIGNALS.has(name)) return keyed(fact('signal', '', `${name}: woken by a signal`), 'signal', { call: name });
    if (ASYNC_IO.has(name)) return keyed(fact('io', wchan ?? '', `${name}: waits for asynchronous I/O to complete`), 'aio', { call: name });
    return keyed(
      fact('unknown', wchan ?? '', `in ${name}${wchan ? `, kernel function ${wchan}` : ''}: ProcScope does not interpret this call`),
      wchan ? 'uninterpretedIn' : 'uninterpreted',
      { call: name, wchan: wchan ?? '' },
    );
  }

  private futex(task: Task, address: number | undefined, rawOp: number | undefined): WaitingFor {
    if (address === undefined || rawOp === undefined) return keyed(fact('futex', '', 'futex: arguments could not be read'), 'futexArgs');
    const object = hex(address);
    const op = rawOp & ~(128 | 256);
    const tids = this.table.procs.get(task.pid)?.tids ?? [];
    if (op === FUTEX_LOCK_PI || op === FUTEX_LOCK_PI2) {
      const mem = readMemory(this.procRoot, task.pid, address, 4);
      if (typeof mem === 'string')
        return keyed(
          fact('futex', object, `FUTEX_LOCK_PI at ${object}: the futex word could not be read from /proc/${task.pid}/mem (${mem})`),
          'piUnreadable',
          { address: object, pid: task.pid, reason: mem },
        );
      const owner = mem.readUInt32LE(0) & FUTEX_TID_MASK;
      if (owner !== 0 && owner !== task.tid && this.liveTid(task.pid, owner, tids)) {
        return keyed(
          fact(
            'mutex',
            object,
            `priority-inheritance futex at ${object}: the futex word holds the owner's thread id ${owner} (low 30 bits), a live thread of this process`,
            [{ pid: task.pid, tid: owner }],
          ),
          'piOwner',
          { address: object, owner },
        );
      }
      return keyed(
        fact(
          'futex',
          object,
          `priority-inheritance futex at ${object}: the futex word (${hex(mem.readUInt32LE(0))}) names no live thread of this process`,
        ),
        'piNoOwner',
        { address: object, word: hex(mem.readUInt32LE(0)) },
      );
    }
    if (op !== FUTEX_WAIT && op !== FUTEX_WAIT_BITSET)
      return keyed(fact('futex', object, `futex op ${op} at ${object}: the waker cannot be known`), 'futexOp', { op, address: object });
    const mem = readMemory(this.procRoot, task.pid, address, MUTEX_OWNER_OFFSET + 4);
    if (typeof mem === 'string')
      return keyed(
        fact('futex', object, `futex wait at ${object}: /proc/${task.pid}/mem could not be read (${mem}), so the owner cannot be known`),
        'futexMemUnreadable',
        { address: object, pid: task.pid, reason: mem },
      );
    const word = mem.readUInt32LE(0);
    const owner = mem.readInt32LE(MUTEX_OWNER_OFFSET);
    // A locked glibc mutex holds 1 or 2 (normal, errorcheck, recursive) or the owner's tid with flag bits
    // (robust); the owner's tid is also kept in __owner, 8 bytes on. Both must agree with a live thread
    // before the word is called a mutex: a condition variable or semaphore has other numbers there.
    const locked = word === 1 || word === 2 || (word & FUTEX_TID_MASK) === owner;
    if (locked && owner > 0 && owner !== task.tid && this.liveTid(task.pid, owner, tids)) {
      return keyed(
        fact(
          'mutex',
          object,
          `futex wait at ${object}, lock word ${word}; as a glibc pthread_mutex_t its __owner field (${object}+${MUTEX_OWNER_OFFSET}) is ${owner}, a live thread of this process`,
          [{ pid: task.pid, tid: owner }],
        ),
        'glibcMutex',
        { address: object, word, offset: MUTEX_OWNER_OFFSET, owner },
      );
    }
    return keyed(
      fact(
        'futex',
        object,
        `futex wait at ${object} (word ${hex(word)}): not a locked glibc mutex with a live owner (a condition variable, semaphore, thread join, or another library), so the thread that will wake it cannot be known`,
      ),
      'futexNotMutex',
      { address: object, word: hex(word) },
    );
  }

  private liveTid(pid: number, tid: number, known: readonly number[]): boolean {
    return known.includes(tid) || this.exists(`${this.procRoot}/${pid}/task/${tid}`);
  }

  private fdWait(task: Task, call: string, fd: number | undefined): WaitingFor {
    if (fd === undefined) return keyed(fact('unknown', '', `${call}: the fd argument could not be read`), 'fdArg', { call });
    const fdPath = `${this.procRoot}/${task.pid}/task/${task.tid}/fd/${fd}`;
    const target = readlinkText(fdPath);
    const writing = WRITES.has(call);
    const pipe = /^pipe:\[(\d+)\]$/.exec(target);
    if (pipe)
      return this.pipeWait(
        task,
        call,
        fd,
        this.ipc().channels.find((c) => c.id === `pipe:${pipe[1]}`),
        `pipe ${pipe[1]}`,
        writing,
        { type: 'pipe', inode: pipe[1]! },
      );
    const sock = /^socket:\[(\d+)\]$/.exec(target);
    if (sock) return this.socketWait(task, call, fd, Number(sock[1]));
    const st = procFs.statSync(fdPath);
    if (st.isFIFO()) {
      const c = this.ipc().channels.find(
        (ch) => ch.kind === 'fifo' && ch.inode === st.ino && ch.id === `fifo:${formatDevice(st.dev)}:${st.ino}`,
      );
      return this.pipeWait(task, call, fd, c, `FIFO ${target}`, writing, { type: 'fifo', path: target });
    }
    return keyed(
      fact('unknown', target, `${call} on fd ${fd} (${target}): not a pipe or socket, the party that can complete it is not known`),
      'notPipeOrSocket',
      { call, fd, target },
    );
  }

  private pipeWait(
    task: Task,
    call: string,
    fd: number,
    c: Channel | undefined,
    object: string,
    writing: boolean,
    bare: WaitObject,
  ): WaitingFor {
    const ref: WaitObject = c ? { type: 'channel', channel: c } : bare;
    const want = writing ? ['read', 'readwrite'] : ['write', 'readwrite'];
    const side = writing ? 'read end' : 'write end';
    if (!c)
      return keyed(
        fact(
          'pipe',
          object,
          `${call} on fd ${fd}, ${object}: not found in the IPC scan, so the holders of its ${side} are not known`,
          [],
          ref,
        ),
        writing ? 'pipeNotFoundWriting' : 'pipeNotFoundReading',
        { call, fd },
      );
    const holders = refs(c.endpoints.filter((e) => want.includes(e.role)).map((e) => e.pid));
    const what = writing
      ? 'writes to a full pipe: a reader must drain it'
      : 'reads an empty pipe: a writer must write (or every write end must close)';
    const partial = this.ipc().unavailablePids.length > 0;
    if (holders.length === 0)
      return keyed(
        fact(
          'pipe',
          object,
          `${call} on fd ${fd} ${what}; no process holds its ${side} in this scan${partial ? ' (some processes could not be read)' : ''}`,
          [],
          ref,
        ),
        writing ? (partial ? 'pipeFullNonePartial' : 'pipeFullNone') : partial ? 'pipeEmptyNonePartial' : 'pipeEmptyNone',
        { call, fd },
      );
    return keyed(
      fact('pipe', object, `${call} on fd ${fd} ${what}; the processes holding its ${side} (fds in /proc/PID/fd) can`, holders, ref),
      writing ? 'pipeFull' : 'pipeEmpty',
      { call, fd },
    );
  }

  private socketWait(task: Task, call: string, fd: number, inode: number): WaitingFor {
    const c = this.ipc().channels.find((ch) => (ch.kind === 'unix' || ch.kind === 'tcp' || ch.kind === 'udp') && ch.inodes.includes(inode));
    if (!c || (c.kind !== 'unix' && c.kind !== 'tcp' && c.kind !== 'udp')) {
      return keyed(
        fact('socket', `socket ${inode}`, `${call} on fd ${fd}, socket ${inode}: not found in the IPC scan`, [], { type: 'socket', inode }),
        'socketNotFound',
        { call, fd, inode },
      );
    }
    const object = c.label;
    const ref: WaitObject = { type: 'channel', channel: c };
    if (call === 'accept' || call === 'accept4') {
      return keyed(
        fact('socket', object, `${call} on the listening socket ${object}: woken by any process that connects`, [], ref),
        'socketAccept',
        { call },
      );
    }
    if (call === 'connect')
      return keyed(fact('socket', object, `connect on ${object}: woken when the other side answers`, [], ref), 'socketConnect');
    // The peer: endpoints of the channel whose fd is the other socket of the pair.
    const peers: number[] = [];
    for (const e of c.endpoints) {
      if (e.fd === null) continue;
      let other: string;
      try {
        other = readlinkText(`${this.procRoot}/${e.pid}/fd/${e.fd}`);
      } catch (error) {
        classify(error);
        continue;
      }
      if (other.startsWith('socket:[') && other !== `socket:[${inode}]`) peers.push(e.pid);
    }
    const verb = WRITES.has(call) ? 'sends on' : 'receives on';
    const sending = WRITES.has(call);
    if (peers.length > 0)
      return keyed(
        fact(
          'socket',
          object,
          `${call}: ${verb} ${object}; the processes holding the other end (matched by socket inode) can wake it`,
          refs(peers),
          ref,
        ),
        sending ? 'socketSendPeers' : 'socketRecvPeers',
        { call },
      );
    if ((c.kind === 'tcp' || c.kind === 'udp') && !c.joined && c.remote && !/^(0\.0\.0\.0|\[::\]):0$/.test(c.remote)) {
      return keyed(
        fact('socket', c.remote, `${call}: ${verb} ${object}; the peer ${c.remote} is not a process on this machine`),
        sending ? 'socketSendRemote' : 'socketRecvRemote',
        { call, remote: c.remote },
      );
    }
    const unknown = c.kind === 'unix' && !c.peerKnown ? ' (the unix peer is unknown: ss found none)' : '';
    return keyed(
      fact('socket', object, `${call}: ${verb} ${object}; no local peer process found${unknown}`, [], ref),
      sending ? 'socketSendNoPeer' : 'socketRecvNoPeer',
      { call },
    );
  }

  private lockWait(task: Task, kind: 'flock' | 'posix-lock' | 'ofd-lock', fd: number | undefined, call: string): WaitingFor {
    if (fd === undefined) return keyed(fact(kind, '', `${call}: the fd argument could not be read`), 'fdArg', { call });
    const st = procFs.statSync(`${this.procRoot}/${task.pid}/task/${task.tid}/fd/${fd}`);
    const device = formatDevice(st.dev);
    const map = this.ipc();
    const locks = new Map(map.channels.filter((c): c is LockChannel => c.kind === 'lock').map((c) => [c.id, c]));
    const edges = map.waitFor.filter((e) => {
      const l = locks.get(e.channelId);
      return e.waiter === task.pid && l !== undefined && l.fileInode === st.ino && l.device === device;
    });
    const lock = edges.length > 0 ? locks.get(edges[0]!.channelId)! : undefined;
    const object = lock ? lock.label : `${device}:${st.ino}`;
    const ref: WaitObject | undefined = lock ? { type: 'channel', channel: lock } : undefined;
    if (edges.length === 0)
      return keyed(
        fact(
          kind,
          object,
          `${call} on fd ${fd}: no holder of a conflicting lock on this file in /proc/locks (it may just have been granted)`,
          [],
          ref,
        ),
        'lockNoHolder',
        { call, fd },
      );
    return keyed(
      fact(
        kind,
        object,
        `${call} on fd ${fd}: /proc/locks lists this process waiting behind the holder of a conflicting lock`,
        refs(edges.map((e) => e.holder)),
        ref,
      ),
      'lockBehind',
      { call, fd },
    );
  }

  private childWait(task: Task, call: string, a: readonly string[]): WaitingFor {
    const self = this.table.procs.get(task.pid);
    const children = self ? this.table.children(self) : [];
    let which: Proc[];
    let object: string;
    let ref: WaitObject;
    if (call === 'wait4') {
      const pid = argSigned(a[0], 32) ?? -1n;
      if (pid > 0n) {
        which = children.filter((c) => BigInt(c.pid) === pid);
        object = `child ${pid}`;
        ref = { type: 'child', pid: String(pid) };
      } else if (pid === -1n) {
        which = children;
        object = 'any child';
        ref = { type: 'anyChild' };
      } else {
        const pgrp = pid === 0n ? this.table.procs.get(task.pid)?.stat.pgrp : Number(-pid);
        which = children.filter((c) => c.stat.pgrp === pgrp);
        object = `any child in process group ${pgrp}`;
        ref = { type: 'childGroup', pgrp: String(pgrp) };
      }
    } else {
      const idtype = argNumber(a[0]);
      const id = Number(argSigned(a[1], 32) ?? -1n);
      // P_ALL 0, P_PID 1, P_PGID 2, P_PIDFD 3 (include/uapi/linux/wait.h)
      if (idtype === 1) {
        which = children.filter((c) => c.pid === id);
        object = `child ${id}`;
        ref = { type: 'child', pid: String(id) };
      } else if (idtype === 2) {
        const pgrp = id === 0 ? this.table.procs.get(task.pid)?.stat.pgrp : id;
        which = children.filter((c) => c.stat.pgrp === pgrp);
        object = `any child in process group ${pgrp}`;
        ref = { type: 'childGroup', pgrp: String(pgrp) };
      } else if (idtype === 3) {
        which = [];
        object = `child by pidfd ${id}`;
        ref = { type: 'childPidfd', fd: id };
      } else {
        which = children;
        object = 'any child';
        ref = { type: 'anyChild' };
      }
    }
    const zombies = which.filter((c) => c.stat.state === 'Z').length;
    if (which.length === 0)
      return keyed(
        fact(
          'child',
          object,
          `${call}: no matching child of this process was found (children are processes whose parent is ${task.pid})`,
          [],
          ref,
        ),
        'childNone',
        { call, parent: task.pid },
      );
    return keyed(
      fact(
        'child',
        object,
        `${call}: woken when one of these children (parent ${task.pid} in /proc/PID/stat) exits or stops${zombies > 0 ? `; ${zombies} already exited and await reaping` : ''}`,
        refs(which.map((c) => c.pid)),
        ref,
      ),
      zombies > 0 ? 'childZombies' : 'child',
      { call, parent: task.pid, zombies },
    );
  }

  private semWait(semid: number | undefined): WaitingFor {
    const c = semid === undefined ? undefined : this.ipc().channels.find((ch) => ch.kind === 'sysv-sem' && ch.semid === semid);
    const object = c ? c.label : `SysV semaphore set ${semid ?? '?'}`;
    const ref: WaitObject = c ? { type: 'channel', channel: c } : { type: 'semSet', semid: semid ?? null };
    return keyed(
      fact(
        'semaphore',
        object,
        `semop on set ${semid ?? '?'}: woken when another process changes its value; /proc/sysvipc/sem names no processes (the last one to operate, sempid, needs semctl(GETPID)), so who will is not known`,
        [],
        ref,
      ),
      'semop',
      { semid: semid ?? '?' },
    );
  }

  private msgWait(call: string, msqid: number | undefined): WaitingFor {
    const c = msqid === undefined ? undefined : this.ipc().channels.find((ch) => ch.kind === 'sysv-msg' && ch.msqid === msqid);
    if (!c || c.kind !== 'sysv-msg')
      return keyed(
        fact('msgqueue', `SysV msg queue ${msqid ?? '?'}`, `${call} on queue ${msqid ?? '?'}: not found in /proc/sysvipc/msg`, [], {
          type: 'msgQueue',
          msqid: msqid ?? null,
        }),
        'msgNotFound',
        { call, msqid: msqid ?? '?' },
      );
    const last = `last msgsnd by pid ${c.lastSendPid || 'none'}, last msgrcv by pid ${c.lastRecvPid || 'none'} (/proc/sysvipc/msg)`;
    const what = call === 'msgrcv' ? `waits for a message (${c.messages} queued)` : `waits for room in the queue (${c.bytes} bytes queued)`;
    return keyed(
      fact('msgqueue', c.label, `${call} ${what}; any process with access can wake it; ${last}`, [], { type: 'channel', channel: c }),
      call === 'msgrcv' ? 'msgrcv' : 'msgsnd',
      { call, messages: c.messages, bytes: c.bytes, send: c.lastSendPid || '-', recv: c.lastRecvPid || '-' },
    );
  }

  private pollWait(task: Task, call: string, a: readonly string[]): WaitingFor {
    if (call.startsWith('epoll')) {
      const epfd = argNumber(a[0]);
      try {
        const info = readProcText(`${this.procRoot}/${task.pid}/fdinfo/${epfd}`);
        const fds = [...info.matchAll(/^tfd:\s*(\d+)/gm)].map((m) => m[1]);
        return keyed(
          fact(
            'poll',
            `epoll fd ${epfd}: fds ${fds.join(',') || 'none'}`,
            `${call} on epoll fd ${epfd}; the watched fds are the tfd lines of /proc/${task.pid}/fdinfo/${epfd}; woken when one is ready or by its timeout`,
            [],
            { type: 'epoll', epfd: epfd ?? null, fds: fds.map(String) },
          ),
          'epoll',
          { call, epfd: epfd ?? '?', pid: task.pid },
        );
      } catch (error) {
        if (classify(error) === 'gone') throw error;
        return keyed(
          fact('poll', `epoll fd ${epfd}`, `${call} on epoll fd ${epfd}; its fdinfo could not be read (${reasonOf(error)})`, [], {
            type: 'epoll',
            epfd: epfd ?? null,
            fds: null,
          }),
          'epollUnreadable',
          { call, epfd: epfd ?? '?', reason: reasonOf(error) },
        );
      }
    }
    if (call === 'poll' || call === 'ppoll') {
      const address = argNumber(a[0]);
      const nfds = argNumber(a[1]) ?? 0;
      const n = Math.min(nfds, MAX_POLLFDS);
      if (address !== undefined && n > 0) {
        const mem = readMemory(this.procRoot, task.pid, address, n * 8);
        if (typeof mem !== 'string') {
          const fds: number[] = [];
          for (let i = 0; i < n; i++) fds.push(mem.readInt32LE(i * 8));
          return keyed(
            fact(
              'poll',
              `fds ${fds.join(',')}${nfds > n ? ',…' : ''}`,
              `${call} on ${nfds} fds (struct pollfd array read from /proc/${task.pid}/mem); woken when one is ready or by its timeout`,
            ),
            'pollFds',
            { call, nfds, pid: task.pid },
          );
        }
        return keyed(fact('poll', `${nfds} fds`, `${call} on ${nfds} fds; the fd array could not be read (${mem})`), 'pollFdsUnreadable', {
          call,
          nfds,
          reason: mem,
        });
      }
    }
    return keyed(fact('poll', '', `${call}: woken when a polled fd is ready or by its timeout (the fd sets are not read)`), 'pollSets', {
      call,
    });
  }
}

/**
 * Cycles of the wait-for graph, thread by thread. A thread is stuck when every party that could wake it is
 * itself stuck (a pipe with two writers needs both blocked); a process as a party means each of its threads.
 * Only stuck threads form cycles, so a chain that ends in a thread that can still run is never one.
 */
export function findWaitCycles(
  threads: readonly ThreadWait[],
  procs: ReadonlyMap<number, { readonly tids: readonly number[] }>,
): { pid: number; tid: number }[][] {
  const key = (pid: number, tid: number): string => `${pid}/${tid}`;
  const targets = new Map<string, string[]>();
  const node = new Map<string, { pid: number; tid: number }>();
  for (const th of threads) {
    const holders = th.waitingFor?.holders ?? [];
    const out: string[] = [];
    for (const h of holders) {
      const tids = h.tid !== null ? [h.tid] : (procs.get(h.pid)?.tids ?? []);
      for (const tid of tids) if (!(h.pid === th.pid && tid === th.tid)) out.push(key(h.pid, tid));
    }
    if (out.length === 0) continue;
    const k = key(th.pid, th.tid);
    targets.set(k, [...new Set(out)]);
    node.set(k, { pid: th.pid, tid: th.tid });
  }
  const stuck = new Set(targets.keys());
  for (let changed = true; changed;) {
    changed = false;
    for (const k of stuck) {
      if (targets.get(k)!.every((t) => stuck.has(t))) continue;
      stuck.delete(k);
      changed = true;
    }
  }
  const out = new Map<string, { from: string; to: string }[]>();
  for (const k of [...stuck].sort(compareKeys))
    out.set(
      k,
      targets
        .get(k)!
        .filter((t) => stuck.has(t))
        .sort(compareKeys)
        .map((to) => ({ from: k, to })),
    );
  return cyclesOf(out, (e) => e.to, compareKeys).map((cycle) => cycle.map((e) => node.get(e.from)!));
}

function compareKeys(a: string, b: string): number {
  const [ap, at] = a.split('/').map(Number);
  const [bp, bt] = b.split('/').map(Number);
  return ap! - bp! || at! - bt!;
}
