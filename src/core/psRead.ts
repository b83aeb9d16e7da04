// What `procscope ps` reads from /proc, and nothing more: the one-shot reader behind its table.
//
// The panel's sampler (src/core/sampler.ts) reads for a live view: every field of ProcessInfo, files kept
// open between polls, the leader's task/PID/stat as well as /proc/PID/stat. A one-shot `ps` prints 13
// columns once, so it reads per process `stat` (most columns), `status` (the effective uid and the exact
// VmRSS procps prints) and `cmdline`, and per extra thread only task/TID/stat: the leader's row comes from
// /proc/PID/stat, which holds the same task's CPU, start time and last CPU. What it keeps is numbers in one
// flat array and one string per process, not objects per task: at thousands of tasks the objects, and the
// garbage they become, cost more than the parsing.
//
// The columns it yields are the same, value for value, as psRows() over a ProcSampler snapshot (the panel's
// "copy as ps" and the command before this reader existed): test/unit/psRead.test.ts compares the two.
import { classify, ProcScopeError, reasonOf } from './errors';
import type { HiddenTasks, StateLetter } from './model';
import { mostActive } from './model';
import { decodeBytes, parseCmdline } from './procfs/decode';
import { procFs, readWholeGrowing, taskDirNames, taskIds } from './procfs/procFs';
import { nameBounds, parseStat, plausibleTimes, type StatFields } from './procfs/stat';
import { checkProcRoot, hiddenTasks } from './procRoot';
import { commandLineText } from './psFormat';
import { readBootTime, readPageSize } from './system';
import { pidOfEntry } from '../shared/processKey';

/** What a reading of `root` starts from, with the sampler's errors for a root that is not a usable procfs. */
export interface PsStart {
  readonly bootTime: number;
  readonly pageSize: number;
  /** The entries of the root, in readdir order (process directories and the rest). */
  readonly names: string[];
  /** The root is a mounted procfs (not a copied tree): see PsReader's ownerIsEuid. */
  readonly live: boolean;
}

/** PROC_SUPER_MAGIC from include/uapi/linux/magic.h: the file-system type statfs reports for a procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;

export function startPsReading(root: string): PsStart {
  checkProcRoot(root);
  let bootTime: number;
  let pageSize: number;
  try {
    bootTime = readBootTime(root);
    pageSize = readPageSize(root);
  } catch (error) {
    throw new ProcScopeError('NO_PROCFS', `no usable procfs at ${root}: ${(error as Error).message}`);
  }
  let names: string[];
  try {
    names = procFs.readdirSync(root);
  } catch (error) {
    throw new ProcScopeError('NO_PROCFS', `cannot list ${root}: ${(error as Error).message}`);
  }
  let live = false;
  try {
    live = procFs.statfsSync(root).type === PROC_SUPER_MAGIC;
  } catch (error) {
    classify(error); // then it is read like a copied tree
  }
  return { bootTime, pageSize, names, live };
}

/**
 * What the reading left out, as the sampler reports it: processes whose stat could not be read, by reason
 * (batches in reading order); under hidepid=2 (invisible) the tasks /proc did not even list, counted from
 * loadavg (not for root, which sees through hidepid).
 */
export function psHiddenTasks(root: string, batches: readonly PsBatch[]): HiddenTasks[] {
  const failures = new Map<string, number>();
  for (const b of batches) for (const reason of b.failures) failures.set(reason, (failures.get(reason) ?? 0) + 1);
  return hiddenTasks(root, failures, () => {
    let seen = 0;
    for (const b of batches) {
      const nums = b.nums;
      for (let i = 0; i < nums.length; i += PROCESS_FIELDS + nums[i + 7]! * THREAD_FIELDS) seen += Math.max(1, nums[i + 3]!);
    }
    return seen;
  });
}

/**
 * What a reader found in a run of process directories. Per process, in `nums`: PID, PPID, EUID (-1 when its
 * status could not be read), NLWP, VSIZE (bytes), RSS (bytes), TTY_NR, ROWS, then ROWS times TID, CPU (utime +
 * stime, clock ticks), START (clock ticks after boot), PSR; in `cmds` its CMD text.
 */
export interface PsBatch {
  readonly nums: number[];
  readonly cmds: string[];
  /** Why a process's stat could not be read (the process is then left out), one entry per process, in order. */
  readonly failures: string[];
}

export const PROCESS_FIELDS = 8;
export const THREAD_FIELDS = 4;

export function emptyBatch(): PsBatch {
  return { nums: [], cmds: [], failures: [] };
}

/** Scratch for one stat line: field n of man 5 proc at index n - 4 (state excluded). */
const FIELDS = new Float64Array(38);
const F_PPID = 0;
const F_TTY_NR = 3;
const F_UTIME = 10;
const F_STIME = 11;
const F_NUM_THREADS = 16;
const F_STARTTIME = 18;
const F_VSIZE = 19;
const F_RSS = 20;
const F_PROCESSOR = 35;

