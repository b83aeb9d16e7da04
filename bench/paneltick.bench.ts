// The host side of one panel refresh, as the extension does it: the panel worker (src/worker/panelWorker.ts,
// bundled as the extension build bundles it) polls every process plus the threads of five, diffs against the
// previous snapshot, computes "This workspace", and posts the delta; the extension host's main thread only
// waits and receives it. Once a second, at idle, 200×10 and 2000×4. Per tick: CPU of the whole process (the
// worker included), the main loop's longest delay, and the delta's size as posted (JSON bytes).
//
// Run: npm run bench -- paneltick          (about 1 minute)
//      npm run bench -- --quick paneltick  (5 ticks, idle and 50×10)
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBackend } from '../src/extension/backend';
import type { TickRequest } from '../src/worker/protocol';
import {
  BENCH_DIR,
  BENCH_SCOPE,
  formatMs,
  machineFacts,
  markdownTable,
  parseBenchArgs,
  progress,
  runBundled,
  settle,
  summarize,
  writeResult,
  type Summary,
} from './lib';
import { bundleTs, cleanupLoadgen, countTasks, startLoad } from './loadgen';

const args = parseBenchArgs(process.argv.slice(2));
const TICKS = args.quick ? 5 : 15;
const SIZES: readonly { label: string; processes: number; threads: number }[] = args.quick
  ? [
      { label: 'idle', processes: 0, threads: 0 },
      { label: '50×10', processes: 50, threads: 10 },
    ]
  : [
      { label: 'idle', processes: 0, threads: 0 },
      { label: '200×10', processes: 200, threads: 10 },
      { label: '2000×4', processes: 2000, threads: 4 },
    ];

interface SizeResult {
  readonly label: string;
  readonly processes: number;
  readonly tasks: number;
  readonly cpuMs: Summary;
  readonly wallMs: Summary;
  readonly loopBlockedMs: Summary;
  readonly deltaBytes: Summary;
  readonly fullSnapshotBytes: number;
}

async function measure(label: string, worker: string, watched: number[]): Promise<SizeResult> {
  const backend = createBackend(worker);
  const tick = (full: boolean): TickRequest => ({ threads: watched, full, scope: BENCH_SCOPE });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const cpu: number[] = [];
  const wall: number[] = [];
  const blocked: number[] = [];
  const bytes: number[] = [];
  try {
    const first = await backend.tick(tick(true));
    const fullSnapshotBytes = JSON.stringify(first).length;
    const population = first.kind === 'snapshot' ? first.snapshot.processes.length : 0;
    for (let i = 0; i < TICKS; i++) {
      await sleep(1000);
      delay.reset();
      delay.enable();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await backend.tick(tick(false));
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      await sleep(2);
      delay.disable();
      blocked.push(delay.max / 1e6);
      bytes.push(JSON.stringify(result).length);
    }
    return {
      label,
      processes: population,
      tasks: countTasks().tasks,
      cpuMs: summarize(cpu),
      wallMs: summarize(wall),
      loopBlockedMs: summarize(blocked),
      deltaBytes: summarize(bytes),
      fullSnapshotBytes,
    };
  } finally {
    backend.dispose();
  }
}

async function main(): Promise<void> {
  const worker = bundleTs('panelWorker', join(BENCH_DIR, '..', 'src', 'worker', 'panelWorker.ts'));
  const results: SizeResult[] = [];
  try {
    for (const size of SIZES) {
      progress(`paneltick: ${size.label}`);
      const load = size.processes
        ? await startLoad({ processes: size.processes, threadsPerProcess: size.threads, lifetimeMs: 10 * 60_000 })
        : null;
      try {
        await settle(2000);
        const watched = load ? load.pids.slice(0, 5) : [process.pid];
        results.push(await measure(size.label, worker, watched));
      } finally {
        await load?.stop();
      }
    }
  } finally {
    cleanupLoadgen();
  }
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
  const lines = [
    '## Panel refresh, host side',
    '',
    `Command: \`npm run bench -- ${args.quick ? '--quick ' : ''}paneltick\`. One panel tick a second through the panel's own worker ` +
      '(`src/worker/panelWorker.ts` bundled as the extension bundles it): poll of every process plus the threads of five, diff, ' +
      `"This workspace" scope, delta posted to the main thread. ${TICKS} ticks per size after one full snapshot. CPU is the whole ` +
      'process (main thread and worker) per tick, from process.cpuUsage(); "loop blocked" is the main thread\'s longest delay during ' +
      'the tick (monitorEventLoopDelay, 1 ms resolution), which is what the extension host feels.',
    '',
    markdownTable(
      [
        'size',
        'processes',
        'tasks in /proc',
        'CPU ms per tick (median / p90)',
        '% of a core at 1 tick/s',
        'tick wall ms (median / p90)',
        'main loop blocked ms (median / max)',
        'delta posted (median)',
        'full snapshot',
      ],
      results.map((r) => [
        r.label,
        String(r.processes),
        String(r.tasks),
        `${formatMs(r.cpuMs.median)} / ${formatMs(r.cpuMs.p90)}`,
        `${(r.cpuMs.median / 10).toFixed(2)} %`,
        `${formatMs(r.wallMs.median)} / ${formatMs(r.wallMs.p90)}`,
        `${formatMs(r.loopBlockedMs.median)} / ${formatMs(r.loopBlockedMs.max)}`,
        kb(r.deltaBytes.median),
        kb(r.fullSnapshotBytes),
      ]),
    ),
  ];
  const markdown = lines.join('\n');
  writeResult('paneltick', { machine: machineFacts(), quick: args.quick, results, markdown });
  process.stdout.write(`${markdown}\n`);
}

runBundled('paneltick', __filename, main);
