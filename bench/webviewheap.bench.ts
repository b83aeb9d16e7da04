// Whether the panel's page holds on to memory: the built webview (dist/webview) in real headless Chromium with
// the fake host of test/webview/page.ts, fed a delta a second for a simulated half hour (1,800 ticks, no waiting
// between them) with 20 processes born and 20 gone each tick, one process selected (its details pane open).
// Every 300 ticks: a full garbage collection (CDP HeapProfiler.collectGarbage), then the page's JS heap in use
// (Runtime.getHeapUsage) and its DOM counters (Memory.getDOMCounters: documents, nodes, JS event listeners).
// A page that keeps something per tick or per process that lived shows a rising heap or node count here.
// Also the renderer processes' memory (RssAnon and VmRSS from /proc, summed over this browser's renderers):
// Chromium's own memory that the page's work makes it keep (caches, layers, V8's heap not given back).
//
// Run: npm run bench -- webviewheap   |   node --import tsx bench/webviewheap.bench.ts [--quick]
// Needs the built webview (npm run build).
import type { ProcessInfo } from '../src/core/model';
import type { ToWebview } from '../src/protocol';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS } from '../test/webview/page';
import { readFileSync } from 'node:fs';
import { findRenderers } from './codeServer';
import { markdownTable, parseBenchArgs, progress, writeResult } from './lib';

const args = parseBenchArgs(process.argv.slice(2));
const TICKS = args.quick ? 300 : 1800;
const EVERY = args.quick ? 100 : 300;
const CHURN_PER_TICK = 20;
/**
 * PROCSCOPE_WEBVIEWHEAP_IPC=1 also sends an IPC scan (the recorded fixture's channels, new objects each time)
 * every IPC_EVERY ticks, as the host does while the IPC view is shown: the page keeps past scans for
 * rewinding, bounded, and this shows what that costs the page's heap until and after the bound. A twentieth of
 * the channels change from one scan to the next.
 */
const WITH_IPC = process.env.PROCSCOPE_WEBVIEWHEAP_IPC === '1';
const IPC_EVERY = 3;

interface Sample {
  readonly tick: number;
  readonly heapMiB: number;
  readonly nodes: number;
  readonly listeners: number;
  readonly documents: number;
  readonly rendererAnonMiB: number;
  readonly rendererRssMiB: number;
}

