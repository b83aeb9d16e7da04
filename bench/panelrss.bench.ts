// Whether the live panel holds on to memory: the packaged .vsix in a real code-server, the panel open on "All
// processes" at 1 Hz for a long time at 2000 × 4 under churn, the resident memory (VmRSS) of the extension
// host process (main thread, the panel's worker, V8's heaps) and of Chromium's renderers sampled as it runs.
//
//   npm run bench -- panelrss             30 minutes (PROCSCOPE_PANELRSS_MIN=N for another length)
//   npm run bench -- --quick panelrss     4 minutes at 200 × 10 (a smoke check, not for quoting)
//
// PROCSCOPE_PANELRSS_WARMUP_MIN=N sets the warm-up (default 5), and PROCSCOPE_PANELRSS_HISTORY_MIB=N the
// setting procscope.historyMemory (default: the extension's, 32 MiB). The history grows by design until that
// bound (about 6 MiB per 10 minutes here), so a run with a small bound, full before the warm-up ends, shows
// the extension host's own slope without subtracting it.
//
// Churn: a Python spawner forks CHURN_PER_S children a second, each living half a second, so the panel keeps
// seeing processes born and gone (new rows, marks, history lives, worker caches keyed by pid and start time).
// The slope is a least-squares line through the samples after the warm-up, in MiB per 10 minutes: the target is
// under 1 MiB per 10 minutes for the extension host. The IPC view is shown for part of the run (the scanner and
// its caches live in the worker too) and the Details tab of one process for the rest.
//
// The renderers are also given by kind of memory (RssAnon, the process's own; RssFile + RssShmem, pages of files
// and of shared memory that other processes may hold too) with the workbench page's V8 heap in use (CDP
// Runtime.getHeapUsage, no collection forced). PROCSCOPE_PANELRSS_CONTROL=1 runs a second code-server beside the
// first, in its own browser, with the same extension installed and the same load but the panel never opened:
// its renderers' slope is what a window pays without ProcScope's panel over the same minutes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { startVsCode, type VsCode } from '../test/e2e/harness';
import { QUIET_VSCODE_SETTINGS, cmdline, findRenderers, openPanel, packageVsix, parentMap, waitForExtensionHost } from './codeServer';
import { machineFacts, markdownTable, parseBenchArgs, progress, writeResult } from './lib';
import { cleanupLoadgen, countTasks, startLoad } from './loadgen';

const args = parseBenchArgs(process.argv.slice(2));
const MINUTES = Number(process.env.PROCSCOPE_PANELRSS_MIN ?? (args.quick ? 4 : 30));
const WARMUP_MIN = Number(process.env.PROCSCOPE_PANELRSS_WARMUP_MIN ?? (args.quick ? 1 : 5));
const HISTORY_MIB =
  process.env.PROCSCOPE_PANELRSS_HISTORY_MIB === undefined ? undefined : Number(process.env.PROCSCOPE_PANELRSS_HISTORY_MIB);
const SAMPLE_S = args.quick ? 10 : 30;
const SIZE = args.quick ? { label: '200×10', processes: 200, threads: 10 } : { label: '2000×4', processes: 2000, threads: 4 };
const CHURN_PER_S = 20;
const CONTROL = process.env.PROCSCOPE_PANELRSS_CONTROL === '1';
const TARGET_MIB_PER_10MIN = 1;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** VmRSS in KiB, or null once the process has ended. */
function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** VmRSS split as status gives it, in KiB: RssAnon and RssFile + RssShmem; null once the process has ended. */
function rssParts(pid: number): { anon: number; shared: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { anon: kib('RssAnon'), shared: kib('RssFile') + kib('RssShmem') };
  } catch {
    return null;
  }
}

/** The renderers' memory of one browser, summed, in MiB. */
interface RendererMemory {
  readonly rssMiB: number;
  readonly anonMiB: number;
  readonly sharedMiB: number;
  readonly count: number;
}

function rendererMemory(pids: readonly number[]): RendererMemory {
  let rss = 0;
  let anon = 0;
  let shared = 0;
  let count = 0;
  for (const pid of pids) {
    const r = rssKiB(pid);
    const parts = rssParts(pid);
    if (r === null || parts === null) continue;
    rss += r;
    anon += parts.anon;
    shared += parts.shared;
    count++;
  }
  return { rssMiB: rss / 1024, anonMiB: anon / 1024, sharedMiB: shared / 1024, count };
}

/**
 * Renderer pids by the browser they belong to: each renderer under the nearest ancestor that is not one of
 * Chromium's typed children (zygote, renderer, utility: `--type=` in their command lines).
 */
