// Parsers of the PCB detail, on /proc files copied from real processes (test/fixtures/proc/detail/capture.py
// made them: a Python process with blocked/ignored/caught/pending signals and every kind of memory region,
// kthreadd, a zombie, and a process exec'ed with an odd environment).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readProcessDetail, REASON } from '../../src/core/detail';
import { ProcScopeError } from '../../src/core/errors';
import { decodeCapabilities } from '../../src/core/procfs/capabilities';
import { parseCgroup } from '../../src/core/procfs/cgroup';
import { parseCpuList } from '../../src/core/procfs/cpuList';
import { decodeBytes } from '../../src/core/procfs/decode';
import { parseEnviron } from '../../src/core/procfs/environ';
import { parseIo } from '../../src/core/procfs/io';
import { parseLimits } from '../../src/core/procfs/limits';
import { parseMaps } from '../../src/core/procfs/maps';
import { parseNamespaceLink } from '../../src/core/procfs/namespaces';
import { decodeSignalMask, signalName } from '../../src/core/procfs/signals';
import { parseSmapsRollup } from '../../src/core/procfs/smapsRollup';
import { parseStatus } from '../../src/core/procfs/status';

const FIXTURES = join(__dirname, '..', 'fixtures', 'proc', 'detail');

/** Each case is a small procfs root holding one pid directory (the real pid it was copied from). */
function fixture(name: string): { root: string; pid: number; dir: string } {
  const root = join(FIXTURES, name);
  const pidName = readdirSync(root).find((n) => /^\d+$/.test(n));
  assert.ok(pidName, `fixture ${name} has a pid directory`);
  return { root, pid: Number(pidName), dir: join(root, pidName) };
}
const text = (dir: string, file: string): string => decodeBytes(readFileSync(join(dir, file)));

const rich = fixture('rich');
const kthread = fixture('kthread');
const zombie = fixture('zombie');
const env = fixture('environ');

describe('signal masks', () => {
  it('names every signal 1..64 as bash `kill -l` does', () => {
    const listing = spawnSync('bash', ['-c', 'kill -l'], { encoding: 'utf8' }).stdout;
    const expected = new Map<number, string>();
    for (const m of listing.matchAll(/(\d+)\) (SIG[A-Z0-9+-]+)/g)) expected.set(Number(m[1]), m[2]!);
    assert.equal(expected.size, 62, 'bash names 62 signals (not 32 and 33)');
    for (const [n, name] of expected) assert.equal(signalName(n), name, `signal ${n}`);
    assert.equal(signalName(32), 'SIG32');
    assert.equal(signalName(33), 'SIG33');
  });

  const status = parseStatus(text(rich.dir, 'status'))!;
  const cases: [string, keyof NonNullable<typeof status>['signals'], string, number[], string[]][] = [
    ['pending for the main thread (pthread_kill SIGUSR2)', 'pending', '0000000000000800', [12], ['SIGUSR2']],
    ['pending for the process (kill SIGUSR1)', 'sharedPending', '0000000000000200', [10], ['SIGUSR1']],
    ['blocked (sigprocmask)', 'blocked', '0000000000000a00', [10, 12], ['SIGUSR1', 'SIGUSR2']],
    [
      'ignored (SIG_IGN; Python ignores SIGPIPE and SIGXFSZ itself)',
      'ignored',
      '0000000001001002',
      [2, 13, 25],
      ['SIGINT', 'SIGPIPE', 'SIGXFSZ'],
    ],
    ['caught (a handler installed)', 'caught', '0000000800004000', [15, 36], ['SIGTERM', 'SIGRTMIN+2']],
  ];
  for (const [what, key, hex, numbers, names] of cases) {
    it(`decodes ${what}`, () => {
      const set = status.signals[key];
      assert.deepEqual(set, { hex, numbers, names });
    });
  }

  it('reads the signal queue count and limit', () => {
    assert.equal(status.signals.queued, 5);
    assert.equal(status.signals.queueLimit, 96365);
  });

  it('rejects a mask that is not hex', () => {
    assert.equal(decodeSignalMask('zz'), undefined);
    assert.equal(decodeSignalMask(''), undefined);
  });

  it('decodes the top bit (SIGRTMAX = 64) without losing precision', () => {
    assert.deepEqual(decodeSignalMask('8000000000000001')?.names, ['SIGHUP', 'SIGRTMAX']);
  });
});

