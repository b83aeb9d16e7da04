// Time per full IPC scan (every process's fds, the socket/SysV/lock tables, unix peers through `ss`) at
// idle, 200x10 and 2000x4 processes x threads, with a mix of real IPC scenarios holding a few hundred fds
// (pipes, socketpairs, unix/TCP/UDP sockets, eventfd, memfd, POSIX and SysV shared memory, flock waiters).
// `lsof -n` (the usual peer for "who has what open") runs in the same rounds as a reference.
//
// Run: npm run bench -- ipc            (full: about 2 minutes)
//      npm run bench -- --quick ipc    (smoke check)
//      node --import tsx bench/ipc.bench.ts [--quick]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IpcScanner, scanIpcSync, type ScanOptions } from '../src/core/ipc/scan';
import type { KnownProcess } from '../src/core/ipc/scanner';
import type { IpcMap } from '../src/core/ipc/model';
import { ProcSampler } from '../src/core/sampler';
import {
  BENCH_DIR,
  formatMs,
  machineFacts,
  markdownTable,
  parseBenchArgs,
  progress,
  roundRobinOrder,
  summarize,
  writeResult,
  type Summary,
} from './lib';
import { cleanupLoadgen, compileC, countTasks, startLoad, type Load } from './loadgen';

interface Population {
  readonly label: string;
  readonly processes: number;
  readonly threads: number;
  readonly rounds: number;
}

const args = parseBenchArgs(process.argv.slice(2));
const populations: Population[] = args.quick
  ? [
      { label: 'idle', processes: 0, threads: 1, rounds: 3 },
      { label: '50×4', processes: 50, threads: 4, rounds: 3 },
    ]
  : [
      { label: 'idle', processes: 0, threads: 1, rounds: 20 },
      { label: '200×10', processes: 200, threads: 10, rounds: 20 },
      { label: '2000×4', processes: 2000, threads: 4, rounds: 15 },
    ];

// Each scenario is a parent and a forked child (see test/integration/programs/ipc/ipcdemo.c).
const SCENARIOS = ['pipe', 'socketpair', 'unix', 'tcp', 'udp', 'eventfd', 'memfd', 'posix-shm', 'sysv-shm', 'flock'] as const;
const COPIES = args.quick ? 2 : 4;

interface Contender {
  readonly name: string;
  run(): { channels: number };
}

/** The panel's scanner: one IpcScanner kept across scans, as the panel's worker keeps its own. */
const panelScanner = new IpcScanner();
/**
 * Names, identities and sizes from a sampler's poll, as the panel's worker passes its newest tick's: endpoints
 * are then named without a stat read each, and unchanged processes keep their shared mappings. Polled again
 * before each round, outside the timed scans, as the panel ticks between its scans.
 */
let known = new Map<number, KnownProcess>();
/**
 * The sampler stays open while the population's scans run, as the panel's worker keeps its sampler in the same
 * process as its scanner: its kept stat files are in the scanning process's own fd table (which the scan skips).
 */
let sampler: ProcSampler | undefined;
function pollKnown(fresh = true): void {
  if (fresh) {
    sampler?.dispose();
    sampler = new ProcSampler();
  }
  known = new Map(sampler!.pollSync({ threads: [] }).processes.map((p) => [p.pid, { name: p.name, key: p.key, vsize: p.vsize }]));
}
/** The same settings with every fd table listed on every scan (fdRecheckScans 1): the walk before fdTables.ts. */
const fullWalkScanner = new IpcScanner();

/** One population's results. */
interface IpcResultRow {
  population: string;
  processes: number;
  tasks: number;
  ipcFds: number;
  channels: number;
  loadavg: readonly number[];
  /** The warm panel scanner's last scan: fd tables listed anew and reused. */
  fdListing: { listed: number; reused: number; sameNumbers: number };
  maps: { read: number; young: number; unchanged: number };
  /** The panel's cadence: a warm scan every IPC_INTERVAL_MS, the sampler polled before each (cadenceRun). */
  cadence: { scans: number; cpuMs: Summary; meanCpuMs: number; childCpuMsPerScan: number; mapsRead: number; mapsKept: number };
  contenders: { name: string; channels: number; ms: Summary; cpuMs: Summary }[];
}

