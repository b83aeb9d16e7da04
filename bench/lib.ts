// Small helpers shared by the benchmarks: statistics, markdown tables, parsers for `ps -eLF` and
// /proc/PID/stat CPU times, argument parsing and the machine facts printed with every run.
import { spawn } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ScopeContext } from '../src/worker/protocol';
import { quietScope } from '../src/worker/vscodeProcesses';

// The benchmarks run as CommonJS under tsx (package.json has no "type": "module"). A benchmark that
// re-runs itself bundled (livepoll) passes its real folder in PROCSCOPE_BENCH_DIR.
export const BENCH_DIR = process.env.PROCSCOPE_BENCH_DIR ?? __dirname;
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** Percentile by linear interpolation between closest ranks (numpy's default), p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of an empty list');
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { n: values.length, median: median(values), p90: percentile(values, 90), min, max, mean: sum / values.length };
}

/** Milliseconds with precision that suits the size: 0.123, 12.3, 559. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toString();
}

/** A ratio such as "3.4×". */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

/** A GitHub-flavoured markdown table; `|` inside cells is escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const align = headers.map((_, i) => (i === 0 ? '---' : '---:'));
  const lines = [`| ${headers.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** One row of `ps -eLF`: UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD. */
export interface PsRow {
  readonly user: string;
  readonly pid: number;
  readonly ppid: number;
  readonly lwp: number;
  readonly c: number;
  readonly nlwp: number;
  readonly sz: number;
  readonly rss: number;
  readonly psr: number;
  readonly stime: string;
  readonly tty: string;
  readonly time: string;
  readonly cmd: string;
}

const PS_HEADER = ['UID', 'PID', 'PPID', 'LWP', 'C', 'NLWP', 'SZ', 'RSS', 'PSR', 'STIME', 'TTY', 'TIME', 'CMD'];

/**
 * Parses `ps -eLF` output. The first twelve columns never contain blanks (STIME is `04:37` or `Nov22`),
 * so they are split on whitespace and the rest of the line, blanks included, is CMD.
 * Throws on a header it does not recognise; skips nothing silently (a malformed row throws too).
 */
export function parsePsEltf(text: string): PsRow[] {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  if (header.join(' ') !== PS_HEADER.join(' ')) throw new Error(`unexpected ps -eLF header: ${lines[0] ?? ''}`);
  const rows: PsRow[] = [];
  const field = /\S+/g;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    field.lastIndex = 0;
    const parts: string[] = [];
    let m: RegExpExecArray | null;
    while (parts.length < 12 && (m = field.exec(line)) !== null) parts.push(m[0]);
    if (parts.length < 12) throw new Error(`short ps -eLF row ${i}: ${line}`);
    const cmd = line.slice(field.lastIndex).replace(/^\s+/, '');
    const num = (s: string, name: string): number => {
      const v = Number(s);
      if (!Number.isFinite(v)) throw new Error(`ps -eLF row ${i}: ${name} is not a number: ${s}`);
      return v;
    };
    const p = parts as [string, string, string, string, string, string, string, string, string, string, string, string];
    rows.push({
      user: p[0],
      pid: num(p[1], 'PID'),
      ppid: num(p[2], 'PPID'),
      lwp: num(p[3], 'LWP'),
      c: num(p[4], 'C'),
      nlwp: num(p[5], 'NLWP'),
      sz: num(p[6], 'SZ'),
      rss: num(p[7], 'RSS'),
      psr: num(p[8], 'PSR'),
      stime: p[9],
      tty: p[10],
      time: p[11],
      cmd,
    });
  }
  return rows;
}

/** CPU times from a /proc/PID/stat line, in clock ticks: own user/system and waited-for children's. */
export interface StatCpu {
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
}

/** Reads fields 14-17 of /proc/PID/stat; the name (field 2) may hold spaces and `)`, so it is cut at the last `)`. */
export function parseStatCpu(text: string): StatCpu {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('malformed stat: no closing parenthesis');
  // After ") " come field 3 (state) onwards; utime is field 14, so index 11 here.
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const at = (i: number): number => {
    const v = Number(rest[i]);
    if (!Number.isInteger(v)) throw new Error(`malformed stat: field ${i + 3} is ${rest[i] ?? 'missing'}`);
    return v;
  };
  return { utime: at(11), stime: at(12), cutime: at(13), cstime: at(14) };
}

