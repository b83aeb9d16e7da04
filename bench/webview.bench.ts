// The panel's rendering cost in real headless Chromium (the fake host of test/webview/page.ts, the built
// dist/webview bundle): the first render of 10,000 process rows, applying a delta that changes 2,000 of them
// (message post → handled → next frame drawn), the same at 2,000 processes where every process changed,
// scrolling smoothness (frame intervals from requestAnimationFrame timestamps while the list scrolls three
// rows per frame), the IPC graph layout (elkjs) at ~50 and ~300 processes, and the renderer's steady cost
// at 1 Hz with the list alone, with a process's details, and with the machine summary open.
//
// The 10,000 processes are made from the real processes recorded in test/webview/fixtures/snapshot.json
// (names, command lines, users, sizes), copied under new pids and arranged in a tree; the deltas change
// CPU%, RSS, CPU time and sometimes the state, as the live poll does.
//
// Run: npm run bench -- webview   |   node --import tsx bench/webview.bench.ts [--quick] [steady]
// (`steady`: the 1 Hz section alone, `steady list`: only its list view; PROCSCOPE_WEBVIEW_DIST=<dir> serves another build, for A/B runs.)
// Needs the built webview (npm run build).
import type { Delta, ProcessChange, ProcessInfo, Snapshot } from '../src/core/model';
import type { IpcMap, PipeChannel } from '../src/core/ipc/model';
import type { SnapshotMessage, ToWebview } from '../src/protocol';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, REPO } from '../test/webview/page';
import { formatMs, markdownTable, parseBenchArgs, progress, summarize, writeResult, type Summary } from './lib';
import { ipcMapOf } from '../test/unit/fakeIpc';
import type { ProcessDetail } from '../src/core/detail';
import { readMachineSample, summarize as summarizeMachine } from '../src/core/summary';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = parseBenchArgs(process.argv.slice(2));
const ROUNDS = args.quick
  ? { first: 2, delta: 5, scrollFrames: 120, layout: 2, steadySeconds: 10, steadyRounds: 2 }
  : { first: 5, delta: 20, scrollFrames: 400, layout: 5, steadySeconds: 20, steadyRounds: 3 };

