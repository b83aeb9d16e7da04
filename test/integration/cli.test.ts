// `procscope snapshot` and `procscope ps` as a user runs them, compared with the real `ps -eLF`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basename } from 'node:path';
import { ProcSampler } from '../../src/core/sampler';
import { compileC, PYTHON, python, startProgram, type Started } from './helpers';

const ROOT = join(__dirname, '..', '..');
const started: Started[] = [];
after(async () => {
  for (const s of started) await s.kill();
});

function procscope(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Row = Record<string, string>;
const COLUMNS = ['UID', 'PID', 'PPID', 'LWP', 'C', 'NLWP', 'SZ', 'RSS', 'PSR', 'STIME', 'TTY', 'TIME', 'CMD'];

function parsePs(text: string, pids: Set<string>): Map<string, Row> {
  const rows = new Map<string, Row>();
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(lines[0]!.trim().split(/\s+/), COLUMNS);
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    const row: Row = {};
    COLUMNS.slice(0, -1).forEach((c, i) => {
      row[c] = cells[i]!;
    });
    row.CMD = cells.slice(COLUMNS.length - 1).join(' ');
    if (pids.has(row.PID!)) rows.set(`${row.PID}/${row.LWP}`, row);
  }
  return rows;
}

describe('procscope ps against ps -eLF', () => {
  let threaded: Started;
  let single: Started;
  before(async () => {
    threaded = await startProgram(compileC('named_threads.c'), ['alpha', 'beta', 'gamma']);
    single = await python('import time, signal\nsignal.alarm(60)\nprint("ready", flush=True)\ntime.sleep(60)');
    started.push(threaded, single);
  });

  it('lists the same (PID, LWP) pairs with the same values in the stable columns', () => {
    const pids = new Set([String(threaded.pid), String(single.pid)]);
    const ours = parsePs(procscope('ps').stdout, pids);
    const theirs = parsePs(spawnSync('ps', ['-eLF'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout, pids);
    assert.equal(theirs.size, 5, 'ps -eLF shows 4 LWPs of the threaded program and 1 of the python');
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
    // PSR (the CPU a sleeping thread last ran on) may change between the two reads, and C (lifetime CPU% in
    // whole seconds) moves while a process is seconds old; every other column is stable for idle processes.
    for (const [key, t] of theirs) {
      const o = ours.get(key)!;
      for (const c of COLUMNS.filter((x) => x !== 'PSR' && x !== 'C')) assert.equal(o[c], t[c], `${c} of ${key}`);
      assert.ok(Number(o.C) >= 0 && Number(o.C) <= 99);
    }
    // C is whole-second arithmetic (CPU ticks * 100 / Hz / whole seconds of age). The two reads are moments
    // apart, so one more second of age or one more tick between them may move it by one, never by more.
    for (const [key, t] of theirs)
      if (key.startsWith(`${threaded.pid}/`))
        assert.ok(Math.abs(Number(ours.get(key)!.C) - Number(t.C)) <= 1, `C of ${key}: ours ${ours.get(key)!.C}, ps ${t.C}`);
  });

  it('prints JSON rows with --json', () => {
    const rows = JSON.parse(procscope('ps', '--json').stdout) as Row[];
    const mine = rows.filter((r) => r.PID === String(threaded.pid));
    assert.equal(mine.length, 4);
    assert.ok(mine.every((r) => r.NLWP === '4'));
  });
});

describe('procscope snapshot', () => {
  it('gives every process with its threads as JSON, names included', async () => {
    const s = await startProgram(compileC('named_threads.c'), ['io-thread']);
    started.push(s);
    const out = JSON.parse(procscope('snapshot', '--json').stdout) as {
      backend: string;
      processes: { pid: number; ppid: number; name: string; cmdline: string[]; user: string; threads: { tid: number; name: string }[] }[];
    };
    assert.equal(out.backend, 'procfs');
    const p = out.processes.find((x) => x.pid === s.pid)!;
    assert.equal(p.name, 'named_threads');
    assert.equal(p.ppid, process.pid);
    assert.equal(p.user, 'root');
    assert.deepEqual(p.threads.map((t) => t.name).sort(), ['io-thread', 'named_threads']);
  });

  it('draws the tree as text, with control characters escaped', async () => {
    const s = await python(
      'import ctypes, time, signal\nsignal.alarm(60)\nctypes.CDLL(None).prctl(15, ctypes.c_char_p(b"evil\\x1b[31m"), 0, 0, 0)\nprint("ready", flush=True)\ntime.sleep(60)',
    );
    started.push(s);
    const out = procscope('snapshot', '--no-threads').stdout;
    const line = out.split('\n').find((l) => l.trimStart().startsWith(`${s.pid} `));
    assert.ok(line, 'the process has a line');
    assert.ok(!out.includes('\x1b'), 'no raw escape sequence reaches the terminal');
    assert.match(out, /PID\s+S\s+NLWP/);
  });

  it('uses the portable ps-list + pidtree backend when asked, marking what it cannot give', async () => {
    const s = await python('import time, signal\nsignal.alarm(60)\nprint("ready", flush=True)\ntime.sleep(60)');
    started.push(s);
    const out = JSON.parse(procscope('snapshot', '--json', '--backend', 'portable').stdout) as {
      backend: string;
      unavailableFields: string[];
      inexactFields: Record<string, string>;
      processes: { pid: number; ppid: number; name: string; state: string; unavailable: Record<string, string> }[];
    };
    assert.equal(out.backend, 'portable');
    assert.deepEqual(
      Object.keys(out.inexactFields),
      ['name', 'cmdline', 'uid', 'user'],
      'the JSON says name, command line and uid are what ps prints',
    );
    assert.match(out.inexactFields.cmdline!, /argument boundaries lost/);
    const procfs = JSON.parse(procscope('snapshot', '--json', '--no-threads').stdout) as Record<string, unknown>;
    assert.equal(procfs.inexactFields, undefined, 'the procfs backend gives every field exactly');
    const p = out.processes.find((x) => x.pid === s.pid)!;
    assert.equal(p.ppid, process.pid);
    // ps-list names a process after its resolved executable (python3.11), not the kernel's comm (python3, from
    // the path exec'd): one of the reasons the portable backend is only the fallback.
    assert.equal(p.name, basename(realpathSync(PYTHON)));
    assert.notEqual(p.name, new ProcSampler().pollSync().processes.find((x) => x.pid === s.pid)!.name);
    assert.ok(out.unavailableFields.includes('threads') && out.unavailableFields.includes('state'));
    assert.match(p.unavailable.state!, /portable backend/);
    // As text: what it cannot read shows as ?, not as 0, and a line says which fields those are.
    const text = procscope('snapshot', '--backend', 'portable').stdout;
    const line = text.split('\n').find((l) => l.trimStart().startsWith(`${s.pid} `));
    assert.match(line ?? '', new RegExp(`^ *${s.pid} \\? +\\? `), `the process's line: ${line}`);
    assert.match(text, /^The portable backend cannot read: .*\bstate\b.*\bnumThreads\b.*\. They show as \?\.$/m);
  });
});

describe('exit codes and messages', () => {
  const table: { args: string[]; status: number; stderr: RegExp }[] = [
    { args: ['frobnicate'], status: 2, stderr: /unknown command 'frobnicate'/ },
    { args: ['snapshot', '--bogus'], status: 2, stderr: /unknown option '--bogus'/i },
    { args: ['snapshot', '--backend', 'beos'], status: 2, stderr: /--backend must be/ },
    { args: ['snapshot', '--proc-root', '/nonexistent-proc'], status: 5, stderr: /no procfs at \/nonexistent-proc: it does not exist/ },
    { args: [], status: 2, stderr: /^$/ },
  ];
  for (const c of table) {
    it(`exits ${c.status} for "${c.args.join(' ')}"`, () => {
      const r = procscope(...c.args);
      assert.equal(r.status, c.status, r.stderr);
      assert.match(r.stderr, c.stderr);
    });
  }
  it('prints help with exit 0', () => {
    const r = procscope('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /snapshot.*\n.*ps/s);
  });
  it('runs as the built bin script (dist/cli.js, with its shebang)', () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js exists (npm test builds it before running the tests)');
    const r = spawnSync(join(ROOT, 'dist', 'cli.js'), ['ps'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0]!, /^UID\s+PID\s+PPID\s+LWP\s+C\s+NLWP\s+SZ\s+RSS\s+PSR\s+STIME\s+TTY\s+TIME\s+CMD$/);
  });
});
