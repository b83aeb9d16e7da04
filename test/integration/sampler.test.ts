// The sampler against real processes this test starts: exact names, states, threads, identity and races.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { diffSnapshots } from '../../src/core/diff';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { ProcSampler, type PollOptions } from '../../src/core/sampler';
import { buildTree, descendants } from '../../src/core/tree';
import { realpathSync } from 'node:fs';
import { ownKeptFiles } from '../../src/core/procfs/ownFiles';
import { compileC, openProcFilesOf, python, PYTHON, startProgram, waitFor, type Started } from './helpers';

const started: Started[] = [];
after(async () => {
  for (const s of started) await s.kill();
});

/**
 * Samplers a test makes, disposed after it: a sampler keeps a file open per process it saw, and the process
 * shares one budget of them (half the open-file limit), so samplers left open by earlier tests on a machine
 * with thousands of processes would leave the later tests none to keep.
 */
const samplers: ProcSampler[] = [];
afterEach(() => {
  for (const s of samplers.splice(0)) s.dispose();
});
function tracked(sampler: ProcSampler): ProcSampler {
  samplers.push(sampler);
  return sampler;
}

/** One poll by a sampler that is then disposed (a sampler keeps files open until disposed). */
function pollOnce(options?: PollOptions): Snapshot {
  const sampler = new ProcSampler();
  try {
    return sampler.pollSync(options);
  } finally {
    sampler.dispose();
  }
}

function find(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = snapshot.processes.find((x) => x.pid === pid);
  assert.ok(p, `pid ${pid} is in the snapshot`);
  return p;
}

/** A python process that renames itself (prctl PR_SET_NAME) to the given bytes, then sleeps. */
async function renamed(nameBytes: Buffer): Promise<Started> {
  const s = await python(
    [
      'import ctypes, sys, time, signal',
      'signal.alarm(120)',
      `name = bytes.fromhex("${nameBytes.toString('hex')}")`,
      'ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name), 0, 0, 0)',
      'print("ready", flush=True)',
      'time.sleep(120)',
    ].join('\n'),
  );
  started.push(s);
  return s;
}

describe('process names are shown exactly as the kernel holds them', () => {
  const cases: { title: string; bytes: Buffer; expected: string }[] = [
    { title: 'spaces and parentheses', bytes: Buffer.from('a) (b c'), expected: 'a) (b c' },
    { title: 'a closing parenthesis and a newline', bytes: Buffer.from('x)\ny) 1 2'), expected: 'x)\ny) 1 2' },
    { title: 'HTML markup', bytes: Buffer.from('<img src=x>'), expected: '<img src=x>' },
    { title: 'Korean text', bytes: Buffer.from('프로세스', 'utf8'), expected: '프로세스' },
    { title: 'bytes that are not UTF-8', bytes: Buffer.from([0xff, 0xfe, 0x41, 0x42]), expected: '\udcff\udcfeAB' },
  ];
  for (const c of cases) {
    it(`keeps ${c.title}`, async () => {
      const s = await renamed(c.bytes);
      // Between printing "ready" and sleeping the process may still be running: wait for the sleep.
      const p = await waitFor('the process to sleep', () => {
        const q = find(pollOnce(), s.pid);
        return q.state === 'S' ? q : undefined;
      });
      assert.equal(p.name, c.expected);
      // Fields after the name are not shifted by what the name holds.
      assert.equal(p.ppid, process.pid);
      assert.equal(p.state, 'S');
      assert.deepEqual(p.cmdline?.slice(0, 2), [PYTHON, '-c']);
      assert.equal(p.exe, realpathSync(PYTHON));
    });
  }
});

describe('command lines', () => {
  it('reads a command line longer than the read buffer whole, arguments split exactly', async () => {
    const long = 'x'.repeat(70_000);
    const s = await startProgram(PYTHON, [
      '-c',
      'import time, signal\nsignal.alarm(60)\nprint("ready", flush=True)\ntime.sleep(60)',
      'a b',
      '',
      long,
    ]);
    started.push(s);
    const p = find(pollOnce(), s.pid);
    assert.equal(p.cmdline?.length, 6);
    assert.deepEqual(p.cmdline?.slice(3, 5), ['a b', '']);
    assert.equal(p.cmdline?.[5], long);
  });
});