/** Deterministic pseudo-random numbers (a run can be repeated exactly). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeSnapshot(base: Snapshot, count: number): Snapshot {
  const real = base.processes.filter((p) => !p.kernelThread);
  const random = rng(count);
  const processes: ProcessInfo[] = [];
  for (let i = 0; i < count; i++) {
    const src = real[i % real.length]!;
    const pid = 100000 + i;
    // A tree: the first process is the root; others hang under a random earlier process near the top,
    // so the tree is a few levels deep and wide, like a machine with many shells and services.
    const ppid = i === 0 ? 0 : 100000 + Math.floor(random() * Math.min(i, 1 + i / 8));
    const startTicks = 1000 + i;
    const { threads: _threads, ...rest } = src;
    processes.push({ ...rest, pid, ppid, pgid: pid, sid: pid, startTicks, key: `${pid}@${startTicks}` });
  }
  return { ...base, processes };
}

function makeDelta(snapshot: ProcessInfo[], changedCount: number, timestamp: number, seed: number): Delta {
  const random = rng(seed);
  const changed: ProcessChange[] = [];
  const picked = new Set<number>();
  while (picked.size < Math.min(changedCount, snapshot.length)) picked.add(Math.floor(random() * snapshot.length));
  for (const i of picked) {
    const p = snapshot[i]!;
    const change: { -readonly [K in keyof ProcessChange]: ProcessChange[K] } = {
      key: p.key,
      cpuPercent: Math.round(random() * 4000) / 100,
      rss: p.rss + Math.floor(random() * 64) * 4096,
      utimeMs: p.utimeMs + 10 + Math.floor(random() * 100),
    };
    if (random() < 0.1) change.state = p.state === 'R' ? 'S' : 'R';
    changed.push(change);
  }
  return { timestamp, intervalMs: 1000, added: [], removed: [], changed };
}

function makeIpc(processes: readonly ProcessInfo[], nodes: number, seed: number): IpcMap {
  const random = rng(seed);
  const channels: PipeChannel[] = [];
  const pick = processes.slice(0, nodes);
  const pipe = (a: ProcessInfo, b: ProcessInfo, n: number): PipeChannel => ({
    kind: 'pipe',
    id: `pipe:${seed}:${n}`,
    label: `pipe ${seed * 1000 + n}`,
    inode: seed * 1000 + n,
    endpoints: [
      { pid: a.pid, fd: 1, role: 'write', processName: a.name, processKey: a.key },
      { pid: b.pid, fd: 0, role: 'read', processName: b.name, processKey: b.key },
    ],
  });
  for (let i = 1; i < pick.length; i++) channels.push(pipe(pick[Math.floor(random() * i)]!, pick[i]!, i));
  for (let i = 0; i < pick.length / 2; i++)
    channels.push(pipe(pick[Math.floor(random() * pick.length)]!, pick[Math.floor(random() * pick.length)]!, pick.length + i));
  return ipcMapOf(channels);
}

interface Timing {
  readonly handledMs: number;
  readonly frameMs: number;
}

/** Posts a message inside the page and times it: until the app's handler returned, and until the next frame was drawn. */
async function timeMessage(host: FakeHost, message: ToWebview): Promise<Timing> {
  // Hand the message to the page first (untimed): the DevTools transfer is not part of what VS Code does.
  await host.page.evaluate(
    (m) => {
      (window as unknown as { __benchMessage: unknown }).__benchMessage = m;
    },
    message as unknown as Record<string, unknown>,
  );
  return host.page.evaluate(
    () =>
      new Promise<{ handledMs: number; frameMs: number }>((resolve) => {
        const w = window as unknown as { __benchMessage: unknown };
        const t0 = performance.now();
        let handled = 0;
        // Registered after the app's own listener, so it runs right after the app handled the message.
        const after = (): void => {
          handled = performance.now();
          window.removeEventListener('message', after);
          // rAF callbacks run before the frame's style, layout and paint; a task queued from rAF runs after them.
          requestAnimationFrame(() => setTimeout(() => resolve({ handledMs: handled - t0, frameMs: performance.now() - t0 }), 0));
        };
        window.addEventListener('message', after);
        window.postMessage(w.__benchMessage, '*');
      }),
  );
}