/** The panel's default IPC refresh (procscope.ipcRefreshInterval). */
const IPC_INTERVAL_MS = 3000;
const CADENCE_SCANS = args.quick ? 3 : 20;

/**
 * Warm scans at the panel's cadence, as the IPC view makes them: one IpcScanner, a scan every IPC_INTERVAL_MS, the
 * sampler polled just before each (the panel ticks every second; its newest tick's names, identities and sizes go
 * with the scan). Only the scan's own CPU is counted. The round-robin contenders run back to back, so their warm
 * scan sees less change between scans and never the 5 s refreshes of maps and ss in their true proportion.
 */
/** CPU of this process's waited-for children (`ss`), in ms: cutime + cstime of /proc/self/stat (clock ticks). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // fields 16 and 17; USER_HZ is 100 on Linux
}

async function cadenceRun(label: string): Promise<IpcResultRow['cadence']> {
  const scanner = new IpcScanner();
  try {
    pollKnown(false);
    scanner.scan({ knownProcesses: known });
    const cpu: number[] = [];
    const children0 = childrenCpuMs();
    let mapsRead = 0;
    let mapsKept = 0;
    for (let i = 0; i < CADENCE_SCANS; i++) {
      await new Promise((r) => setTimeout(r, IPC_INTERVAL_MS));
      pollKnown(false);
      const c0 = process.cpuUsage();
      scanner.scan({ knownProcesses: known });
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      mapsRead += scanner.lastMaps.read;
      mapsKept += scanner.lastMaps.young + scanner.lastMaps.unchanged;
    }
    progress(`${label}: ${CADENCE_SCANS} scans at the panel's cadence`);
    return {
      scans: cpu.length,
      cpuMs: summarize(cpu),
      meanCpuMs: cpu.reduce((a, b) => a + b, 0) / cpu.length,
      childCpuMsPerScan: (childrenCpuMs() - children0) / cpu.length,
      mapsRead,
      mapsKept,
    };
  } finally {
    scanner.dispose();
  }
}

const contenders: Contender[] = [
  {
    name: 'ProcScope scanIpc, panel settings, warm (names and sizes from the sampler, ss answer reused up to 5 s, maps up to 5 s or while unchanged, unchanged fd tables reused, epoll/timerfd detail skipped)',
    run: () => count(panelScanner.scan({ knownProcesses: known })),
  },
  {
    name: 'ProcScope scanIpc, panel settings, every fd table listed (fdRecheckScans 1)',
    run: () => count(fullWalkScanner.scan({ fdRecheckScans: 1, knownProcesses: known })),
  },
  {
    name: 'ProcScope scanIpc, panel settings, cold (a new IpcScanner: nothing cached)',
    run: () => {
      const cold = new IpcScanner();
      try {
        return count(cold.scan({ knownProcesses: known }));
      } finally {
        cold.dispose();
      }
    },
  },
  {
    name: 'ProcScope scanIpc, CLI settings (ss and maps every scan, every fdinfo)',
    run: () => count(scanIpcSync({ ssMaxAgeMs: 0, mapsMaxAgeMs: 0, anonInfo: true } satisfies ScanOptions)),
  },
  { name: 'ProcScope scanIpc, no ss (/proc/net tables), no maps', run: () => count(scanIpcSync({ useSs: false, maps: 'never' })) },
];
if (spawnSync('lsof', ['-v'], { stdio: 'ignore' }).error === undefined) {
  contenders.push({
    name: 'lsof -n -P (peer: every open file, no channel joining)',
    run: () => ({
      channels:
        spawnSync('lsof', ['-n', '-P'], { maxBuffer: 512 * 1024 * 1024 })
          .stdout.toString()
          .split('\n').length - 1,
    }),
  });
}

function count(map: IpcMap): { channels: number } {
  return { channels: map.channels.length };
}

interface Scenario {
  readonly child: ChildProcess;
  readonly facts: Record<string, number>;
  readonly mode: string;
  readonly arg: string;
}

async function startScenario(binary: string, mode: string, arg: string): Promise<Scenario> {
  const child = spawn(binary, [mode, ...(arg ? [arg] : [])], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const facts: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        Object.assign(facts, JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        if ('parent' in facts) resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`ipcdemo ${mode} exited ${code}`)));
  });
  return { child, facts, mode, arg };
}

function stopScenario(binary: string, s: Scenario): void {
  try {
    process.kill(-s.child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
  if (s.mode === 'sysv-shm') spawnSync(binary, ['rmid', 'shm', String(s.facts.id)]);
  if (s.mode === 'posix-shm') rmSync(`/dev/shm${s.arg}`, { force: true });
  if (s.mode === 'unix' || s.mode === 'flock') rmSync(s.arg, { force: true });
}

function fdCount(pids: readonly number[]): number {
  let n = 0;
  for (const pid of pids) {
    try {
      n += spawnSync('ls', [`/proc/${pid}/fd`], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean).length;
    } catch {
      /* gone */
    }
  }
  return n;
}

