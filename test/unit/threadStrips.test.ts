// The timeline's per-thread state strips (threadStrips, a pure function of a recording) and the minor page
// faults each life carries in the history index. The model's rules on built ticks; then real processes this
// test starts: threads that run and sleep, then are stopped with SIGSTOP; a parent that forks and a child
// that writes to the pages it shares (copy-on-write: its min_flt climbs), polled into the panel's history.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import type { ProcessInfo, Snapshot, ThreadInfo } from '../../src/core/model';
import { diffSnapshots } from '../../src/core/diff';
import { TickHistory } from '../../src/core/record/history';
import { indexHistory } from '../../src/core/record/historyIndex';
import { threadStrips } from '../../src/core/record/threadStrips';
import { ProcSampler } from '../../src/core/sampler';
import { fakeProcess } from './fakeProcess';

const thread = (tid: number, state: ThreadInfo['state'], name = `t${tid}`, startTicks = tid): ThreadInfo =>
  ({ tid, name, state, startTicks }) as ThreadInfo;

function snap(at: number, processes: ProcessInfo[]): Snapshot {
  return { timestamp: at, intervalMs: 1000, processes, system: { hostname: 'test', bootTime: 0, clockTicks: 100 } } as unknown as Snapshot;
}

/** A history of these tables, one a second from t=1000, with its deltas made as the worker makes them. */
function historyOf(tables: ProcessInfo[][]): TickHistory {
  const h = new TickHistory(64 << 20);
  let prev: Snapshot | undefined;
  tables.forEach((ps, i) => {
    const s = snap(1000 * (i + 1), ps);
    if (prev) h.pushDelta(s, diffSnapshots(prev, s));
    else h.push(s);
    prev = s;
  });
  return h;
}
const recordingOf = (h: TickHistory) => h.asRecording({ intervalMs: 1000, threads: false });

describe('thread strips from a history', () => {
  it('joins ticks of the same state into one run and starts a new one at each change', () => {
    const p = (threads: ThreadInfo[]) => fakeProcess(10, { threads, numThreads: threads.length });
    const h = historyOf([
      [p([thread(10, 'S'), thread(11, 'R')])],
      [p([thread(10, 'S'), thread(11, 'R')])],
      [p([thread(10, 'S'), thread(11, 'D')])],
      [p([thread(10, 'T'), thread(11, 'T')])],
    ]);
    const { strips } = threadStrips(recordingOf(h), ['10@10']);
    assert.deepEqual(
      strips.map((s) => [s.tid, s.runs.map((r) => `${r.state}:${r.from}-${r.to}`)]),
      [
        [10, ['S:1000-3000', 'T:4000-4000']],
        [11, ['R:1000-2000', 'D:3000-3000', 'T:4000-4000']],
      ],
    );
  });

  it('leaves a gap while the threads were not read, and tells a reused tid apart by its start time', () => {
    const h = historyOf([
      [fakeProcess(20, { threads: [thread(20, 'S'), thread(21, 'R', 'old')] })],
      [fakeProcess(20)],
      [fakeProcess(20, { threads: [thread(20, 'S'), thread(21, 'S', 'new', 99)] })],
    ]);
    const { strips } = threadStrips(recordingOf(h), ['20@20']);
    assert.deepEqual(
      strips.map((s) => [s.tid, s.name, s.runs.map((r) => `${r.state}:${r.from}-${r.to}`)]),
      [
        [20, 't20', ['S:1000-1000', 'S:3000-3000']],
        [21, 'old', ['R:1000-1000']],
        [21, 'new', ['S:3000-3000']],
      ],
    );
  });

  it('puts the main thread first, keeps only the processes asked for, and counts what the limit leaves out', () => {
    const threads = [thread(31, 'S'), thread(32, 'S'), thread(30, 'R'), thread(33, 'S')];
    const h = historyOf([[fakeProcess(30, { threads }), fakeProcess(40, { threads: [thread(40, 'S')] })]]);
    const { strips, more } = threadStrips(recordingOf(h), ['30@30'], 2);
    assert.deepEqual(
      strips.map((s) => s.tid),
      [30, 31],
    );
    assert.deepEqual(more, { '30@30': 2 });
  });

  it('ends a process’s strips when it is gone, and starts a born one’s at its birth', () => {
    const h = historyOf([
      [fakeProcess(50, { threads: [thread(50, 'S')] })],
      [fakeProcess(50, { threads: [thread(50, 'S')] }), fakeProcess(51, { threads: [thread(51, 'R')] })],
      [fakeProcess(51, { threads: [thread(51, 'R')] })],
    ]);
    const { strips } = threadStrips(recordingOf(h), ['50@50', '51@51']);
    assert.deepEqual(
      strips.map((s) => `${s.tid} ${s.runs.map((r) => `${r.state}:${r.from}-${r.to}`).join(',')}`),
      ['50 S:1000-2000', '51 R:2000-3000'],
    );
  });
});

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
});
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a Python program and resolves once it printed its first line (it is set up then). */
function python(code: string): Promise<ChildProcess> {
  const child = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('error', reject);
  });
}

