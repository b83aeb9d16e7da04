// The panel's flight recorder (src/core/record/history.ts TickHistory) under real populations and real churn:
// - bytes of history per process per minute at 200×10 and 2000×4 (sleeping load, 1 Hz sampler ticks), from the
//   history's own accounting and, as a check on it, from the heap (v8 heapUsed after a forced GC with the history
//   held, minus the same after dropping it);
// - the bound under churn: a small C spawner forks short-lived children at 1,000 a second (each lives 1.5 s, so
//   about 1,000 processes appear and 1,000 vanish between two ticks) for 60 s, with the default 32 MiB bound and
//   a 4 MiB one; the peak of the accounted bytes and of the GC'd heap, whether the bound held, and how far back
//   the history reached at the end.
// The history is fed as the panel's worker feeds it (src/worker/tickEngine.ts remember): one ProcSampler poll a
// second, diffSnapshots against the previous poll, pushDelta with the fork counter's growth.
//
// Run: npm run bench -- history            (about 12 minutes: 3 repeats of each measurement)
//      npm run bench -- --quick history    (smoke check: small sizes, short windows, one repeat)
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { diffSnapshots } from '../src/core/diff';
import type { Snapshot } from '../src/core/model';
import { TickHistory } from '../src/core/record/history';
import { ProcSampler } from '../src/core/sampler';
import { readMachineSample } from '../src/core/summary';
import { machineFacts, markdownTable, parseBenchArgs, progress, writeResult } from './lib';
import { cleanupLoadgen, compileC, countTasks, startLoad, type Load } from './loadgen';

const args = parseBenchArgs(process.argv.slice(2));
const MiB = 1024 * 1024;
const REPEATS = args.quick ? 1 : 3;
/** Ticks (one a second) per population measurement; the per-minute figure is scaled from the reach. */
const POP_TICKS = args.quick ? 8 : 30;
const CHURN_S = args.quick ? 10 : 60;
const CHURN_RATE = args.quick ? 300 : 1000;
const CHURN_LIFE_MS = 1500;
const POPULATIONS = args.quick
  ? [{ label: '50×4', processes: 50, threads: 4 }]
  : [
      { label: '200×10', processes: 200, threads: 10 },
      { label: '2000×4', processes: 2000, threads: 4 },
    ];
const CHURN_BOUNDS = [32 * MiB, 4 * MiB];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// Forks RATE children a second for DURATION s, each sleeping LIFE ms then exiting; reaps them, and prints how
// many it forked and reaped inside the window. Bounded: its own alarm, and it (and every child) dies with its parent.
const CHURN_C = String.raw`
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: churn RATE SECONDS LIFE_MS\n"); return 2; }
  int rate = atoi(argv[1]); double dur = atof(argv[2]); int life = atoi(argv[3]);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  alarm((unsigned)dur + 30);
  double t0 = now(); long forked = 0, reaped = 0, failed = 0;
  while (now() - t0 < dur) {
    double due = (now() - t0) * rate;
    while (forked < due) {
      pid_t p = fork();
      if (p == 0) { prctl(PR_SET_PDEATHSIG, SIGKILL); usleep(life * 1000); _exit(0); }
      if (p < 0) { failed++; break; }
      forked++;
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) reaped++;
    usleep(2000);
  }
  double t1 = now();
  long inWindow = reaped;
  while (waitpid(-1, NULL, 0) > 0) reaped++;
  printf("{\"forked\":%ld,\"reapedInWindow\":%ld,\"reaped\":%ld,\"forkFailures\":%ld,\"seconds\":%.3f}\n", forked, inWindow, reaped, failed, t1 - t0);
  return 0;
}
`;

interface Feed {
  readonly history: TickHistory;
  readonly sampler: ProcSampler;
  prev: Snapshot | undefined;
  lastForks: number | undefined;
}

/** One tick as tickEngine.ts remember() makes it. */
function tick(feed: Feed): Snapshot {
  const next = feed.sampler.pollSync({ threads: [] });
  const forksNow = readMachineSample('/proc').cpu?.forks ?? undefined;
  const forks = forksNow !== undefined && feed.lastForks !== undefined ? Math.max(0, forksNow - feed.lastForks) : null;
  feed.lastForks = forksNow;
  if (feed.prev && feed.history.length > 0) feed.history.pushDelta(next, diffSnapshots(feed.prev, next), forks);
  else feed.history.push(next, forks);
  feed.prev = next;
  return next;
}

