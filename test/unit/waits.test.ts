// The pieces of `procscope waits` that need no blocked program of their own: the syscall line, the cycle
// rule of the wait-for graph, the probe cache (against a real sleeping process) and a thread that vanishes or
// fails mid-read (a real process, with one error put under its syscall file through the procFs seam).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { nodeProcFs, useProcFs, type ProcFs } from '../../src/core/procfs/procFs';
import { parseStat } from '../../src/core/procfs/stat';
import { readFileSync } from 'node:fs';
import { WaitProbeCache } from '../../src/core/waits/cache';
import { collectWaits, findWaitCycles } from '../../src/core/waits/collect';
import type { TaskRef, ThreadWait } from '../../src/core/waits/model';
import { argSigned, parseSyscallLine } from '../../src/core/waits/probe';
import { syscallName } from '../../src/core/waits/syscalls';

describe('the syscall line', () => {
  const cases: [string, string, ReturnType<typeof parseSyscallLine>][] = [
    [
      'futex wait on x86_64',
      '202 0x55d0c0a4b040 0x80 0x2 0x0 0x0 0x0 0x7ffc1 0x7f2',
      { kind: 'call', syscall: { nr: 202, name: 'futex', args: ['0x55d0c0a4b040', '0x80', '0x2', '0x0', '0x0', '0x0'] } },
    ],
    [
      'a number outside the table keeps its number, name null',
      '999 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8',
      { kind: 'call', syscall: { nr: 999, name: null, args: ['0x1', '0x2', '0x3', '0x4', '0x5', '0x6'] } },
    ],
    ['running', 'running\n', { kind: 'running' }],
    ['blocked outside a system call', '-1 0x7ffc8 0x7f1\n', { kind: 'none' }],
    ['garbage', 'x y z', undefined],
    ['too few arguments', '0 0x1 0x2', undefined],
  ];
  for (const [name, text, expected] of cases) test(name, () => assert.deepEqual(parseSyscallLine(text, 'x64'), expected));

  test('arm64 numbers have their own table; other machines have none', () => {
    assert.equal(syscallName(98, 'arm64'), 'futex');
    assert.equal(syscallName(63, 'arm64'), 'read');
    assert.equal(syscallName(0, 'x64'), 'read');
    assert.equal(syscallName(0, 'ia32'), undefined);
  });

  test('a pid_t -1 arrives as 0xffffffff and reads back as -1', () => {
    assert.equal(argSigned('0xffffffff', 32), -1n);
    assert.equal(argSigned('0xffffffffffffffff'), -1n);
    assert.equal(argSigned('0x2a', 32), 42n);
  });
});

function waiting(pid: number, tid: number, holders: TaskRef[]): ThreadWait {
  return {
    pid,
    tid,
    name: `t${tid}`,
    state: 'S',
    wchan: null,
    syscall: null,
    waitingFor: { kind: 'pipe', holder: holders.length === 1 ? holders[0]! : null, holders, object: '', how: '' },
  };
}

function sleeping(pid: number, tid: number): ThreadWait {
  return {
    pid,
    tid,
    name: `t${tid}`,
    state: 'S',
    wchan: null,
    syscall: null,
    waitingFor: { kind: 'sleep', holder: null, object: '', how: '' },
  };
}

describe('cycles of the wait-for graph', () => {
  const procs = (m: Record<number, number[]>): Map<number, { tids: number[] }> =>
    new Map(Object.entries(m).map(([pid, tids]) => [Number(pid), { tids }]));
  const cases: [string, ThreadWait[], Map<number, { tids: number[] }>, { pid: number; tid: number }[][]][] = [
    [
      'two threads holding what the other wants',
      [waiting(1, 11, [{ pid: 1, tid: 12 }]), waiting(1, 12, [{ pid: 1, tid: 11 }])],
      procs({ 1: [1, 11, 12] }),
      [
        [
          { pid: 1, tid: 11 },
          { pid: 1, tid: 12 },
        ],
      ],
    ],
    [
      'a chain ending in a sleeping thread is no cycle',
      [waiting(1, 1, [{ pid: 2, tid: null }]), waiting(2, 2, [{ pid: 3, tid: null }]), sleeping(3, 3)],
      procs({ 1: [1], 2: [2], 3: [3] }),
      [],
    ],
    [
      'two processes, every thread blocked on the other',
      [waiting(1, 1, [{ pid: 2, tid: null }]), waiting(2, 2, [{ pid: 1, tid: null }])],
      procs({ 1: [1], 2: [2] }),
      [
        [
          { pid: 1, tid: 1 },
          { pid: 2, tid: 2 },
        ],
      ],
    ],
    [
      'a process with a thread still free to act is not stuck',
      [waiting(1, 1, [{ pid: 2, tid: null }]), waiting(2, 2, [{ pid: 1, tid: null }]), sleeping(2, 5)],
      procs({ 1: [1], 2: [2, 5] }),
      [],
    ],
    [
      'a pipe with a second writer that can still write is not stuck',
      [
        waiting(1, 1, [
          { pid: 2, tid: null },
          { pid: 4, tid: null },
        ]),
        waiting(2, 2, [{ pid: 1, tid: null }]),
      ],
      procs({ 1: [1], 2: [2], 4: [4] }),
      [],
    ],
    ['a thread that is its own only holder is not a cycle', [waiting(1, 1, [{ pid: 1, tid: null }])], procs({ 1: [1] }), []],
    [
      'a three-party cycle',
      [waiting(1, 1, [{ pid: 2, tid: 2 }]), waiting(2, 2, [{ pid: 3, tid: 3 }]), waiting(3, 3, [{ pid: 1, tid: 1 }])],
      procs({ 1: [1], 2: [2], 3: [3] }),
      [
        [
          { pid: 1, tid: 1 },
          { pid: 2, tid: 2 },
          { pid: 3, tid: 3 },
        ],
      ],
    ],
  ];
  for (const [name, threads, p, expected] of cases) test(name, () => assert.deepEqual(findWaitCycles(threads, p), expected));
});

