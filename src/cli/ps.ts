// procscope ps [--json] [--proc-root DIR]: every thread in the columns of `ps -eLF`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cColumn, formatCpuTime, formatStime, PS_COLUMNS, type PsRow } from '../core/psFormat';
import { countAllTasks } from '../core/procRoot';
import { emptyBatch, PROCESS_FIELDS, psHiddenTasks, PsReader, startPsReading, THREAD_FIELDS, type PsBatch } from '../core/psRead';
import { CLOCK_TICKS } from '../core/system';
import { TtyNames } from '../core/tty';
import { UserNames } from '../core/users';
import type { HiddenTasks } from '../core/model';
import { visible } from '../shared/visible';
import { checkProcRoot, hiddenNotes, parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';
import { t } from './messages';
import { readClaimedRuns, type PsWorkerData, type PsWorkerResult } from './psWorker';

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
    const table = await readPsTable(procRoot ?? '/proc');
    io.out(v.json ? `${JSON.stringify(table.rows(), null, 2)}\n` : table.text());
    // On stderr: stdout stays row for row what procps prints (it says nothing of what it could not see).
    for (const note of hiddenNotes(table.hidden)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

/** The table of one reading of `root`: its columns, cell by cell, and what the reading could not see. */
export interface PsTable {
  /** Rows as psRows() gives them (CMD as the kernel holds it), for --json. */
  rows(): PsRow[];
  /** The text ps -eLF would print: columns padded, OS text escaped, control characters of CMD as spaces. */
  text(): string;
  readonly hidden: readonly HiddenTasks[] | undefined;
}

/** Processes per run a reader takes from the shared counter: small, so neither thread waits long for the other. */
const RUN = 32;
/**
 * From how many tasks on the machine (loadavg's count) a second thread reads along, if /proc lists at least
 * MIN_PROCESSES_FOR_WORKER processes: below that, starting a worker thread (about 40 ms of CPU, 20-30 ms
 * before it reads its first file) costs more than the half of the reading it takes over.
 */
const TASKS_FOR_WORKER = 2500;
const MIN_PROCESSES_FOR_WORKER = 200;

/**
 * Reads `root` for `ps`. On a large machine (see TASKS_FOR_WORKER) a worker thread reads along: both take
 * runs of 32 entries from one shared counter, and the runs are put back in order, so the table (and the
 * order of the reasons in `hidden`) is the same as one thread reading all. `parallel` forces it either way
 * (for tests and benchmarks).
 */
export async function readPsTable(root: string, parallel: 'auto' | 'always' | 'never' = 'auto'): Promise<PsTable> {
  const { bootTime, pageSize, names, live } = startPsReading(root);
  const runs = Math.ceil(names.length / RUN);
  const shared: Pick<PsWorkerData, 'names' | 'claims' | 'run'> = { names, claims: new SharedArrayBuffer(4), run: RUN };
  const worker =
    parallel === 'always' || (parallel === 'auto' && worthAWorker(root, names))
      ? startWorker({ kind: 'procscope-ps', root, pageSize, live, ...shared })
      : undefined;
  const reader = new PsReader(root, pageSize, live);
  const batches: (PsBatch | undefined)[] = new Array<PsBatch | undefined>(runs);
  const mine = readClaimedRuns(reader, shared);
  for (const { index, batch } of mine) batches[index] = batch;
  if (worker) {
    if (mine.length === runs)
      void worker.terminate(); // it started too late to take any run
    else for (const { index, batch } of (await worker.result) ?? []) batches[index] = batch;
  }
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
  return processes >= MIN_PROCESSES_FOR_WORKER && (countAllTasks(root) ?? 0) >= TASKS_FOR_WORKER;
}

/**
 * The worker thread: this bundle itself (src/cli.ts hands over to psWorker when it finds itself in one), or,
 * run from the TypeScript sources, psWorker.ts through tsx. Its result is undefined when it failed (could not
 * start, threw, exited early): the main thread then reads what it had taken.
 */
function startWorker(data: PsWorkerData): { result: Promise<PsWorkerResult | undefined>; terminate(): Promise<number> } | undefined {
  let worker: Worker;
  try {
    if (__filename.endsWith('.ts')) {
      const file = JSON.stringify(join(__dirname, 'psWorker.ts'));
      const source = `const r = require('node:module').createRequire(${file}); r('tsx/cjs'); r(${file}).workerMain();`;
      worker = new Worker(source, { eval: true, workerData: data });
    } else worker = new Worker(__filename, { workerData: data });
  } catch {
    return undefined;
  }
  const result = new Promise<PsWorkerResult | undefined>((resolve) => {
    worker.once('message', (m: PsWorkerResult) => resolve(m));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return { result, terminate: () => worker.terminate() };
}

interface TableFacts {
  readonly root: string;
  readonly bootTime: number;
  readonly pageSize: number;
  /** When the reading ended (ms since the epoch): STIME shows a date or a time by the age it gives. */
  readonly now: number;
  /** Seconds since boot, the clock procps computes C from. */
  readonly uptime: number;
  readonly hidden: HiddenTasks[];
}

/** procps prints control characters of a command line as spaces; do the same so the two can be compared. */
function psLikeCommand(cmd: string): string {
  // eslint-disable-next-line no-control-regex
  return cmd.replace(/[\x00-\x1f\x7f]/g, ' ');
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

const COLUMN_COUNT = PS_COLUMNS.length;
const CMD = COLUMN_COUNT - 1;
/** The columns padded on the right (text and dates); the others are numbers, padded on the left. */
const LEFT = new Set(['UID', 'STIME', 'TTY'].map((c) => PS_COLUMNS.indexOf(c as (typeof PS_COLUMNS)[number])));

/**
 * The cells, column by column (13 arrays of strings), in pid order and, within a process, in the order its
 * task/ lists its threads: computed the way psRows() computes them from a snapshot.
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
  const cols: string[][] = PS_COLUMNS.map(() => []);
  const [uidCol, pidCol, ppidCol, lwpCol, cCol, nlwpCol, szCol, rssCol, psrCol, stimeCol, ttyCol, timeCol, cmdCol] = cols as [
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
  ];
  for (const { batch, at, cmd: cmdIndex } of where) {
    const n = batch.nums;
    const rows = n[at + 7]!;
    if (rows === 0) continue;
    const uid = uidOf(n[at + 2]!);
    const pid = String(n[at]!);
    const ppid = String(n[at + 1]!);
    const nlwp = String(n[at + 3]!);
    const sz = String(Math.floor(n[at + 4]! / pageSize));
    const rss = String(Math.floor(n[at + 5]! / 1024));
    const tty = ttyOf(n[at + 6]!);
    const cmd = batch.cmds[cmdIndex]!;
    for (let r = 0, i = at + PROCESS_FIELDS; r < rows; r++, i += THREAD_FIELDS) {
      const cpuMs = (n[i + 1]! * 1000) / hz;
      const start = n[i + 2]!;
      uidCol.push(uid);
      pidCol.push(pid);
      ppidCol.push(ppid);
      lwpCol.push(String(n[i]!));
      cCol.push(cColumn(Math.round((cpuMs * hz) / 1000), start, uptime, hz));
      nlwpCol.push(nlwp);
      szCol.push(sz);
      rssCol.push(rss);
      psrCol.push(String(n[i + 3]!));
      stimeCol.push(stimeOf(start));
      ttyCol.push(tty);
      timeCol.push(formatCpuTime(cpuMs));
      cmdCol.push(cmd);
    }
  }
  const count = pidCol.length;
  return {
    hidden: facts.hidden.length > 0 ? facts.hidden : undefined,
    rows(): PsRow[] {
      const out: PsRow[] = [];
      for (let r = 0; r < count; r++) {
        const row = {} as PsRow;
        for (let c = 0; c < COLUMN_COUNT; c++) row[PS_COLUMNS[c]!] = cols[c]![r]!;
        out.push(row);
      }
      return out;
    },
    text(): string {
      // OS text (user, tty, command) escaped once per distinct value; the other columns are digits, colons,
      // dashes and month names formatted here, which visible() would return unchanged.
      const shown = remembered(visible);
      const shownCmd = remembered((cmd: string) => visible(psLikeCommand(cmd)));
      const cells = cols.map((col, c) => (c === CMD ? col.map(shownCmd) : c === 0 || c === 10 ? col.map(shown) : col));
      const header = PS_COLUMNS.map((c) => visible(c));
      const pad = cells.map((col, c) => {
        let width = header[c]!.length;
        for (const cell of col) if (cell.length > width) width = cell.length;
        return width;
      });
      const line = (cell: (c: number) => string): string => {
        let s = '';
        for (let c = 0; c < CMD; c++) {
          const v = cell(c);
          s += (LEFT.has(c) ? v.padEnd(pad[c]!) : v.padStart(pad[c]!)) + ' ';
        }
        return s + cell(CMD);
      };
      const out: string[] = [line((c) => header[c]!)];
      for (let r = 0; r < count; r++) out.push(line((c) => cells[c]![r]!));
      return out.join('\n') + '\n';
    },
  };
}

/** Seconds since boot from uptime (the clock procps computes C from), undefined where a copied tree lacks it. */
function readUptime(procRoot: string): number | undefined {
  try {
    const value = Number(readFileSync(`${procRoot}/uptime`, 'latin1').split(' ')[0]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