async function scrollFrames(host: FakeHost, frames: number): Promise<number[]> {
  return host.page.evaluate(
    (n) =>
      new Promise<number[]>((resolve) => {
        const viewport = document.getElementById('process-grid')!;
        viewport.scrollTop = 0;
        const stamps: number[] = [];
        const step = (t: number): void => {
          stamps.push(t);
          if (stamps.length > n) {
            resolve(stamps.slice(1).map((s, i) => s - stamps[i]!));
            return;
          }
          viewport.scrollTop += 66; // three rows per frame
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    frames,
  );
}

async function boot(host: FakeHost, snapshot: SnapshotMessage): Promise<Timing> {
  await host.load({ width: 1400, height: 900 });
  await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
  return timeMessage(host, snapshot);
}

type SteadyView = 'list' | 'list + details' | 'list + summary open' | 'delivery floor';

/**
 * Posts the tick's messages back to back in one page.evaluate (separate evaluations would let a frame fall
 * between them, which VS Code's message path does not). `ignored`: each wrapped in a message the page drops unread (a focus note to clear
 * that is not shown), so the run measures the delivery alone: the DevTools call, the structured clone and the
 * message events, with none of the panel's work.
 */
async function postTick(host: FakeHost, messages: readonly ToWebview[], ignored: boolean): Promise<void> {
  const sent = ignored ? messages.map((m) => ({ type: 'clearFocus', reason: '\u0000benchmark', payload: m })) : messages;
  await host.page.evaluate(
    (list) => {
      for (const m of list) window.postMessage(m, '*');
    },
    sent as unknown as Record<string, unknown>[],
  );
}

/**
 * The renderer while the panel sits open at 1 Hz, as a user leaves it: the snapshot's processes (a tenth of
 * them changing each tick) and a machine summary each tick, with nothing else shown, with a process's details
 * shown (re-read every few seconds, as the host answers), with the summary open, or the delivery floor.
 * Measured as Chromium's own busy time of the page's main thread (CDP Performance.getMetrics TaskDuration)
 * per second, and as the CPU time of the whole renderer process (all its threads) and of the GPU process
 * over the same window; the messages are delivered through page.evaluate, whose cost the floor shows.
 */
async function steadyCost(
  host: FakeHost,
  fx: ReturnType<typeof loadFixtures>,
  view: SteadyView,
  seconds: number,
  snapshot: SnapshotMessage,
): Promise<SteadyCost> {
  const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
  const processes = snapshot.snapshot.processes;
  let reads = 0;
  host.onRequest = (r) => {
    if (r.kind !== 'detail') return { ok: false, error: 'not answered by the benchmark' };
    const p = processes.find((q) => q.pid === r.pid)!;
    // A live process's detail changes between reads: a wait channel and a CPU count move.
    return { ok: true, result: { ...details.detail, pid: p.pid, key: p.key, wchan: `wait_${reads++ % 3}` } };
  };
  await host.load({ width: 1400, height: 900 });
  await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
  await host.send(snapshot);
  await host.page.locator('.row').first().waitFor();
  if (view === 'list + details') await host.page.locator('.row').nth(3).click();
  if (view === 'list + summary open') await host.page.locator('.summary-toggle').click();
  const cdp = await host.page.context().newCDPSession(host.page);
  await cdp.send('Performance.enable');
  const busy = async (): Promise<number> =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  let before = readMachineSample();
  await new Promise((r) => setTimeout(r, 1000));
  const start = await busy();
  const cpuStart = chromiumCpu();
  const wallStart = performance.now();
  for (let i = 0; i < seconds; i++) {
    const changed: ProcessChange[] = processes
      .filter((_, j) => (j + i) % 10 === 0)
      .map((p) => ({ key: p.key, cpuPercent: (i % 7) * 1.5, utimeMs: p.utimeMs + i * 10 }));
    const now = readMachineSample();
    await postTick(
      host,
      [
        // One message per tick, as the host posts it: the delta with the machine summary inside.
        {
          type: 'delta',
          delta: { timestamp: Date.now(), intervalMs: 1000, added: [], removed: [], changed },
          machine: summarizeMachine(now, before),
        },
      ],
      view === 'delivery floor',
    );
    before = now;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpuEnd = chromiumCpu();
  const ms = ((await busy()) - start) * 1000;
  await cdp.detach();
  host.onRequest = (r) => ({ ok: false, error: `fake host: no handler for ${r.kind}` });
  return {
    mainThreadMsPerSecond: ms / seconds,
    rendererPercent: (cpuDelta(cpuStart.renderers, cpuEnd.renderers) / wallSeconds) * 100,
    gpuPercent: (cpuDelta(cpuStart.gpu, cpuEnd.gpu) / wallSeconds) * 100,
    renderers: cpuEnd.renderers.size,
  };
}

interface SteadyCost {
  /** Chromium's busy time of the page's main thread (Performance.getMetrics TaskDuration), ms per second. */
  readonly mainThreadMsPerSecond: number;
  /** The whole renderer process (every thread: main, compositor, raster workers), % of one core. */
  readonly rendererPercent: number;
  /** The GPU process (with --disable-gpu: the display compositor, drawing in software), % of one core. */
  readonly gpuPercent: number;
  readonly renderers: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process (all its threads, ended ones included), in seconds; undefined once it is gone. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * The CPU seconds of the Chromium processes this benchmark started (descendants of this Node process, so
 * other browsers on the machine are not counted), renderers and the GPU process apart, by pid.
 */
function chromiumCpu(): { renderers: Map<number, number>; gpu: Map<number, number> } {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone between the listing and the read
    }
  }
  const renderers = new Map<number, number>();
  const gpu = new Map<number, number>();
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      const cpu = processCpuSeconds(child);
      if (cpu !== undefined && cmdline.includes('--type=renderer')) renderers.set(child, cpu);
      else if (cpu !== undefined && cmdline.includes('--type=gpu-process')) gpu.set(child, cpu);
      walk(child);
    }
  };
  walk(process.pid);
  return { renderers, gpu };
}

/** CPU seconds spent between two readings; a process that appeared in between counts from zero. */
function cpuDelta(start: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [pid, cpu] of end) sum += cpu - (start.get(pid) ?? 0);
  return sum;
}