function renderersByBrowser(): Map<number, number[]> {
  const parents = parentMap();
  const out = new Map<number, number[]>();
  for (const pid of findRenderers()) {
    let up = parents.get(pid);
    while (up !== undefined && cmdline(up).includes('--type=')) up = parents.get(up);
    if (up === undefined) continue;
    const list = out.get(up) ?? [];
    list.push(pid);
    out.set(up, list);
  }
  return out;
}

/** The V8 heap in use of a page's main isolate (no collection forced), in MiB; null when CDP did not answer. */
async function heapInUseMiB(session: CDPSession | undefined): Promise<number | null> {
  if (!session) return null;
  try {
    const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    return heap.usedSize / 1048576;
  } catch {
    return null;
  }
}

/** A bounded spawner of short-lived children (it ends by itself after `seconds`, and with this process). */
function startChurn(seconds: number): ChildProcess {
  const program = [
    'import os, signal, time',
    `end = time.time() + ${seconds}`,
    'kids = 0',
    'while time.time() < end:',
    '    pid = os.fork()',
    '    if pid == 0:',
    '        time.sleep(0.5)',
    '        os._exit(0)',
    `    time.sleep(1 / ${CHURN_PER_S})`,
    '    while True:',
    '        try:',
    '            done, _ = os.waitpid(-1, os.WNOHANG)',
    '        except ChildProcessError:',
    '            break',
    '        if done == 0:',
    '            break',
  ].join('\n');
  return spawn('python3', ['-c', program], { stdio: 'ignore', detached: false });
}

/** Least-squares slope of y over x (x in minutes), in y-units per 10 minutes. */
function slopePer10Min(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : (sxy / sxx) * 10;
}

interface Sample {
  readonly minute: number;
  readonly exthostMiB: number;
  readonly renderersMiB: number;
  readonly renderers: RendererMemory;
  /** The workbench page's V8 heap in use (the isolate the webview's frame shares when it is not out of process). */
  readonly workbenchHeapMiB: number | null;
  /** The control window's renderers and heap (PROCSCOPE_PANELRSS_CONTROL=1), else null. */
  readonly control: { readonly renderers: RendererMemory; readonly workbenchHeapMiB: number | null } | null;
  readonly view: string;
  /**
   * The panel's in-memory history of ticks as the page's summary line states it (its bytes, as counted against
   * procscope.historyMemory): memory held by design, growing until that bound, so the extension host's own
   * growth is also given net of it. null when the page did not say.
   */
  readonly historyMiB: number | null;
}

const UNIT_MIB: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, MiB: 1, GiB: 1024 };