describe('threads (LWPs)', () => {
  let binary: string;
  before(() => {
    binary = compileC('named_threads.c');
  });

  it('lists every thread with its own name, and the main thread with tid = pid', async () => {
    const s = await startProgram(binary, ['net-io', 'disk )x', 'worker 3']);
    started.push(s);
    const tids = s.firstLine.split(' ').slice(1).map(Number);
    assert.equal(tids.length, 3);
    const snap = pollOnce({ threads: [s.pid] });
    const p = find(snap, s.pid);
    assert.equal(p.numThreads, 4);
    assert.ok(p.threads);
    const byTid = new Map(p.threads.map((t) => [t.tid, t]));
    assert.deepEqual(
      [...byTid.keys()].sort((a, b) => a - b),
      [s.pid, ...tids].sort((a, b) => a - b),
    );
    assert.equal(byTid.get(s.pid)?.name, 'named_threads');
    assert.deepEqual(
      tids.map((t) => byTid.get(t)?.name),
      ['net-io', 'disk )x', 'worker 3'],
    );
    for (const t of p.threads) {
      assert.equal(t.state, 'S');
      assert.equal(t.policy, 'SCHED_OTHER');
      // A live poll reads thread context switches (task/TID/status) for the threads it was asked for.
      assert.equal(typeof t.voluntaryCtxtSwitches, 'number');
    }
  });

  it('reads threads only of the processes asked for in a live poll', async () => {
    const s = await startProgram(binary, ['a', 'b']);
    started.push(s);
    const snap = pollOnce({ threads: [s.pid] });
    assert.equal(find(snap, s.pid).threads?.length, 3);
    assert.equal(find(snap, process.pid).threads, undefined);
    const full = pollOnce({ threads: 'all' });
    assert.ok(full.processes.every((p) => p.threads && p.threads.length >= 1));
    // In a full snapshot thread context switches are not read (one more file per thread).
    assert.equal(find(full, s.pid).threads?.[1]?.voluntaryCtxtSwitches, null);
  });

  it('sees threads come and go between polls', async () => {
    const sampler = tracked(new ProcSampler());
    const s = await python(
      [
        'import threading, time, sys, signal',
        'signal.alarm(60)',
        'ev = threading.Event()',
        'ts = [threading.Thread(target=ev.wait, name=f"t{i}") for i in range(3)]',
        '[t.start() for t in ts]',
        'print("ready", flush=True)',
        'time.sleep(1.0)',
        'ev.set()',
        '[t.join() for t in ts]',
        'print("joined", flush=True)',
        'time.sleep(60)',
      ].join('\n'),
    );
    started.push(s);
    assert.equal(find(sampler.pollSync({ threads: [s.pid] }), s.pid).threads?.length, 4);
    await waitFor('threads to exit', () => find(sampler.pollSync({ threads: [s.pid] }), s.pid).threads?.length === 1, 10_000);
  });
});

describe('process states', () => {
  it('shows a stopped process as T and then S after SIGCONT', async () => {
    const s = await python('import time, signal\nsignal.alarm(60)\nprint("ready", flush=True)\ntime.sleep(60)');
    started.push(s);
    process.kill(s.pid, 'SIGSTOP');
    const sampler = tracked(new ProcSampler());
    await waitFor('state T', () => find(sampler.pollSync(), s.pid).state === 'T');
    process.kill(s.pid, 'SIGCONT');
    await waitFor('state S', () => find(sampler.pollSync(), s.pid).state === 'S');
  });

  it('shows an unreaped child as a zombie with no command line and no executable', async () => {
    const s = await python(
      'import os, time, signal\nsignal.alarm(60)\npid = os.fork()\nif pid == 0:\n    os._exit(7)\nprint("ready", pid, flush=True)\ntime.sleep(60)',
    );
    started.push(s);
    const zpid = Number(s.firstLine.split(' ')[1]);
    const snap = await waitFor('zombie', () => {
      const sn = pollOnce({ threads: 'all' });
      return sn.processes.find((p) => p.pid === zpid)?.state === 'Z' ? sn : undefined;
    });
    const z = find(snap, zpid);
    assert.equal(z.ppid, s.pid);
    assert.deepEqual(z.cmdline, []);
    assert.equal(z.exe, null);
    assert.match(z.unavailable?.exe ?? '', /kernel thread or zombie/);
    assert.equal(z.kernelThread, false);
  });

  it('flags kernel threads (PF_KTHREAD) under kthreadd', () => {
    const snap = pollOnce();
    const kthreadd = find(snap, 2);
    assert.equal(kthreadd.name, 'kthreadd');
    assert.equal(kthreadd.kernelThread, true);
    const kids = snap.processes.filter((p) => p.ppid === 2);
    assert.ok(kids.length > 0);
    assert.ok(kids.every((p) => p.kernelThread && p.cmdline?.length === 0 && p.vsize === 0));
    assert.equal(find(snap, process.pid).kernelThread, false);
  });
});

