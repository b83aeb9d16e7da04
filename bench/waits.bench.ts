// What "why is it blocked?" costs the panel. At 200×10 sleeping threads plus 50 threads that each wait for a
// party holding something (bench/blocked.c: 25 on pthread mutexes held by other threads, 23 on pipes whose far
// ends another process holds, 2 in a two-mutex deadlock), in one process and one run:
//  (a) the panel tick without any wait look: the panel's worker (src/worker/panelWorker.ts, bundled as the
//      extension bundles it) polls every process plus the threads of five, diffs and scopes, as in paneltick;
//  (b) the two wait looks as the panel runs them, each first on a new WaitsQuery (cold: the probe cache is
//      empty, every blocked thread's syscall file is read) and again on one kept across rounds (warm: facts
//      of threads whose state, wait channel and CPU time did not change come from the cache):
//      - `cycles(pids, known, ipc)`, the deadlock look after each IPC scan, for the "This workspace" scope (the
//        four blocked processes) and for "All processes" (null: every sleeping thread on the machine);
//      - `forProcess(pid, key, ipc)`, the detail pane's look at the selected process (wb-mutex, 25 waiters);
//  (c) the ratio of the added CPU to the tick's, per look and at the panel's cadence (both looks run once per
//      IPC refresh, 3 s by default, against one tick a second).
// CPU is the whole process (main thread and worker) from process.cpuUsage(); the looks run on the main thread
// while the worker is idle between ticks. The target is printed at the end; a missed target does not fail the run.
//
// Run: npm run bench -- waits          (about 2 minutes)
//      npm run bench -- --quick waits  (50×10, 4 rounds)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IpcMap } from '../src/core/ipc/model';
import { scanIpcSync } from '../src/core/ipc/scan';
import { collectWaits } from '../src/core/waits/collect';
import type { ThreadProbe } from '../src/core/waits/probe';
import { createBackend } from '../src/extension/backend';
import type { TickRequest } from '../src/worker/protocol';
import { WaitsQuery } from '../src/worker/waitsQuery';
import type { WaitCycle, WaitsResult } from '../src/protocol';
import {
  BENCH_DIR,
  BENCH_SCOPE,
  formatMs,
  formatRatio,
  machineFacts,
  markdownTable,
  parseBenchArgs,
  progress,
  roundRobinOrder,
  runBundled,
  settle,
  summarize,
  writeResult,
  type Summary,
} from './lib';
import { bundleTs, cleanupLoadgen, compileC, countTasks, startLoad, stopGroup } from './loadgen';

const args = parseBenchArgs(process.argv.slice(2));
const ROUNDS = args.quick ? 4 : 15;
const LOAD = args.quick ? { label: '50×10', processes: 50, threads: 10 } : { label: '200×10', processes: 200, threads: 10 };
/** The panel's default cadences (procscope.refreshInterval, procscope.ipcRefreshInterval). */
const TICK_MS = 1000;
const IPC_MS = 3000;
/** The target: both looks, warm, at the IPC cadence, add at most this share to the tick's CPU. */
const TARGET_ADDED = 0.1;
const LIFETIME_S = 600;

/** A probe result that reads as running: no fact, no edge, no file read. */
const RUNNING: ThreadProbe = { wchan: null, line: { kind: 'running' }, unavailable: {} };

/** What bench/blocked.c sets up; verified by a look before anything is timed. */
const MUTEX_WAITERS = 25;
const PIPE_WAITERS = 23;
const DEADLOCKED = 2;

interface Blocked {
  readonly parent: number;
  readonly mutex: number;
  readonly pipes: number;
  readonly deadlock: number;
  stop(): Promise<void>;
}