describe('a real sleeping process', () => {
  let child: ChildProcess;
  let pid: number;
  before(async () => {
    child = spawn('sleep', ['60'], { stdio: 'ignore' });
    pid = child.pid!;
    // Until it sleeps in nanosleep (exec done, state S).
    for (let i = 0; i < 200; i++) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) S /.test(stat) && readFileSync(`/proc/${pid}/syscall`, 'utf8').startsWith('230 ')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(() => {
    child.kill('SIGKILL');
    useProcFs(undefined);
  });

  /** node:fs, except that opening `path` fails with `code`; counts the opens of syscall files. */
  function faulty(failing: string | undefined, code: string): ProcFs & { syscallOpens: number } {
    const fs = {
      ...nodeProcFs,
      syscallOpens: 0,
      openSync(path: string, flags: 'r'): number {
        if (path.endsWith('/syscall')) fs.syscallOpens++;
        if (path === failing) throw Object.assign(new Error(`${code}: injected, open '${path}'`), { code });
        return nodeProcFs.openSync(path, flags);
      },
    };
    return fs;
  }

  test('the cache reads the syscall file again only when state, wchan or CPU time change', () => {
    const fs = faulty(undefined, 'EIO');
    useProcFs(fs);
    try {
      const dir = `/proc/${pid}/task/${pid}`;
      const buf = readFileSync(`${dir}/stat`);
      const stat = parseStat(buf, buf.length)!;
      const cache = new WaitProbeCache();
      const first = cache.lookup(dir, pid, stat);
      assert.notEqual(first, 'gone');
      assert.equal(typeof first === 'object' && first.line?.kind === 'call' ? first.line.syscall.name : undefined, 'clock_nanosleep');
      assert.equal(fs.syscallOpens, 1);
      assert.deepEqual(cache.lookup(dir, pid, stat), first);
      assert.equal(fs.syscallOpens, 1, 'same state, wchan and CPU time: from the cache');
      cache.lookup(dir, pid, { ...stat, utime: stat.utime + 1 });
      assert.equal(fs.syscallOpens, 2, 'the thread ran: read again');
      assert.deepEqual([cache.hits, cache.misses], [1, 2]);
      cache.sweep();
      cache.sweep();
      assert.equal(cache.size, 0, 'a thread not asked about for a whole look is dropped');
    } finally {
      useProcFs(undefined);
    }
  });

  test('a thread that exits between its stat and its syscall read is left out, not half-reported', () => {
    useProcFs(faulty(`/proc/${pid}/task/${pid}/syscall`, 'ESRCH'));
    try {
      const report = collectWaits({ pid });
      assert.deepEqual(report.threads, []);
    } finally {
      useProcFs(undefined);
    }
  });

  test('any other errno on the syscall file marks that fact unavailable with the reason', () => {
    useProcFs(faulty(`/proc/${pid}/task/${pid}/syscall`, 'EIO'));
    try {
      const th = collectWaits({ pid }).threads.find((x) => x.tid === pid)!;
      assert.equal(th.syscall, null);
      assert.equal(th.unavailable?.['syscall'], 'EIO: injected');
      assert.equal(th.waitingFor?.kind, 'unknown');
      assert.match(th.waitingFor!.how, /could not be read \(EIO: injected\)/);
    } finally {
      useProcFs(undefined);
    }
  });

  test('without faults it sleeps in clock_nanosleep', () => {
    const th = collectWaits({ pid }).threads.find((x) => x.tid === pid)!;
    assert.equal(th.waitingFor?.kind, 'sleep');
    assert.equal(th.syscall?.name, 'clock_nanosleep');
    assert.equal(th.wchan, 'hrtimer_nanosleep');
  });
});

// Node gives a child's stdin as one end of a unix socketpair (libuv), not a pipe.
describe('a real reader of a socket whose other end this test holds', () => {
  let cat: ChildProcess;
  before(async () => {
    cat = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    for (let i = 0; i < 200; i++) {
      try {
        if (readFileSync(`/proc/${cat.pid}/syscall`, 'utf8').startsWith('0 0x0 ')) break;
      } catch {
        /* not started yet */
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(() => {
    cat.kill('SIGKILL');
    useProcFs(undefined);
  });

  test('its holder is this test process, which holds the other end', () => {
    const th = collectWaits({ pid: cat.pid! }).threads.find((x) => x.tid === cat.pid)!;
    assert.equal(th.waitingFor?.kind, 'socket');
    assert.deepEqual(th.waitingFor?.holder, { pid: process.pid, tid: null });
  });

  test('an fd closed between the syscall read and its readlink leaves the thread listed, with the reason', () => {
    const fdPath = `/proc/${cat.pid}/task/${cat.pid}/fd/0`;
    useProcFs({
      ...nodeProcFs,
      readlinkBuffer(path: string): Buffer {
        if (path === fdPath) throw Object.assign(new Error(`ENOENT: no such file or directory, readlink '${path}'`), { code: 'ENOENT' });
        return nodeProcFs.readlinkBuffer(path);
      },
    });
    try {
      const th = collectWaits({ pid: cat.pid! }).threads.find((x) => x.tid === cat.pid)!;
      assert.equal(th.syscall?.name, 'read');
      assert.equal(th.waitingFor?.kind, 'unknown');
      assert.match(th.waitingFor!.how, /^read: ENOENT: no such file or directory$/);
    } finally {
      useProcFs(undefined);
    }
  });
});
