// The sampler and its parsers on fixture trees copied from a real /proc (test/fixtures/capture.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyDelta, diffSnapshots } from '../../src/core/diff';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { decodeBytes, encodeBytes, parseCmdline } from '../../src/core/procfs/decode';
import { parseStat } from '../../src/core/procfs/stat';
import { parseStatusSummary } from '../../src/core/procfs/statusSummary';
import { ProcSampler } from '../../src/core/sampler';
import { buildTree, descendants, ancestors } from '../../src/core/tree';
import { TtyNames } from '../../src/core/tty';
import { parsePasswd } from '../../src/core/users';
import { formatCpuTime, formatStime, psRows, renderPsTable } from '../../src/core/psFormat';
import { visible } from '../../src/shared/visible';

const EDGE = join(__dirname, '..', 'fixtures', 'proc', 'edge');
const manifest = new Map(
  readFileSync(join(EDGE, 'MANIFEST'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [k, v] = l.split(' ');
      return [k!, Number(v)] as const;
    }),
);
const pidOf = (k: string): number => manifest.get(k)!;

describe('sampler on a fixture tree of hostile names', () => {
  const snap = new ProcSampler({ procRoot: EDGE }).pollSync({ threads: 'all' });
  const get = (k: string): ProcessInfo => {
    const p = snap.processes.find((x) => x.pid === pidOf(k));
    assert.ok(p, `${k} present`);
    return p;
  };

  const names: [string, string][] = [
    ['spaces', 'a) (b c'],
    ['newline', 'x)\ny) 1 2'],
    ['html', '<img src=x oner'],
    ['korean', '프로세스'],
    ['nonutf8', '\udcff\udcfeAB'],
  ];
  for (const [k, expected] of names) {
    it(`reads the name "${JSON.stringify(expected)}" exactly and the fields after it unshifted`, () => {
      const p = get(k);
      assert.equal(p.name, expected);
      assert.equal(p.ppid, pidOf('threaded'));
      assert.equal(p.state, 'S');
      assert.equal(p.numThreads, 1);
      assert.equal(p.uid, 0);
      assert.equal(p.policy, 'SCHED_OTHER');
    });
  }

  it('writes the bytes 0xff 0xfe of a name as \\udcff\\udcfe in JSON, not as U+FFFD or the text \\xff', () => {
    const json = JSON.stringify(get('nonutf8'));
    assert.ok(json.includes('"name":"\\udcff\\udcfeAB"'), json);
    assert.ok(!json.includes('\\\\xff') && !json.includes('\ufffd'));
  });

  it('reads a zombie: state Z, empty argv, no executable', () => {
    const z = get('zombie');
    assert.equal(z.state, 'Z');
    assert.deepEqual(z.cmdline, []);
    assert.equal(z.exe, null);
    assert.equal(z.vsize, 0);
  });

  it('flags kthreadd as a kernel thread with no command line', () => {
    const k = get('kthreadd');
    assert.equal(k.name, 'kthreadd');
    assert.equal(k.kernelThread, true);
    assert.equal(k.ppid, 0);
    assert.deepEqual(k.cmdline, []);
  });

  it('skips a thread whose task directory lost its stat file mid-read, keeping the others', () => {
    const t = get('threaded');
    assert.equal(t.numThreads, 3);
    const tids = t.threads!.map((x) => x.tid).sort((a, b) => a - b);
    assert.equal(tids.length, 2);
    assert.ok(tids.includes(pidOf('threaded')));
    assert.ok(!tids.includes(pidOf('vanished-thread')));
  });

  it('turns start ticks into an absolute start time from btime', () => {
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync(join(EDGE, 'stat'), 'latin1'))![1]) * 1000;
    const p = get('spaces');
    assert.equal(p.startTime, btime + p.startTicks * 10);
    assert.equal(p.key, `${p.pid}@${p.startTicks}`);
  });

  it('puts every process in one tree built from the pid map', () => {
    const tree = buildTree(snap.processes);
    const kids = tree.children
      .get(pidOf('threaded'))!
      .map((p) => p.pid)
      .sort((a, b) => a - b);
    assert.deepEqual(
      kids,
      ['spaces', 'newline', 'html', 'korean', 'nonutf8', 'zombie'].map(pidOf).sort((a, b) => a - b),
    );
  });
});