/**
 * The numeric fields of a stat line into FIELDS; returns the index of the `)` closing the name, or -1 for
 * content parseStat (src/core/procfs/stat.ts) would refuse: the same acceptance, without building an object.
 */
function scanStat(buf: Buffer, length: number): number {
  const bounds = nameBounds(buf, length);
  if (!bounds) return -1;
  const close = bounds[1];
  let i = close + 2;
  if (i >= length) return -1;
  i += 2;
  let count = 0;
  while (i < length && count < 38) {
    let neg = false;
    if (buf[i] === 0x2d) {
      neg = true;
      i++;
    }
    let v = 0;
    while (i < length) {
      const c = buf[i]!;
      if (c === 0x20 || c === 0x0a) break;
      v = v * 10 + (c - 48);
      i++;
    }
    FIELDS[count++] = neg ? -v : v;
    i++;
  }
  return count < 38 || !plausibleTimes(FIELDS[F_UTIME]!, FIELDS[F_STIME]!, FIELDS[F_STARTTIME]!) ? -1 : close;
}

const STATES = new Set<string>(['R', 'S', 'D', 'T', 't', 'X', 'Z', 'P', 'I', 'W', 'K', 'x']);

/**
 * From status, what parseStatusSummary gives `ps`: the effective uid (second number of `Uid:`), -1 when the
 * content is not a status (no `Uid:` and `Gid:` line with two numbers each); VmRSS in kB, -1 when absent
 * (kernel threads). Scans the text for the three line starts instead of testing every line for five keys.
 */
function scanStatus(text: string, out: { euid: number; vmRssKb: number }): void {
  out.euid = -1;
  out.vmRssKb = -1;
  const uid = numbersAfter(text, 'Uid:');
  const gid = numbersAfter(text, 'Gid:');
  if (uid === null || uid.length < 2 || gid === null || gid.length < 2) return;
  out.euid = uid[1]!;
  const rss = numbersAfter(text, 'VmRSS:');
  if (rss !== null) out.vmRssKb = rss[0] ?? 0;
}

/**
 * The whitespace-separated unsigned integers on the last line starting with `key` (tokens that are not
 * numbers, such as `kB`, skipped), or null when no line starts with it: statusSummary.ts's reading.
 */
function numbersAfter(text: string, key: string): number[] | null {
  let at = text.lastIndexOf(`\n${key}`);
  if (at >= 0) at += 1 + key.length;
  else if (text.startsWith(key)) at = key.length;
  else return null;
  const out: number[] = [];
  let i = at;
  const n = text.length;
  while (i < n && text.charCodeAt(i) !== 0x0a) {
    let c = text.charCodeAt(i);
    while (i < n && (c === 0x20 || c === 0x09)) c = text.charCodeAt(++i);
    if (i >= n || c === 0x0a) break;
    let v = 0;
    let digits = 0;
    while (i < n && c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = text.charCodeAt(++i);
      digits++;
    }
    if (digits === 0) {
      while (i < n && c !== 0x0a && c !== 0x20 && c !== 0x09) c = text.charCodeAt(++i);
      continue;
    }
    out.push(v);
  }
  return out;
}