describe('status', () => {
  it('reads credentials, namespaced pids, threads and affinity of a user process', () => {
    const s = parseStatus(text(rich.dir, 'status'))!;
    assert.deepEqual(s.uid, { real: 0, effective: 0, saved: 0, filesystem: 0 });
    assert.deepEqual(s.gid, { real: 0, effective: 0, saved: 0, filesystem: 0 });
    assert.deepEqual(s.groups, [], 'an empty Groups line is no groups (the library gives [NaN])');
    assert.deepEqual(s.nsPid, [rich.pid]);
    assert.deepEqual(s.nsTgid, [rich.pid]);
    assert.equal(s.threads, 1);
    assert.equal(s.kthread, false);
    assert.equal(s.cpusAllowedList, '0-1');
    assert.deepEqual(s.cpusAllowed, [0, 1]);
    assert.equal(s.umask, '0022');
    assert.equal(s.memory.vmRSS, 30580 * 1024);
    assert.equal(s.memory.vmSize, 33584 * 1024);
    assert.equal(s.memory.vmStack, 132 * 1024);
  });

  it('reads a kernel thread: Kthread 1, no memory lines', () => {
    const s = parseStatus(text(kthread.dir, 'status'))!;
    assert.equal(s.kthread, true);
    assert.equal(s.pid, 2);
    assert.equal(s.ppid, 0);
    assert.equal(s.memory.vmSize, null);
    assert.equal(s.memory.vmRSS, null);
  });

  it('reads a zombie: state Z, no memory lines', () => {
    const s = parseStatus(text(zombie.dir, 'status'))!;
    assert.equal(s.state, 'Z');
    assert.equal(s.memory.vmSize, null);
  });

  it('is undefined for content that is not a status file', () => {
    assert.equal(parseStatus(''), undefined);
    assert.equal(parseStatus(text(rich.dir, 'io')), undefined);
  });

  it('decodes capability sets; this machine withholds CAP_SYS_RESOURCE even from root', () => {
    const s = parseStatus(text(rich.dir, 'status'))!;
    assert.equal(s.capabilities.effective?.hex, '000001fffeffffff');
    assert.equal(s.capabilities.effective?.names.length, 40);
    assert.ok(!s.capabilities.effective?.names.includes('CAP_SYS_RESOURCE'));
    assert.ok(s.capabilities.effective?.names.includes('CAP_CHECKPOINT_RESTORE'));
    assert.deepEqual(s.capabilities.ambient?.names, []);
    assert.deepEqual(decodeCapabilities('0000000000000001')?.names, ['CAP_CHOWN']);
    assert.deepEqual(decodeCapabilities('0000040000000000')?.names, ['cap_42'], 'a bit newer than the table keeps its number');
  });
});

describe('cpu lists', () => {
  const cases: [string, number[] | undefined][] = [
    ['0-1', [0, 1]],
    ['0', [0]],
    ['0-2,5,7-8', [0, 1, 2, 5, 7, 8]],
    ['', []],
    ['3-1', undefined],
    ['a', undefined],
  ];
  for (const [input, expected] of cases) it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseCpuList(input), expected));
});

