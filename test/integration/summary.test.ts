// The machine summary against the tools people trust: memory against `free -b` read at the same moment,
// CPU% from two real reads of /proc/stat, and `procscope sys` through the real CLI entry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { readMachineSample, summarize, type MachineSummary } from '../../src/core/summary';

const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
const MiB = 1024 * 1024;

/** `free -b`'s Mem: and Swap: rows by column name. */
function freeB(): Record<string, number> {
  const r = spawnSync('free', ['-b'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  assert.equal(r.status, 0, r.stderr);
  const [head, mem, swap] = r.stdout.trim().split('\n');
  const names = head!.trim().split(/\s+/);
  const memValues = mem!.trim().split(/\s+/).slice(1).map(Number);
  const swapValues = swap!.trim().split(/\s+/).slice(1).map(Number);
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    out[n] = memValues[i]!;
  });
  ['total', 'used', 'free'].forEach((n, i) => {
    out[`swap.${n}`] = swapValues[i]!;
  });
  return out;
}

it('memory matches free -b read at the same moment', () => {
  const before = readMachineSample().memory!;
  const free = freeB();
  const after = readMachineSample().memory!;
  // Memory moves between the reads (this machine is busy): free's value must lie within what we read just
  // before and just after, give or take a little.
  const tolerance = 32 * MiB;
  const within = (name: string, a: number, b: number): void => {
    const v = free[name]!;
    assert.ok(v >= Math.min(a, b) - tolerance && v <= Math.max(a, b) + tolerance, `${name}: free says ${v}, we read ${a} and ${b}`);
  };
  assert.equal(before.total, free.total);
  within('used', before.used, after.used);
  within('free', before.free, after.free);
  within('shared', before.shared, after.shared);
  within('buff/cache', before.buffCache, after.buffCache);
  within('available', before.available, after.available);
  assert.equal(before.swapTotal, free['swap.total']);
  within('swap.used', before.swapUsed, after.swapUsed);
  within('swap.free', before.swapFree, after.swapFree);
});

it('CPU% over two real reads: one row per online core, each adding up to 100', async () => {
  const first = readMachineSample();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const s = summarize(readMachineSample(), first);
  const cores = readFileSync('/proc/stat', 'latin1')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => Number(l.slice(3, l.indexOf(' '))));
  assert.deepEqual(
    s.cpu!.cores.map((c) => c.cpu),
    cores,
  );
  for (const p of [s.cpu!.total, ...s.cpu!.cores.map((c) => c.percent)]) {
    const sum = p.user + p.nice + p.system + p.idle + p.iowait + p.irq + p.softirq + p.steal;
    assert.ok(Math.abs(sum - 100) < 1e-9, String(sum));
    assert.ok(Math.abs(p.busy - (100 - p.idle - p.iowait)) < 1e-9);
  }
  assert.ok(s.intervalMs! >= 300);
});

it('procscope sys --json: CPU, load, tasks, memory and pressure (or why not)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'sys', '--json', '--interval', '200'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as MachineSummary;
  assert.ok(s.intervalMs! >= 200);
  assert.ok(s.cpu!.cores.length >= 1);
  assert.ok(s.load!.total > 0);
  // This test's own node process is among the tasks, running or sleeping.
  assert.ok(s.tasks!.processCount > 1 && s.tasks!.threadCount >= s.tasks!.processCount);
  assert.equal(s.tasks!.threadsComplete, true);
  assert.ok(s.memory!.total > 0);
  for (const res of ['cpu', 'memory', 'io'] as const) {
    let kernelHas: boolean;
    try {
      readFileSync(`/proc/pressure/${res}`);
      kernelHas = true;
    } catch {
      kernelHas = false;
    }
    if (kernelHas) assert.ok(s.pressure[res]!.some!.totalUs >= 0);
    else assert.ok(s.pressure[res] === null && s.unavailable[`pressure.${res}`]!.length > 0);
  }
  const text = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--lang', 'en', 'sys', '--interval', '50'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^all +\d+\.\d/m);
  assert.match(text.stdout, /^Mem: /m);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'sys', '--interval', '0'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
