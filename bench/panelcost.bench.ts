// What the user's machine pays for the live panel, whole: the packaged .vsix in a real code-server, the panel
// open at 1 Hz, against `htop -d 10` (1 Hz, userland threads shown, htop's default) in the same run.
//
//   npm run bench -- panelcost            60 s windows after a 15 s warm-up: idle, 200×10, 2000×4
//   npm run bench -- --quick panelcost    12 s windows after a 5 s warm-up (a smoke check, not for quoting)
//   PROCSCOPE_PANELCOST_WINDOW_S=30 ...   another window length
//
// The panel's cost is the CPU time (utime + stime of /proc/PID/stat, which sums every thread of a process, ended
// threads included) of the extension host process (its main thread, the panel's worker thread, V8's GC threads)
// plus every Chromium renderer (the workbench and the webview), over a window with the panel open, MINUS the
// same processes over a window of the same length with the panel closed (the baseline: VS Code itself, idle).
// htop runs under a pseudo-terminal (`script`) during the baseline window, so it shares the machine with the
// same VS Code, and is measured from /proc the same way (the htop process only; `script` relays its output).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVsCode, type VsCode } from '../test/e2e/harness';
import { formatRatio, machineFacts, markdownTable, parseBenchArgs, progress, writeResult } from './lib';
import {
  cmdline,
  descendantsOf,
  QUIET_VSCODE_SETTINGS,
  waitForExtensionHost,
  findRenderers,
  openPanel,
  packageVsix,
  parentMap,
  readProc,
} from './codeServer';
import { cleanupLoadgen, countTasks, startLoad } from './loadgen';

const args = parseBenchArgs(process.argv.slice(2));
const WINDOW_S = Number(process.env.PROCSCOPE_PANELCOST_WINDOW_S ?? (args.quick ? 12 : 60));
const WARMUP_S = args.quick ? 5 : 15;
const SIZES: readonly { label: string; processes: number; threads: number }[] = [
  { label: 'idle', processes: 0, threads: 1 },
  { label: '200×10', processes: 200, threads: 10 },
  { label: '2000×4', processes: 2000, threads: 4 },
];
const TARGET = 0.5;
const TARGET_SIZES = new Set(['200×10', '2000×4']);
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU ticks per pid now; a pid that has ended is absent. */
function sample(pids: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const info = readProc(pid);
    if (info) m.set(pid, info.ticks);
  }
  return m;
}