/** Starts bench/blocked.c (compiled now) and waits until each of its children says its threads are started. */
async function startBlocked(): Promise<Blocked> {
  const bin = compileC('blocked', readFileSync(join(BENCH_DIR, 'blocked.c'), 'utf8'), ['-pthread']);
  if (!bin) throw new Error('no working C compiler: the blocked threads cannot be built (bench/blocked.c)');
  const child: ChildProcess = spawn(bin, [String(LIFETIME_S)], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  if (child.pid === undefined) throw new Error('could not start bench/blocked.c');
  const launcher = child.pid;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const pids = new Map<string, number>();
  const ready = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [what, role, pid] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        if (what === 'pid' && role && pid) pids.set(role, Number(pid));
        if (what === 'ready' && role) ready.add(role);
      }
      if (ready.size === 3 && pids.size === 4) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`bench/blocked.c exited early (code ${code}, signal ${signal})`)));
  });
  child.stdout?.resume();
  const all = [...pids.values()];
  const stop = async (): Promise<void> => {
    await stopGroup(launcher, all, () => exited, 10_000);
  };
  const get = (role: string): number => {
    const pid = pids.get(role);
    if (pid === undefined) throw new Error(`bench/blocked.c did not name its ${role} process`);
    return pid;
  };
  return { parent: get('parent'), mutex: get('mutex'), pipes: get('pipes'), deadlock: get('deadlock'), stop };
}

/**
 * Whether the looks see what bench/blocked.c set up: each mutex waiter's holder, each pipe waiter's holder
 * (wb-parent), and the deadlock. A benchmark of a look that finds nothing would measure the wrong work.
 * Returns what is missing, or null.
 */
function missing(b: Blocked, mutexLook: WaitsResult, pipesLook: WaitsResult, cycles: readonly WaitCycle[]): string | null {
  const mutexHeld = mutexLook.threads.filter(
    (t) =>
      t.waitingFor?.kind === 'mutex' &&
      t.waitingFor.holder?.pid === b.mutex &&
      (mutexLook.names[`${b.mutex}/${t.waitingFor.holder.tid}`] ?? '').startsWith('holder-'),
  );
  if (mutexHeld.length !== MUTEX_WAITERS) return `${mutexHeld.length} of ${MUTEX_WAITERS} mutex waiters named their holder thread`;
  const pipeHeld = pipesLook.threads.filter((t) => t.waitingFor?.kind === 'pipe' && t.waitingFor.holder?.pid === b.parent);
  if (pipeHeld.length !== PIPE_WAITERS)
    return `${pipeHeld.length} of ${PIPE_WAITERS} pipe waiters named wb-parent as the party that can wake them`;
  const dl = cycles.filter((c) => c.members.length === DEADLOCKED && c.members.every((m) => m.pid === b.deadlock));
  if (cycles.length !== 1 || dl.length !== 1)
    return `the deadlock look found ${cycles.length} cycles, ${dl.length} of them the two-mutex deadlock`;
  return null;
}

interface Look {
  readonly name: string;
  readonly cpu: number[];
  readonly wall: number[];
  readonly run: () => void;
}

interface LookResult {
  readonly name: string;
  /** CPU ms per round, in round order (the tick's of the same round is tickCpu[i]). */
  readonly cpu: readonly number[];
  readonly cpuMs: Summary;
  readonly wallMs: Summary;
}