describe('maps', () => {
  const exe = readlinkSync(join(rich.dir, 'exe'));
  const cwd = readlinkSync(join(rich.dir, 'cwd'));
  const map = parseMaps(text(rich.dir, 'maps'), exe);
  const lines = text(rich.dir, 'maps').split('\n').filter(Boolean);

  it('keeps one region per line, sizes from the addresses', () => {
    assert.equal(map.regions.length, lines.length);
    assert.equal(
      map.regions.reduce((sum, r) => sum + r.size, 0),
      map.totalSize,
    );
    const byKindTotal = Object.values(map.byKind).reduce((sum, k) => sum + k.size, 0);
    assert.equal(byKindTotal, map.totalSize);
  });

  const byPath = (path: string) => map.regions.filter((r) => r.path === path);
  const cases: [string, string, { kind: string; perms?: string; deleted?: boolean; size?: number; count?: number }][] = [
    ['the heap', '[heap]', { kind: 'heap', perms: 'rw-p', count: 1 }],
    ['the main stack', '[stack]', { kind: 'stack', perms: 'rw-p', size: 135168 }],
    ['a System V segment', '/SYSV00000000', { kind: 'shared', perms: 'rw-s', deleted: true, size: 131072 }],
    ['a memfd', '/memfd:procscope-memfd', { kind: 'shared', deleted: true, size: 32768 }],
    ['a POSIX shm object', '/dev/shm/procscope-fixture', { kind: 'shared', deleted: true, size: 65536 }],
    ['a shared anonymous mapping', '/dev/zero', { kind: 'shared', perms: 'rw-s', deleted: true, size: 16384 }],
    ['a MAP_SHARED file mapping', '/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache', { kind: 'shared', perms: 'r--s', deleted: false }],
    ['a deleted shared file', `${cwd}/deleted.bin`, { kind: 'shared', deleted: true, size: 4096 }],
    [
      'a file named with a space, `)`, a newline and a non-UTF-8 byte',
      `${cwd}/data with space ) and\nnewline \udcff.bin`,
      { kind: 'file', perms: 'r--p', size: 8192 },
    ],
    ['a locale file', '/usr/lib/locale/C.utf8/LC_CTYPE', { kind: 'file' }],
    ['libc', '/usr/lib/x86_64-linux-gnu/libc.so.6', { kind: 'library', count: 5 }],
    ['the dynamic loader', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', { kind: 'library', count: 5 }],
    [
      'a Python extension module',
      '/root/.pyenv/versions/3.11.7/lib/python3.11/lib-dynload/_ctypes.cpython-311-x86_64-linux-gnu.so',
      { kind: 'library' },
    ],
    ['the vDSO', '[vdso]', { kind: 'special', perms: 'r-xp' }],
    ['vvar', '[vvar]', { kind: 'special' }],
    ['vsyscall', '[vsyscall]', { kind: 'special', perms: '--xp', size: 4096 }],
  ];
  for (const [what, path, expected] of cases) {
    it(`classifies ${what}`, () => {
      const found = byPath(path);
      assert.ok(found.length > 0, `a region for ${JSON.stringify(path)}`);
      for (const r of found) {
        assert.equal(r.kind, expected.kind);
        if (expected.perms) assert.equal(r.perms, expected.perms);
        if (expected.deleted !== undefined) assert.equal(r.deleted, expected.deleted);
        if (expected.size !== undefined) assert.equal(r.size, expected.size);
      }
      if (expected.count !== undefined) assert.equal(found.length, expected.count);
    });
  }

  it('splits the program into code (r-x) and data', () => {
    const mine = byPath(exe);
    assert.deepEqual(
      mine.map((r) => r.kind),
      ['data', 'code', 'data', 'data', 'data'],
    );
    assert.equal(map.byKind.code.count, 1);
  });

  it('keeps the 16 MiB anonymous region the process wrote as anonymous', () => {
    const big = map.regions.filter((r) => r.path === null && r.size === 16 << 20);
    assert.equal(big.length, 1);
    assert.equal(big[0]!.kind, 'anonymous');
    assert.ok(map.byKind.anonymous.size >= 16 << 20);
  });

  it('counts the shared-memory kinds: SYSV, memfd, /dev/shm, /dev/zero, deleted file, gconv cache', () => {
    assert.equal(map.byKind.shared.count, 6);
    assert.equal(map.byKind.shared.size, 131072 + 32768 + 65536 + 16384 + 4096 + 28672);
  });

  it('lists each library once with its summed size', () => {
    const libc = map.libraries.find((l) => l.path === '/usr/lib/x86_64-linux-gnu/libc.so.6');
    assert.equal(
      libc?.size,
      byPath('/usr/lib/x86_64-linux-gnu/libc.so.6').reduce((s, r) => s + r.size, 0),
    );
    assert.equal(new Set(map.libraries.map((l) => l.path)).size, map.libraries.length);
  });

  it('keeps addresses above 2^53 exact, as hex text', () => {
    const vsyscall = byPath('[vsyscall]')[0]!;
    assert.equal(vsyscall.start, 'ffffffffff600000');
    assert.equal(vsyscall.end, 'ffffffffff601000');
  });

  it('finds the program without the exe link: the first file mapped at offset 0', () => {
    const guessed = parseMaps(text(rich.dir, 'maps'));
    assert.deepEqual(guessed.byKind, map.byKind);
  });

  it('gives no regions for a kernel thread (empty maps)', () => {
    const empty = parseMaps(text(kthread.dir, 'maps'));
    assert.equal(empty.regions.length, 0);
    assert.equal(empty.totalSize, 0);
  });
});

describe('smaps_rollup', () => {
  it('reads the accounting in bytes; USS = private clean + private dirty', () => {
    const r = parseSmapsRollup(text(rich.dir, 'smaps_rollup'))!;
    assert.equal(r.rss, 30580 * 1024);
    assert.equal(r.pss, 24430 * 1024);
    assert.equal(r.pssAnon, 23700 * 1024);
    assert.equal(r.pssFile, 730 * 1024);
    assert.equal(r.sharedClean, 6880 * 1024);
    assert.equal(r.sharedDirty, 0);
    assert.equal(r.privateClean, 0);
    assert.equal(r.privateDirty, 23700 * 1024);
    assert.equal(r.uss, 23700 * 1024);
    assert.equal(r.anonymous, 23700 * 1024);
    assert.equal(r.swap, 0);
    assert.equal(r.swapPss, 0);
  });
  it('is undefined for an empty read', () => assert.equal(parseSmapsRollup(''), undefined));
});

describe('limits (via @stroncium/procfs)', () => {
  const limits = parseLimits(text(rich.dir, 'limits'))!;
  const get = (name: string) => limits.find((l) => l.name === name);
  it('reads 16 limits', () => assert.equal(limits.length, 16));
  const cases: [string, number | 'unlimited', number | 'unlimited', string | null][] = [
    ['Max open files', 1234, 5678, 'files'],
    ['Max core file size', 0, 'unlimited', 'bytes'],
    ['Max cpu time', 'unlimited', 'unlimited', 'seconds'],
    ['Max stack size', 8388608, 'unlimited', 'bytes'],
    ['Max nice priority', 0, 0, null],
    ['Max realtime timeout', 'unlimited', 'unlimited', 'us'],
  ];
  for (const [name, soft, hard, units] of cases) {
    it(`reads ${name}`, () => assert.deepEqual(get(name), { name, soft, hard, units }));
  }
  it('is undefined for other content', () => assert.equal(parseLimits('rchar: 1\n'), undefined));
  it('is undefined, not a TypeError, for a table the kernel never writes (its spaces turned into newlines)', () => {
    const broken = text(rich.dir, 'limits').replaceAll(' ', '\n');
    assert.equal(parseLimits(broken), undefined);
  });
});

describe('io (via @stroncium/procfs)', () => {
  it('reads every counter', () => {
    assert.deepEqual(parseIo(text(rich.dir, 'io')), {
      rchar: 1393384,
      wchar: 12294,
      syscr: 147,
      syscw: 3,
      readBytes: 0,
      writeBytes: 12288,
      cancelledWriteBytes: 0,
    });
  });
  it('is undefined for other content', () => assert.equal(parseIo('Limit x\n'), undefined));
});

describe('cgroup', () => {
  it('keeps a path with a colon and spaces whole (v1 pids hierarchy)', () => {
    const groups = parseCgroup(text(rich.dir, 'cgroup'))!;
    assert.deepEqual(
      groups.find((g) => g.controllers.includes('pids')),
      { hierarchyId: 8, controllers: ['pids'], path: '/procscope:fixture a b' },
    );
    assert.deepEqual(
      groups.find((g) => g.hierarchyId === 0),
      { hierarchyId: 0, controllers: [], path: '/' },
    );
    assert.deepEqual(groups.find((g) => g.hierarchyId === 9)?.controllers, ['name=systemd']);
    assert.equal(groups.length, 10);
  });
  it('is undefined for lines without two colons', () => assert.equal(parseCgroup('garbage\n'), undefined));
});

describe('environ', () => {
  it('reads entries as exec gave them: no "=", Korean text, invalid UTF-8, empty value', () => {
    assert.deepEqual(parseEnviron(readFileSync(join(env.dir, 'environ'))), [
      { name: 'PATH', value: '/usr/bin:/bin' },
      { name: 'NOEQUALS', value: '', noEquals: true },
      { name: 'GREETING', value: '안녕 = hi' },
      { name: 'BAD', value: '\udcff\udcfe' },
      { name: 'EMPTY', value: '' },
    ]);
  });
  it('is empty for an empty file', () => assert.deepEqual(parseEnviron(Buffer.alloc(0)), []));
});

describe('namespace links', () => {
  it('reads every link of a live process', () => {
    const names = readdirSync(join(rich.dir, 'ns')).sort();
    assert.deepEqual(names, ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts']);
    for (const name of names) {
      const link = parseNamespaceLink(readlinkSync(join(rich.dir, 'ns', name)));
      assert.ok(link && link.inode > 0, name);
      assert.equal(link.type, name.replace('_for_children', ''));
    }
  });
  it('rejects other text', () => assert.equal(parseNamespaceLink('pipe:[12]x'), undefined));
});

describe('readProcessDetail on copied trees', () => {
  it('describes the rich process: identity, cwd with spaces and `)`, signals, memory, fds, limits', () => {
    const d = readProcessDetail(rich.pid, { procRoot: rich.root });
    assert.equal(d.name, 'python3');
    assert.equal(d.state, 'S');
    assert.equal(d.kernelThread, false);
    assert.match(d.cwd!, /^\/tmp\/procscope cwd \) /);
    assert.equal(d.exe, '/root/.pyenv/versions/3.11.7/bin/python3.11');
    assert.equal(d.root, null, 'the capture drops links to live directories');
    assert.deepEqual(d.signals?.blocked?.names, ['SIGUSR1', 'SIGUSR2']);
    assert.equal(d.memoryMap?.byKind.shared.count, 6);
    assert.equal(d.memoryRollup?.uss, 23700 * 1024);
    assert.equal(d.wchan, 'hrtimer_nanosleep');
    assert.equal(d.oomScore, 667);
    assert.equal(d.oomScoreAdj, 0);
    assert.equal(d.limits?.find((l) => l.name === 'Max open files')?.soft, 1234);
    assert.equal(d.fds?.length, 11);
    assert.deepEqual(
      d.fds?.filter((f) => f.type === 'pipe').map((f) => f.fd),
      [1],
    );
    assert.equal(d.fds?.find((f) => f.fd === 9)?.type, 'memfd');
    assert.equal(d.environ, null);
    assert.equal(d.unavailable.environ, REASON.notRequested);
    assert.equal(d.key, `${rich.pid}@${text(rich.dir, 'stat').split(') ')[1]!.split(' ')[19]}`);
  });

  it('returns the environment only when asked', () => {
    const d = readProcessDetail(rich.pid, { procRoot: rich.root, includeEnv: true });
    assert.deepEqual(d.environ, [
      { name: 'PATH', value: '/usr/bin:/bin' },
      { name: 'LANG', value: 'C.UTF-8' },
      { name: 'PROCSCOPE_FIXTURE', value: 'rich' },
    ]);
    assert.equal(d.unavailable.environ, undefined);
  });

  it('describes kthreadd: kernel thread, no exe, no address space, a wait channel', () => {
    const d = readProcessDetail(2, { procRoot: kthread.root, includeEnv: true });
    assert.equal(d.kernelThread, true);
    assert.equal(d.name, 'kthreadd');
    assert.deepEqual(d.cmdline, []);
    assert.equal(d.exe, null);
    assert.equal(d.unavailable.exe, REASON.kernelThread);
    for (const field of ['memoryMap', 'memoryRollup', 'memoryStatus', 'environ'] as const) {
      assert.equal(d[field], null, field);
      assert.equal(d.unavailable[field], REASON.kernelThread, field);
    }
    assert.equal(d.wchan, 'kthreadd');
    assert.equal(d.ppid, 0);
  });

  it('describes a zombie: exited, resources released', () => {
    const d = readProcessDetail(zombie.pid, { procRoot: zombie.root, includeEnv: true });
    assert.equal(d.state, 'Z');
    assert.equal(d.stateMeaning, 'zombie (exited, not yet reaped by its parent)');
    assert.deepEqual(d.cmdline, []);
    for (const field of ['exe', 'cwd', 'root', 'memoryMap', 'memoryRollup', 'environ'] as const) {
      assert.equal(d[field], null, field);
      assert.equal(d.unavailable[field], REASON.zombie, field);
    }
    assert.deepEqual(
      d.namespaces?.map((n) => n.name),
      ['pid', 'user'],
      'a zombie keeps only its pid and user namespaces',
    );
  });

  it('is JSON-safe: every case survives JSON.stringify and JSON.parse unchanged', () => {
    for (const c of [rich, kthread, zombie, env]) {
      const d = readProcessDetail(c.pid, { procRoot: c.root, includeEnv: true });
      assert.deepStrictEqual(JSON.parse(JSON.stringify(d)), d);
    }
  });

  const errors: [string, () => unknown, string][] = [
    ['a pid with no directory', () => readProcessDetail(999999, { procRoot: rich.root }), 'NO_SUCH_PROCESS'],
    ['a missing procfs root', () => readProcessDetail(1, { procRoot: join(FIXTURES, 'no-such-root') }), 'NO_PROCFS'],
    ['pid 0', () => readProcessDetail(0, { procRoot: rich.root }), 'BAD_REQUEST'],
    ['a negative pid', () => readProcessDetail(-5, { procRoot: rich.root }), 'BAD_REQUEST'],
    ['a fractional pid', () => readProcessDetail(1.5, { procRoot: rich.root }), 'BAD_REQUEST'],
    ['NaN', () => readProcessDetail(Number.NaN, { procRoot: rich.root }), 'BAD_REQUEST'],
  ];
  for (const [what, call, code] of errors) {
    it(`throws ${code} for ${what}`, () => {
      assert.throws(call, (e: unknown) => e instanceof ProcScopeError && e.code === code);
    });
  }

  it('tells a copied stat that is not a stat line (the tree is unusable) from an empty one (the process left)', () => {
    const root = mkdtempSync(join(tmpdir(), 'procscope-badstat-'));
    try {
      cpSync(rich.root, root, { recursive: true });
      const stat = join(root, String(rich.pid), 'stat');
      writeFileSync(stat, 'garbage\n');
      assert.throws(
        () => readProcessDetail(rich.pid, { procRoot: root }),
        (e: unknown) =>
          e instanceof ProcScopeError &&
          e.code === 'NO_PROCFS' &&
          e.message === `unexpected content in ${stat}: not what the kernel writes there`,
      );
      writeFileSync(stat, '');
      assert.throws(
        () => readProcessDetail(rich.pid, { procRoot: root }),
        (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS' && /exited while it was being read/.test(e.message),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('readProcText', () => {
  it('reads a file of many records to its end (maps comes about a page per read), byte for byte', async () => {
    const { spawn } = await import('node:child_process');
    const { readProcText } = await import('../../src/core/procfs/fd');
    // python3 maps dozens of libraries: its maps is several pages, and stays the same while it sleeps.
    const child = spawn('python3', ['-c', 'import time, json, ssl, sqlite3; print(1, flush=True); time.sleep(30)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise((r) => child.stdout!.once('data', r));
      const whole = readFileSync(`/proc/${child.pid}/maps`, 'latin1');
      assert.ok(whole.length > 8192, `maps is ${whole.length} bytes`);
      assert.equal(readProcText(`/proc/${child.pid}/maps`), whole);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