/** Per-thread CPU ticks of one process, keyed by tid, with the thread's name. */
function sampleThreads(pid: number): Map<number, { name: string; ticks: number }> {
  const m = new Map<number, { name: string; ticks: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return m;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(Number(tid), { name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the thread ended while we looked
    }
  }
  return m;
}

/** % of one core used between two samples over `seconds`, pids that appeared meanwhile counted from zero. */
function pctBetween(a: Map<number, number>, b: Map<number, number>, seconds: number): number {
  let ticks = 0;
  for (const [pid, t] of b) ticks += t - (a.get(pid) ?? 0);
  return (ticks / CLK_TCK / seconds) * 100;
}

interface WindowCost {
  readonly exthost: number;
  readonly renderers: number;
  /** The extension host's threads grouped by name, % of a core (threads that ended meanwhile are not listed). */
  readonly exthostThreads: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Measures the extension host and the renderers over one window of WINDOW_S seconds. */
async function measureWindow(vsc: VsCode, exthost: number): Promise<WindowCost> {
  const renderers = findRenderers();
  const r0 = sample(renderers);
  const e0 = sample([exthost]);
  const th0 = sampleThreads(exthost);
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const seconds = (performance.now() - t0) / 1000;
  // Renderers started during the window (a webview's frame) are counted from zero.
  const r1 = sample(findRenderers());
  const e1 = sample([exthost]);
  const th1 = sampleThreads(exthost);
  if (!e1.has(exthost)) throw new Error('the extension host ended during the window');
  // Node names every thread "node" except V8's and libuv's helpers: the main thread is told apart by its tid.
  const byName: Record<string, number> = {};
  for (const [tid, t] of th1) {
    const name = tid === exthost ? 'main' : t.name.replace(/\d+$/, '#');
    byName[name] = (byName[name] ?? 0) + ((t.ticks - (th0.get(tid)?.ticks ?? 0)) / CLK_TCK / seconds) * 100;
  }
  return { exthost: pctBetween(e0, e1, seconds), renderers: pctBetween(r0, r1, seconds), exthostThreads: byName, seconds };
}

/** htop at 1 Hz in a pseudo-terminal of 200×50 with a config of its own (defaults: userland threads shown). */
function startHtop(home: string): { child: ChildProcess; htopPid: () => number | null } {
  const child = spawn('script', ['-qfc', 'stty cols 200 rows 50; exec htop -d 10', '/dev/null'], {
    stdio: ['pipe', 'ignore', 'ignore'], // stdin stays open: on EOF `script` would end the session
    env: { ...process.env, TERM: 'xterm-256color', HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    detached: true,
  });
  const htopPid = (): number | null => {
    if (!child.pid) return null;
    const parents = parentMap();
    return descendantsOf(child.pid, parents).find((pid) => cmdline(pid).startsWith('htop')) ?? null;
  };
  return { child, htopPid };
}

async function stopHtop(child: ChildProcess): Promise<void> {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

interface SizeResult {
  readonly label: string;
  readonly processes: number;
  readonly tasks: number;
  readonly loadavg: readonly number[];
  readonly baseline: WindowCost;
  readonly all: WindowCost;
  readonly workspace: WindowCost;
  readonly closedAfter: WindowCost;
  readonly htop: number;
}

const panelAll = (c: WindowCost, base: WindowCost): number => c.exthost + c.renderers - base.exthost - base.renderers;

async function withLoad<T>(size: (typeof SIZES)[number], windows: number, body: () => Promise<T>): Promise<T> {
  const lifetimeMs = (windows * (WINDOW_S + WARMUP_S) + 180) * 1000;
  const load = size.processes ? await startLoad({ processes: size.processes, threadsPerProcess: size.threads, lifetimeMs }) : null;
  try {
    return await body();
  } finally {
    await load?.stop();
  }
}

/** Phase one, the panel never opened in this session: VS Code with ProcScope activated, and htop beside it. */
async function measureBaseline(
  vsc: VsCode,
  exthost: number,
  htopHome: string,
  size: (typeof SIZES)[number],
): Promise<{ baseline: WindowCost; htop: number }> {
  return withLoad(size, 1, async () => {
    progress(`panelcost ${size.label}: baseline (panel never opened) with htop, ${WINDOW_S} s after ${WARMUP_S} s`);
    const htop = startHtop(htopHome);
    try {
      await sleep(WARMUP_S * 1000);
      const hp = htop.htopPid();
      if (hp === null) throw new Error('htop did not start under script (is htop installed? scripts/setup.sh installs it)');
      const h0 = sample([hp]);
      const baseline = await measureWindow(vsc, exthost);
      const h1 = sample([hp]);
      if (!h1.has(hp)) throw new Error('htop ended during the window');
      return { baseline, htop: pctBetween(h0, h1, baseline.seconds) };
    } finally {
      await stopHtop(htop.child);
    }
  });
}

/** Phase two: the panel on "All processes", then on "This workspace", then closed again. */
async function measurePanel(
  vsc: VsCode,
  exthost: number,
  size: (typeof SIZES)[number],
): Promise<Pick<SizeResult, 'all' | 'workspace' | 'closedAfter' | 'tasks' | 'loadavg'>> {
  return withLoad(size, 3, async () => {
    const tasks = countTasks().tasks;
    const loadavg = machineFacts().loadavg;
    progress(`panelcost ${size.label}: panel on All processes`);
    await openPanel(vsc, 'all');
    await sleep(WARMUP_S * 1000);
    const all = await measureWindow(vsc, exthost);
    progress(`panelcost ${size.label}: panel on This workspace`);
    await openPanel(vsc, 'workspace');
    await sleep(WARMUP_S * 1000);
    const workspace = await measureWindow(vsc, exthost);
    progress(`panelcost ${size.label}: panel closed again`);
    await vsc.runCommand('View: Close All Editors');
    await sleep(WARMUP_S * 1000);
    const closedAfter = await measureWindow(vsc, exthost);
    return { all, workspace, closedAfter, tasks, loadavg };
  });
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)} %` : '–');

function topThreads(c: WindowCost, base: WindowCost): string {
  return (
    Object.entries(c.exthostThreads)
      .map(([name, v]) => [name, v - (base.exthostThreads[name] ?? 0)] as const)
      .filter(([, v]) => v >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, v]) => `${name} ${v.toFixed(2)}`)
      .join(', ') || '–'
  );
}

async function main(): Promise<void> {
  const vsix = packageVsix();
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-panelcost-ws-')));
  const htopHome = mkdtempSync(join(tmpdir(), 'procscope-panelcost-htop-'));
  const results: SizeResult[] = [];
  let vsc: VsCode | undefined;
  try {
    vsc = await startVsCode({
      workspace,
      vsixPath: vsix,
      timeoutMs: 180_000,
      settings: { 'procscope.refreshInterval': 1000, 'procscope.defaultScope': 'all', ...QUIET_VSCODE_SETTINGS },
    });
    // ProcScope activates when start-up has finished (onStartupFinished); let that and the workbench settle.
    const exthost = await waitForExtensionHost(vsc);
    await sleep(WARMUP_S * 1000);
    const baselines = [];
    for (const size of SIZES) baselines.push(await measureBaseline(vsc, exthost, htopHome, size));
    for (const [i, size] of SIZES.entries()) {
      const r: SizeResult = { label: size.label, processes: size.processes, ...baselines[i]!, ...(await measurePanel(vsc, exthost, size)) };
      progress(
        `panelcost ${size.label}: panel (all) ${panelAll(r.all, r.baseline).toFixed(2)} %, (workspace) ${panelAll(r.workspace, r.baseline).toFixed(2)} %, closed again ${panelAll(r.closedAfter, r.baseline).toFixed(2)} %, htop ${r.htop.toFixed(2)} %`,
      );
      results.push(r);
    }
  } finally {
    await vsc?.close();
    cleanupLoadgen();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(htopHome, { recursive: true, force: true });
  }

  const lines = [
    '## Panel, whole cost, in code-server',
    '',
    `Command: \`${process.env.PROCSCOPE_PANELCOST_WINDOW_S ? `PROCSCOPE_PANELCOST_WINDOW_S=${WINDOW_S} ` : ''}npm run bench -- ${args.quick ? '--quick ' : ''}panelcost\`. The packaged .vsix in code-server, the panel visible at 1 Hz; ` +
      `${WINDOW_S} s windows after ${WARMUP_S} s of warm-up. "Panel" is the CPU (utime + stime from /proc, all threads) of the extension host ` +
      'plus every Chromium renderer with the panel open, minus the same processes over a window in which the panel had never been ' +
      'opened (ProcScope activated, the workbench idle); "closed again" is a window after the panel was closed, minus the same baseline. ' +
      'htop is `htop -d 10` (1 Hz, userland threads shown) in a 200×50 pseudo-terminal during the baseline window, measured the same way. ' +
      'Percentages are of one core; "exthost threads" names the extension host\'s threads (Node calls its worker threads "node").',
    '',
    markdownTable(
      [
        'size',
        'tasks in /proc',
        'load avg (1 min)',
        'baseline: exthost + renderers',
        'panel, All processes (exthost + renderers)',
        'panel, This workspace',
        'closed again',
        'htop -d 10',
        'All / htop',
        'This workspace / htop',
        'exthost threads, All (above baseline)',
      ],
      results.map((r) => [
        r.label,
        String(r.tasks),
        String(r.loadavg[0] ?? '–'),
        `${pct(r.baseline.exthost)} + ${pct(r.baseline.renderers)}`,
        `${pct(panelAll(r.all, r.baseline))} (${pct(r.all.exthost - r.baseline.exthost)} + ${pct(r.all.renderers - r.baseline.renderers)})`,
        pct(panelAll(r.workspace, r.baseline)),
        pct(panelAll(r.closedAfter, r.baseline)),
        pct(r.htop),
        formatRatio(panelAll(r.all, r.baseline) / r.htop),
        formatRatio(panelAll(r.workspace, r.baseline) / r.htop),
        topThreads(r.all, r.baseline),
      ]),
    ),
    '',
    `### Target: panel on "All processes" at most ${TARGET}× htop at 200×10 and 2000×4`,
    '',
    ...results
      .filter((r) => TARGET_SIZES.has(r.label))
      .map((r) => {
        const ratio = panelAll(r.all, r.baseline) / r.htop;
        return `- ${r.label}: ${formatRatio(ratio)} htop (${pct(panelAll(r.all, r.baseline))} against ${pct(r.htop)}): ${ratio <= TARGET ? 'met' : 'missed'}`;
      }),
  ];
  const markdown = lines.join('\n');
  writeResult('panelcost', {
    machine: machineFacts(),
    quick: args.quick,
    windowS: WINDOW_S,
    warmupS: WARMUP_S,
    clkTck: CLK_TCK,
    results,
    markdown,
  });
  process.stdout.write(`${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`panelcost benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