describe('parseStat', () => {
  const line = (name: string): Buffer =>
    Buffer.from(
      `42 (${name}) R 1 42 42 34819 42 4194560 10 0 2 0 150 50 0 0 20 0 1 0 1234 4096000 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`,
    );
  const table: { title: string; input: Buffer; name?: string; ok: boolean }[] = [
    { title: 'a plain name', input: line('bash'), name: 'bash', ok: true },
    { title: 'a name ending in ")"', input: line('a)'), name: 'a)', ok: true },
    { title: 'a name with ") R 1"', input: line('x) R 1 2'), name: 'x) R 1 2', ok: true },
    { title: 'an empty name', input: line(''), name: '', ok: true },
    { title: 'empty content', input: Buffer.alloc(0), ok: false },
    { title: 'a line cut after the name', input: Buffer.from('42 (bash) R 1 2'), ok: false },
    { title: 'no parentheses', input: Buffer.from('42 bash R 1'), ok: false },
    {
      title: 'a start time no Date can hold (23 digits)',
      input: Buffer.from(line('a').toString().replace(' 1234 ', ' 99999999999999999999999 ')),
      ok: false,
    },
    { title: 'a negative CPU time', input: Buffer.from(line('a').toString().replace(' 150 50 ', ' -1 50 ')), ok: false },
  ];
  for (const c of table) {
    it(`${c.ok ? 'parses' : 'rejects'} ${c.title}`, () => {
      const st = parseStat(c.input);
      if (!c.ok) return assert.equal(st, undefined);
      assert.ok(st);
      assert.equal(st.comm, c.name);
      assert.equal(st.pid, 42);
      assert.equal(st.state, 'R');
      assert.equal(st.ttyNr, 34819);
      assert.equal(st.majflt, 2);
      assert.equal(st.utime, 150);
      assert.equal(st.stime, 50);
      assert.equal(st.starttime, 1234);
      assert.equal(st.vsize, 4096000);
      assert.equal(st.rss, 250);
      assert.equal(st.processor, 1);
    });
  }
});

describe('status summary', () => {
  it('reads credentials, context switches and VmRSS from a real status file', () => {
    const s = parseStatusSummary(readFileSync(join(EDGE, String(pidOf('threaded')), 'status')));
    assert.ok(s);
    assert.equal(s.uid, 0);
    assert.equal(s.euid, 0);
    assert.equal(typeof s.voluntaryCtxtSwitches, 'number');
    assert.ok(s.vmRss! > 1024 * 1024);
  });
  it('has no VmRSS for a kernel thread', () => {
    const s = parseStatusSummary(readFileSync(join(EDGE, '2', 'status')));
    assert.equal(s?.vmRss, null);
  });
  it('rejects a status without Uid/Gid lines', () => {
    assert.equal(parseStatusSummary(Buffer.from('Name:\tx\nState:\tS\n')), undefined);
  });
});

describe('decoding kernel bytes', () => {
  const table: [string, number[], string][] = [
    ['ASCII', [0x61, 0x62], 'ab'],
    ['UTF-8 Korean', [...Buffer.from('한')], '한'],
    ['a lone continuation byte', [0x61, 0x80, 0x62], 'a\udc80b'],
    ['a truncated sequence', [0xed, 0x95], '\udced\udc95'],
    ['an overlong encoding', [0xc0, 0xaf], '\udcc0\udcaf'],
    ['valid text around invalid bytes', [...Buffer.from('가'), 0xff, ...Buffer.from('나')], '가\udcff나'],
  ];
  for (const [title, bytes, expected] of table) {
    it(`decodes ${title}`, () => assert.equal(decodeBytes(Uint8Array.from(bytes)), expected));
  }
  it('keeps every byte: encodeBytes gives back the bytes decodeBytes was given', () => {
    for (const [, bytes] of table) assert.deepEqual([...encodeBytes(decodeBytes(Uint8Array.from(bytes)))], bytes);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual([...encodeBytes(decodeBytes(all))], [...all]);
  });
  it('tells the byte 0xff from the text "\\xff", in values and in JSON', () => {
    const byte = decodeBytes(Uint8Array.of(0xff));
    const text = decodeBytes(Buffer.from('\\xff'));
    assert.notEqual(byte, text);
    assert.equal(JSON.stringify(byte), '"\\udcff"');
    assert.equal(JSON.stringify(text), '"\\\\xff"');
    assert.equal(JSON.parse(JSON.stringify(byte)), byte);
    assert.ok(!decodeBytes(Uint8Array.of(0x80, 0xfe, 0xff)).includes('\ufffd'));
  });
  it('splits argv on NULs, with or without a trailing NUL', () => {
    assert.deepEqual(parseCmdline(Buffer.from('a\0b c\0\0')), ['a', 'b c', '']);
    assert.deepEqual(parseCmdline(Buffer.from('title rewritten')), ['title rewritten']);
    assert.deepEqual(parseCmdline(Buffer.alloc(0)), []);
  });
});

