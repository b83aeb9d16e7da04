// What one page-map read costs: `readPageMap` (src/core/pagemap.ts) over a 100 MiB private anonymous mapping
// (25,600 pages of 4 KiB, the fork lab's buffer and the reader's cap), every page touched, in a Python process
// this benchmark starts and forks, so the pages are shared between parent and child as in the lab. The read
// is one open, 200 KiB of pread in 512 KiB chunks (so one), the decode and the run-length encoding; the page
// map pane asks for it once a second while open. CPU and wall time of the read on this thread.
//
// Run: npm run bench -- pagemap          (200 reads)
//      npm run bench -- --quick pagemap  (20 reads)
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readPageMap } from '../src/core/pagemap';
import { formatMs, machineFacts, markdownTable, parseBenchArgs, progress, runBundled, settle, summarize, writeResult } from './lib';

const args = parseBenchArgs(process.argv.slice(2));
const SIZE_MIB = 100;
/** The pane's cadence: one read a second while a page map is open. */
const REFRESH_MS = 1000;

const PROGRAM = `
import ctypes, mmap, os, sys, time
size = ${SIZE_MIB} * 1024 * 1024
region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
region.madvise(mmap.MADV_NOHUGEPAGE)
for off in range(0, size, mmap.PAGESIZE):
    region[off] = 1
view = ctypes.c_char.from_buffer(region)
start = ctypes.addressof(view)
del view
child = os.fork()
if child == 0:
    # Write half: the page states are then mixed (exclusive and shared), the runs many.
    for off in range(0, size, 2 * mmap.PAGESIZE):
        region[off] = 2
    print(f"ready {start:x} {start + size:x} {os.getpid()}", flush=True)
    sys.stdin.read()
    os._exit(0)
sys.stdin.read()
os.kill(child, 9)
os.waitpid(child, 0)
`;

async function main(): Promise<void> {
  const rounds = args.quick ? 20 : 200;
  const proc = spawn('python3', ['-c', PROGRAM], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    proc.once('exit', (code) => reject(new Error(`the mapping's process exited (${code}) before it was ready`)));
  });
  const [, start, end, pidText] = ready.split(' ') as [string, string, string, string];
  const pid = Number(pidText);
  try {
    const first = readPageMap(pid, start, end);
    if (first.unavailable || first.read !== first.pages)
      throw new Error(`pagemap not readable: ${first.unavailable ?? `${first.read} of ${first.pages}`}`);
    progress(`pagemap: ${first.read} pages, ${first.runs.length} runs, counts ${JSON.stringify(first.counts)}`);
    await settle(200);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const got = readPageMap(pid, start, end);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (got.read !== first.read) throw new Error('the mapping changed during the benchmark');
    }
    const w = summarize(wall);
    const c = summarize(cpu);
    const share = c.median / REFRESH_MS;
    const markdown = [
      '## Page map read',
      '',
      `One \`readPageMap\` of a ${SIZE_MIB} MiB mapping (${first.read} pages of ${first.pageSize} B, every other page copied after fork: ` +
        `${first.runs.length} runs), ${rounds} reads.`,
      '',
      markdownTable(
        ['', 'median ms', 'p90 ms', 'max ms'],
        [
          ['wall', formatMs(w.median), formatMs(w.p90), formatMs(w.max)],
          ['CPU (user + system)', formatMs(c.median), formatMs(c.p90), formatMs(c.max)],
        ],
      ),
      '',
      `At one read a second while a page map is open: ${(share * 100).toFixed(2)} % of a core.`,
    ].join('\n');
    writeResult('pagemap', {
      machine: machineFacts(),
      quick: args.quick,
      wall: w,
      cpu: c,
      pages: first.read,
      runs: first.runs.length,
      markdown,
    });
    process.stdout.write(`${markdown}\n`);
  } finally {
    proc.stdin.end();
    await new Promise((r) => proc.once('exit', r));
  }
}

runBundled('pagemap', __filename, main);
