// Time per full snapshot (every process and every thread) of ProcScope against ps -eLF, ps-list, pidtree
// and a C reader of the same files, at idle, 200x10 and 2000x4, in one run.
// Contenders run round-robin (each round runs each once, the starting one rotating), so a burst of
// noise from the shared machine hits all of them alike rather than one contender's whole series.
//
// Run: npm run bench -- snapshot          (full: about 2 minutes)
//      npm run bench -- --quick snapshot  (smoke check: small sizes, few rounds)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProcSampler } from '../src/core/sampler';
import type { Snapshot } from '../src/core/model';
import {
  BENCH_DIR,
  formatMs,
  formatRatio,
  machineFacts,
  markdownTable,
  parseBenchArgs,
  progress,
  roundRobinOrder,
  summarize,
  readSelfStatCpu,
  settle,
  writeResult,
  type Summary,
} from './lib';
import { bundleTs, cleanupLoadgen, countTasks, startLoad, type Load } from './loadgen';
import { cFloor, floorBinaryPath, PEERS, procscopeCli, type PeerResult } from './peers';

interface Population {
  readonly label: string;
  readonly processes: number;
  readonly threads: number;
  readonly rounds: number;
}

interface Contender {
  readonly name: string;
  readonly lacks: string;
  /** Returns what it saw; innerMs, when set, replaces the wall time (the C floor's time without exec). */
  run(): Promise<PeerResult>;
}

const args = parseBenchArgs(process.argv.slice(2));
const populations: Population[] = args.quick
  ? [
      { label: 'idle', processes: 0, threads: 1, rounds: 3 },
      { label: '50×4', processes: 50, threads: 4, rounds: 3 },
    ]
  : [
      { label: 'idle', processes: 0, threads: 1, rounds: 30 },
      { label: '200×10', processes: 200, threads: 10, rounds: 25 },
      { label: '2000×4', processes: 2000, threads: 4, rounds: 20 },
    ];

function countSnapshot(s: Snapshot): PeerResult {
  let threads = 0;
  for (const p of s.processes) threads += p.threads?.length ?? 0;
  return { processes: s.processes.length, threads };
}

let warm: ProcSampler | null = null;

/** The name of the `procscope ps` contender (from bench/peers.ts). */
const cli0 = (): string => procscopeCli('').name;
const CLI_SNAPSHOT = 'procscope snapshot --json (CLI spawned: Node start-up included)';

/** `procscope snapshot --json` as a user runs it: a new Node process, every process and thread as JSON. */
function cliSnapshotJson(bundledCli: string): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bundledCli, 'snapshot', '--json'], { maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout) => {
      if (error) return reject(error);
      resolve(countSnapshot(JSON.parse(stdout) as Snapshot));
    });
  });
}

const contenders: Contender[] = [
  {
    name: 'ProcScope, cold (new ProcSampler per snapshot, like a one-shot ps)',
    lacks: '',
    async run() {
      const s = new ProcSampler();
      try {
        return countSnapshot(s.pollSync({ threads: 'all' }));
      } finally {
        s.dispose();
      }
    },
  },
  {
    name: 'ProcScope, warm (one ProcSampler polled again)',
    lacks: '',
    async run() {
      warm ??= new ProcSampler();
      return countSnapshot(warm.pollSync({ threads: 'all' }));
    },
  },
  ...PEERS.map((p) => ({ name: p.name, lacks: p.lacks, run: () => p.snapshot() })),
];
const cliEntry = join(BENCH_DIR, '..', 'src', 'cli.ts');
if (existsSync(cliEntry)) {
  const bundle = bundleTs('cli', cliEntry);
  const cli = procscopeCli(bundle);
  contenders.splice(
    2,
    0,
    { name: cli.name, lacks: cli.lacks, run: () => cli.snapshot() },
    { name: CLI_SNAPSHOT, lacks: '', run: () => cliSnapshotJson(bundle) },
  );
}
const hasFloor = floorBinaryPath() !== null;
if (hasFloor) contenders.push({ name: 'C floor (bench/floor.c, cc -O2, time inside)', lacks: cFloor.lacks, run: () => cFloor.snapshot() });