export function readSelfStatCpu(): StatCpu {
  return parseStatCpu(readFileSync('/proc/self/stat', 'latin1'));
}

export interface BenchArgs {
  readonly quick: boolean;
  /** Also replace the results section of docs/PERFORMANCE.md (between the bench markers). */
  readonly doc: boolean;
  /** Benchmark names to run (file name without `.bench.ts`); empty = all. */
  readonly only: readonly string[];
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let doc = false;
  const only: string[] = [];
  for (const a of argv) {
    if (a === '--quick' || a === '-q') quick = true;
    else if (a === '--doc') doc = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a} (known: --quick, --doc)`);
    else only.push(a.replace(/\.bench\.ts$/, ''));
  }
  return { quick, doc, only };
}

export interface MachineFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly kernel: string;
  readonly node: string;
  readonly memGiB: number;
  readonly loadavg: readonly number[];
  readonly date: string;
}

export function machineFacts(): MachineFacts {
  const c = cpus();
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    kernel: release(),
    node: process.version,
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
}

export function writeResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** Progress goes to stderr so stdout stays the markdown section. */
export function progress(msg: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/**
 * Round-robin order for `rounds` rounds of `n` contenders: every round runs each contender once, and the
 * starting contender rotates so none is always first (first-after-a-pause) or last.
 */
export function roundRobinOrder(n: number, rounds: number): number[][] {
  const order: number[][] = [];
  for (let r = 0; r < rounds; r++) order.push(Array.from({ length: n }, (_, i) => (i + r) % n));
  return order;
}

export const DOC_BEGIN = '<!-- bench:begin (written by `npm run bench -- --doc`; edit outside these markers) -->';
export const DOC_END = '<!-- bench:end -->';

/** The report as a section of docs/PERFORMANCE.md: without its title, headings one level down (under "## Results"). */
export function reportAsDocBody(report: string): string {
  return report.replace(/^# .*\n/, '').replace(/^(#{2,5}) /gm, '#$1 ');
}

/** Replaces the text between the bench markers of a document; throws when the markers are missing. */
export function replaceBetweenMarkers(doc: string, body: string): string {
  const a = doc.indexOf(DOC_BEGIN);
  const b = doc.indexOf(DOC_END);
  if (a < 0 || b < a) throw new Error('the document has no bench:begin / bench:end markers');
  return `${doc.slice(0, a + DOC_BEGIN.length)}\n\n${body.trim()}\n\n${doc.slice(b)}`;
}

/** Collects garbage when run with --expose-gc (bench/run.ts does), then lets background work settle. */
export async function settle(ms: number): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * tsx's module hooks cost about 0.7 % of a core in the background even when idle (measured: 60-80 ms of
 * CPU per 10 s under tsx, 3 ms for the same code bundled), which would swamp CPU targets of about 1 %. A
 * benchmark that measures CPU calls this instead of main(): under tsx it re-runs its own file bundled by
 * esbuild in plain Node, as the extension runs (dependencies stay in node_modules, resolved from
 * bench/results/.build/); in that child it runs main().
 */
export function runBundled(name: string, file: string, main: () => Promise<void>): void {
  if (process.env.PROCSCOPE_BENCH_BUNDLED === '1') {
    main().catch((error: unknown) => {
      process.stderr.write(`${name} benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
    return;
  }
  const outdir = join(RESULTS_DIR, '.build');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${name}.js`);
  buildSync({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  const child = spawn(process.execPath, [...process.execArgv.filter((a) => a === '--expose-gc'), outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PROCSCOPE_BENCH_BUNDLED: '1', PROCSCOPE_BENCH_DIR: BENCH_DIR },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** A window with no terminals, tasks or folders, for panel-worker benchmarks: the scope step still runs over the whole pid map. */
export const BENCH_SCOPE: ScopeContext = quietScope({ hostPid: process.pid });