async function everySecond(n: number, body: (i: number) => void): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    body(i);
    const wait = t0 + (i + 1) * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
  }
}

interface PopRun {
  readonly processes: number;
  readonly ticks: number;
  readonly reachMs: number;
  readonly accounted: number;
  readonly firstSnapshotJson: number;
  readonly retainedHeap: number;
  readonly perProcMinAccounted: number;
  readonly perProcMinHeap: number;
  readonly heapPerAccounted: number;
}

async function measurePopulation(): Promise<PopRun> {
  const sampler = new ProcSampler();
  sampler.pollSync({ threads: [] }); // warm: first-sight reads are not the history's business
  const feed: Feed = { history: new TickHistory(32 * MiB), sampler, prev: undefined, lastForks: undefined };
  let firstSnapshotJson = 0;
  await everySecond(POP_TICKS, (i) => {
    const s = tick(feed);
    if (i === 0) firstSnapshotJson = JSON.stringify(s).length;
  });
  if (feed.history.firstTick !== 0) throw new Error('the population run evicted ticks: its per-minute figure would be wrong');
  const withHistory = heapAfterGc();
  const accounted = feed.history.bytes;
  const ticks = feed.history.length;
  const reachMs = feed.history.reachMs;
  const processes = feed.prev!.processes.length;
  // No other reference to the history may live here, or dropping it frees nothing.
  (feed as { history: TickHistory | undefined }).history = undefined;
  const without = heapAfterGc();
  sampler.dispose();
  const retainedHeap = withHistory - without;
  const minutes = reachMs / 60_000;
  // Per process per minute: what the deltas add (the first whole table is a one-off, reported on its own).
  return {
    processes,
    ticks,
    reachMs,
    accounted,
    firstSnapshotJson,
    retainedHeap,
    perProcMinAccounted: (accounted - firstSnapshotJson) / processes / minutes,
    // The first table is held as its JSON text, so the heap it takes is its length (one-byte text) too.
    perProcMinHeap: (retainedHeap - firstSnapshotJson) / processes / minutes,
    heapPerAccounted: retainedHeap / accounted,
  };
}

interface ChurnRun {
  readonly bound: number;
  readonly forked: number;
  readonly exitsPerSecond: number;
  readonly forkFailures: number;
  readonly processesSeen: { min: number; max: number };
  readonly peakAccounted: number;
  readonly peakWithHistory: number;
  readonly largestAlone: number;
  readonly peakHeapRetained: number;
  readonly finalAccounted: number;
  readonly finalRetainedHeap: number;
  readonly heapPerAccounted: number;
  readonly boundHeld: boolean;
  readonly heapWithinBound: boolean;
  readonly evictedTicks: number;
  readonly ticksHeld: number;
  readonly reachMs: number;
}