async function main(): Promise<void> {
  const worker = bundleTs('panelWorker', join(BENCH_DIR, '..', 'src', 'worker', 'panelWorker.ts'));
  progress(`waits: ${LOAD.label} and bench/blocked.c`);
  const load = await startLoad({ processes: LOAD.processes, threadsPerProcess: LOAD.threads, lifetimeMs: LIFETIME_S * 1000 });
  let blocked: Blocked | undefined;
  const backend = createBackend(worker);
  try {
    blocked = await startBlocked();
    const b = blocked;
    const workspace = [b.parent, b.mutex, b.pipes, b.deadlock];
    // The selected process's threads are expanded, with four of the load's: five processes' threads, as in paneltick.
    const tick = (full: boolean): TickRequest => ({ threads: [b.mutex, ...load.pids.slice(0, 4)], full, scope: BENCH_SCOPE });
    const first = await backend.tick(tick(true));
    if (first.kind !== 'snapshot') throw new Error('the first tick did not return a full snapshot');
    // The worker's knownProcesses(): every process of the snapshot with its key. The measured processes are all
    // in it; a process started later elsewhere on the machine is keyed from /proc by the look itself.
    const known = new Map(first.snapshot.processes.map((p) => [p.pid, { name: p.name, key: p.key }]));
    const keyOf = (pid: number): string => {
      const k = known.get(pid)?.key;
      if (!k) throw new Error(`process ${pid} is not in the first snapshot`);
      return k;
    };
    const mutexKey = keyOf(b.mutex);
    // The IPC scan the worker makes at the IPC cadence, which both looks reuse; not billed to them.
    let ipc: IpcMap = scanIpcSync({ knownProcesses: known });

    // The threads block right after their process says "ready": wait until a look sees all of it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const q = new WaitsQuery();
      const why = missing(
        b,
        q.forProcess(b.mutex, mutexKey, ipc),
        q.forProcess(b.pipes, keyOf(b.pipes), ipc),
        q.cycles(workspace, known, ipc),
      );
      if (why === null) break;
      if (Date.now() > deadline) throw new Error(`the blocked threads are not what bench/blocked.c sets up: ${why}`);
      await sleep(200);
      ipc = scanIpcSync({ knownProcesses: known });
    }

    // How many threads each look probes (S or D, kernel threads left out), counted once, untimed.
    let probedAll = 0;
    let probedWorkspace = 0;
    collectWaits({
      ipc,
      probe: (dir) => {
        probedAll++;
        if (workspace.includes(Number(dir.split('/')[2]))) probedWorkspace++;
        return RUNNING;
      },
    });

    const warm = new WaitsQuery();
    const warmAll = new WaitsQuery(); // its own cycle cache: a look over other pids would sweep the workspace look's entries
    const looks: Look[] = [
      {
        name: 'cycles, "This workspace" (4 processes), cold',
        cpu: [],
        wall: [],
        run: () => {
          new WaitsQuery().cycles(workspace, known, ipc);
        },
      },
      {
        name: 'cycles, "This workspace" (4 processes), warm',
        cpu: [],
        wall: [],
        run: () => {
          warm.cycles(workspace, known, ipc);
        },
      },
      {
        name: 'forProcess(wb-mutex), cold',
        cpu: [],
        wall: [],
        run: () => {
          new WaitsQuery().forProcess(b.mutex, mutexKey, ipc);
        },
      },
      {
        name: 'forProcess(wb-mutex), warm',
        cpu: [],
        wall: [],
        run: () => {
          warm.forProcess(b.mutex, mutexKey, ipc);
        },
      },
      {
        name: 'cycles, "All processes" (null), cold',
        cpu: [],
        wall: [],
        run: () => {
          new WaitsQuery().cycles(null, known, ipc);
        },
      },
      {
        name: 'cycles, "All processes" (null), warm',
        cpu: [],
        wall: [],
        run: () => {
          warmAll.cycles(null, known, ipc);
        },
      },
      // Not a look the panel makes: the part every look pays before any thread is probed (listing /proc, every
      // process's and every task's stat), to tell the walk from the probes.
      {
        name: 'floor: collectWaits probing no thread',
        cpu: [],
        wall: [],
        run: () => {
          collectWaits({ ipc, probe: () => RUNNING });
        },
      },
    ];
    // One unmeasured round: the warm queries fill their caches, and every code path is compiled.
    for (const l of looks) l.run();
    const tickCpu: number[] = [];
    const tickWall: number[] = [];
    await settle(2000);
    const tasks = countTasks();
    const loadavg = machineFacts().loadavg;
    const order = roundRobinOrder(looks.length, ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      await sleep(TICK_MS);
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      await backend.tick(tick(false));
      tickWall.push(performance.now() - t0);
      let c = process.cpuUsage(c0);
      tickCpu.push((c.user + c.system) / 1000);
      // A fresh scan each round, as the panel scans before each deadlock look; not billed.
      ipc = scanIpcSync({ knownProcesses: known });
      for (const i of order[r] ?? []) {
        const look = looks[i] as Look;
        await sleep(20); // apart from the tick and the previous look, so neither's trailing work is billed here
        c0 = process.cpuUsage();
        t0 = performance.now();
        look.run();
        look.wall.push(performance.now() - t0);
        c = process.cpuUsage(c0);
        look.cpu.push((c.user + c.system) / 1000);
      }
      progress(`waits: round ${r + 1}/${ROUNDS}, tick ${formatMs(tickCpu[r] as number)} ms CPU`);
    }
    // The facts are still there after the timed rounds (nothing woke up meanwhile).
    const after = new WaitsQuery();
    const why = missing(
      b,
      after.forProcess(b.mutex, mutexKey, ipc),
      after.forProcess(b.pipes, keyOf(b.pipes), ipc),
      after.cycles(workspace, known, ipc),
    );
    if (why !== null) throw new Error(`after the rounds: ${why}`);
    // The warm query answers from its cache: its facts must be the same.
    const warmWhy = missing(
      b,
      warm.forProcess(b.mutex, mutexKey, ipc),
      warm.forProcess(b.pipes, keyOf(b.pipes), ipc),
      warm.cycles(workspace, known, ipc),
    );
    if (warmWhy !== null) throw new Error(`the warm query after the rounds: ${warmWhy}`);

    report({
      tasks,
      loadavg,
      probedAll,
      probedWorkspace,
      tick: { cpu: tickCpu, cpuMs: summarize(tickCpu), wallMs: summarize(tickWall) },
      looks: looks.map((l) => ({ name: l.name, cpu: l.cpu, cpuMs: summarize(l.cpu), wallMs: summarize(l.wall) })),
    });
  } finally {
    backend.dispose();
    await blocked?.stop();
    await load.stop();
    cleanupLoadgen();
  }
}

