// `npm run bench`: runs every bench/*.bench.ts in turn, each in its own Node process (so one benchmark's
// heap, open files and JIT state cannot colour the next), then prints one markdown report: the machine
// facts and every benchmark's section, ready to paste into docs/PERFORMANCE.md. Also written to
// bench/results/report.md (each benchmark writes its raw numbers to bench/results/<name>.json).
//
//   npm run bench                     every benchmark, full sizes (several minutes)
//   npm run bench -- --quick          small sizes, few rounds: a smoke check
//   npm run bench -- snapshot         one benchmark (by file name without .bench.ts)
//   npm run bench -- panelcost        the panel's whole cost in code-server against htop (needs code-server,
//                                     Chromium and htop from scripts/setup.sh; about 16 minutes)
//   npm run bench -- --doc            full run, then replace the results in docs/PERFORMANCE.md
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, machineFacts, parseBenchArgs, replaceBetweenMarkers, reportAsDocBody, RESULTS_DIR, type MachineFacts } from './lib';

function runOne(file: string, quick: boolean): Promise<{ code: number; stdout: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // --expose-gc: a benchmark may collect garbage between phases, so one phase's leftovers are not billed to the next.
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(BENCH_DIR, file), ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'], // progress on stderr shows live; the markdown section is collected
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, ms: Date.now() - t0 }));
  });
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux: fall back to os.cpus()
  }
  return machineFacts().cpuModel;
}

function machineSection(before: MachineFacts, after: MachineFacts, command: string): string {
  return [
    '## Machine',
    '',
    `- command: \`${command}\``,
    `- date: ${before.date} (finished ${after.date})`,
    `- CPU: ${cpuModel()}, ${before.cores} cores`,
    `- memory: ${before.memGiB} GiB`,
    `- kernel: Linux ${before.kernel}`,
    `- Node: ${before.node}`,
    `- load average (1, 5, 15 min) before: ${before.loadavg.join(', ')}; after: ${after.loadavg.join(', ')}` +
      ' (anything well above 0 means other work shared the CPU during the run)',
    ...(Math.max(before.loadavg[0] ?? 0, after.loadavg[0] ?? 0) > before.cores / 2
      ? [
          `- **busy machine**: a load average above ${before.cores / 2} on ${before.cores} cores; wall times are inflated by waiting for a CPU, so quote the ratios (and the CPU-time columns) rather than the absolute times, or rerun on an idle machine`,
        ]
      : []),
  ].join('\n');
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm run bench [-- [--quick] [--doc] [NAME...]]\n`);
    process.exit(2);
  }
  const all = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const chosen = args.only.length ? all.filter((f) => args.only.includes(f.replace(/\.bench\.ts$/, ''))) : all;
  const unknown = args.only.filter((name) => !all.includes(`${name}.bench.ts`));
  if (unknown.length) {
    process.stderr.write(`no such benchmark: ${unknown.join(', ')} (have: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')})\n`);
    process.exit(2);
  }
  const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const before = machineFacts();
  const sections: string[] = [];
  const failed: string[] = [];
  for (const file of chosen) {
    process.stderr.write(`\n=== ${file} ===\n`);
    const r = await runOne(file, args.quick);
    process.stderr.write(`=== ${file}: ${r.code === 0 ? 'done' : `FAILED (exit ${r.code})`} in ${(r.ms / 1000).toFixed(1)} s ===\n`);
    if (r.code !== 0) failed.push(file);
    sections.push(r.stdout.trim() || `## ${file}\n\nFailed with exit code ${r.code} and no output; see the log above.`);
  }
  const after = machineFacts();
  const report = [
    `# ProcScope benchmarks${args.quick ? ' (quick run: small sizes, not for quoting)' : ''}`,
    '',
    machineSection(before, after, command),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'report.md'), report);
  process.stdout.write('\n' + report);
  if (args.doc) {
    if (args.quick || args.only.length || failed.length) {
      process.stderr.write('--doc writes docs/PERFORMANCE.md only from a full, successful run of every benchmark; not written.\n');
    } else {
      const docPath = join(BENCH_DIR, '..', 'docs', 'PERFORMANCE.md');
      writeFileSync(docPath, replaceBetweenMarkers(readFileSync(docPath, 'utf8'), reportAsDocBody(report)));
      process.stderr.write(`results written into ${docPath}\n`);
    }
  }
  if (failed.length) {
    process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
    process.exit(1);
  }
}

void main();