describe('accounting', () => {
  it('measures CPU% over the interval: a busy loop near 100, a sleeper near 0, null on the first sample', async () => {
    const busy = await python('import signal\nsignal.alarm(30)\nprint("ready", flush=True)\nwhile True: pass');
    const idle = await python('import time, signal\nsignal.alarm(30)\nprint("ready", flush=True)\ntime.sleep(30)');
    started.push(busy, idle);
    const sampler = tracked(new ProcSampler());
    const first = sampler.pollSync();
    assert.equal(find(first, busy.pid).cpuPercent, null);
    await sleep(1000);
    const second = sampler.pollSync();
    const b = find(second, busy.pid).cpuPercent!;
    // The kernel counts CPU time in whole clock ticks (1/100 s): over a one-second interval a process on one
    // CPU may be credited one tick more than the wall time, 101%, but never two.
    assert.ok(b > 30 && b <= 101.5, `busy loop cpu% ${b}`);
    assert.ok(find(second, idle.pid).cpuPercent! < 5);
    assert.ok(second.intervalMs! >= 1000);
  });

  it('reports the same identity, credentials and memory as /proc/self for this process', () => {
    const snap = pollOnce();
    const me = find(snap, process.pid);
    assert.equal(me.uid, process.getuid!());
    assert.equal(me.gid, process.getgid!());
    assert.equal(me.exe, process.execPath);
    assert.deepEqual(me.cmdline, process.argv.slice(0, 1).concat(me.cmdline!.slice(1)));
    assert.ok(me.rss > 10 * 1024 * 1024 && me.vsize > me.rss);
    assert.ok(Math.abs(me.startTime - (Date.now() - process.uptime() * 1000)) < 2000, 'absolute start time');
  });
});

