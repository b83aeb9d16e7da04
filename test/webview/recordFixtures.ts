// Records the webview test fixtures from this machine's real /proc with the real sampler, IPC scan and diff:
//   node --import tsx test/webview/recordFixtures.ts
// It starts a few real processes first (a process whose comm is `<script>` and whose argv[0] is an HTML
// payload, with three named threads; a shell pipeline; a stopped process; a zombie; a two-process flock
// deadlock), polls, changes the process table between polls (one process started, one killed), scans
// IPC, reads the PCB detail of two of them, writes test/webview/fixtures/*.json and kills everything it started (by pid).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcSampler } from '../../src/core/sampler';
import { diffSnapshots } from '../../src/core/diff';
import { scanIpcSync } from '../../src/core/ipc/scan';
import { readProcessDetail } from '../../src/core/detail';
import type { Snapshot } from '../../src/core/model';
import type { WorkspaceMember } from '../../src/protocol';

export const HTML_ARGV0 = '<img src=x onerror=alert(1)>';
export const SCRIPT_COMM = '<script>';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];

// A small, known environment: the recorded environ (detail fixture) must not carry this machine's variables.
const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PROCSCOPE_FIXTURE_SECRET: 's3cret-value' };

function start(cmd: string, args: string[], argv0?: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], argv0, detached: true, env: ENV });
  children.push(child);
  return child;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-fixture-'));
  // comm `<script>`, argv[0] an <img onerror> payload, three threads named with prctl(PR_SET_NAME).
  const hostile = start(
    '/usr/bin/python3',
    [
      '-c',
      [
        'import ctypes, threading, time',
        "open('/proc/self/comm', 'w').write('<script>')",
        'libc = ctypes.CDLL(None)',
        'def work(name, busy):',
        '    libc.prctl(15, name.encode(), 0, 0, 0)',
        '    end = time.time() + 600',
        '    while time.time() < end:',
        '        if busy:',
        '            t = time.time()',
        '            while time.time() - t < 0.05: pass',
        '        time.sleep(0.2)',
        "for i, busy in enumerate([True, False, False]): threading.Thread(target=work, args=(f'worker-{i}', busy), daemon=True).start()",
        'time.sleep(600)',
      ].join('\n'),
    ],
    HTML_ARGV0,
  );
  // A pipeline: `sleep` writes into a pipe that `cat` reads.
  const pipeline = start('sh', ['-c', 'sleep 600 | cat']);
  // Stopped (T).
  const stopped = start('sleep', ['600']);
  // A zombie: the child exits, the parent never waits.
  const zombieParent = start('python3', ['-c', 'import os, time\nif os.fork() == 0: os._exit(0)\ntime.sleep(600)']);
  // A flock deadlock: A holds f1 and waits for f2, B holds f2 and waits for f1.
  const f1 = join(dir, 'first.lock');
  const f2 = join(dir, 'second.lock');
  const locker = (a: string, b: string) =>
    `import fcntl, time\nx = open('${a}', 'w'); fcntl.flock(x, fcntl.LOCK_EX)\ntime.sleep(0.5)\ny = open('${b}', 'w'); fcntl.flock(y, fcntl.LOCK_EX)\ntime.sleep(600)`;
  const lockA = start('python3', ['-c', locker(f1, f2)]);
  const lockB = start('python3', ['-c', locker(f2, f1)]);
  await sleep(1500);
  process.kill(stopped.pid!, 'SIGSTOP');
  await sleep(200);

  const sampler = new ProcSampler();
  const watched = [process.pid, hostile.pid!, pipeline.pid!, lockA.pid!, lockB.pid!, zombieParent.pid!];
  sampler.pollSync({ threads: watched });
  await sleep(1000);
  const first: Snapshot = sampler.pollSync({ threads: watched });
  // Change the table between polls: one process starts, one exits.
  const newcomer = start('sleep', ['600']);
  const leaver = start('sleep', ['600']);
  await sleep(300);
  const second0: Snapshot = sampler.pollSync({ threads: watched });
  void second0;
  await sleep(700);
  const second: Snapshot = sampler.pollSync({ threads: watched });
  process.kill(leaver.pid!, 'SIGKILL');
  await sleep(1000);
  const third: Snapshot = sampler.pollSync({ threads: watched });
  const ipc = scanIpcSync();
  const detail = readProcessDetail(hostile.pid!);
  const detailWithEnv = readProcessDetail(hostile.pid!, { includeEnv: true });
  const lockDetail = readProcessDetail(lockA.pid!);

  const workspace: WorkspaceMember[] = [
    { pid: hostile.pid!, role: 'lab', label: 'Lab: hostile names' },
    { pid: pipeline.pid!, role: 'terminal', label: 'Terminal: sh' },
    { pid: lockA.pid!, role: 'lab', label: 'Lab: deadlock' },
    { pid: lockB.pid!, role: 'lab', label: 'Lab: deadlock' },
  ];
  const out = join(__dirname, 'fixtures');
  mkdirSync(out, { recursive: true });
  const meta = {
    recordedAt: new Date(first.timestamp).toISOString(),
    how: 'node --import tsx test/webview/recordFixtures.ts (real ProcSampler, diffSnapshots and scanIpcSync on this machine)',
    recorderPid: process.pid,
    pids: {
      hostile: hostile.pid,
      pipelineShell: pipeline.pid,
      stopped: stopped.pid,
      zombieParent: zombieParent.pid,
      lockA: lockA.pid,
      lockB: lockB.pid,
      newcomer: newcomer.pid,
      leaver: leaver.pid,
    },
    lockFiles: [f1, f2],
  };
  writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 1) + '\n');
  writeFileSync(join(out, 'snapshot.json'), JSON.stringify({ snapshot: first, workspace }) + '\n');
  // The host's deltas: the first between `first` and `second` (newcomer and leaver appear), the second to `third` (leaver gone).
  writeFileSync(join(out, 'deltas.json'), JSON.stringify([diffSnapshots(first, second), diffSnapshots(second, third)]) + '\n');
  writeFileSync(join(out, 'ipc.json'), JSON.stringify(ipc) + '\n');
  writeFileSync(join(out, 'detail.json'), JSON.stringify({ detail, detailWithEnv, lockDetail }) + '\n');
  sampler.dispose();
  for (const c of children) {
    try {
      if (c.pid === stopped.pid) process.kill(c.pid!, 'SIGCONT');
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `fixtures written to ${out}: ${first.processes.length} processes, ${ipc.channels.length} channels, ${ipc.deadlocks.length} deadlock(s)`,
  );
}

main().catch((error) => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  console.error(error);
  process.exitCode = 1;
});