function report(r: {
  tasks: { processes: number; tasks: number };
  probedAll: number;
  probedWorkspace: number;
  tick: { cpu: readonly number[]; cpuMs: Summary; wallMs: Summary };
  looks: LookResult[];
  loadavg: readonly number[];
}): void {
  const tick = r.tick.cpuMs.median;
  const by = (name: string): LookResult => {
    const found = r.looks.find((l) => l.name.startsWith(name));
    if (!found) throw new Error(`no look named ${name}`);
    return found;
  };
  const perTick = TICK_MS / IPC_MS; // looks per tick at the panel's cadence
  const added = (cycles: LookResult, detail: LookResult): number => (cycles.cpuMs.median + detail.cpuMs.median) * perTick;
  // The same ratio round by round (each round's looks against that round's tick), for its spread.
  const perRound = (cycles: LookResult, detail: LookResult): Summary =>
    summarize(r.tick.cpu.map((t, i) => (((cycles.cpu[i] ?? NaN) + (detail.cpu[i] ?? NaN)) * perTick) / t));
  const spread = (s: Summary): string => `${formatMs(s.median)} (p90 ${formatMs(s.p90)}, ${formatMs(s.min)}–${formatMs(s.max)})`;
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const scenarios = [
    {
      name: '"This workspace", warm (steady state)',
      cycles: by('cycles, "This workspace" (4 processes), warm'),
      detail: by('forProcess(wb-mutex), warm'),
    },
    {
      name: '"This workspace", cold (first look after opening or selecting)',
      cycles: by('cycles, "This workspace" (4 processes), cold'),
      detail: by('forProcess(wb-mutex), cold'),
    },
    { name: '"All processes", warm', cycles: by('cycles, "All processes" (null), warm'), detail: by('forProcess(wb-mutex), warm') },
    { name: '"All processes", cold', cycles: by('cycles, "All processes" (null), cold'), detail: by('forProcess(wb-mutex), cold') },
  ];
  const steady = scenarios[0]!;
  const steadyAdded = added(steady.cycles, steady.detail) / tick;
  const lines = [
    '## Why-blocked cost',
    '',
    `Command: \`npm run bench -- ${args.quick ? '--quick ' : ''}waits\`. ${LOAD.label} sleeping threads (bench/loadgen.ts) plus ` +
      'bench/blocked.c: 25 threads blocked on pthread mutexes held by 5 other threads, 12 reading empty and 11 writing full pipes ' +
      'whose far ends another process holds, and 2 threads in a two-mutex deadlock (50 threads waiting for a party). ' +
      `${r.tasks.processes} processes, ${r.tasks.tasks} tasks in /proc; load average ${r.loadavg.join(', ')} at the start of the rounds. ${ROUNDS} rounds, one a second: one panel tick through the panel's ` +
      'worker (poll of every process plus the threads of five, diff, scope: what paneltick measures), then each wait look once, in ' +
      'rotating order, after a fresh IPC scan (not billed: the panel scans anyway). Cold = a new `WaitsQuery` (empty probe cache); ' +
      'warm = one `WaitsQuery` kept across rounds. CPU of the whole process from process.cpuUsage(), in ms: median (p90, min–max). ' +
      'Before and after the rounds a look checks that every mutex waiter names its holder thread, every pipe waiter names the ' +
      'process holding the far end, and the deadlock is the one cycle found; after them, the warm query too.',
    '',
    markdownTable(
      ['measured', 'CPU ms', 'wall ms (median)', 'CPU ÷ tick'],
      [
        ['(a) panel tick, no wait look', spread(r.tick.cpuMs), formatMs(r.tick.wallMs.median), '1'],
        ...r.looks.map((l) => [
          l.name.startsWith('floor') ? l.name : `(b) ${l.name}`,
          spread(l.cpuMs),
          formatMs(l.wallMs.median),
          formatRatio(l.cpuMs.median / tick),
        ]),
      ],
    ),
    '',
    `Every look lists /proc and reads the stat of every process and every task (the floor row: that walk with no thread ` +
      `probed). Then it probes sleeping threads (wchan each time; the syscall file and, for a futex, the mutex word in ` +
      `/proc/PID/mem unless cached): the "This workspace" cycle look probes the ${r.probedWorkspace} sleeping threads of its four ` +
      `processes; the "All processes" look and forProcess probe every sleeping thread on the machine (${r.probedAll}), ` +
      'forProcess because its graph spans every process, so that a cycle through any process is complete.',
    '',
    `(c) Added CPU per tick at the panel's cadence: the deadlock look and the detail pane's look (a blocked process selected, ` +
      `Details shown) each run once per IPC refresh (${IPC_MS} ms), ticks once per ${TICK_MS} ms, so a tick carries ${perTick.toFixed(2)} of each.`,
    '',
    markdownTable(
      [
        'scope and cache',
        'looks, CPU ms per IPC refresh',
        'added CPU ms per tick',
        'added ÷ tick (medians)',
        'added ÷ tick round by round: median (min–max)',
      ],
      scenarios.map((s) => {
        const per = s.cycles.cpuMs.median + s.detail.cpuMs.median;
        const rounds = perRound(s.cycles, s.detail);
        return [
          s.name,
          formatMs(per),
          formatMs(per * perTick),
          pct(added(s.cycles, s.detail) / tick),
          `${pct(rounds.median)} (${pct(rounds.min)}–${pct(rounds.max)})`,
        ];
      }),
    ),
    '',
    `### Target: the why-blocked looks add at most ${pct(TARGET_ADDED)} to the panel tick's CPU at ${LOAD.label} with 50 blocked threads (warm, "This workspace", one blocked process selected)`,
    '',
    `- ${steadyAdded <= TARGET_ADDED ? 'met' : 'missed'}: ${pct(steadyAdded)} (${formatMs(added(steady.cycles, steady.detail))} ms per tick on a ${formatMs(tick)} ms tick; ` +
      `the looks themselves cost ${formatMs(steady.cycles.cpuMs.median)} + ${formatMs(steady.detail.cpuMs.median)} ms per IPC refresh).`,
  ];
  const markdown = lines.join('\n');
  writeResult('waits', { machine: machineFacts(), quick: args.quick, ...r, markdown });
  process.stdout.write(`${markdown}\n`);
}

runBundled('waits', __filename, main);
