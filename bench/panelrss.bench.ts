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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVsCode, type VsCode } from '../test/e2e/harness';
import { QUIET_VSCODE_SETTINGS, waitForExtensionHost, findRenderers, openPanel, packageVsix } from './codeServer';
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
  let churn: ChildProcess | undefined;
  const lifetimeMs = (MINUTES + 5) * 60_000;
  const load = await startLoad({ processes: SIZE.processes, threadsPerProcess: SIZE.threads, lifetimeMs });
  const tasks = countTasks().tasks;
  const loadBefore = machineFacts().loadavg;
  try {
    vsc = await startVsCode({
      workspace,
      vsixPath: vsix,
      timeoutMs: 180_000,
      settings: {
        'procscope.refreshInterval': 1000,
        'procscope.defaultScope': 'all',
        ...(HISTORY_MIB !== undefined ? { 'procscope.historyMemory': HISTORY_MIB } : {}),
        ...QUIET_VSCODE_SETTINGS,
      },
    });
    const exthost = await waitForExtensionHost(vsc);
    churn = startChurn(MINUTES * 60 + 60);
    const frame = await openPanel(vsc, 'all');
    // One process's details on screen (re-read every few seconds), the IPC view for the middle third.
    await frame.locator('.row').nth(2).click();
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
      const renderers = findRenderers()
        .map(rssKiB)
        .reduce<number>((a, b) => a + (b ?? 0), 0);
      const history = historyMiB(
        await frame
          .locator('.summary-line')
          .getAttribute('title', { timeout: 5000 })
          .catch(() => null),
      );
      samples.push({ minute, exthostMiB: host / 1024, renderersMiB: renderers / 1024, view, historyMiB: history });
      progress(
        `panelrss ${minute.toFixed(1)} min: extension host ${(host / 1024).toFixed(1)} MiB (history ${history?.toFixed(1) ?? '?'} MiB), renderers ${(renderers / 1024).toFixed(1)} MiB (${view})`,
      );
      await sleep(SAMPLE_S * 1000);
    }
  } finally {
    churn?.kill('SIGKILL');
    await vsc?.close();
    await load.stop();
    cleanupLoadgen();
    rmSync(workspace, { recursive: true, force: true });
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
  const file = writeResult('panelrss', {
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
      `Command: \`${HISTORY_MIB !== undefined ? `PROCSCOPE_PANELRSS_HISTORY_MIB=${HISTORY_MIB} ` : ''}${process.env.PROCSCOPE_PANELRSS_WARMUP_MIN !== undefined ? `PROCSCOPE_PANELRSS_WARMUP_MIN=${WARMUP_MIN} ` : ''}npm run bench --${args.quick ? ' --quick' : ''} panelrss\` (${MINUTES} min, a sample every ${SAMPLE_S} s, slope after ${WARMUP_MIN} min of warm-up, history bound ${HISTORY_MIB ?? 'the default 32'} MiB). ` +
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