async function measureChurn(binary: string, bound: number): Promise<ChurnRun> {
  const sampler = new ProcSampler();
  sampler.pollSync({ threads: [] });
  const baseline = heapAfterGc();
  const feed: Feed = { history: new TickHistory(bound), sampler, prev: undefined, lastForks: undefined };
  const child = spawn(binary, [String(CHURN_RATE), String(CHURN_S), String(CHURN_LIFE_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let peakAccounted = 0;
  /** The largest accounted size while more than the newest tick was held (the bound must hold then). */
  let peakWithHistory = 0;
  /** The largest newest table held alone (over the bound, a table is kept alone: the history has one tick). */
  let largestAlone = 0;
  let peakHeap = 0;
  let minProcs = Infinity;
  let maxProcs = 0;
  await everySecond(CHURN_S, () => {
    const s = tick(feed);
    peakAccounted = Math.max(peakAccounted, feed.history.bytes);
    if (feed.history.length > 1) peakWithHistory = Math.max(peakWithHistory, feed.history.bytes);
    else largestAlone = Math.max(largestAlone, feed.history.bytes);
    // The whole heap after GC minus the heap before the history existed: the history plus the newest table
    // (held by the feed as the worker holds it), plus the sampler's caches of live processes.
    peakHeap = Math.max(peakHeap, heapAfterGc() - baseline);
    minProcs = Math.min(minProcs, s.processes.length);
    maxProcs = Math.max(maxProcs, s.processes.length);
  });
  await done;
  const facts = JSON.parse(out.trim()) as { forked: number; reapedInWindow: number; forkFailures: number; seconds: number };
  const withHistory = heapAfterGc();
  const run = {
    finalAccounted: feed.history.bytes,
    evictedTicks: feed.history.firstTick,
    ticksHeld: feed.history.length,
    reachMs: feed.history.reachMs,
  };
  (feed as { history: TickHistory | undefined }).history = undefined;
  const finalRetainedHeap = withHistory - heapAfterGc();
  sampler.dispose();
  return {
    bound,
    forked: facts.forked,
    exitsPerSecond: facts.reapedInWindow / facts.seconds,
    forkFailures: facts.forkFailures,
    processesSeen: { min: minProcs, max: maxProcs },
    peakAccounted,
    peakWithHistory,
    largestAlone,
    peakHeapRetained: peakHeap,
    finalRetainedHeap,
    heapPerAccounted: finalRetainedHeap / run.finalAccounted,
    boundHeld: peakWithHistory <= bound,
    heapWithinBound: run.ticksHeld === 1 || finalRetainedHeap <= bound,
    ...run,
  };
}

function med(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "median (min–max)" of a measurement over the repeats. */
function spread(xs: readonly number[], fmt: (x: number) => string): string {
  if (xs.length === 1) return fmt(xs[0]!);
  return `${fmt(med(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

const kib = (b: number): string => `${(b / 1024).toFixed(b < 10 * 1024 ? 2 : 0)} KiB`;
const mib = (b: number): string => `${(b / MiB).toFixed(2)} MiB`;
const bytes = (b: number): string => `${b.toFixed(0)} B`;
const ratio = (r: number): string => `${r.toFixed(2)}×`;

async function main(): Promise<void> {
  const before = machineFacts();
  const popResults: { label: string; tasks: number; runs: PopRun[] }[] = [];
  let load: Load | undefined;
  try {
    for (const pop of POPULATIONS) {
      progress(`starting ${pop.label}`);
      load = await startLoad({ processes: pop.processes, threadsPerProcess: pop.threads, lifetimeMs: 900_000 });
      const tasks = countTasks().tasks;
      const runs: PopRun[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const run = await measurePopulation();
        progress(
          `${pop.label} #${r + 1}: ${run.ticks} ticks, ${bytes(run.perProcMinAccounted)}/process/min accounted, ${bytes(run.perProcMinHeap)} heap; heap ÷ accounted ${ratio(run.heapPerAccounted)}`,
        );
        runs.push(run);
      }
      popResults.push({ label: pop.label, tasks, runs });
      await load.stop();
      load = undefined;
    }
  } finally {
    if (load) await load.stop();
  }

  const binary = compileC('churn', CHURN_C);
  if (!binary) throw new Error('the history benchmark needs a C compiler (cc) for its churn generator');
  const churnResults: { bound: number; runs: ChurnRun[] }[] = [];
  try {
    for (const bound of CHURN_BOUNDS) {
      const runs: ChurnRun[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const run = await measureChurn(binary, bound);
        progress(
          `churn ${mib(bound)} #${r + 1}: ${run.exitsPerSecond.toFixed(0)} exits/s, peak ${mib(run.peakAccounted)} accounted, heap ${mib(run.finalRetainedHeap)} at the end (peak ${mib(run.peakHeapRetained)}), reach ${(run.reachMs / 1000).toFixed(0)} s, bound held: ${run.boundHeld}`,
        );
        runs.push(run);
      }
      churnResults.push({ bound, runs });
    }
  } finally {
    cleanupLoadgen();
  }
  const after = machineFacts();
  const file = writeResult('history', { before, after, popResults, churnResults });

  const popRows = popResults.map((p) => [
    `${p.label} (${p.tasks} tasks, ${spread(
      p.runs.map((r) => r.processes),
      (x) => x.toFixed(0),
    )} processes)`,
    spread(
      p.runs.map((r) => r.perProcMinAccounted),
      bytes,
    ),
    spread(
      p.runs.map((r) => r.perProcMinHeap),
      bytes,
    ),
    spread(
      p.runs.map((r) => r.firstSnapshotJson / r.processes),
      bytes,
    ),
    spread(
      p.runs.map((r) => r.accounted),
      kib,
    ),
    spread(
      p.runs.map((r) => r.retainedHeap),
      kib,
    ),
    spread(
      p.runs.map((r) => r.heapPerAccounted),
      ratio,
    ),
  ]);
  const churnRows = churnResults.map((c) => [
    mib(c.bound),
    spread(
      c.runs.map((r) => r.exitsPerSecond),
      (x) => x.toFixed(0),
    ),
    spread(
      c.runs.map((r) => r.peakAccounted),
      mib,
    ),
    spread(
      c.runs.map((r) => r.finalRetainedHeap),
      mib,
    ),
    spread(
      c.runs.map((r) => r.peakHeapRetained),
      mib,
    ),
    spread(
      c.runs.map((r) => r.heapPerAccounted),
      ratio,
    ),
    c.runs.every((r) => r.boundHeld && r.heapWithinBound)
      ? 'yes'
      : `**no** (${c.runs.filter((r) => !(r.boundHeld && r.heapWithinBound)).length} of ${c.runs.length})`,
    c.runs.some((r) => r.largestAlone > c.bound)
      ? `${c.runs.filter((r) => r.largestAlone > c.bound).length} of ${c.runs.length} (largest ${mib(Math.max(...c.runs.map((r) => r.largestAlone)))})`
      : 'none',
    spread(
      c.runs.map((r) => r.reachMs / 1000),
      (x) => `${x.toFixed(0)} s`,
    ),
    spread(
      c.runs.map((r) => r.evictedTicks),
      (x) => x.toFixed(0),
    ),
  ]);
  process.stdout.write(
    [
      '## History memory',
      '',
      `Ticks once a second from one ProcSampler (no threads), fed to a TickHistory as the panel's worker feeds it. ${REPEATS} repeat(s) of each row: median (min–max). Load average (1 min) ${before.loadavg[0]} before, ${after.loadavg[0]} after.`,
      '',
      `Sleeping populations, ${POP_TICKS} ticks each (per minute = scaled from the history's reach); "accounted" is TickHistory.bytes, "heap" is v8 heapUsed after GC with the history minus after dropping it; per process per minute leaves out the first whole table (its own column, per process):`,
      '',
      markdownTable(
        [
          'population',
          'accounted B / process / min',
          'heap B / process / min',
          'first table, JSON B / process',
          'accounted total',
          'heap total',
          'heap ÷ accounted',
        ],
        popRows,
      ),
      '',
      `Churn: ${CHURN_RATE} children forked a second, each living ${CHURN_LIFE_MS} ms, for ${CHURN_S} s (exits/s is what the spawner reaped inside the window ÷ its length). Peak accounted is TickHistory.bytes after each push; heap at the end is heapUsed after GC with the history minus after dropping it; peak heap is heapUsed after a GC at each tick minus before the run (so it also holds the newest table and the sampler's caches). "Bound held": while the history held more than the newest tick, its accounted bytes never passed the bound, and the heap at the end is under it. A newest table larger than the bound by itself is kept alone (the history then reaches back 0 s): the next column counts the runs where that happened. A table whose JSON holds any character past U+00FF is a two-byte string to V8 and counts twice its length.`,
      '',
      markdownTable(
        [
          'bound',
          'exits/s achieved',
          'peak accounted',
          'heap at the end',
          'peak heap (whole, see above)',
          'heap ÷ accounted at the end',
          'bound held',
          'runs where the newest table alone passed the bound',
          'reach at the end',
          'ticks evicted',
        ],
        churnRows,
      ),
      '',
      `Raw numbers: \`${file.replace(/^.*\/bench\//, 'bench/')}\`.`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`history bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