describe('identity and deltas', () => {
  it('reports a process that exits between two polls as removed, and a new one as added', async () => {
    const sampler = tracked(new ProcSampler());
    const a = await python('import time, signal\nsignal.alarm(30)\nprint("ready", flush=True)\ntime.sleep(30)');
    started.push(a);
    const first = sampler.pollSync();
    await a.kill();
    const b = await python('import time, signal\nsignal.alarm(30)\nprint("ready", flush=True)\ntime.sleep(30)');
    started.push(b);
    const second = sampler.pollSync();
    const delta = diffSnapshots(first, second);
    assert.ok(delta.removed.includes(find(first, a.pid).key));
    assert.ok(delta.added.some((p) => p.pid === b.pid));
    const me = delta.changed.find((c) => c.key === find(second, process.pid).key);
    // Only changed fields travel: our own pid and name did not change.
    assert.equal(me?.pid, undefined);
    assert.equal(me?.name, undefined);
  });

  it('never throws while processes and threads churn during the polls', async () => {
    const churn = spawn('sh', ['-c', 'end=$(($(date +%s)+4)); while [ $(date +%s) -lt $end ]; do (sleep 0.01 &) ; /bin/true; done'], {
      stdio: 'ignore',
    });
    const sampler = tracked(new ProcSampler({ statusRefreshMs: 0, cmdlineRefreshMs: 0 }));
    let polls = 0;
    const first = new Set<number>();
    let newcomers = 0;
    try {
      // At least 3 s and 10 polls: on a machine with tens of thousands of tasks a poll of every thread takes
      // longer, and the number of polls must not depend on the machine's population.
      const end = Date.now() + 3000;
      while (Date.now() < end || polls < 10) {
        const snap = sampler.pollSync({ threads: 'all' });
        assert.ok(snap.processes.length > 10);
        for (const p of snap.processes) {
          if (polls === 0) first.add(p.pid);
          else if (!first.has(p.pid) && (p.name === 'sleep' || p.name === 'true')) newcomers++;
        }
        // The files the walk of this process skips are exactly the ones the sampler keeps open.
        assert.equal(ownKeptFiles().size, sampler.keptOpenFiles);
        polls++;
        await sleep(5);
      }
    } finally {
      churn.kill('SIGKILL');
    }
    assert.ok(newcomers > 0, "the churn's children were seen born during the polls");
    // Every kept-open file belongs to a live task: closing all leaves none behind.
    sampler.dispose();
    assert.equal(sampler.keptOpenFiles, 0);
    assert.equal(ownKeptFiles().size, 0, 'and none is left for the walk to skip');
  });

  it('keeps stat files open between polls and closes those of exited processes and threads', async () => {
    const binary = compileC('named_threads.c');
    const sampler = tracked(new ProcSampler());
    const s = await startProgram(binary, ['one', 'two']);
    started.push(s);
    sampler.pollSync({ threads: [s.pid] });
    const open = openProcFilesOf(s.pid).sort();
    assert.equal(open.length, 4, `one stat file for the process and one per thread: ${open.join(', ')}`);
    assert.ok(open.includes(`/proc/${s.pid}/stat`));
    sampler.pollSync({ threads: [s.pid] });
    assert.deepEqual(openProcFilesOf(s.pid).sort(), open, 'the same files are re-read, not reopened');
    sampler.pollSync({ threads: [] });
    assert.deepEqual(openProcFilesOf(s.pid), [`/proc/${s.pid}/stat`], 'thread files close when the threads are no longer wanted');
    await s.kill();
    sampler.pollSync();
    assert.deepEqual(openProcFilesOf(s.pid), [], 'nothing of an exited process stays open');
    sampler.dispose();
  });

  it('builds the tree from the pid map: a child appears under its parent', async () => {
    const s = await python(
      'import subprocess, time, signal\nsignal.alarm(30)\nc = subprocess.Popen(["sleep", "30"])\nprint("ready", c.pid, flush=True)\ntime.sleep(30)',
    );
    started.push(s);
    const child = Number(s.firstLine.split(' ')[1]);
    const tree = buildTree(pollOnce().processes);
    assert.deepEqual(
      tree.children.get(s.pid)?.map((p) => p.pid),
      [child],
    );
    assert.deepEqual(descendants(tree, s.pid).sort(), [s.pid, child].sort());
    process.kill(child, 'SIGKILL');
  });
});