describe('on real processes, polled into the panel’s history', () => {
  it('a stopped process’s threads end in T on their strips, after runs of what they did before', async () => {
    const child = await python(
      'import threading,time\n' +
        'def spin():\n    while True: pass\n' +
        'threading.Thread(target=spin, daemon=True).start()\n' +
        'print("ready", flush=True)\ntime.sleep(60)\n',
    );
    const pid = child.pid!;
    const sampler = new ProcSampler();
    const h = new TickHistory(256 << 20);
    let prev: Snapshot | undefined;
    const poll = (): void => {
      const s = sampler.pollSync({ threads: [pid] });
      if (prev) h.pushDelta(s, diffSnapshots(prev, s));
      else h.push(s);
      prev = s;
    };
    try {
      for (let i = 0; i < 3; i++) {
        poll();
        await wait(40);
      }
      child.kill('SIGSTOP');
      await wait(100);
      for (let i = 0; i < 2; i++) {
        poll();
        await wait(40);
      }
    } finally {
      sampler.dispose();
      child.kill('SIGKILL');
    }
    const key = prev!.processes.find((p) => p.pid === pid)!.key;
    const { strips } = threadStrips(recordingOf(h), [key]);
    assert.equal(strips.length, 2, JSON.stringify(strips));
    assert.equal(strips[0]!.tid, pid);
    for (const s of strips) {
      assert.equal(s.runs.at(-1)!.state, 'T', JSON.stringify(s));
      assert.notEqual(s.runs[0]!.state, 'T', JSON.stringify(s));
      for (let i = 1; i < s.runs.length; i++) assert.ok(s.runs[i]!.from > s.runs[i - 1]!.to);
    }
  });

  it('carries each life’s minor page faults: a forked child writing its shared pages climbs by about one per page', async () => {
    const pages = 8192; // 32 MiB of 4 KiB pages
    // The child writes when told (a line on stdin) and exits when told: each phase lies between polls.
    const parent = spawn(
      'python3',
      [
        '-c',
        'import os,sys\n' +
          `buf=bytearray(${pages}*4096)\n` +
          'for i in range(0,len(buf),4096): buf[i]=1\n' +
          'pid=os.fork()\n' +
          'if pid==0:\n' +
          '    print("forked", flush=True)\n' +
          '    sys.stdin.readline()\n' +
          '    for i in range(0,len(buf),4096): buf[i]=2\n' +
          '    print("written", flush=True)\n' +
          '    sys.stdin.readline()\n' +
          '    os._exit(0)\n' +
          'os.waitpid(pid,0)\nsys.stdin.readline()\n',
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    children.push(parent);
    const said = (word: string): Promise<void> =>
      new Promise((resolve) => {
        const on = (chunk: Buffer): void => {
          if (!chunk.toString().includes(word)) return;
          parent.stdout!.off('data', on);
          resolve();
        };
        parent.stdout!.on('data', on);
      });
    const sampler = new ProcSampler();
    const h = new TickHistory(256 << 20);
    let prev: Snapshot | undefined;
    const poll = (): void => {
      const s = sampler.pollSync({ threads: [] });
      if (prev) h.pushDelta(s, diffSnapshots(prev, s));
      else h.push(s);
      prev = s;
    };
    try {
      await said('forked');
      poll();
      poll();
      const written = said('written');
      parent.stdin!.write('\n');
      await written;
      poll();
      parent.stdin!.write('\n');
      await wait(200);
      poll();
    } finally {
      sampler.dispose();
      parent.kill('SIGKILL');
    }
    // No limit on the lanes: other processes on the machine may have more events in the window.
    const index = indexHistory(recordingOf(h), Number.MAX_SAFE_INTEGER);
    const child = index.lives.find((l) => l.ppid === parent.pid && l.exitedAt !== undefined);
    assert.ok(child, `the forked child has a lane: ${JSON.stringify(index.lives.filter((l) => l.ppid === parent.pid))}`);
    // Each page written is copied on a minor fault; Python's own allocations add a few more.
    assert.ok(child.minorFaultsLast - child.minorFaultsFirst >= pages * 0.9, `${child.minorFaultsFirst} -> ${child.minorFaultsLast}`);
    // The past tables carry it too (what the detail pane of a rewound tick shows): before and after the writes.
    const faultsAt = (tick: number) => h.snapshotAt(tick).processes.find((p) => p.key === child.key)!.minorFaults;
    assert.equal(faultsAt(h.firstTick), child.minorFaultsFirst);
    assert.equal(faultsAt(h.firstTick + 2), child.minorFaultsLast);
  });
});