async function main(): Promise<void> {
  const fx = loadFixtures();
  const host = await FakeHost.start();
  const results: Record<string, Summary> = {};
  const rows: string[][] = [];
  const record = (label: string, what: string, values: number[]): Summary => {
    const s = summarize(values);
    results[label] = s;
    rows.push([label, what, String(s.n), formatMs(s.median), formatMs(s.p90), formatMs(s.max)]);
    return s;
  };
  const steadyRows: string[][] = [];
  // `steady` alone (positional, as `npm run bench -- webview` passes names) runs only the 1 Hz section.
  const steadyOnly = args.only.includes('steady');
  try {
    for (const count of steadyOnly ? [] : [10000, 2000]) {
      const snapshot = makeSnapshot(fx.snapshot.snapshot, count);
      const message: SnapshotMessage = { type: 'snapshot', snapshot, workspace: [] };
      progress(`first render, ${count} processes`);
      const first: Timing[] = [];
      for (let r = 0; r < ROUNDS.first; r++) first.push(await boot(host, message));
      const shown = await host.page.locator('.count').textContent();
      if (!shown?.includes(`${count} processes`)) throw new Error(`the page did not show ${count} processes: ${shown}`);
      record(
        `first render, ${count} rows (handled)`,
        'post → handler done',
        first.map((t) => t.handledMs),
      );
      record(
        `first render, ${count} rows (frame)`,
        'post → next frame drawn',
        first.map((t) => t.frameMs),
      );

      const changed = count === 10000 ? 2000 : count;
      progress(`delta of ${changed} changed processes at ${count}`);
      const deltas: Timing[] = [];
      let t = snapshot.timestamp;
      for (let r = 0; r < ROUNDS.delta; r++) {
        t += 1000;
        deltas.push(await timeMessage(host, { type: 'delta', delta: makeDelta(snapshot.processes as ProcessInfo[], changed, t, r + 1) }));
      }
      record(
        `delta of ${changed} at ${count} rows (handled)`,
        'post → handler done',
        deltas.map((d) => d.handledMs),
      );
      record(
        `delta of ${changed} at ${count} rows (frame)`,
        'post → next frame drawn',
        deltas.map((d) => d.frameMs),
      );

      if (count === 10000) {
        progress('scrolling');
        const intervals = await scrollFrames(host, ROUNDS.scrollFrames);
        const s = record(`scroll ${count} rows, 3 rows/frame`, 'frame interval', intervals);
        const budget = 1000 / 60;
        const long = intervals.filter((i) => i > budget * 1.5).length;
        results['scroll long frames'] = { n: intervals.length, median: long, p90: long, min: long, max: long, mean: long };
        rows.push(['scroll: frames longer than 1.5 × 16.7 ms', 'count', String(intervals.length), String(long), '', '']);
        void s;

        progress('IPC graph layout');
        await host.page.locator('vscode-tab-header').nth(2).click();
        await host.page.locator('[data-ipc-scope="all"]').click();
        for (const nodes of [50, 300]) {
          const layouts: number[] = [];
          for (let r = 0; r < ROUNDS.layout; r++) {
            const map = makeIpc(snapshot.processes, nodes, nodes * 100 + r);
            await host.send({ type: 'ipc', map });
            const status = host.page.locator('.ipc-status');
            await status.filter({ hasText: `${nodes} processes` }).waitFor({ timeout: 60000 });
            const m = /layout (\d+) ms/.exec((await status.textContent()) ?? '');
            if (!m) throw new Error(`no layout time in: ${await status.textContent()}`);
            layouts.push(Number(m[1]));
            await host.send({ type: 'ipc', map: { ...map, channels: [] } }); // reset, so the next map lays out anew
          }
          record(`IPC layout (elkjs layered), ${nodes} processes`, 'layout', layouts);
        }
      }
    }
    const populations: [string, SnapshotMessage][] = [
      [`${fx.snapshot.snapshot.processes.length} processes (recorded)`, fx.snapshot],
      ['2000 processes', { type: 'snapshot', snapshot: makeSnapshot(fx.snapshot.snapshot, 2000), workspace: [] }],
    ];
    for (const [population, snapshot] of populations) {
      for (const view of args.only.includes('list')
        ? (['list', 'delivery floor'] as const)
        : (['list', 'list + details', 'list + summary open', 'delivery floor'] as const)) {
        progress(`steady state at 1 Hz, ${population}: ${view}`);
        const costs: SteadyCost[] = [];
        for (let r = 0; r < ROUNDS.steadyRounds; r++) costs.push(await steadyCost(host, fx, view, ROUNDS.steadySeconds, snapshot));
        const label = `1 Hz, ${population}: ${view}`;
        record(
          label,
          'renderer main thread, ms per s',
          costs.map((c) => c.mainThreadMsPerSecond),
        );
        const renderer = summarize(costs.map((c) => c.rendererPercent));
        const gpu = summarize(costs.map((c) => c.gpuPercent));
        results[`${label} (renderer process %)`] = renderer;
        results[`${label} (GPU process %)`] = gpu;
        steadyRows.push([
          population,
          view,
          String(costs.length),
          `${renderer.median.toFixed(2)} %`,
          `${renderer.min.toFixed(2)}–${renderer.max.toFixed(2)} %`,
          `${gpu.median.toFixed(2)} %`,
          String(Math.max(...costs.map((c) => c.renderers))),
        ]);
      }
    }
    const violations = await host.violations();
    if (violations.length || host.pageErrors.length)
      throw new Error(`page problems: ${JSON.stringify({ violations, errors: host.pageErrors })}`);
  } finally {
    await host.close();
  }
  const file = writeResult('webview', { date: new Date().toISOString(), quick: args.quick, rounds: ROUNDS, results });
  progress(`wrote ${file}`);
  process.stdout.write(
    [
      '## Webview rendering (headless Chromium)',
      '',
      'Command: `node --import tsx bench/webview.bench.ts`' +
        (args.quick ? ' --quick' : '') +
        '. Times in ms (median, p90, max over the rounds).',
      'Rows are real recorded processes copied under new pids; deltas change CPU%, RSS, CPU time and some states.',
      '',
      markdownTable(['case', 'measured', 'n', 'median', 'p90', 'max'], rows),
      '',
      `Steady state at 1 Hz, ${ROUNDS.steadySeconds} s windows: the whole renderer process's CPU (utime + stime of every ` +
        "`--type=renderer` process of the benchmark's Chromium, all threads) and the GPU process's, % of one core.",
      '',
      markdownTable(['population', 'view', 'n', 'renderer median', 'renderer range', 'GPU process median', 'renderers'], steadyRows),
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