describe('terminal names', () => {
  const ttys = new TtyNames(EDGE);
  const table: [number, string | null][] = [
    [0, null],
    [(136 << 8) | 3, 'pts/3'],
    [(137 << 8) | 4, 'pts/260'],
    [(4 << 8) | 1, 'tty1'],
    [(4 << 8) | 64, 'ttyS0'],
    [(5 << 8) | 1, 'console'],
  ];
  for (const [dev, name] of table) it(`names device ${dev} ${name}`, () => assert.equal(ttys.name(dev), name));
});

describe('users', () => {
  it('maps uids to the first name /etc/passwd gives, skipping junk lines', () => {
    const m = parsePasswd('root:x:0:0::/root:/bin/sh\n# comment\nbroken\ntoor:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n');
    assert.equal(m.get(0), 'root');
    assert.equal(m.get(65534), 'nobody');
    assert.equal(m.size, 2);
  });
});

describe('ps -eLF columns', () => {
  it('formats cumulative CPU time like procps', () => {
    assert.equal(formatCpuTime(0), '00:00:00');
    assert.equal(formatCpuTime(3_723_999), '01:02:03');
    assert.equal(formatCpuTime(90_061_000), '1-01:01:01');
  });
  it('formats start times: HH:MM today, MonDD this year, else the year', () => {
    const now = new Date(2026, 10, 22, 12, 0).getTime();
    assert.equal(formatStime(new Date(2026, 10, 22, 9, 5).getTime(), now), '09:05');
    assert.equal(formatStime(new Date(2026, 2, 7, 9, 5).getTime(), now), 'Mar07');
    assert.equal(formatStime(new Date(2024, 2, 7, 9, 5).getTime(), now), '2024');
  });
  it('gives one row per thread, the leader with whole-process CPU time', () => {
    const snap = new ProcSampler({ procRoot: EDGE }).pollSync({ threads: 'all' });
    const rows = psRows(snap, 1e6).filter((r) => r.PID === String(pidOf('threaded')));
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.NLWP === '3' && r.UID === 'root' && r.TTY === '?'));
    const z = psRows(snap, 1e6).find((r) => r.PID === String(pidOf('zombie')))!;
    assert.match(z.CMD, /^\[.*\] <defunct>$/);
    assert.equal(psRows(snap, 1e6).find((r) => r.PID === '2')!.CMD, '[kthreadd]');
  });
  it('prints one line per row, CMD as ps prints it, other OS text escaped, numbers right-aligned under their headers', () => {
    const snap = new ProcSampler({ procRoot: EDGE }).pollSync({ threads: 'all' });
    const hostile = {
      ...snap,
      processes: snap.processes.map((p) => (p.pid === pidOf('newline') ? { ...p, cmdline: ['a\nb', '\x1b[31m\u202e'] } : p)),
    };
    const rows = psRows(hostile, 1e6);
    const lines = renderPsTable(rows, visible).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, rows.length + 1);
    assert.ok(
      lines.some((l) => l.endsWith(' a b ?[31m\\u202E')),
      "the command line's newline as a space and its escape as ?, as ps prints them, on its own row; a direction override escaped",
    );
    assert.ok(!lines.some((l) => l.includes('\x1b')));
    const pidEnd = lines[0]!.indexOf('PID') + 'PID'.length;
    for (const [i, row] of rows.entries()) assert.equal(lines[i + 1]!.slice(0, pidEnd).trimStart().split(/ +/).pop(), row.PID);
  });
  it('skips the exe link when asked to, and reads everything else the same', () => {
    const all = new ProcSampler({ procRoot: EDGE }).pollSync({ threads: 'all' });
    const noExe = new ProcSampler({ procRoot: EDGE, exe: false }).pollSync({ threads: 'all' });
    assert.equal(noExe.processes.length, all.processes.length);
    for (const [i, p] of noExe.processes.entries()) {
      const q = all.processes[i]!;
      assert.equal(p.exe, null);
      assert.match(p.unavailable?.exe ?? '', /not read/);
      const { exe: _a, unavailable: ua, ...rest } = p;
      const { exe: _b, unavailable: ub, ...restAll } = q;
      const { exe: _c, ...uaRest } = ua ?? {};
      const { exe: _d, ...ubRest } = ub ?? {};
      assert.deepEqual({ ...rest, unavailable: uaRest }, { ...restAll, unavailable: ubRest });
    }
    // The fixture copy holds no symlinks: the live /proc shows this process's exe read, and then skipped.
    const selfExe = (sampler: ProcSampler): string | null => {
      try {
        return sampler.pollSync().processes.find((p) => p.pid === process.pid)!.exe;
      } finally {
        sampler.dispose();
      }
    };
    assert.equal(selfExe(new ProcSampler()), process.execPath);
    assert.equal(selfExe(new ProcSampler({ exe: false })), null);
  });
});