/** The history's bytes in MiB from the summary line's tooltip ("… ({1} of {2}; …", formatBytes units). */
function historyMiB(title: string | null): number | null {
  const m = /\(([\d.]+) (B|KiB|MiB|GiB) of [\d.]+ (?:B|KiB|MiB|GiB);/.exec(title ?? '');
  return m ? Number(m[1]) * UNIT_MIB[m[2]!]! : null;
}

async function main(): Promise<void> {
  const vsix = packageVsix();
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-panelrss-ws-')));
  const samples: Sample[] = [];
  let vsc: VsCode | undefined;
  let control: VsCode | undefined;
  const controlWorkspace = CONTROL ? realpathSync(mkdtempSync(join(tmpdir(), 'procscope-panelrss-control-'))) : undefined;
  let churn: ChildProcess | undefined;
  const lifetimeMs = (MINUTES + 5) * 60_000;
  const load = await startLoad({ processes: SIZE.processes, threadsPerProcess: SIZE.threads, lifetimeMs });
  const tasks = countTasks().tasks;
  const loadBefore = machineFacts().loadavg;
  try {
    const settings = {
      'procscope.refreshInterval': 1000,
      'procscope.defaultScope': 'all',
      ...(HISTORY_MIB !== undefined ? { 'procscope.historyMemory': HISTORY_MIB } : {}),
      ...QUIET_VSCODE_SETTINGS,
    };
    // The control first, so the browser that appears next is the panel's.
    let controlBrowser: number | undefined;
    if (controlWorkspace !== undefined) {
      control = await startVsCode({ workspace: controlWorkspace, vsixPath: vsix, timeoutMs: 180_000, settings });
      await waitForExtensionHost(control);
      controlBrowser = [...renderersByBrowser().keys()][0];
    }
    vsc = await startVsCode({
      workspace,
      vsixPath: vsix,
      timeoutMs: 180_000,
      settings,
    });
    const exthost = await waitForExtensionHost(vsc);
    churn = startChurn(MINUTES * 60 + 60);
    const frame = await openPanel(vsc, 'all');
    // One process's details on screen (re-read every few seconds), the IPC view for the middle third.
    await frame.locator('.row').nth(2).click();
    const session = await vsc.page.context().newCDPSession(vsc.page);
    const controlSession = control ? await control.page.context().newCDPSession(control.page) : undefined;
    const t0 = Date.now();
    let view = 'details';
    while (Date.now() - t0 < MINUTES * 60_000) {
      const minute = (Date.now() - t0) / 60_000;
      const wantIpc = minute >= MINUTES / 3 && minute < (2 * MINUTES) / 3;
      if (wantIpc !== (view === 'ipc')) {
        await frame
          .locator('vscode-tab-header')
          .nth(wantIpc ? 2 : 0)
          .click();
        view = wantIpc ? 'ipc' : 'details';
      }
      const host = rssKiB(exthost);
      if (host === null) throw new Error('the extension host ended during the run');
      const byBrowser = renderersByBrowser();
      const ours = [...byBrowser].filter(([root]) => root !== controlBrowser).flatMap(([, pids]) => pids);
      const renderers = rendererMemory(ours);
      const controlMemory =
        controlBrowser === undefined
          ? null
          : { renderers: rendererMemory(byBrowser.get(controlBrowser) ?? []), workbenchHeapMiB: await heapInUseMiB(controlSession) };
      const workbenchHeapMiB = await heapInUseMiB(session);
      const history = historyMiB(
        await frame
          .locator('.summary-line')
          .getAttribute('title', { timeout: 5000 })
          .catch(() => null),
      );
      samples.push({
        minute,
        exthostMiB: host / 1024,
        renderersMiB: renderers.rssMiB,
        renderers,
        workbenchHeapMiB,
        control: controlMemory,
        view,
        historyMiB: history,
      });
      progress(
        `panelrss ${minute.toFixed(1)} min: extension host ${(host / 1024).toFixed(1)} MiB (history ${history?.toFixed(1) ?? '?'} MiB), ` +
          `renderers ${renderers.rssMiB.toFixed(1)} MiB (anon ${renderers.anonMiB.toFixed(1)}, heap ${workbenchHeapMiB?.toFixed(1) ?? '?'})` +
          (controlMemory
            ? `, control ${controlMemory.renderers.rssMiB.toFixed(1)} MiB (anon ${controlMemory.renderers.anonMiB.toFixed(1)}, heap ${controlMemory.workbenchHeapMiB?.toFixed(1) ?? '?'})`
            : '') +
          ` (${view})`,
      );
      await sleep(SAMPLE_S * 1000);
    }
  } finally {
    churn?.kill('SIGKILL');
    await vsc?.close();
    await control?.close();
    await load.stop();
    cleanupLoadgen();
    rmSync(workspace, { recursive: true, force: true });
    if (controlWorkspace !== undefined) rmSync(controlWorkspace, { recursive: true, force: true });
  }

  const after = samples.filter((s) => s.minute >= WARMUP_MIN);
  const tasksAtEnd = countTasks().tasks;
  const hostSlope = slopePer10Min(after.map((s) => [s.minute, s.exthostMiB] as const));
  // The second half alone too: a population that changed during the run (other work on the machine) moves
  // the whole-run line, and a leak shows as growth in both.
  const secondHalf = samples.filter((s) => s.minute >= MINUTES / 2);
  const hostSlopeLate = slopePer10Min(secondHalf.map((s) => [s.minute, s.exthostMiB] as const));
  const rendererSlope = slopePer10Min(after.map((s) => [s.minute, s.renderersMiB] as const));
  // Net of the history: samples where the page stated it.
  const net = (list: readonly Sample[]): (readonly [number, number])[] =>
    list.filter((s) => s.historyMiB !== null).map((s) => [s.minute, s.exthostMiB - s.historyMiB!] as const);
  const hostNetSlope = slopePer10Min(net(after));
  const hostNetSlopeLate = slopePer10Min(net(secondHalf));
  const historySlope = slopePer10Min(after.filter((s) => s.historyMiB !== null).map((s) => [s.minute, s.historyMiB!] as const));
  const range = (pick: (s: Sample) => number): string => {
    const v = after.map(pick);
    return `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)} MiB`;
  };
  /** One row per further series: the renderers by kind of memory, the workbench's heap, the control's. */
  const seriesRows = (): string[][] => {
    const series: [string, (s: Sample) => number | null][] = [
      ['Chromium renderers, RssAnon', (s) => s.renderers.anonMiB],
      ['Chromium renderers, RssFile + RssShmem', (s) => s.renderers.sharedMiB],
      ['workbench page, V8 heap in use', (s) => s.workbenchHeapMiB],
    ];
    if (CONTROL)
      series.push(
        ['control window (no panel): renderers, VmRSS', (s) => s.control?.renderers.rssMiB ?? null],
        ['control window: renderers, RssAnon', (s) => s.control?.renderers.anonMiB ?? null],
        ['control window: workbench page, V8 heap in use', (s) => s.control?.workbenchHeapMiB ?? null],
      );
    return series.map(([label, pick]) => {
      const points = (list: readonly Sample[]): (readonly [number, number])[] =>
        list.filter((s) => pick(s) !== null).map((s) => [s.minute, pick(s)!] as const);
      const values = points(after).map(([, v]) => v);
      const firstValue = first ? pick(first) : null;
      return [
        label,
        firstValue === null ? '–' : `${firstValue.toFixed(1)} MiB`,
        values.length > 0 ? `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} MiB` : '–',
        `${slopePer10Min(points(after)).toFixed(2)} MiB / 10 min`,
        `${slopePer10Min(points(secondHalf)).toFixed(2)} MiB / 10 min`,
        '–',
      ];
    });
  };
  const file = writeResult('panelrss', {
    control: CONTROL,
    minutes: MINUTES,
    warmupMinutes: WARMUP_MIN,
    historyMemoryMiB: HISTORY_MIB ?? null,
    size: SIZE,
    tasks,
    tasksAtEnd,
    churnPerSecond: CHURN_PER_S,
    samples,
    hostSlope,
    hostSlopeLate,
    hostNetSlope,
    hostNetSlopeLate,
    historySlope,
    rendererSlope,
  });
  progress(`wrote ${file}`);
  const first = samples[0];
  process.stdout.write(
    [
      '## Panel memory over time, in code-server',
      '',
      `Command: \`${CONTROL ? 'PROCSCOPE_PANELRSS_CONTROL=1 ' : ''}${HISTORY_MIB !== undefined ? `PROCSCOPE_PANELRSS_HISTORY_MIB=${HISTORY_MIB} ` : ''}${process.env.PROCSCOPE_PANELRSS_WARMUP_MIN !== undefined ? `PROCSCOPE_PANELRSS_WARMUP_MIN=${WARMUP_MIN} ` : ''}npm run bench --${args.quick ? ' --quick' : ''} panelrss\` (${MINUTES} min, a sample every ${SAMPLE_S} s, slope after ${WARMUP_MIN} min of warm-up, history bound ${HISTORY_MIB ?? 'the default 32'} MiB). ` +
        `${SIZE.label} (${tasks} tasks in /proc at the start, ${tasksAtEnd} at the end) plus ${CHURN_PER_S} short-lived processes a second; the panel on All processes at 1 Hz, ` +
        `a process's Details shown, the IPC view for the middle third. Load average before: ${loadBefore.join(', ')}; after: ${machineFacts().loadavg.join(', ')}.`,
      '',
      markdownTable(
        ['process', 'first sample', `range after ${WARMUP_MIN} min`, 'slope after warm-up', 'slope, second half', 'target (growth)'],
        [
          [
            'extension host (VmRSS)',
            first ? `${first.exthostMiB.toFixed(1)} MiB` : '–',
            range((s) => s.exthostMiB),
            `${hostSlope.toFixed(2)} MiB / 10 min`,
            `${hostSlopeLate.toFixed(2)} MiB / 10 min`,
            `< ${TARGET_MIB_PER_10MIN} MiB / 10 min in both: ${Math.max(hostSlope, hostSlopeLate) < TARGET_MIB_PER_10MIN ? 'met' : 'missed'}`,
          ],
          [
            'extension host less the history (VmRSS − the history bytes the page states)',
            '–',
            '–',
            `${hostNetSlope.toFixed(2)} MiB / 10 min`,
            `${hostNetSlopeLate.toFixed(2)} MiB / 10 min`,
            `< ${TARGET_MIB_PER_10MIN} MiB / 10 min in both: ${Math.max(hostNetSlope, hostNetSlopeLate) < TARGET_MIB_PER_10MIN ? 'met' : 'missed'}`,
          ],
          [
            `the in-memory history (procscope.historyMemory, ${HISTORY_MIB ?? 32} MiB here: held by design)`,
            '–',
            (() => {
              const h = after.filter((s) => s.historyMiB !== null).map((s) => s.historyMiB!);
              return h.length > 0 ? `${Math.min(...h).toFixed(1)}–${Math.max(...h).toFixed(1)} MiB` : '–';
            })(),
            `${historySlope.toFixed(2)} MiB / 10 min`,
            '–',
            '–',
          ],
          [
            'Chromium renderers (VmRSS, summed)',
            first ? `${first.renderersMiB.toFixed(1)} MiB` : '–',
            range((s) => s.renderersMiB),
            `${rendererSlope.toFixed(2)} MiB / 10 min`,
            `${slopePer10Min(secondHalf.map((s) => [s.minute, s.renderersMiB] as const)).toFixed(2)} MiB / 10 min`,
            '–',
          ],
          ...seriesRows(),
        ],
      ),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`panelrss benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  cleanupLoadgen();
  process.exit(1);
});
