// `procscope waits` end to end: each test starts a real blocked situation (test/integration/programs/waits),
// looks at the whole machine's /proc and checks the exact party that can wake each thread, and the cycles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseStat, PF_KTHREAD } from '../../src/core/procfs/stat';
import { collectWaits } from '../../src/core/waits/collect';
import type { ThreadWait, WaitReport } from '../../src/core/waits/model';
import { PROGRAMS, startProgram, startTwoThreads, waitFor, type Started } from './helpers';

const ROOT = join(__dirname, '..', '..');
let dir: string;
let binary: string;

before(() => {
  // compileC writes next to the source name, which cannot hold a folder: compile here the same way.
  dir = mkdtempSync(join(tmpdir(), 'procscope-waits-'));
  binary = join(dir, 'waitsprog');
  const r = spawnSync('cc', ['-O1', '-pthread', '-o', binary, join(PROGRAMS, 'waits', 'waits.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc waits.c failed: ${r.stderr}`);
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts one mode; returns the numbers of its ready line and kills it (and the children it names) afterwards. */
async function start(t: { after: (fn: () => unknown) => void }, mode: string, ...args: string[]): Promise<{ p: Started; ids: number[] }> {
  const p = await startProgram(binary, [mode, ...args]);
  const ids = p.firstLine.split(' ').map((w) => parseInt(w, w.startsWith('0x') ? 16 : 10));
  t.after(async () => {
    await p.kill();
    for (const id of ids.slice(1)) {
      try {
        process.kill(id, 'SIGKILL');
      } catch {
        /* gone already, or not a pid (a SysV id of another process) */
      }
    }
  });
  return { p, ids };
}

function threadOf(report: WaitReport, pid: number, tid = pid): ThreadWait | undefined {
  return report.threads.find((th) => th.pid === pid && th.tid === tid);
}

/**
 * Looks again until `pid/tid` shows a wait of `kind` (the program may not have entered the call yet) and,
 * with `holder`, names a holder (a lock waiter is in flock() a moment before /proc/locks lists it).
 */
async function waitingAs(
  pid: number,
  kind: string,
  tid = pid,
  options: { pid?: number; holder?: boolean } = {},
): Promise<{ report: WaitReport; thread: ThreadWait }> {
  return waitFor(`${pid}/${tid} waiting as ${kind}`, () => {
    const report = collectWaits(options.pid !== undefined ? { pid: options.pid } : {});
    const thread = threadOf(report, pid, tid);
    return thread?.waitingFor?.kind === kind && (!options.holder || thread.waitingFor.holders !== undefined)
      ? { report, thread }
      : undefined;
  });
}

function cli(args: string[], prefix: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const [cmd, ...rest] = [...prefix, process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args];
  const r = spawnSync(cmd!, rest, { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mutexes', () => {
  test('two threads deadlocked on two mutexes: each owner named, one cycle A -> B -> A', async (t) => {
    const {
      p,
      ids: [a, b, m1, m2],
    } = await start(t, 'mutex-deadlock');
    const { report } = await waitFor('both workers blocked', () => {
      const r = collectWaits({ pid: p.pid });
      return [a, b].every((tid) => threadOf(r, p.pid, tid)?.waitingFor?.kind === 'mutex') ? { report: r } : undefined;
    });
    const ta = threadOf(report, p.pid, a)!;
    const tb = threadOf(report, p.pid, b)!;
    assert.equal(ta.name, 'worker-a');
    assert.equal(ta.syscall?.name, 'futex');
    assert.deepEqual(ta.waitingFor!.holder, { pid: p.pid, tid: b });
    assert.equal(ta.waitingFor!.object, `0x${m2!.toString(16)}`, 'a waits on m2, which b holds');
    assert.match(ta.waitingFor!.how, /__owner/);
    assert.deepEqual(tb.waitingFor!.holder, { pid: p.pid, tid: a });
    assert.equal(tb.waitingFor!.object, `0x${m1!.toString(16)}`);
    // The main thread is in pthread_join: a futex whose waker cannot be known, and not part of the cycle.
    const main = threadOf(report, p.pid)!;
    assert.equal(main.waitingFor?.kind, 'futex');
    assert.equal(main.waitingFor?.holder, null);
    assert.deepEqual(report.cycles, [
      [
        { pid: p.pid, tid: Math.min(a!, b!) },
        { pid: p.pid, tid: Math.max(a!, b!) },
      ],
    ]);

    const text = cli(['waits', '--pid', String(p.pid)]);
    assert.equal(text.status, 0);
    assert.match(
      text.stdout,
      new RegExp(`${p.pid}/${a} worker-a  waits for mutex 0x${m2!.toString(16)} held by ${b} worker-b \\(deadlock: `),
    );
    const ko = cli(['waits', '--pid', String(p.pid), '--lang', 'ko']);
    assert.match(
      ko.stdout,
      new RegExp(`${p.pid}/${a} worker-a  뮤텍스 0x${m2!.toString(16)}을\\(를\\) 기다림 보유: ${b} worker-b \\(교착 상태: `),
    );
    const json = JSON.parse(cli(['waits', '--pid', String(p.pid), '--json']).stdout) as { threads: ThreadWait[]; cycles: unknown };
    assert.deepEqual(Object.keys(json), ['threads', 'cycles']);
    assert.deepEqual(json.cycles, report.cycles);
    const ja = json.threads.find((th) => th.tid === a)!;
    assert.deepEqual(Object.keys(ja), ['pid', 'tid', 'name', 'state', 'wchan', 'syscall', 'waitingFor']);
    assert.equal(ja.state, 'S');
    assert.equal(ja.syscall!.args.length, 6);
  });
});

describe('pipes', () => {
  test('a reader blocked on an empty pipe: the holder is the writer process', async (t) => {
    const {
      ids: [reader, writer],
    } = await start(t, 'pipe-reader');
    const { thread, report } = await waitingAs(reader!, 'pipe');
    assert.equal(thread.syscall?.name, 'read');
    assert.deepEqual(thread.waitingFor!.holder, { pid: writer, tid: null });
    assert.deepEqual(thread.waitingFor!.holders, [{ pid: writer, tid: null }]);
    assert.match(thread.waitingFor!.object, /^pipe \d+$/);
    assert.equal(
      report.cycles.some((c) => c.some((n) => n.pid === reader)),
      false,
    );
  });

  test('a writer blocked on a full pipe: the holder is the reader process', async (t) => {
    const {
      ids: [writer, reader],
    } = await start(t, 'pipe-writer');
    const { thread } = await waitingAs(writer!, 'pipe');
    assert.equal(thread.syscall?.name, 'write');
    assert.deepEqual(thread.waitingFor!.holder, { pid: reader, tid: null });
    assert.match(thread.waitingFor!.how, /full pipe/);
  });
});

describe('FIFOs and TCP', () => {
  test('a reader blocked on a FIFO: the holder is the process that opened it for writing', async (t) => {
    const path = join(dir, 'fifo');
    const {
      ids: [reader, writer],
    } = await start(t, 'fifo', path);
    const { thread } = await waitingAs(reader!, 'pipe');
    assert.equal(thread.waitingFor!.object, `FIFO ${path}`);
    assert.deepEqual(thread.waitingFor!.holder, { pid: writer, tid: null });
  });

  test('recv on a local TCP connection: the holder is the client process at the other end', async (t) => {
    const {
      ids: [server, client],
    } = await start(t, 'tcp');
    const { thread } = await waitingAs(server!, 'socket');
    assert.equal(thread.syscall?.name, 'recvfrom');
    assert.match(thread.waitingFor!.object, /127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:\d+/);
    assert.deepEqual(thread.waitingFor!.holder, { pid: client, tid: null });
  });
});

describe('sockets', () => {
  test('accept on a listening unix socket names its address and no holder', async (t) => {
    const path = join(dir, 'listen.sock');
    const {
      ids: [server],
    } = await start(t, 'accept', path);
    const { thread } = await waitingAs(server!, 'socket');
    assert.equal(thread.syscall?.name, 'accept');
    assert.equal(thread.waitingFor!.holder, null);
    assert.ok(thread.waitingFor!.object.includes(path), thread.waitingFor!.object);
  });

  test('recv on a connected unix socket: the holder is the peer process', async (t) => {
    const {
      ids: [receiver, peer],
    } = await start(t, 'recv');
    const { thread } = await waitingAs(receiver!, 'socket');
    assert.equal(thread.syscall?.name, 'recvfrom');
    assert.deepEqual(thread.waitingFor!.holder, { pid: peer, tid: null });
  });
});

describe('file locks and cycles across kinds', () => {
  test('a flock wait: the holder comes from /proc/locks', async (t) => {
    const {
      ids: [holder, waiter],
    } = await start(t, 'flock', join(dir, 'a.lock'));
    const { thread, report } = await waitingAs(waiter!, 'flock', waiter, { holder: true });
    assert.equal(thread.syscall?.name, 'flock');
    assert.deepEqual(thread.waitingFor!.holder, { pid: holder, tid: null });
    assert.ok(thread.waitingFor!.object.includes(join(dir, 'a.lock')));
    assert.equal(
      report.cycles.some((c) => c.some((n) => n.pid === waiter)),
      false,
      'the holder sleeps in pause(): no cycle',
    );
  });

  test('two processes deadlocked on a flock and a pipe form one cycle', async (t) => {
    const {
      ids: [a, b],
    } = await start(t, 'flock-pipe', join(dir, 'b.lock'));
    const { report } = await waitingAs(b!, 'flock', b, { holder: true });
    const ta = threadOf(report, a!)!;
    assert.equal(ta.waitingFor?.kind, 'pipe');
    assert.deepEqual(ta.waitingFor!.holder, { pid: b, tid: null });
    assert.deepEqual(threadOf(report, b!)!.waitingFor!.holder, { pid: a, tid: null });
    const mine = report.cycles.filter((c) => c.some((n) => n.pid === a || n.pid === b));
    assert.deepEqual(mine, [
      [
        { pid: a, tid: a },
        { pid: b, tid: b },
      ],
    ]);
    const text = cli(['waits', '--pid', String(b)]);
    assert.match(
      text.stdout,
      new RegExp(`${b}/${b} waitsprog  waits for a flock lock: .* held by process ${a} waitsprog \\(deadlock: ${a} → ${b} → ${a}\\)`),
    );
  });

  test('a three-party chain without a cycle is not reported as one', async (t) => {
    const {
      ids: [a, b, c],
    } = await start(t, 'chain');
    const { report } = await waitingAs(b!, 'pipe');
    assert.deepEqual(threadOf(report, a!)!.waitingFor!.holder, { pid: b, tid: null });
    assert.deepEqual(threadOf(report, b!)!.waitingFor!.holder, { pid: c, tid: null });
    assert.equal(threadOf(report, c!)!.waitingFor!.kind, 'signal');
    assert.equal(
      report.cycles.some((cy) => cy.some((n) => n.pid === a || n.pid === b || n.pid === c)),
      false,
    );
  });
});

describe('children and SysV', () => {
  test('wait4 for any child: the holder is the child', async (t) => {
    const {
      ids: [parent, child],
    } = await start(t, 'wait');
    const { thread } = await waitingAs(parent!, 'child');
    assert.equal(thread.syscall?.name, 'wait4');
    assert.equal(thread.waitingFor!.object, 'any child');
    assert.deepEqual(thread.waitingFor!.holder, { pid: child, tid: null });
  });

  test('semop on a SysV semaphore at 0: the set named, the waker honestly unknown', async (t) => {
    const {
      ids: [pid, semid],
    } = await start(t, 'sem');
    t.after(() => {
      spawnSync('ipcrm', ['-s', String(semid)]);
    });
    const { thread } = await waitingAs(pid!, 'semaphore');
    // glibc implements semop() with the semtimedop system call.
    assert.match(thread.syscall?.name ?? '', /^sem(timed)?op$/);
    assert.equal(thread.waitingFor!.holder, null);
    assert.match(thread.waitingFor!.object, new RegExp(`^SysV semaphore set ${semid} `));
    assert.match(thread.waitingFor!.how, /sempid/);
  });

  test('msgrcv on an empty SysV queue: the queue named with its last sender and receiver', async (t) => {
    const {
      ids: [pid, msqid],
    } = await start(t, 'msg');
    t.after(() => {
      spawnSync('ipcrm', ['-q', String(msqid)]);
    });
    const { thread } = await waitingAs(pid!, 'msgqueue');
    assert.equal(thread.syscall?.name, 'msgrcv');
    assert.equal(thread.waitingFor!.holder, null);
    assert.match(thread.waitingFor!.object, new RegExp(`^SysV msg queue ${msqid} `));
    assert.match(thread.waitingFor!.how, /0 queued.*last msgsnd by pid none/);
  });
});

describe('permission', () => {
  test("nobody looking at root's blocked process gets an honest reason and exit 0", async (t) => {
    if (process.getuid?.() !== 0) assert.fail('this test needs root to start a process nobody may not inspect');
    const {
      ids: [reader],
    } = await start(t, 'pipe-reader');
    await waitingAs(reader!, 'pipe');
    const r = cli(['waits', '--pid', String(reader), '--json'], ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']);
    assert.equal(r.status, 0, r.stderr);
    const th = (JSON.parse(r.stdout) as { threads: ThreadWait[] }).threads.find((x) => x.tid === reader)!;
    assert.equal(th.syscall, null);
    assert.equal(th.wchan, null, 'the kernel shows wchan 0 to other users');
    assert.equal(th.unavailable?.['syscall'], 'EACCES');
    assert.equal(th.waitingFor?.kind, 'unknown');
    assert.match(th.waitingFor!.how, /syscall could not be read \(EACCES\): reading it needs ptrace-read permission/);
    const text = cli(['waits', '--pid', String(reader)], ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']);
    assert.equal(text.status, 0);
    assert.match(
      text.stdout,
      new RegExp(`${reader}/${reader} waitsprog  what it waits for cannot be read: permission denied \\(EACCES\\)`),
    );
  });
});

/** Every kernel thread /proc shows (PF_KTHREAD in field 9 of stat), by pid; none in a container's own pid namespace. */
function kernelThreads(): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = parseStat(readFileSync(`/proc/${name}/stat`));
      if (st && (st.flags & PF_KTHREAD) !== 0) out.push({ pid: Number(name), state: st.state });
    } catch {
      // exited while listed
    }
  }
  return out;
}

describe('kernel threads', () => {
  test('a kernel thread is said to make no system call: never "in read" (its syscall file reads as call 0)', (t) => {
    const kthreads = kernelThreads();
    if (kthreads.length === 0) return t.skip('no kernel thread is visible in this pid namespace');
    // Sleeping ones (S) are what a plain `waits --pid` lists; kthreadd sleeps so whenever it has nothing to create.
    const sleeper = kthreads.find((k) => k.state === 'S');
    assert.ok(sleeper, `a kernel thread in state S (kthreadd, ksoftirqd, …): ${JSON.stringify(kthreads.slice(0, 20))}`);
    // Every kernel thread, listed with --all: none may carry a system call, each says it is one.
    const all = collectWaits({ from: kthreads.map((k) => k.pid), all: true });
    const listed = all.threads.filter((th) => kthreads.some((k) => k.pid === th.pid));
    assert.ok(listed.length >= kthreads.length - 5, `${listed.length} of ${kthreads.length} kernel threads listed`);
    for (const th of listed) {
      assert.equal(th.kernelThread, true, `${th.pid} ${th.name}`);
      assert.equal(th.syscall, null, `${th.pid} ${th.name}`);
      assert.equal(th.unavailable?.['syscall'], undefined, `${th.pid} ${th.name}`);
      if (th.waitingFor === null) continue; // running right now
      assert.doesNotMatch(th.waitingFor.how, /\bread\b/, `${th.pid} ${th.name}`);
      if (th.waitingFor.kind !== 'io')
        assert.match(th.waitingFor.how, /^kernel thread: it runs only in the kernel and makes no system calls/);
      assert.equal(th.waitingFor.object, th.wchan ?? '');
    }

    const { pid } = sleeper;
    const json = cli(['waits', '--pid', String(pid), '--json']);
    assert.equal(json.status, 0, json.stderr);
    const threads = (JSON.parse(json.stdout) as { threads: ThreadWait[] }).threads;
    assert.ok(threads.length > 0);
    for (const th of threads) {
      assert.equal(th.syscall, null);
      assert.equal(th.kernelThread, true);
    }
    const text = cli(['waits', '--pid', String(pid)]);
    assert.equal(text.status, 0, text.stderr);
    const ko = cli(['waits', '--pid', String(pid), '--lang', 'ko']);
    assert.equal(ko.status, 0, ko.stderr);
    for (const th of threads) {
      const line = text.stdout.split('\n').find((l) => l.startsWith(`${pid}/${th.tid} `))!;
      const koLine = ko.stdout.split('\n').find((l) => l.startsWith(`${pid}/${th.tid} `))!;
      if (th.waitingFor === null) continue;
      // The comm is shown escaped; what follows it is the sentence.
      const said = line.slice(line.indexOf('  ') + 2);
      const koSaid = koLine.slice(koLine.indexOf('  ') + 2);
      if (th.waitingFor.kind === 'io') {
        assert.match(said, /^kernel thread \(makes no system calls\), in disk or other kernel I\/O \(D\)/);
        assert.match(koSaid, /^커널 스레드 \(시스템 호출을 하지 않음\), 디스크 또는 다른 커널 입출력 중 \(D\)/);
      } else if (th.wchan !== null) {
        assert.equal(said, `kernel thread (makes no system calls), sleeps in kernel function ${th.wchan}`);
        assert.equal(koSaid, `커널 스레드 (시스템 호출을 하지 않음), 커널 함수 ${th.wchan}에서 잠듦`);
      } else {
        assert.equal(said, 'kernel thread (makes no system calls)');
        assert.equal(koSaid, '커널 스레드 (시스템 호출을 하지 않음)');
      }
    }
  });
});

describe('CLI errors', () => {
  test('a thread id given to --pid is refused with the process it belongs to, as show refuses it', async (t) => {
    const { process: p, tid } = await startTwoThreads();
    t.after(() => p.kill());
    for (const args of [
      ['--pid', String(tid)],
      ['--pid', String(tid), '--json'],
    ]) {
      const r = cli(['waits', ...args]);
      assert.equal(r.status, 3, r.stdout);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `procscope: ${tid} is a thread (LWP) of process ${p.pid}, not a process; pass --pid ${p.pid} instead\n`);
    }
    const ko = cli(['waits', '--pid', String(tid), '--lang', 'ko']);
    assert.equal(ko.status, 3);
    assert.equal(
      ko.stderr,
      `procscope: ${tid}은(는) 프로세스 ${p.pid}의 스레드(LWP)이며 프로세스가 아닙니다; 대신 --pid ${p.pid}을(를) 주세요\n`,
    );
    // The process itself: its own threads, each under its own pid.
    const ok = cli(['waits', '--pid', String(p.pid), '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const threads = (JSON.parse(ok.stdout) as { threads: ThreadWait[] }).threads;
    assert.deepEqual(
      threads.map((th) => [th.pid, th.tid]).sort(),
      [
        [p.pid, p.pid],
        [p.pid, tid],
      ].sort(),
    );
  });

  test('an unknown pid exits 3, a bad one 2', () => {
    assert.equal(cli(['waits', '--pid', '999999999']).status, 3);
    const bad = cli(['waits', '--pid', 'x1']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--pid must be a positive integer/);
  });
});
