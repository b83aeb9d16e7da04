// The benchmark helpers: statistics, table formatting and the parsers for ps -eLF, /proc/PID/stat CPU
// times and the C floor's output. The ps and stat parsers are also checked against the real ps and /proc
// of a process this test starts.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import {
  DOC_BEGIN,
  DOC_END,
  formatMs,
  formatRatio,
  markdownTable,
  median,
  parseBenchArgs,
  parsePsEltf,
  parseStatCpu,
  percentile,
  replaceBetweenMarkers,
  reportAsDocBody,
  roundRobinOrder,
  summarize,
} from '../../bench/lib';
import { cleanupLoadgen, startLoad } from '../../bench/loadgen';
import { parseFloorOutput } from '../../bench/peers';

describe('percentile and median', () => {
  const cases: { values: number[]; p: number; expected: number }[] = [
    { values: [5], p: 50, expected: 5 },
    { values: [5], p: 90, expected: 5 },
    { values: [1, 2, 3], p: 50, expected: 2 },
    { values: [3, 1, 2], p: 50, expected: 2 }, // unsorted input
    { values: [1, 2, 3, 4], p: 50, expected: 2.5 }, // even count: mean of the middle two
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 90, expected: 9.1 }, // linear interpolation (numpy default)
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 0, expected: 1 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 100, expected: 10 },
    { values: [10, 20], p: 25, expected: 12.5 },
  ];
  for (const c of cases) {
    it(`p${c.p} of [${c.values.join(', ')}] is ${c.expected}`, () => {
      assert.ok(Math.abs(percentile(c.values, c.p) - c.expected) < 1e-9, `got ${percentile(c.values, c.p)}`);
    });
  }

  it('median of an odd and an even list', () => {
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });

  it('rejects an empty list and a percentile outside 0..100', () => {
    assert.throws(() => percentile([], 50), /empty/);
    assert.throws(() => percentile([1], 101), /0\.\.100/);
    assert.throws(() => percentile([1], -1), /0\.\.100/);
    assert.throws(() => percentile([1], Number.NaN), /0\.\.100/);
  });
});

describe('summarize', () => {
  it('gives count, median, p90, min, max and mean', () => {
    assert.deepEqual(summarize([4, 2, 8, 6]), { n: 4, median: 5, p90: 7.4, min: 2, max: 8, mean: 5 });
  });
  it('rejects an empty list', () => {
    assert.throws(() => summarize([]), /empty/);
  });
});

describe('formatting', () => {
  const ms: [number, string][] = [
    [0.1234, '0.123'],
    [4.567, '4.57'],
    [12.34, '12.3'],
    [559.4, '559'],
    [Infinity, '–'],
  ];
  for (const [v, s] of ms) it(`formatMs(${v}) is ${s}`, () => assert.equal(formatMs(v), s));
  it('formatRatio keeps two decimals under 10 and one above', () => {
    assert.equal(formatRatio(3.456), '3.46×');
    assert.equal(formatRatio(12.34), '12.3×');
    assert.equal(formatRatio(Number.NaN), '–');
  });
  it('markdownTable right-aligns numeric columns and escapes pipes', () => {
    assert.equal(markdownTable(['tool', 'ms'], [['a|b', '1.0']]), '| tool | ms |\n| --- | ---: |\n| a\\|b | 1.0 |');
  });
});

describe('parseBenchArgs', () => {
  it('reads --quick and benchmark names', () => {
    assert.deepEqual(parseBenchArgs(['--quick', 'snapshot', 'livepoll.bench.ts']), {
      quick: true,
      doc: false,
      only: ['snapshot', 'livepoll'],
    });
    assert.deepEqual(parseBenchArgs(['--doc']), { quick: false, doc: true, only: [] });
    assert.deepEqual(parseBenchArgs([]), { quick: false, doc: false, only: [] });
  });
  it('rejects an unknown option with its name', () => {
    assert.throws(() => parseBenchArgs(['--fast']), /unknown option --fast/);
  });
});

