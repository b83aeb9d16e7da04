// procscope ps [--json] [--proc-root DIR]: every thread in the columns of `ps -eLF`.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { cColumn, formatCpuTime, formatStime, psCommandShown, PS_COLUMNS, type PsRow } from '../core/psFormat';
import { countAllTasks } from '../core/procRoot';
import {
  emptyBatch,
  PROCESS_FIELDS,
  psHiddenTasks,
  PsReader,
  readClaimedRuns,
  startPsReading,
  THREAD_FIELDS,
  type PsBatch,
  type PsWorkerData,
  type PsWorkerResult,
} from '../core/psRead';
import { CLOCK_TICKS } from '../core/system';
import { TtyNames } from '../core/tty';
import { UserNames } from '../core/users';
import type { HiddenTasks } from '../core/model';
import { visible } from '../shared/visible';
import { checkProcRoot, hiddenNotes, parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';
import { PS_WORKER_SOURCE } from './psWorkerSource';
import { t } from './messages';
import { procFs } from '../core/procfs/procFs';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, 'ps');
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  try {
    const procRoot = v['proc-root'];
    if (procRoot !== undefined) checkProcRoot(procRoot);
    else if (process.platform !== 'linux') {
      io.err(`procscope: ${t('error.psPortable')}\n`);
      return EXIT.noProcfs;
    }
    const readers = readersFromEnv();
    const table = await readPsTable(
      procRoot ?? '/proc',
      readers,
      readers === 'together' ? (w, runs) => io.err(`procscope: ${t('ps.secondReader', { w, runs })}\n`) : undefined,
    );
    if (v.json) io.out(`${JSON.stringify(table.rows(), null, 2)}\n`);
    else if (io.outBytes) for (const piece of table.bytes()) io.outBytes(piece);
    else io.out(table.text());
    // On stderr: stdout stays row for row what procps prints (it says nothing of what it could not see).
    for (const note of hiddenNotes(table.hidden)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

/** The table of one reading of `root`: its columns, cell by cell, and what the reading could not see. */
export interface PsTable {
  /** Rows as psRows() gives them (CMD with its control characters as the command line holds them), for --json. */
  rows(): PsRow[];
  /** The text ps -eLF would print: columns padded, control characters of CMD as `?` as ps prints them, other OS text escaped. */
  text(): string;
  /** The same text as UTF-8, in pieces of about a mebibyte. */
  bytes(): Buffer[];
  readonly hidden: readonly HiddenTasks[] | undefined;
}

/** Processes per run a reader takes from the shared counter: small, so neither thread waits long for the other. */
const RUN = 32;
/**
 * When a second thread reads along: from TASKS_FOR_WORKER tasks on the machine (loadavg's count) if /proc
 * lists at least MIN_PROCESSES_FOR_WORKER processes, and only while a core is idle (the 1-minute load
 * average below the cores less one). Below that size, starting a worker thread (about 30 ms before it reads
 * its first file) costs more than the half of the reading it takes over; on a busy machine the two threads
 * only take turns on the same cores and the worker's start-up is pure cost. Even on two idle cores the two
 * threads read only about 1.15 times as fast as one (measured in docs/PERFORMANCE.md).
 */
const TASKS_FOR_WORKER = 2500;
const MIN_PROCESSES_FOR_WORKER = 200;

/**
 * `PROCSCOPE_PS_READERS=1` or `2` fixes the number of reading threads, for tests. With 2 the main thread waits
 * until the worker has started, so both read from the first run (slower than the default, which never
 * waits), and the command says on stderr how many runs the second thread read. Any other value is ignored.
 */
function readersFromEnv(): 'auto' | 'together' | 'never' {
  const readers = process.env.PROCSCOPE_PS_READERS;
  return readers === '2' ? 'together' : readers === '1' ? 'never' : 'auto';
}

/**
 * Reads `root` for `ps`. On a large machine (see TASKS_FOR_WORKER) a worker thread reads along: both take
 * runs of 32 entries from one shared counter, and the runs are put back in order, so the table (and the
 * order of the reasons in `hidden`) is the same as one thread reading all. `parallel` forces it either way
 * (for tests and benchmarks): `always` starts the worker and reads on at once, `together` waits until the
 * worker has started; `report` hears how many runs the worker read.
 */
export async function readPsTable(
  root: string,
  parallel: 'auto' | 'always' | 'together' | 'never' = 'auto',
  report?: (workerRuns: number, runs: number) => void,
): Promise<PsTable> {
  const { bootTime, pageSize, names, live } = startPsReading(root);
  const runs = Math.ceil(names.length / RUN);
  const shared: Pick<PsWorkerData, 'names' | 'claims' | 'run'> = { names, claims: new SharedArrayBuffer(4), run: RUN };
  const worker =
    parallel === 'always' || parallel === 'together' || (parallel === 'auto' && worthAWorker(root, names))
      ? await startWorker({ kind: 'procscope-ps', root, pageSize, live, ...shared, sayReady: parallel === 'together' })
      : undefined;
  if (worker && parallel === 'together') await worker.ready;
  const reader = new PsReader(root, pageSize, live);
  const batches: (PsBatch | undefined)[] = new Array<PsBatch | undefined>(runs);
  const mine = readClaimedRuns(reader, shared);
  for (const { index, batch } of mine) batches[index] = batch;
  let workerRuns = 0;
  if (worker) {
    if (mine.length === runs)
      void worker.terminate(); // it started too late to take any run
    else
      for (const { index, batch } of (await worker.result) ?? []) {
        batches[index] = batch;
        workerRuns++;
      }
  }
  report?.(workerRuns, runs);
  // Runs a failed worker took and did not give back are read here.
  for (let i = 0; i < runs; i++) {
    if (batches[i]) continue;
    const batch = emptyBatch();
    reader.readRange(names, i * RUN, Math.min(names.length, (i + 1) * RUN), batch);
    batches[i] = batch;
  }
  const all = batches as PsBatch[];
  const hidden = psHiddenTasks(root, all);
  const now = Date.now();
  const uptime = readUptime(root) ?? (now - bootTime) / 1000;
  return buildTable(all, { root, bootTime, pageSize, now, uptime, hidden });
}

function worthAWorker(root: string, names: readonly string[]): boolean {
  let processes = 0;
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) processes++;
  }
  if (processes < MIN_PROCESSES_FOR_WORKER || (countAllTasks(root) ?? 0) < TASKS_FOR_WORKER) return false;
  return loadavg()[0]! < availableParallelism() - 1;
}