describe('deltas', () => {
  const base = new ProcSampler({ procRoot: EDGE }).pollSync();
  const withChanges = (s: Snapshot): Snapshot => ({
    ...s,
    timestamp: s.timestamp + 1000,
    processes: [
      ...s.processes
        .filter((p) => p.pid !== pidOf('zombie'))
        .map((p) => (p.pid === pidOf('spaces') ? { ...p, state: 'R' as const, cpuPercent: 50 } : p)),
      { ...s.processes[0]!, pid: 99999, key: '99999@1' },
    ],
  });

  it('carries only what changed, and applying it reproduces the new snapshot', () => {
    const next = withChanges(base);
    const d = diffSnapshots(base, next);
    assert.deepEqual(d.removed, [base.processes.find((p) => p.pid === pidOf('zombie'))!.key]);
    assert.deepEqual(
      d.added.map((p) => p.pid),
      [99999],
    );
    assert.equal(d.changed.length, 1);
    assert.deepEqual(d.changed[0], { key: base.processes.find((p) => p.pid === pidOf('spaces'))!.key, state: 'R', cpuPercent: 50 });
    const applied = applyDelta(base, d);
    assert.deepEqual(
      applied.processes,
      [...next.processes].sort((a, b) => a.pid - b.pid),
    );
  });

  it('treats a reused pid with a new start time as a different process', () => {
    const p = base.processes.find((x) => x.pid === pidOf('html'))!;
    const reused = {
      ...base,
      processes: base.processes.map((x) => (x === p ? { ...x, startTicks: x.startTicks + 1, key: `${x.pid}@${x.startTicks + 1}` } : x)),
    };
    const d = diffSnapshots(base, reused);
    assert.deepEqual(d.removed, [p.key]);
    assert.deepEqual(
      d.added.map((x) => x.key),
      [`${p.pid}@${p.startTicks + 1}`],
    );
  });

  it('treats a later process at the same pid and start time (key +1) as a different process', () => {
    const p = base.processes.find((x) => x.pid === pidOf('html'))!;
    const reused = { ...base, processes: base.processes.map((x) => (x === p ? { ...x, key: `${x.key}+1` } : x)) };
    const d = diffSnapshots(base, reused);
    assert.deepEqual(d.removed, [p.key]);
    assert.deepEqual(
      d.added.map((x) => x.key),
      [`${p.key}+1`],
    );
  });

  it('carries the note of hidden tasks, and drops it once nothing is hidden', () => {
    const hidden = [{ count: 12, unit: 'tasks' as const, reason: 'hidepid=invisible' }];
    const withNote = applyDelta(base, diffSnapshots(base, { ...base, hidden }));
    assert.deepEqual(withNote.hidden, hidden);
    const cleared = applyDelta(withNote, diffSnapshots(withNote, base));
    assert.equal(cleared.hidden, undefined);
  });
});

describe('tree', () => {
  it('does not assume parents are listed before children (pid wrap-around)', () => {
    const mk = (pid: number, ppid: number) => ({ pid, ppid }) as ProcessInfo;
    const tree = buildTree([mk(5, 30000), mk(30000, 1), mk(1, 0), mk(7, 5)]);
    assert.deepEqual(
      tree.roots.map((p) => p.pid),
      [1],
    );
    assert.deepEqual(
      descendants(tree, 30000).sort((a, b) => a - b),
      [5, 7, 30000],
    );
    assert.deepEqual(ancestors(tree, 7), [5, 30000, 1]);
  });
  it('survives a parent cycle without looping', () => {
    const mk = (pid: number, ppid: number) => ({ pid, ppid }) as ProcessInfo;
    const tree = buildTree([mk(10, 11), mk(11, 10)]);
    assert.deepEqual(descendants(tree, 10).sort(), [10, 11]);
    assert.deepEqual(ancestors(tree, 10), [11]);
  });
});