/** RssAnon and VmRSS of this process's Chromium renderers, summed, in MiB. */
function rendererMemory(): { anon: number; rss: number } {
  let anon = 0;
  let rss = 0;
  for (const pid of findRenderers()) {
    try {
      const text = readFileSync(`/proc/${pid}/status`, 'latin1');
      anon += Number(/^RssAnon:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
      rss += Number(/^VmRSS:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
    } catch {
      // gone between the listing and the read
    }
  }
  return { anon: anon / 1024, rss: rss / 1024 };
}

async function main(): Promise<void> {
  const fx = loadFixtures();
  const host = await FakeHost.start();
  host.onRequest = () => ({ ok: false, error: 'refused by the benchmark host' });
  const samples: Sample[] = [];
  try {
    await host.load({ width: 1400, height: 900 });
    await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
    await host.send(fx.snapshot);
    await host.page.locator('.row').first().waitFor();
    await host.page.locator('.row').nth(3).click();
    const cdp = await host.page.context().newCDPSession(host.page);
    await cdp.send('HeapProfiler.enable');
    const sample = async (tick: number): Promise<void> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const dom = (await cdp.send('Memory.getDOMCounters')) as { documents: number; nodes: number; jsEventListeners: number };
      const renderer = rendererMemory();
      const s = {
        tick,
        heapMiB: heap.usedSize / 1048576,
        nodes: dom.nodes,
        listeners: dom.jsEventListeners,
        documents: dom.documents,
        rendererAnonMiB: renderer.anon,
        rendererRssMiB: renderer.rss,
      };
      samples.push(s);
      progress(
        `tick ${tick}: heap ${s.heapMiB.toFixed(2)} MiB, ${s.nodes} nodes, ${s.listeners} listeners, renderers ${renderer.rss.toFixed(1)} MiB (anon ${renderer.anon.toFixed(1)})`,
      );
    };
    await sample(0);
    // Born processes are copies of a recorded one under new pids; each lives two ticks (40 alive at a time).
    const template: ProcessInfo = fx.deltas.find((d) => d.added.length > 0)!.added[0]!;
    const alive: string[] = [];
    let pid = 4_000_000;
    let time = fx.snapshot.snapshot.timestamp;
    for (let tick = 1; tick <= TICKS; tick++) {
      time += 1000;
      const added: ProcessInfo[] = [];
      for (let k = 0; k < CHURN_PER_TICK; k++) {
        pid++;
        const p: ProcessInfo = { ...template, pid, ppid: 1, key: `${pid}@${tick}`, startTicks: tick };
        added.push(p);
        alive.push(p.key);
      }
      const removed = alive.splice(0, Math.max(0, alive.length - 2 * CHURN_PER_TICK));
      const recorded = fx.deltas[tick % fx.deltas.length]!;
      const message: ToWebview = { type: 'delta', delta: { ...recorded, timestamp: time, added, removed } };
      await host.send(message);
      if (WITH_IPC && tick % IPC_EVERY === 0) {
        // A twentieth of the channels differ from the scan before (an endpoint more), as processes come and go.
        const round = tick / IPC_EVERY;
        const channels = fx.ipc.channels.map((c, i) =>
          i % 20 === round % 20 && c.endpoints.length > 0
            ? { ...c, endpoints: [...c.endpoints, { ...c.endpoints[0]!, pid: 900_000 + round }] }
            : c,
        );
        await host.send({ type: 'ipc', map: { ...fx.ipc, channels, timestamp: time } });
      }
      if (tick % EVERY === 0) await sample(tick);
    }
  } finally {
    await host.close();
  }

  const first = samples[1] ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const file = writeResult('webviewheap', {
    date: new Date().toISOString(),
    quick: args.quick,
    ticks: TICKS,
    churnPerTick: CHURN_PER_TICK,
    samples,
  });
  process.stdout.write(
    [
      '## The panel page over a simulated half hour (headless Chromium)',
      '',
      `Command: \`${WITH_IPC ? 'PROCSCOPE_WEBVIEWHEAP_IPC=1 ' : ''}npm run bench --${args.quick ? ' --quick' : ''} webviewheap\`. ${TICKS} deltas sent back to back to the built page, ${CHURN_PER_TICK} processes born and ${CHURN_PER_TICK} gone each, one process's details open` +
        `${WITH_IPC ? `, an IPC scan of ${fx.ipc.channels.length} channels (a twentieth changed from the scan before) every ${IPC_EVERY} ticks` : ''}; after a full GC every ${EVERY} ticks:`,
      '',
      markdownTable(
        ['tick', 'JS heap in use', 'DOM nodes', 'JS event listeners', 'documents', 'renderers, RssAnon', 'renderers, VmRSS'],
        samples.map((s) => [
          String(s.tick),
          `${s.heapMiB.toFixed(2)} MiB`,
          String(s.nodes),
          String(s.listeners),
          String(s.documents),
          `${s.rendererAnonMiB.toFixed(1)} MiB`,
          `${s.rendererRssMiB.toFixed(1)} MiB`,
        ]),
      ),
      '',
      `From tick ${first.tick} to tick ${last.tick}: heap ${(last.heapMiB - first.heapMiB).toFixed(2)} MiB, DOM nodes ${last.nodes - first.nodes}, listeners ${last.listeners - first.listeners}, renderers' RssAnon ${(last.rendererAnonMiB - first.rendererAnonMiB).toFixed(1)} MiB. Raw numbers: \`${file.replace(/^.*\/bench\//, 'bench/')}\`.`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`webviewheap bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
