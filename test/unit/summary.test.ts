// The machine summary's readers on copies of this machine's /proc/stat, meminfo, loadavg and pressure files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cpuPercent, parseCpuStat } from '../../src/core/procfs/cpuStat';
import { freeMemory, parseMeminfo } from '../../src/core/procfs/meminfo';
import { parsePressure } from '../../src/core/procfs/pressure';
import { parseLoadavg, readMachineSample, summarize, tasksByState } from '../../src/core/summary';
import type { Snapshot } from '../../src/core/model';
import { nodeProcFs, useProcFs } from '../../src/core/procfs/procFs';

const FIX = join(__dirname, '..', 'fixtures', 'proc');
const KB = 1024;

describe('/proc/stat', () => {
  it('reads the machine line, every core line and the task counters', () => {
    const s = readMachineSample(join(FIX, 'summary-live')).cpu!;
    assert.deepEqual(s.total, { user: 382535, nice: 5108, system: 165585, idle: 626391, iowait: 632, irq: 0, softirq: 695, steal: 471 });
    assert.deepEqual(
      s.cores.map((c) => c.cpu),
      [0, 1],
    );
    assert.equal(s.cores[1]!.times.user, 193126);
    assert.equal(typeof s.procsRunning, 'number');
    assert.equal(typeof s.contextSwitches, 'number');
  });

  it('turns two reads into percentages of the time between them, per core and in total', () => {
    const before = readMachineSample(join(FIX, 'summary-live'));
    const after = readMachineSample(join(FIX, 'summary-live2'));
    const sum = summarize(after, before);
    // Between the copies: user +189 and system +13 ticks in total; cpu0 +92/+9, cpu1 +97/+4.
    assert.ok(Math.abs(sum.cpu!.total.user - (189 * 100) / 202) < 1e-9);
    assert.ok(Math.abs(sum.cpu!.total.system - (13 * 100) / 202) < 1e-9);
    assert.equal(sum.cpu!.total.idle, 0);
    assert.equal(sum.cpu!.total.busy, 100);
    assert.ok(Math.abs(sum.cpu!.cores[0]!.percent.user - (92 * 100) / 101) < 1e-9);
    assert.ok(Math.abs(sum.cpu!.cores[1]!.percent.system - (4 * 100) / 101) < 1e-9);
    // summary-live2 holds only stat: the rest is unavailable with the errno, CPU is still there.
    assert.equal(sum.memory, null);
    assert.match(sum.unavailable.memory!, /^ENOENT/);
  });

  it('has no CPU% from one sample, nor from two equal ones, and counts a counter going back as zero', () => {
    const one = readMachineSample(join(FIX, 'summary-live'));
    assert.equal(summarize(one).cpu, null);
    assert.match(summarize(one).unavailable.cpu!, /first sample/);
    assert.equal(summarize(one, one).cpu, null);
    const a = { user: 10, nice: 0, system: 0, idle: 100, iowait: 50, irq: 0, softirq: 0, steal: 0 };
    const b = { ...a, user: 20, idle: 110, iowait: 40 };
    assert.deepEqual(cpuPercent(a, b), { user: 50, nice: 0, system: 0, idle: 50, iowait: 0, irq: 0, softirq: 0, steal: 0, busy: 50 });
  });

  it('pads the columns old kernels lack with zero and rejects text without a cpu line', () => {
    assert.deepEqual(parseCpuStat('cpu  1 2 3 4\ncpu0 1 2 3 4\n')!.total, {
      user: 1,
      nice: 2,
      system: 3,
      idle: 4,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    });
    assert.equal(parseCpuStat('intr 1 2 3\n'), undefined);
  });
});