interface ContenderResult {
  readonly name: string;
  readonly lacks: string;
  readonly samplesMs: number[];
  /** Failures (a peer that crashes at some size, e.g. E2BIG), kept so the run goes on and the table says so. */
  readonly errors: string[];
  readonly processes: number[];
  readonly threads: number[];
  /** CPU per snapshot: this process (process.cpuUsage, µs precision) plus waited-for children (/proc/self/stat, 10 ms ticks). */
  readonly cpuOwnMs: number[];
  readonly cpuChildrenMs: number[];
  summary?: Summary;
}

interface PopulationResult {
  readonly population: Population;
  readonly tasksInProc: { processes: number; tasks: number };
  readonly loadavgBefore: readonly number[];
  readonly contenders: ContenderResult[];
  readonly keptOpenFilesWarm: number | null;
}

async function measurePopulation(pop: Population): Promise<PopulationResult> {
  let load: Load | null = null;
  if (pop.processes > 0) {
    progress(`snapshot: starting ${pop.processes} processes × ${pop.threads} threads`);
    load = await startLoad({ processes: pop.processes, threadsPerProcess: pop.threads, lifetimeMs: 15 * 60_000 });
  }
  try {
    warm?.dispose();
    warm = null;
    await settle(1000);
    const tasksInProc = countTasks();
    const loadavgBefore = machineFacts().loadavg;
    const results: ContenderResult[] = contenders.map((c) => ({
      name: c.name,
      lacks: c.lacks,
      samplesMs: [],
      errors: [],
      processes: [],
      threads: [],
      cpuOwnMs: [],
      cpuChildrenMs: [],
    }));
    // One unmeasured warm-up round: imports, the floor's first exec, the warm sampler's first poll.
    for (const c of contenders) await c.run().catch(() => undefined);
    progress(`snapshot: ${pop.label}: ${tasksInProc.tasks} tasks in /proc, ${pop.rounds} rounds of ${contenders.length}`);
    for (const order of roundRobinOrder(contenders.length, pop.rounds)) {
      for (const i of order) {
        const c = contenders[i] as Contender;
        const r = results[i] as ContenderResult;
        const cpu0 = process.cpuUsage();
        const st0 = readSelfStatCpu();
        const t0 = performance.now();
        try {
          const seen = await c.run();
          const wall = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          const st1 = readSelfStatCpu();
          r.cpuOwnMs.push((cpu.user + cpu.system) / 1000);
          r.cpuChildrenMs.push((st1.cutime + st1.cstime - st0.cutime - st0.cstime) * 10);
          r.samplesMs.push(seen.innerMs ?? wall);
          r.processes.push(seen.processes);
          r.threads.push(seen.threads);
        } catch (error) {
          const msg = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
          r.errors.push(msg);
          progress(`snapshot: ${c.name} failed: ${msg}`);
        }
      }
    }
    for (const r of results) if (r.samplesMs.length) r.summary = summarize(r.samplesMs);
    return {
      population: pop,
      tasksInProc,
      loadavgBefore,
      contenders: results,
      keptOpenFilesWarm: warm ? (warm as ProcSampler).keptOpenFiles : null,
    };
  } finally {
    warm?.dispose();
    warm = null;
    if (load) {
      progress(`snapshot: stopping the load`);
      await load.stop();
    }
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function med(values: readonly number[]): number {
  return values.length ? Math.round(summarize(values).median) : NaN;
}

function render(results: readonly PopulationResult[]): string {
  const out: string[] = [];
  out.push('## Full snapshot: every process and every thread');
  out.push('');
  out.push(
    `Command: \`npm run bench -- ${args.quick ? '--quick ' : ''}snapshot\`. Milliseconds per full snapshot, median and p90 over the rounds; ` +
      'contenders interleaved round-robin in one run. "ps ÷ this" is the ps -eLF median divided by this contender\'s median ' +
      '(above 1 = faster than ps). The C floor is timed inside the program (no exec); the others from Node, wall clock, including ' +
      'spawning and parsing for the spawned tools. "CPU ms" is the mean CPU time per snapshot of this Node process plus its ' +
      'waited-for children (the spawned tools; for the C floor, its whole run including exec), from process.cpuUsage() and ' +
      '/proc/self/stat cutime+cstime (10 ms ticks, so averaged over the rounds): on a busy machine it is steadier than wall time.',
  );
  for (const r of results) {
    const ps = r.contenders.find((c) => c.name === 'ps -eLF');
    const psMed = ps?.summary?.median ?? NaN;
    out.push('');
    out.push(
      `### ${r.population.label} (${r.tasksInProc.processes} processes, ${r.tasksInProc.tasks} tasks in /proc; ${r.population.rounds} rounds; load average ${r.loadavgBefore.join(' ')})`,
    );
    out.push('');
    out.push(
      markdownTable(
        ['contender', 'processes seen', 'threads seen', 'median ms', 'p90 ms', 'ps ÷ this', 'CPU ms (mean, with children)'],
        r.contenders.map((c) => [
          c.name + (c.errors.length ? ` (failed ${c.errors.length} of ${r.population.rounds}: ${c.errors[0]})` : ''),
          c.processes.length ? String(med(c.processes)) : '–',
          !c.threads.length ? '–' : med(c.threads) === 0 ? 'none' : String(med(c.threads)),
          formatMs(c.summary?.median ?? NaN),
          formatMs(c.summary?.p90 ?? NaN),
          formatRatio(psMed / (c.summary?.median ?? NaN)),
          c.cpuOwnMs.length ? formatMs(mean(c.cpuOwnMs) + mean(c.cpuChildrenMs)) : '–',
        ]),
      ),
    );
    if (r.keptOpenFilesWarm !== null) out.push('', `The warm sampler kept ${r.keptOpenFilesWarm} \`stat\` files open between polls.`);
  }
  out.push('');
  out.push('What each peer lacks:');
  out.push('');
  for (const c of contenders) if (c.lacks) out.push(`- **${c.name}**: ${c.lacks}`);

  const big = results.at(-1);
  if (big) {
    const find = (prefix: string): ContenderResult | undefined => big.contenders.find((c) => c.name.startsWith(prefix));
    const by = (prefix: string): number => find(prefix)?.summary?.median ?? NaN;
    const cpuOf = (prefix: string): number => {
      const c = find(prefix);
      return c?.cpuOwnMs.length ? mean(c.cpuOwnMs) + mean(c.cpuChildrenMs) : NaN;
    };
    const ps = by('ps -eLF');
    const cold = by('ProcScope, cold');
    const warmMed = by('ProcScope, warm');
    const floor = by('C floor');
    const verdict = (ratio: number): string =>
      ratio >= 3
        ? `met (${formatRatio(ratio)})`
        : `missed: ${formatRatio(ratio)} of the 3× asked (ProcScope would need ${formatMs(ps / 3)} ms)`;
    out.push('');
    out.push(`### Target at ${big.population.label}: full snapshot at least 3× faster than ps -eLF`);
    out.push('');
    out.push(
      `- cold (one-shot): ${formatMs(cold)} ms vs ps -eLF ${formatMs(ps)} ms (medians): ${verdict(ps / cold)}; ` +
        `in CPU time ${formatMs(cpuOf('ProcScope, cold'))} vs ${formatMs(cpuOf('ps -eLF'))} ms (${formatRatio(cpuOf('ps -eLF') / cpuOf('ProcScope, cold'))}).`,
    );
    out.push(
      `- warm (repeated polls): ${formatMs(warmMed)} ms: ${verdict(ps / warmMed)}; ` +
        `in CPU time ${formatMs(cpuOf('ProcScope, warm'))} ms (${formatRatio(cpuOf('ps -eLF') / cpuOf('ProcScope, warm'))}).`,
    );
    for (const name of [cli0(), CLI_SNAPSHOT]) {
      const med = by(name);
      if (!Number.isFinite(med)) continue;
      out.push(
        `- ${name.replace(/ \(CLI spawned.*$/, '')} (the CLI as a whole command, target at least 2× faster than ps -eLF): ` +
          `${formatMs(med)} ms: ${ps / med >= 2 ? 'met' : 'missed'} (${formatRatio(ps / med)}); in CPU time ${formatMs(cpuOf(name))} ms ` +
          `(${formatRatio(cpuOf('ps -eLF') / cpuOf(name))}).`,
      );
    }
    if (Number.isFinite(floor)) {
      out.push(
        `- floor: the C reader takes ${formatMs(floor)} ms, so ps -eLF ÷ floor = ${formatRatio(ps / floor)}; ` +
          `ProcScope cold is ${formatRatio(cold / floor)} the floor, warm ${formatRatio(warmMed / floor)}.`,
      );
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const results: PopulationResult[] = [];
  try {
    for (const pop of populations) results.push(await measurePopulation(pop));
  } finally {
    cleanupLoadgen();
  }
  const markdown = render(results);
  writeResult('snapshot', { machine: machineFacts(), quick: args.quick, results, markdown });
  process.stdout.write(markdown + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`snapshot benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