/**
 * The worker thread. In the bundle it runs PS_WORKER_SOURCE, the reader alone bundled into a string at build
 * time (a worker that loaded this whole file would start reading about 15 ms later); run from the TypeScript
 * sources, psWorkerThread.ts through tsx. Its result is undefined when it failed (could not start, threw,
 * exited early): the main thread then reads what it had taken.
 */
async function startWorker(data: PsWorkerData): Promise<
  | {
      /** Settles once the worker said 'ready' (when data.sayReady), or failed. */
      ready: Promise<void>;
      result: Promise<PsWorkerResult | undefined>;
      terminate(): Promise<number>;
    }
  | undefined
> {
  // Loaded here, not with the command: most runs of ps (and every other command) start no thread.
  const { Worker } = await import('node:worker_threads');
  let worker: Worker;
  try {
    if (PS_WORKER_SOURCE !== undefined) worker = new Worker(PS_WORKER_SOURCE, { eval: true, workerData: data });
    else {
      const file = JSON.stringify(join(__dirname, 'psWorkerThread.ts'));
      const source = `const r = require('node:module').createRequire(${file}); r('tsx/cjs'); r(${file});`;
      worker = new Worker(source, { eval: true, workerData: data });
    }
  } catch {
    return undefined;
  }
  let ready!: () => void;
  const readySaid = new Promise<void>((resolve) => (ready = resolve));
  const result = new Promise<PsWorkerResult | undefined>((resolve) => {
    worker.on('message', (m: PsWorkerResult | 'ready') => {
      if (m === 'ready') return ready();
      ready();
      resolve(m);
    });
    const failed = (): void => {
      ready();
      resolve(undefined);
    };
    worker.once('error', failed);
    worker.once('exit', failed);
  });
  return { ready: readySaid, result, terminate: () => worker.terminate() };
}

