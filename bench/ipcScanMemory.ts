// What the IPC scan's memory is made of over its first scans (docs/PERFORMANCE.md, "What the IPC scan's first
// 50 MiB is"). Not part of `npm run bench`: a probe run by hand, about 2 minutes of load.
//
//   node --expose-gc --import tsx bench/ipcScanMemory.ts [scans=300] [processes=2000] [--gc-each]
//
// Starts processes × 4 sleeping threads (bench/loadgen.ts), scans IPC with one IpcScanner again and again and
// prints, every 10 scans, process.memoryUsage(), V8's heap spaces and the scanner's own caches; then the same
// after a full GC, after the scanner is disposed and dropped, and after the load is gone.
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { IpcScanner } from '../src/core/ipc/scan';
import { startLoad } from './loadgen';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SCANS = Number(args[0] ?? 300);
const PROCESSES = Number(args[1] ?? 2000);
const GC_EACH = process.argv.includes('--gc-each');
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = (n: number): string => (n / 1048576).toFixed(1);

async function settle(): Promise<void> {
  gc?.();
  await sleep(1000);
  gc?.();
  await sleep(1000);
}

function space(name: string): { size: number; used: number } {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === name);
  return { size: s?.space_size ?? 0, used: s?.space_used_size ?? 0 };
}

function vm(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function caches(scanner: IpcScanner | undefined): string {
  if (!scanner) return '-';
  const s = scanner as unknown as {
    directions: Map<string, Map<string, unknown>>;
    maps: Map<string, Map<number, unknown>>;
    fdTables: Map<string, { size: number }>;
    ss: { cached?: { unixPeers: Map<unknown, unknown>; covered: Set<unknown> } };
  };
  const dirs = [...s.directions.values()].reduce((n, m) => n + m.size, 0);
  const maps = [...s.maps.values()].reduce((n, m) => n + m.size, 0);
  const tables = [...s.fdTables.values()].reduce((n, c) => n + c.size, 0);
  return `dirs=${dirs} maps=${maps} fdTables=${tables} ssPeers=${s.ss.cached?.unixPeers.size ?? 0}`;
}

function row(label: string, scanner: IpcScanner | undefined, ms = ''): void {
  const m = process.memoryUsage();
  const old = space('old_space');
  const young = space('new_space');
  const lo = space('large_object_space');
  const code = space('code_space');
  process.stdout.write(
    `${label.padEnd(14)} rss=${MiB(m.rss)} anon=${MiB(vm('RssAnon'))} heapTotal=${MiB(m.heapTotal)} heapUsed=${MiB(m.heapUsed)} ` +
      `external=${MiB(m.external)} arrayBuffers=${MiB(m.arrayBuffers)} old=${MiB(old.used)}/${MiB(old.size)} ` +
      `new=${MiB(young.size)} lo=${MiB(lo.used)}/${MiB(lo.size)} code=${MiB(code.size)} ${caches(scanner)} ${ms}\n`,
  );
}

async function main(): Promise<void> {
  row('before load', undefined);
  const load = await startLoad({ processes: PROCESSES, threadsPerProcess: 4, lifetimeMs: 170_000 });
  let scanner: IpcScanner | undefined = new IpcScanner();
  try {
    row('load ready', scanner);
    let spent = 0;
    for (let i = 1; i <= SCANS; i++) {
      const t0 = performance.now();
      const map = scanner.scan({ useSs: true });
      spent += performance.now() - t0;
      if (map.channels.length === 0) throw new Error('a scan found no channel');
      if (GC_EACH) gc?.();
      if (i % 10 === 0 || i <= 3) row(`scan ${i}`, scanner, `mean ${(spent / i).toFixed(0)} ms`);
    }
    // Twice, a second apart: V8 gives freed pages back to the system from a background thread after a GC.
    await settle();
    row('after gc', scanner);
    scanner.dispose();
    scanner = undefined;
    await settle();
    row('scanner gone', undefined);
  } finally {
    await load.stop();
  }
  await settle();
  row('load gone', undefined);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