describe('replaceBetweenMarkers', () => {
  it('replaces only the text between the markers', () => {
    const doc = `# Title\n\nintro\n\n${DOC_BEGIN}\n\nold table\n\n${DOC_END}\n\nafter\n`;
    assert.equal(replaceBetweenMarkers(doc, 'new table\n'), `# Title\n\nintro\n\n${DOC_BEGIN}\n\nnew table\n\n${DOC_END}\n\nafter\n`);
  });
  it('refuses a document without markers', () => {
    assert.throws(() => replaceBetweenMarkers('# no markers', 'x'), /no bench:begin/);
  });
});

describe('reportAsDocBody', () => {
  it('drops the title and moves every heading one level down', () => {
    assert.equal(
      reportAsDocBody('# ProcScope benchmarks\n\n## Machine\n\n- x\n\n### idle\n\n| a |\n'),
      '\n## Machine\n\n- x\n\n#### idle\n\n| a |\n'.replace('\n## Machine', '\n### Machine'),
    );
  });
});

describe('roundRobinOrder', () => {
  it('runs every contender once per round and rotates who goes first', () => {
    assert.deepEqual(roundRobinOrder(3, 4), [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
  });
});

describe('parsePsEltf', () => {
  // Copied from a real `ps -eLF` on this machine kind, with a command line holding blanks and a `|`.
  const fixture = [
    'UID          PID    PPID     LWP  C NLWP    SZ   RSS PSR STIME TTY          TIME CMD',
    'root           1       0       1  0    1   594  1444   0 04:32 ?        00:00:00 /process_api --addr 0.0.0.0:2024',
    'root          17       1      17  0    3 12345  5000   1 Nov21 pts/0    00:01:02 python3 -c import time | sleep',
    'root          17       1      18  0    3 12345  5000   0 Nov21 pts/0    00:00:00 python3 -c import time | sleep',
    '',
  ].join('\n');

  it('splits the twelve fixed columns and keeps the command line whole', () => {
    const rows = parsePsEltf(fixture);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], {
      user: 'root',
      pid: 1,
      ppid: 0,
      lwp: 1,
      c: 0,
      nlwp: 1,
      sz: 594,
      rss: 1444,
      psr: 0,
      stime: '04:32',
      tty: '?',
      time: '00:00:00',
      cmd: '/process_api --addr 0.0.0.0:2024',
    });
    assert.equal(rows[2]?.lwp, 18);
    assert.equal(rows[2]?.tty, 'pts/0');
    assert.equal(rows[2]?.cmd, 'python3 -c import time | sleep');
  });

  it('rejects output that is not ps -eLF', () => {
    assert.throws(() => parsePsEltf('PID TTY TIME CMD\n1 ? 00:00:00 init\n'), /unexpected ps -eLF header/);
    assert.throws(() => parsePsEltf(fixture.split('\n')[0] + '\nroot 1 0 1 0\n'), /short ps -eLF row 1/);
    assert.throws(() => parsePsEltf(fixture.split('\n')[0] + '\nroot x 0 1 0 1 594 1444 0 04:32 ? 00:00:00 a\n'), /PID is not a number: x/);
  });

  it('finds every thread of a real process this test starts, with its pid, ppid and thread count', async () => {
    // python3 with two extra threads: three LWPs under one pid.
    const child = spawn(
      'python3',
      [
        '-c',
        'import threading,time\nfor _ in range(2): threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\nprint("up", flush=True)\ntime.sleep(30)',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const pid = child.pid as number;
      const rows = parsePsEltf(spawnSync('ps', ['-eLF'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout).filter((r) => r.pid === pid);
      assert.equal(rows.length, 3);
      for (const r of rows) {
        assert.equal(r.ppid, process.pid);
        assert.equal(r.nlwp, 3);
        assert.match(r.cmd, /python3 -c import threading,time/);
      }
      assert.equal(rows.filter((r) => r.lwp === pid).length, 1, 'the main thread has lwp = pid');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('parseStatCpu', () => {
  it('cuts the name at the last ) so names with blanks and parentheses parse', () => {
    // A real stat line of a process named "a) (b c" (comm may hold any of these).
    const line =
      '4242 (a) (b c) S 1 4242 4242 0 -1 4194560 120 0 0 0 7 3 11 13 20 0 1 0 12345 1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';
    assert.deepEqual(parseStatCpu(line), { utime: 7, stime: 3, cutime: 11, cstime: 13 });
  });
  it('reads the real /proc/self/stat with integers that do not go backwards', () => {
    const a = parseStatCpu(readFileSync('/proc/self/stat', 'latin1'));
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += i;
    assert.ok(x > 0);
    const b = parseStatCpu(readFileSync('/proc/self/stat', 'latin1'));
    for (const k of ['utime', 'stime', 'cutime', 'cstime'] as const) {
      assert.ok(Number.isInteger(a[k]) && a[k] >= 0, `${k} = ${a[k]}`);
      assert.ok(b[k] >= a[k], `${k} went backwards`);
    }
  });
  it('rejects a line without a closing parenthesis or with too few fields', () => {
    assert.throws(() => parseStatCpu('4242 (x S 1'), /no closing parenthesis/);
    assert.throws(() => parseStatCpu('4242 (x) S 1 2 3'), /field 14 is missing/);
  });
});

describe('parseFloorOutput', () => {
  it('reads processes, tasks and nanoseconds', () => {
    assert.deepEqual(parseFloorOutput('2083 8116 74250000\n'), { processes: 2083, threads: 8116, innerMs: 74.25 });
  });
  it('rejects anything else', () => {
    assert.throws(() => parseFloorOutput('cc: not found'), /unexpected output from floor/);
  });
});

describe('startLoad (bench/loadgen.ts)', () => {
  after(() => cleanupLoadgen()); // the compiled load generator's temp dir
  it('starts N processes of M threads each, visible in /proc, and stop() removes exactly those', async () => {
    const load = await startLoad({ processes: 5, threadsPerProcess: 3, lifetimeMs: 30_000 });
    try {
      assert.equal(load.pids.length, 5);
      assert.equal(new Set(load.pids).size, 5);
      for (const pid of load.pids) {
        assert.equal(readdirSync(`/proc/${pid}/task`).length, 3, `threads of ${pid}`);
        assert.equal(parsePpid(readFileSync(`/proc/${pid}/stat`, 'latin1')), load.launcherPid);
      }
    } finally {
      await load.stop();
    }
    for (const pid of [...load.pids, load.launcherPid]) assert.equal(existsSync(`/proc/${pid}`), false, `${pid} still in /proc`);
  });

  it('processes exit by themselves after their lifetime', async () => {
    const load = await startLoad({ processes: 3, threadsPerProcess: 2, lifetimeMs: 1000 });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      const alive = load.pids.filter((pid) => existsSync(`/proc/${pid}`));
      assert.deepEqual(alive, []);
    } finally {
      await load.stop();
    }
  });

  it('rejects nonsense sizes with a message', async () => {
    await assert.rejects(startLoad({ processes: -1, threadsPerProcess: 1, lifetimeMs: 1000 }), /processes must be/);
    await assert.rejects(startLoad({ processes: 1, threadsPerProcess: 0, lifetimeMs: 1000 }), /threadsPerProcess must be/);
    // More tasks than pid_max allows (32768 by default, at most 4194304) is refused before anything starts.
    await assert.rejects(
      startLoad({ processes: 5_000_000, threadsPerProcess: 1, lifetimeMs: 1000 }),
      /over 90% of \/proc\/sys\/kernel\/pid_max/,
    );
  });
});

function parsePpid(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