interface TableFacts {
  readonly root: string;
  readonly bootTime: number;
  readonly pageSize: number;
  /** When the reading ended (ms since the epoch): STIME shows a time, a date or a year by its calendar day. */
  readonly now: number;
  /** Seconds since boot, the clock procps computes C from. */
  readonly uptime: number;
  readonly hidden: HiddenTasks[];
}

/**
 * `fn` once per distinct argument: every thread of a process repeats its command line, user and tty, and at
 * thousands of threads escaping the same text again was a visible part of the command's time.
 */
function remembered<K>(fn: (key: K) => string): (key: K) => string {
  const seen = new Map<K, string>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = fn(key);
      seen.set(key, value);
    }
    return value;
  };
}

/** A printed process's own columns, the same on each of its rows; its threads' rows are [first, first + count). */
interface ProcessCells {
  readonly uid: string;
  readonly pid: string;
  readonly ppid: string;
  readonly nlwp: string;
  readonly sz: string;
  readonly rss: string;
  readonly tty: string;
  readonly cmd: string;
  readonly first: number;
  readonly count: number;
}

/**
 * The cells in pid order and, within a process, in the order its task/ lists its threads: computed the way
 * psRows() computes them from a snapshot. A process's columns are kept once, not once per thread.
 */
function buildTable(batches: readonly PsBatch[], facts: TableFacts): PsTable {
  const { bootTime, pageSize, now, uptime } = facts;
  const hz = CLOCK_TICKS;
  // Every process record, in pid order (readdir order of /proc is not numeric).
  const where: { batch: PsBatch; at: number; cmd: number; pid: number }[] = [];
  for (const batch of batches) {
    const nums = batch.nums;
    let cmd = 0;
    for (let at = 0; at < nums.length; at += PROCESS_FIELDS + nums[at + 7]! * THREAD_FIELDS)
      where.push({ batch, at, cmd: cmd++, pid: nums[at]! });
  }
  where.sort((a, b) => a.pid - b.pid);

  const users = new UserNames();
  const ttys = new TtyNames(facts.root);
  const uidOf = remembered((euid: number) => {
    if (euid < 0) return '?';
    const name = users.name(euid);
    return name.length > 8 ? String(euid) : name;
  });
  const ttyOf = remembered((ttyNr: number) => ttys.name(ttyNr) ?? '?');
  const stimeOf = remembered((start: number) => formatStime(bootTime + (start * 1000) / hz, now));
  const processes: ProcessCells[] = [];
  const lwp: string[] = [];
  const c: string[] = [];
  const psr: string[] = [];
  const stime: string[] = [];
  const time: string[] = [];
  for (const { batch, at, cmd } of where) {
    const n = batch.nums;
    const rows = n[at + 7]!;
    if (rows === 0) continue;
    processes.push({
      uid: uidOf(n[at + 2]!),
      pid: String(n[at]!),
      ppid: String(n[at + 1]!),
      nlwp: String(n[at + 3]!),
      sz: String(Math.floor(n[at + 4]! / pageSize)),
      rss: String(Math.floor(n[at + 5]! / 1024)),
      tty: ttyOf(n[at + 6]!),
      cmd: batch.cmds[cmd]!,
      first: lwp.length,
      count: rows,
    });
    for (let r = 0, i = at + PROCESS_FIELDS; r < rows; r++, i += THREAD_FIELDS) {
      const cpuMs = (n[i + 1]! * 1000) / hz;
      const start = n[i + 2]!;
      lwp.push(String(n[i]!));
      c.push(cColumn(Math.round((cpuMs * hz) / 1000), start, uptime, hz));
      psr.push(String(n[i + 3]!));
      stime.push(stimeOf(start));
      time.push(formatCpuTime(cpuMs));
    }
  }
  return {
    hidden: facts.hidden.length > 0 ? facts.hidden : undefined,
    rows(): PsRow[] {
      const out: PsRow[] = [];
      for (const p of processes) {
        for (let r = p.first; r < p.first + p.count; r++) {
          out.push({
            UID: p.uid,
            PID: p.pid,
            PPID: p.ppid,
            LWP: lwp[r]!,
            C: c[r]!,
            NLWP: p.nlwp,
            SZ: p.sz,
            RSS: p.rss,
            PSR: psr[r]!,
            STIME: stime[r]!,
            TTY: p.tty,
            TIME: time[r]!,
            CMD: p.cmd,
          });
        }
      }
      return out;
    },
    text(): string {
      return textPieces().join('');
    },
    bytes(): Buffer[] {
      return textPieces().map((piece) => Buffer.from(piece, 'utf8'));
    },
  };

  /**
   * The table's text in pieces of TEXT_PIECE_ROWS rows, each one flat string: the rows of thousands of
   * threads as one string were a tree of concatenations the collector copied (young, then old) before the
   * write flattened and encoded it once more.
   */
  function textPieces(): string[] {
    // OS text (user, tty, command) escaped once per distinct value; the other columns are digits, colons,
    // dashes and month names formatted here, which visible() would return unchanged.
    const shown = remembered(visible);
    const shownCmd = remembered((cmd: string) => visible(psCommandShown(cmd)));
    const header = PS_COLUMNS.map((name) => visible(name));
    const [hUid, hPid, hPpid, hLwp, hC, hNlwp, hSz, hRss, hPsr, hStime, hTty, hTime, hCmd] = header as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const uids = processes.map((p) => shown(p.uid));
    const tty = processes.map((p) => shown(p.tty));
    const widest = (first: string, values: readonly string[]): number => {
      let w = first.length;
      for (const v of values) if (v.length > w) w = v.length;
      return w;
    };
    const wUid = widest(hUid, uids);
    const widestOf = (first: string, pick: (p: (typeof processes)[number]) => string): number => widest(first, processes.map(pick));
    const wPid = widestOf(hPid, (p) => p.pid);
    const wPpid = widestOf(hPpid, (p) => p.ppid);
    const wLwp = widest(hLwp, lwp);
    const wC = widest(hC, c);
    const wNlwp = widestOf(hNlwp, (p) => p.nlwp);
    const wSz = widestOf(hSz, (p) => p.sz);
    const wRss = widestOf(hRss, (p) => p.rss);
    const wPsr = widest(hPsr, psr);
    const wStime = widest(hStime, stime);
    const wTty = widest(hTty, tty);
    const wTime = widest(hTime, time);
    // Columns as ps pads them: numbers on the left, user, start time and tty on the right, CMD not at all.
    const pieces: string[] = [];
    let out: string[] = [
      `${hUid.padEnd(wUid)} ${hPid.padStart(wPid)} ${hPpid.padStart(wPpid)} ${hLwp.padStart(wLwp)} ${hC.padStart(wC)} ` +
        `${hNlwp.padStart(wNlwp)} ${hSz.padStart(wSz)} ${hRss.padStart(wRss)} ${hPsr.padStart(wPsr)} ${hStime.padEnd(wStime)} ` +
        `${hTty.padEnd(wTty)} ${hTime.padStart(wTime)} ${hCmd}`,
    ];
    processes.forEach((p, k) => {
      const head = `${uids[k]!.padEnd(wUid)} ${p.pid.padStart(wPid)} ${p.ppid.padStart(wPpid)} `;
      const middle = ` ${p.nlwp.padStart(wNlwp)} ${p.sz.padStart(wSz)} ${p.rss.padStart(wRss)} `;
      const ttyCell = ` ${tty[k]!.padEnd(wTty)} `;
      const cmd = ` ${shownCmd(p.cmd)}`;
      for (let r = p.first; r < p.first + p.count; r++) {
        out.push(
          head +
            lwp[r]!.padStart(wLwp) +
            ' ' +
            c[r]!.padStart(wC) +
            middle +
            psr[r]!.padStart(wPsr) +
            ' ' +
            stime[r]!.padEnd(wStime) +
            ttyCell +
            time[r]!.padStart(wTime) +
            cmd,
        );
      }
      if (out.length >= TEXT_PIECE_ROWS) {
        pieces.push(out.join('\n') + '\n');
        out = [];
      }
    });
    if (out.length > 0) pieces.push(out.join('\n') + '\n');
    return pieces;
  }
}

/** Rows per piece of the table's text (half a mebibyte to a mebibyte at ps -eLF's usual row widths). */
const TEXT_PIECE_ROWS = 4096;

/** Seconds since boot from uptime (the clock procps computes C from), undefined where a copied tree lacks it. */
function readUptime(procRoot: string): number | undefined {
  try {
    const value = Number(procFs.readFileSync(`${procRoot}/uptime`).toString('latin1').split(' ')[0]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