describe('/proc/meminfo as free shows it', () => {
  it('computes every column of free -b from the copy', () => {
    const m = readMachineSample(join(FIX, 'summary-live')).memory!;
    const total = 24683652 * KB;
    const free = 21683772 * KB;
    const buffCache = (51088 + 1854104 + 198228) * KB;
    assert.equal(m.total, total);
    assert.equal(m.free, free);
    assert.equal(m.shared, 9116 * KB);
    assert.equal(m.buffers, 51088 * KB);
    assert.equal(m.cache, (1854104 + 198228) * KB);
    assert.equal(m.buffCache, buffCache);
    assert.equal(m.available, 23442076 * KB);
    assert.equal(m.used, total - 23442076 * KB);
    assert.equal(m.usedExcludingCache, total - free - buffCache);
    assert.deepEqual([m.swapTotal, m.swapUsed, m.swapFree], [0, 0, 0]);
    assert.equal(m.availableFromKernel, true);
  });

  it('falls back to total - free - buff/cache on a kernel without MemAvailable, and counts swap', () => {
    const text =
      'MemTotal: 1000 kB\nMemFree: 200 kB\nBuffers: 100 kB\nCached: 300 kB\nSReclaimable: 50 kB\nSwapTotal: 500 kB\nSwapFree: 125 kB\nHugePages_Total: 3\n';
    const info = parseMeminfo(text);
    assert.equal(info.get('HugePages_Total'), 3);
    const m = freeMemory(info)!;
    assert.equal(m.used, 350 * KB);
    assert.equal(m.available, 650 * KB);
    assert.equal(m.availableFromKernel, false);
    assert.deepEqual([m.swapTotal, m.swapUsed, m.swapFree], [500 * KB, 375 * KB, 125 * KB]);
    assert.equal(freeMemory(parseMeminfo('Cached: 1 kB\n')), undefined);
  });
});

describe('load average and pressure', () => {
  it('reads loadavg', () => {
    assert.deepEqual(readMachineSample(join(FIX, 'summary-live')).load, {
      load1: 6.82,
      load5: 11.29,
      load15: 32.69,
      running: 11,
      total: 210,
      lastPid: 9093,
    });
    assert.equal(parseLoadavg('garbage'), undefined);
  });

  it('reads some and full of cpu, memory and io', () => {
    const p = readMachineSample(join(FIX, 'summary-live')).pressure;
    assert.deepEqual(p.cpu!.some, { avg10: 82.98, avg60: 69.28, avg300: 63.8, totalUs: 2131303170 });
    assert.deepEqual(p.io!.full, { avg10: 0, avg60: 0.09, avg300: 0.05, totalUs: 4434293 });
    assert.deepEqual(p.memory!.some, { avg10: 0, avg60: 0, avg300: 0, totalUs: 0 });
  });

  it('marks pressure unavailable with the errno on a kernel without it, the rest still read', () => {
    const s = readMachineSample(join(FIX, 'summary-nopsi'));
    for (const r of ['cpu', 'memory', 'io'] as const) {
      assert.equal(s.pressure[r], null);
      assert.match(s.unavailable[`pressure.${r}`]!, /^ENOENT/);
    }
    assert.notEqual(s.memory, null);
    assert.notEqual(s.cpu, null);
  });

  it('marks one pressure file unavailable when PSI is switched off (EOPNOTSUPP), the rest still read', () => {
    const root = join(FIX, 'summary-live');
    useProcFs({
      ...nodeProcFs,
      readFileSync: (path) => {
        if (path === `${root}/pressure/io`)
          throw Object.assign(new Error(`EOPNOTSUPP: operation not supported on socket, read`), { code: 'EOPNOTSUPP' });
        return nodeProcFs.readFileSync(path);
      },
    });
    try {
      const s = readMachineSample(root);
      assert.equal(s.pressure.io, null);
      assert.equal(s.unavailable['pressure.io'], 'EOPNOTSUPP: operation not supported on socket');
      assert.notEqual(s.pressure.cpu, null);
      assert.notEqual(s.memory, null);
    } finally {
      useProcFs(undefined);
    }
  });

  it('takes a cpu file with only a some line (kernels before 5.13) and rejects other text', () => {
    assert.deepEqual(parsePressure('some avg10=1.50 avg60=0.00 avg300=0.00 total=12\n'), {
      some: { avg10: 1.5, avg60: 0, avg300: 0, totalUs: 12 },
      full: null,
    });
    assert.equal(parsePressure('nonsense\n'), undefined);
  });
});

describe('tasks by state', () => {
  it('counts processes by shown state and threads by their own, and says when threads were not read', () => {
    const th = (tid: number, state: 'R' | 'S' | 'D') => ({ tid, state }) as never;
    const snapshot = {
      processes: [
        { pid: 1, state: 'S', threads: [th(1, 'S')] },
        { pid: 2, state: 'R', threads: [th(2, 'S'), th(3, 'R'), th(4, 'D')] },
        { pid: 5, state: 'S' },
      ],
    } as unknown as Snapshot;
    const t = tasksByState(snapshot);
    assert.deepEqual(t.processes, { S: 2, R: 1 });
    assert.deepEqual(t.threads, { S: 2, R: 1, D: 1 });
    assert.equal(t.processCount, 3);
    assert.equal(t.threadCount, 4);
    assert.equal(t.threadsComplete, false);
  });
});