/** Runs `script` (lines of CommonJS, from the repository root, through tsx) under an open-file limit; its last stdout line as JSON. */
function runWithFileLimit<T>(limit: number, script: string): T {
  const r = spawnSync('prlimit', [`--nofile=${limit}:${limit}`, process.execPath, '--import', 'tsx', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

describe('file descriptors', () => {
  it('gives back its kept-open files and carries on when the process runs out of descriptors', async () => {
    // A limit of 128 descriptors, a sampler told it may keep any number open, every thread of every process
    // (at least 60 more from the programs started here): the poll must hit EMFILE, shed its files, and still
    // return the whole table.
    const binary = compileC('named_threads.c');
    for (let i = 0; i < 4; i++)
      started.push(
        await startProgram(
          binary,
          Array.from({ length: 14 }, (_, k) => `t${k}`),
        ),
      );
    const programs = started.slice(-4).map((p) => p.pid);
    const script = [
      "const { ProcSampler } = require('./src/core/sampler.ts');",
      'const s = new ProcSampler({ maxOpenFiles: 1e9 });',
      `const programs = ${JSON.stringify(programs)};`,
      'let snap;',
      'for (let i = 0; i < 3; i++) snap = s.pollSync({ threads: "all" });',
      'const tasks = snap.processes.reduce((n, p) => n + p.threads.length, 0);',
      'const ours = programs.map((pid) => snap.processes.find((p) => p.pid === pid)?.threads.length ?? 0);',
      'console.log(JSON.stringify({ tasks, ours, kept: s.keptOpenFiles }));',
    ].join('\n');
    const out = runWithFileLimit<{ tasks: number; ours: number[]; kept: number }>(128, script);
    // The machine's own population moves between any two polls (other tests start and end processes), so the
    // whole table is checked through what this test knows: each of its programs with all 15 of its threads.
    assert.ok(out.tasks > 128, `more tasks than the limit, so the poll ran out of descriptors (${out.tasks})`);
    assert.deepEqual(out.ours, [15, 15, 15, 15], 'every thread of the programs started here was read');
    assert.ok(out.kept < 128, `kept ${out.kept} open, under the limit`);
  });

  it('shares one budget of kept-open files between samplers in a process', () => {
    // In a process whose open-file limit is 160, the samplers together keep at most half of it (80): one told
    // to keep at most 50 keeps 50, the other gets the 30 left, whatever the machine's population (it always
    // has more than 80 tasks' stat files to read); every file counted is really open; dispose closes all.
    const script = [
      "const { readdirSync, readlinkSync } = require('node:fs');",
      "const { ProcSampler } = require('./src/core/sampler.ts');",
      "const { ownKeptFiles } = require('./src/core/procfs/ownFiles.ts');",
      'const statFilesOpen = () => readdirSync("/proc/self/fd").filter((fd) => {',
      '  try { return /^\\/proc\\/\\d+\\/(task\\/\\d+\\/)?stat$/.test(readlinkSync("/proc/self/fd/" + fd)); } catch { return false; }',
      '}).length;',
      'const before = statFilesOpen();',
      'const a = new ProcSampler({ maxOpenFiles: 50 });',
      'const b = new ProcSampler();',
      'const snap = a.pollSync({ threads: "all" });',
      'const files = snap.processes.reduce((n, p) => n + 1 + (p.threads ? p.threads.length : 0), 0);',
      'b.pollSync({ threads: "all" });',
      'const out = { before, a: a.keptOpenFiles, b: b.keptOpenFiles, open: statFilesOpen(), own: ownKeptFiles().size, files };',
      'a.dispose();',
      'b.dispose();',
      'console.log(JSON.stringify({ ...out, after: statFilesOpen(), ownAfter: ownKeptFiles().size }));',
    ].join('\n');
    const out = runWithFileLimit<{
      before: number;
      a: number;
      b: number;
      open: number;
      after: number;
      own: number;
      ownAfter: number;
      files: number;
    }>(160, script);
    assert.ok(out.files > 80, `more than 80 stat files (processes and threads) to keep on this machine: ${out.files}`);
    assert.equal(out.a, 50, 'the first sampler keeps its own maximum');
    assert.equal(out.b, 30, "the second keeps what is left of the process's 80");
    assert.equal(out.open - out.before, out.a + out.b, 'every file counted as kept is really open, and nothing else was left open');
    assert.equal(out.own, out.a + out.b, 'the walk of this process skips exactly the kept files, not the ones closed past the budget');
    assert.equal(out.after, out.before, 'dispose() closes them all');
    assert.equal(out.ownAfter, 0);
  });
});

describe('permissions', () => {
  const runuser = spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' }).stdout.trim();
  it(
    "marks other users' unreadable fields unavailable instead of failing (run as nobody)",
    { skip: process.getuid?.() !== 0 || !runuser ? 'needs root and runuser to drop to an unprivileged user' : false },
    () => {
      const script = [
        "const { ProcSampler } = require('./src/core/sampler.ts');",
        'const snap = new ProcSampler().pollSync({ threads: "all" });',
        'const init = snap.processes.find((p) => p.pid === 1);',
        'console.log(JSON.stringify({ n: snap.processes.length, exe: init.exe, why: init.unavailable && init.unavailable.exe, uid: init.uid }));',
      ].join('\n');
      const r = spawnSync(runuser, ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', '-e', script], {
        cwd: process.cwd(),
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.json' },
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      assert.ok(out.n > 10);
      assert.equal(out.exe, null);
      assert.equal(out.why, 'EACCES');
      assert.equal(out.uid, 0, 'status stays readable for other users');
    },
  );
});

describe('a process that did nothing keeps its record', () => {
  /** Polls until `pred` holds for the process (at most 5 s), returning that poll's record. */
  async function pollUntil(sampler: ProcSampler, pid: number, pred: (p: ProcessInfo) => boolean): Promise<ProcessInfo> {
    const end = Date.now() + 5000;
    for (;;) {
      const p = find(sampler.pollSync(), pid);
      if (pred(p) || Date.now() > end) return p;
      await sleep(50);
    }
  }

  it('hands out the same record while its stat does not change, and the diff skips it', async () => {
    const s = await startProgram('sh', ['-c', 'echo ready; exec sleep 30']);
    started.push(s);
    // The exec has happened once the name is "sleep"; from then on the process only sleeps.
    const sampler = tracked(new ProcSampler());
    try {
      await pollUntil(sampler, s.pid, (p) => p.name === 'sleep');
      const first = sampler.pollSync();
      await sleep(100);
      const second = sampler.pollSync();
      const a = find(first, s.pid);
      const b = find(second, s.pid);
      assert.equal(b, a, 'the very same object: nothing was re-read or rebuilt');
      assert.equal(b.cpuPercent, 0);
      assert.deepEqual(b.cmdline, ['sleep', '30']);
      assert.ok(!diffSnapshots(first, second).changed.some((c) => c.key === b.key));
    } finally {
      sampler.dispose();
    }
  });

  it('builds a new record for a process that runs', async () => {
    const s = await python('import signal\nsignal.alarm(30)\nprint("ready", flush=True)\nwhile True: pass');
    started.push(s);
    const sampler = tracked(new ProcSampler());
    try {
      const a = find(sampler.pollSync(), s.pid);
      await sleep(100);
      const b = find(sampler.pollSync(), s.pid);
      assert.notEqual(b, a);
      assert.ok(b.utimeMs + b.stimeMs > a.utimeMs + a.stimeMs, 'its CPU time moved on');
      assert.ok((b.cpuPercent ?? 0) > 10);
    } finally {
      sampler.dispose();
    }
  });

  it('reads argv again at once when a quiet process execs (its name changes), not at the next slow refresh', async () => {
    // sh waits quietly for its child; SIGUSR1 makes it exec another program under the same pid and start time.
    const s = await startProgram('sh', ['-c', 'trap "exec sleep 29" USR1; echo ready; sleep 30 & wait']);
    started.push(s);
    const sampler = tracked(new ProcSampler()); // cmdline refresh at its default (seconds away)
    try {
      await pollUntil(sampler, s.pid, (p) => p.cmdline?.[0] === 'sh');
      const before = find(sampler.pollSync(), s.pid);
      assert.equal(before.name, 'sh');
      process.kill(s.pid, 'SIGUSR1');
      const renamed = await pollUntil(sampler, s.pid, (p) => p.name === 'sleep');
      assert.equal(renamed.name, 'sleep');
      // The kernel gives the new name before it builds the new program's stack: a poll in between sees an empty
      // argv and the next poll reads it again. Either way the new argv shows within 5 s of polling (pollUntil's
      // bound), where the slow refresh would take 10 s.
      const after = renamed.cmdline?.length ? renamed : await pollUntil(sampler, s.pid, (p) => (p.cmdline?.length ?? 0) > 0);
      assert.deepEqual(after.cmdline, ['sleep', '29'], "argv is the new program's as soon as the exec is done");
      assert.equal(after.key, before.key, 'exec keeps the pid and the start time');
    } finally {
      sampler.dispose();
    }
  });

  it('rebuilds every record when the fast path is off (quietRefreshMs: 0)', async () => {
    const s = await startProgram('sh', ['-c', 'echo ready; exec sleep 30']);
    started.push(s);
    const sampler = tracked(new ProcSampler({ quietRefreshMs: 0 }));
    try {
      await pollUntil(sampler, s.pid, (p) => p.name === 'sleep');
      const a = find(sampler.pollSync(), s.pid);
      const b = find(sampler.pollSync(), s.pid);
      assert.notEqual(b, a);
      assert.deepEqual(b, { ...a, cpuPercent: b.cpuPercent, rss: b.rss });
    } finally {
      sampler.dispose();
    }
  });
});