async function main(): Promise<void> {
  const source = readFileSync(join(BENCH_DIR, '..', 'test', 'integration', 'programs', 'ipc', 'ipcdemo.c'), 'utf8');
  const binary = compileC('ipcdemo', source, ['-lrt']);
  if (!binary) throw new Error('the IPC benchmark needs a C compiler (cc) for its scenarios');
  const scenarios: Scenario[] = [];
  let load: Load | undefined;
  const tmp = join(binary, '..');
  const stopAll = (): void => {
    for (const s of scenarios.splice(0)) stopScenario(binary, s);
  };
  process.on('exit', stopAll);
  // Interrupted (Ctrl-C, bench/run.ts killed): remove the scenarios before going; the sleeping load dies
  // with this process by itself (PR_SET_PDEATHSIG in loadgen).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      stopAll();
      process.exit(130);
    });
  const results: IpcResultRow[] = [];
  try {
    for (let copy = 0; copy < COPIES; copy++) {
      for (const mode of SCENARIOS) {
        const arg =
          mode === 'unix'
            ? join(tmp, `s${copy}.sock`)
            : mode === 'flock'
              ? join(tmp, `l${copy}`)
              : mode === 'posix-shm'
                ? `/psbench${process.pid}_${copy}`
                : mode === 'memfd'
                  ? 'bench'
                  : '';
        scenarios.push(await startScenario(binary, mode, arg));
      }
    }
    const scenarioPids = scenarios.flatMap((s) => [s.facts.parent!, s.facts.child!].filter((p) => p !== undefined));
    const ipcFds = fdCount(scenarioPids);
    progress(`${scenarios.length} IPC scenarios, ${scenarioPids.length} processes, ${ipcFds} fds`);
    for (const pop of populations) {
      if (pop.processes > 0) {
        progress(`starting ${pop.processes}×${pop.threads}`);
        load = await startLoad({ processes: pop.processes, threadsPerProcess: pop.threads, lifetimeMs: 600_000 });
      }
      const tasks = countTasks();
      const times: number[][] = contenders.map(() => []);
      // CPU time of this process (user + system): steadier than wall time when others share the cores.
      // It leaves out children (`ss`, `lsof`), whose cost shows in the wall time only.
      const cpu: number[][] = contenders.map(() => []);
      const channels: number[] = contenders.map(() => 0);
      pollKnown();
      for (const c of contenders) c.run(); // warm-up (JIT, page cache)
      const rounds = roundRobinOrder(contenders.length, pop.rounds);
      for (const order of rounds) {
        pollKnown(false);
        for (const i of order) {
          const c = contenders[i]!;
          if (c.name.startsWith('lsof') && times[i]!.length >= 3) continue; // slow and CPU-heavy on a shared machine: 3 rounds
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const r = c.run();
          times[i]!.push(performance.now() - t0);
          const used = process.cpuUsage(c0);
          cpu[i]!.push((used.user + used.system) / 1000);
          channels[i] = r.channels;
        }
      }
      const cadence = await cadenceRun(pop.label);
      const row = {
        population: pop.label,
        cadence,
        processes: tasks.processes,
        tasks: tasks.tasks,
        ipcFds,
        channels: channels[0]!,
        loadavg: machineFacts().loadavg,
        fdListing: { ...panelScanner.lastFdListing },
        maps: { ...panelScanner.lastMaps },
        contenders: contenders.map((c, i) => ({
          name: c.name,
          channels: channels[i]!,
          ms: summarize(times[i]!),
          cpuMs: summarize(cpu[i]!),
        })),
      };
      results.push(row);
      progress(`${pop.label}: ${row.contenders.map((c) => `${c.name.split(' (')[0]} ${formatMs(c.ms.median)} ms`).join('; ')}`);
      if (load) {
        await load.stop();
        load = undefined;
      }
    }
  } finally {
    sampler?.dispose();
    if (load) await load.stop();
    stopAll();
    cleanupLoadgen();
  }

  const file = writeResult('ipc', { machine: machineFacts(), scenarios: SCENARIOS, copies: COPIES, results });
  const headers = ['contender', ...results.map((r) => `${r.population} (${r.processes} proc, ${r.tasks} tasks)`)];
  const rows = contenders.map((c, i) => [
    c.name,
    ...results.map((r) => {
      const x = r.contenders[i]!;
      return `${formatMs(x.ms.median)} ms (p90 ${formatMs(x.ms.p90)})${c.name.startsWith('lsof') ? '' : `; CPU ${formatMs(x.cpuMs.median)} ms`}`;
    }),
  ]);
  process.stdout.write(
    [
      '## IPC scan',
      '',
      `Median wall time of one full IPC scan (every process's fds joined with the socket tables, /proc/sysvipc, /proc/locks), and the scanning process's own CPU time, with ${results[0]?.ipcFds ?? 0} fds held by ${SCENARIOS.length}×${COPIES} live IPC scenarios (${SCENARIOS.join(', ')}) on top of the sleeping load. A scan spawns \`ss -xtuanHe\` at most once (unix peers and TCP/UDP rows); \`no ss\` reads /proc/net/{unix,tcp,tcp6,udp,udp6} instead. Rounds repeat the scan as the panel does (every contender runs once per round, in rotating order). Load average during each population: ${results.map((r) => `${r.population} ${r.loadavg[0]}`).join(', ')}.`,
      '',
      markdownTable(headers, rows),
      '',
      `fd tables in the warm scanner's last scan, read anew (of them, read by their earlier fd numbers without listing fd/) / reused: ${results.map((r) => `${r.population} ${r.fdListing.listed} (${r.fdListing.sameNumbers}) / ${r.fdListing.reused}`).join(', ')} (the rounds run back to back, so fewer processes run between two scans than in the panel's 3 s). ` +
        `Shared mappings in that scan, read / kept younger than 5 s / kept past it, unchanged: ${results.map((r) => `${r.population} ${r.maps.read} / ${r.maps.young} / ${r.maps.unchanged}`).join(', ')}.`,
      '',
      `**At the panel's cadence** (a warm scanner scanning every ${IPC_INTERVAL_MS / 1000} s while the IPC view shows, the sampler polled before each scan as the panel ticks; ${results[0]?.cadence.scans ?? 0} scans a population after one to warm up): CPU of the scanning process per scan, mean (what a minute of the IPC view costs: the rare scans that re-read maps or run ss count in full) and median: ` +
        results
          .map(
            (r) =>
              `${r.population} mean ${formatMs(r.cadence.meanCpuMs)} ms, median ${formatMs(r.cadence.cpuMs.median)} ms (p90 ${formatMs(r.cadence.cpuMs.p90)}; plus \`ss\` ${formatMs(r.cadence.childCpuMsPerScan)} ms a scan on average; maps read ${r.cadence.mapsRead}, kept ${r.cadence.mapsKept} in all)`,
          )
          .join('; ') +
        '.',
      '',
      `Channels found (default scan): ${results.map((r) => `${r.population} ${r.channels}`).join(', ')}. Raw numbers: \`${file.replace(/^.*\/bench\//, 'bench/')}\`.`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`ipc bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