/** The second space-separated number of a line (statm's resident pages), -1 when there is none. */
function secondNumber(buf: Buffer, length: number): number {
  let i = 0;
  while (i < length && buf[i] !== 0x20) i++;
  i++;
  let v = 0;
  let digits = 0;
  for (; i < length; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? v : -1;
}

/**
 * A command line as psRows joins it (commandLineText): the arguments with single spaces, a newline as a
 * space, the NULs at the end (a last argument's, a rewritten title's padding) left out, `?` when there is
 * nothing but NULs. `length` is above 0 (an empty file is no command line).
 */
function joinCmdline(buf: Buffer, length: number): string {
  let end = length;
  while (end > 0 && buf[end - 1] === 0) end--;
  if (end === 0) return '?';
  let ascii = true;
  for (let i = 0; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return commandLineText(parseCmdline(buf, end))!;
  let text = buf.toString('latin1', 0, end);
  if (text.indexOf('\0') >= 0) text = text.replaceAll('\0', ' ');
  if (text.indexOf('\n') >= 0) text = text.replaceAll('\n', ' ');
  return text;
}

/** Reads process directories into a PsBatch with one reused buffer; one instance per thread. */
export class PsReader {
  private buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  private readonly status = { euid: -1, vmRssKb: -1 };

  /**
   * @param ownerIsEuid the root is a live procfs, where the owner of /proc/PID is the process's effective uid
   *   (the kernel keeps it so for that directory even when the process is not dumpable and its files are
   *   root's, so that stat() of it answers what `Uid:` in status would): one stat and the small `statm`
   *   instead of generating and scanning `status`. A copied tree (a fixture) has its copier's owner there,
   *   so it is read from status as before.
   */
  constructor(
    private readonly root: string,
    private readonly pageSize: number,
    private readonly ownerIsEuid: boolean,
  ) {}

  /** Appends the processes named `names[from..to)` (entries of the procfs root; non-numeric ones skipped). */
  readRange(names: readonly string[], from: number, to: number, out: PsBatch): void {
    for (let k = from; k < to; k++) {
      const pid = pidOfEntry(names[k]!);
      if (pid !== undefined) this.readProcess(pid, out);
    }
  }

  private readProcess(pid: number, out: PsBatch): void {
    const base = `${this.root}/${pid}`;
    let length: number;
    try {
      length = this.readOnce(`${base}/stat`);
    } catch (error) {
      if (classify(error) !== 'gone') out.failures.push(reasonOf(error));
      return;
    }
    const close = scanStat(this.buf, length);
    if (close < 0) {
      out.failures.push('unexpected content');
      return;
    }
    const stateChar = String.fromCharCode(this.buf[close + 2]!);
    const state = STATES.has(stateChar) ? stateChar : '?';
    const numThreads = FIELDS[F_NUM_THREADS]!;
    if (state === 'Z' && numThreads > 1) {
      this.readLeaderZombie(pid, parseStat(this.buf, length)!, out);
      return;
    }
    const open = nameBounds(this.buf, length)![0];
    // Needed only for a process without a command line (kernel threads, zombies), but the buffer is reused.
    let ascii = true;
    for (let i = open + 1; i < close; i++) {
      if (this.buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    const comm = ascii ? this.buf.toString('latin1', open + 1, close) : decodeBytes(this.buf, open + 1, close);
    const ppid = FIELDS[F_PPID]!;
    const ttyNr = FIELDS[F_TTY_NR]!;
    const cpu = FIELDS[F_UTIME]! + FIELDS[F_STIME]!;
    const start = FIELDS[F_STARTTIME]!;
    const vsize = FIELDS[F_VSIZE]!;
    const statRss = FIELDS[F_RSS]!;
    const processor = FIELDS[F_PROCESSOR]!;

    const status = this.readStatus(base);
    if (status === undefined) return; // gone while being read: left out, as the sampler drops a half-read process
    let cmd: string | null;
    try {
      const n = this.readWhole(`${base}/cmdline`);
      cmd = n === 0 ? null : joinCmdline(this.buf, n);
    } catch (error) {
      if (classify(error) === 'gone') return;
      cmd = null;
    }
    if (cmd === null) cmd = state === 'Z' ? `[${comm}] <defunct>` : `[${comm}]`;

    const nums = out.nums;
    const at = nums.length;
    const rss = status.vmRssKb >= 0 ? status.vmRssKb * 1024 : statRss * this.pageSize;
    nums.push(pid, ppid, status.euid, numThreads, vsize, rss, ttyNr, 0);
    out.cmds.push(cmd);
    if (numThreads <= 1) {
      nums.push(pid, cpu, start, processor);
      nums[at + 7] = 1;
      return;
    }
    let rows = 0;
    for (const tid of this.listTasks(base, pid)) {
      if (tid === pid) {
        nums.push(pid, cpu, start, processor);
        rows++;
        continue;
      }
      let n: number;
      try {
        n = this.readOnce(`${base}/task/${tid}/stat`);
      } catch (error) {
        classify(error);
        continue;
      }
      if (scanStat(this.buf, n) < 0) continue;
      nums.push(tid, FIELDS[F_UTIME]! + FIELDS[F_STIME]!, FIELDS[F_STARTTIME]!, FIELDS[F_PROCESSOR]!);
      rows++;
    }
    nums[at + 7] = rows;
  }

  /**
   * A leader that called pthread_exit is a zombie while its process lives on in other threads; the sampler
   * takes the process's state and memory from a live thread and its command line from one when the leader's
   * is empty. Rare, so read here with the sampler's own parser and in its order.
   */
  private readLeaderZombie(pid: number, st: StatFields, out: PsBatch): void {
    const base = `${this.root}/${pid}`;
    const status = this.readStatus(base);
    if (status === undefined) return;
    let args: string[] | null;
    try {
      const n = this.readWhole(`${base}/cmdline`);
      args = parseCmdline(this.buf, n);
    } catch (error) {
      if (classify(error) === 'gone') return;
      args = null;
    }
    const threads: { tid: number; state: StateLetter; cpu: number; start: number; processor: number }[] = [];
    let live: { vsize: number; rss: number } | null = null;
    for (const tid of this.listTasks(base, pid)) {
      let n: number;
      try {
        n = this.readOnce(`${base}/task/${tid}/stat`);
      } catch (error) {
        classify(error);
        continue;
      }
      const t = parseStat(this.buf, n);
      if (!t) continue;
      if (tid !== pid && live === null && t.state !== 'Z' && t.state !== 'X' && t.state !== 'x') live = { vsize: t.vsize, rss: t.rss };
      threads.push({
        tid,
        state: t.state,
        cpu: tid === pid ? st.utime + st.stime : t.utime + t.stime,
        start: t.starttime,
        processor: t.processor,
      });
    }
    const liveThread = mostActive(threads.filter((t) => t.tid !== pid));
    const state = liveThread ? liveThread.state : st.state;
    if (args === null || args.length === 0) {
      args = null;
      if (liveThread !== undefined) {
        try {
          const n = this.readWhole(`${base}/task/${liveThread.tid}/cmdline`);
          args = parseCmdline(this.buf, n);
        } catch (error) {
          classify(error);
        }
      }
    }
    const cmd = (args && commandLineText(args)) ?? (state === 'Z' ? `[${st.comm}] <defunct>` : `[${st.comm}]`);
    out.nums.push(
      pid,
      st.ppid,
      status.euid,
      st.numThreads,
      live ? live.vsize : st.vsize,
      (live ? live.rss : st.rss) * this.pageSize,
      st.ttyNr,
      threads.length,
    );
    for (const t of threads) out.nums.push(t.tid, t.cpu, t.start, t.processor);
    out.cmds.push(cmd);
  }

  /**
   * euid and VmRSS; undefined when the process is gone. What cannot be read is left unknown (-1): the user
   * shows as `?` and RSS comes from stat, as the sampler does for an unreadable status.
   */
  private readStatus(base: string): { euid: number; vmRssKb: number } | undefined {
    const out = this.status;
    if (this.ownerIsEuid) {
      try {
        out.euid = procFs.statSync(base).uid;
      } catch (error) {
        if (classify(error) === 'gone') return undefined;
        out.euid = -1;
      }
      out.vmRssKb = -1;
      try {
        // statm's second number: resident pages, the same sum of the mm's counters as VmRSS in status.
        const n = this.readOnce(`${base}/statm`);
        const resident = secondNumber(this.buf, n);
        if (resident >= 0) out.vmRssKb = (resident * this.pageSize) / 1024;
      } catch (error) {
        if (classify(error) === 'gone') return undefined;
      }
      return out;
    }
    try {
      const n = this.readWhole(`${base}/status`);
      scanStatus(this.buf.toString('latin1', 0, n), out);
    } catch (error) {
      if (classify(error) === 'gone') return undefined;
      out.euid = -1;
      out.vmRssKb = -1;
    }
    return out;
  }

  private listTasks(base: string, pid: number): number[] {
    let names: string[];
    try {
      names = taskDirNames(`${base}/task`, pid);
    } catch (error) {
      classify(error); // gone, refused or failed: the process is shown without rows, as by the sampler
      return [];
    }
    return taskIds(names);
  }

  /** One read of a small file (a stat line) into the buffer. */
  private readOnce(path: string): number {
    const fd = procFs.openSync(path, 'r');
    try {
      return procFs.readSync(fd, this.buf, 0, this.buf.length, 0);
    } finally {
      procFs.closeSync(fd);
    }
  }

  /** A whole file into the buffer, growing it for long command lines and status files (procfs reports size 0). */
  private readWhole(path: string): number {
    const read = readWholeGrowing(path, this.buf);
    this.buf = read.buf;
    return read.length;
  }
}

/** What `procscope ps` gives its second reading thread (a worker thread's workerData). */
export interface PsWorkerData {
  readonly kind: 'procscope-ps';
  readonly root: string;
  readonly pageSize: number;
  readonly live: boolean;
  readonly names: readonly string[];
  /** Int32 [0]: the next run to take, shared by both threads. */
  readonly claims: SharedArrayBuffer;
  readonly run: number;
  /** Post 'ready' before reading (the main thread then waits for it, so both read from the start). */
  readonly sayReady?: boolean;
}

/** What the worker sends back once the counter is past the last run: each run it read, by index. */
export type PsWorkerResult = readonly { readonly index: number; readonly batch: PsBatch }[];

/** Takes and reads runs until none is left; the main thread does the same with its own reader. */
export function readClaimedRuns(
  reader: PsReader,
  data: Pick<PsWorkerData, 'names' | 'claims' | 'run'>,
): { index: number; batch: PsBatch }[] {
  const claims = new Int32Array(data.claims);
  const out: { index: number; batch: PsBatch }[] = [];
  for (;;) {
    const index = Atomics.add(claims, 0, 1);
    const from = index * data.run;
    if (from >= data.names.length) return out;
    const batch = emptyBatch();
    reader.readRange(data.names, from, Math.min(data.names.length, from + data.run), batch);
    out.push({ index, batch });
  }
}
