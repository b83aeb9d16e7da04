// `procscope record` and `procscope replay` as users run them (dist/cli.js): a scenario with known births,
// execs and exits read back from the file, stopping by signal at any moment, --max-size, stdout, a pid
// namespace, and the replay command's answers for good, cut, foreign and newer files.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { encodeLine } from '../../src/core/record/format';
import { readRecording, type Recording } from '../../src/core/record/reader';
import { lifetimes, summarize, type Lifetime } from '../../src/core/record/timeline';
import { buildBundle, bundle, CLI, ROOT } from './cliBundle.helpers';

const dir = mkdtempSync(join(tmpdir(), 'procscope-record-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => buildBundle());

const ENV = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', PROCSCOPE_LANG: '' };

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `procscope record ...` and resolves once its first tick is in the file (it says so on stderr). */
async function startRecording(args: string[], command: string[] = [process.execPath, CLI]): Promise<Running> {
  const child = spawn(command[0]!, [...command.slice(1), 'record', ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`record did not start: ${err}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('recording every')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      if (!err.includes('recording every')) reject(new Error(`record exited early: ${err}`));
    });
  });
  return { child, stderr: () => err, exit };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The boot time to 10 ms (btime in /proc/stat is whole seconds, too coarse to time a birth within a tick):
 * now minus the uptime.
 */
function preciseBootTime(): number {
  return Date.now() - Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]) * 1000;
}

/** When a process really started, from its identity (start time in clock ticks after boot). */
function startedAt(rec: Recording, l: Lifetime, bootTime: number): number {
  const startTicks = Number(l.key.split('@')[1]!.split('+')[0]);
  return bootTime + (startTicks * 1000) / rec.header.clockTicks;
}

describe('procscope record: a scenario with known births, execs and exits', () => {
  const INTERVAL = 200;
  // "Within one tick" is checked exactly: the tick that first shows an event comes after it, and the tick
  // before it came before it (give or take one poll, whose time is when it finished). A shared machine can
  // delay a tick, or a `sleep` waking, well past the schedule: LATE bounds that, SLACK the event's own delay.
  const SLACK = 400;
  const LATE = 600;
  let rec: Recording;
  let shellPid: number;
  let boot: number;
  before(async () => {
    boot = preciseBootTime();
    const file = join(dir, 'scenario.ndjson.gz');
    const r = await startRecording(['--interval', String(INTERVAL), '--seconds', '4', '-o', file]);
    // The shell: a child that lives 1.2 s; 0.4 s in, a second shell whose own child lives 0.5 s, after
    // which it execs `sleep 0.7`; then it waits for all of them.
    const script = 'sleep 1.2 & sleep 0.4; sh -c "sleep 0.5; exec sleep 0.7"; wait';
    const sh = spawn('sh', ['-c', script], { stdio: 'ignore' });
    shellPid = sh.pid!;
    await new Promise((resolve) => sh.on('exit', resolve));
    const { code } = await r.exit;
    assert.equal(code, 0, r.stderr());
    rec = await readRecording(file);
  });

  it('is a whole recording of the interval asked for', () => {
    assert.equal(rec.cutOff, undefined);
    assert.equal(rec.header.intervalMs, INTERVAL);
    assert.ok(rec.ticks.length >= 15 && rec.ticks.length <= 21, `${rec.ticks.length} ticks`);
  });

  it('has every birth at the first tick after the process started, with its parent', () => {
    const lives = [...lifetimes(rec).values()];
    const shell = lives.find((l) => l.pid === shellPid);
    assert.ok(shell, 'the shell was recorded');
    const kids = lives.filter((l) => l.ppid === shellPid);
    // sleep 1.2, sleep 0.4, sh -c (which becomes sleep 0.7): three children of the shell.
    assert.equal(kids.length, 3, JSON.stringify(kids.map((k) => [k.pid, k.name, k.cmdline])));
    for (const l of [shell, ...kids]) {
      assert.ok(l.bornAt !== undefined, `${l.pid} was born while recording`);
      const start = startedAt(rec, l, boot);
      const seen = rec.ticks[l.bornAt]!.at;
      assert.ok(seen >= start - 10, `${l.pid} seen at ${seen} before it started at ${start}`);
      assert.ok(seen - start <= INTERVAL + LATE, `${l.pid} seen ${seen - start} ms after it started`);
      // A tick's time is when its poll finished; a process born while the poll ran is left to the next tick.
      if (l.bornAt > 0) assert.ok(rec.ticks[l.bornAt - 1]!.at < start + SLACK / 2, 'the tick before could not have had it');
    }
  });

  it('has the exec under the same identity, about 0.5 s after the inner shell started', () => {
    const lives = [...lifetimes(rec).values()];
    const inner = lives.find((l) => l.ppid === shellPid && l.execs.length > 0);
    assert.ok(inner, "a child of the shell exec'd");
    assert.equal(inner.name, 'sh');
    assert.equal(inner.execs.length, 1);
    const exec = inner.execs[0]!;
    assert.equal(exec.name, 'sleep');
    assert.deepEqual(exec.cmdline, ['sleep', '0.7']);
    const due = startedAt(rec, inner, boot) + 500;
    assert.ok(exec.at >= due - 20, `exec seen at +${exec.at - due} ms`);
    assert.ok(exec.at - due <= INTERVAL + LATE, `exec seen ${exec.at - due} ms late`);
    assert.ok(rec.ticks[exec.tick - 1]!.at < due + SLACK, 'the tick before still showed the shell');
    // Its own child, `sleep 0.5`, lived about 0.5 s.
    const grandchild = lives.find((l) => l.ppid === inner.pid);
    assert.ok(grandchild && grandchild.name === 'sleep', 'the inner sleep 0.5 was recorded');
  });

  it('has every exit at the first tick after the process ended (zombie or gone)', () => {
    const lives = [...lifetimes(rec).values()];
    const expectations: [string, (l: Lifetime) => boolean, number][] = [
      ['sleep 1.2', (l) => l.ppid === shellPid && l.cmdline?.[1] === '1.2', 1200],
      ['sleep 0.4', (l) => l.ppid === shellPid && l.cmdline?.[1] === '0.4', 400],
      ['sh -c, then sleep 0.7', (l) => l.ppid === shellPid && l.execs.length === 1, 1200],
    ];
    for (const [what, match, lifeMs] of expectations) {
      const l = lives.find(match);
      assert.ok(l, what);
      const ended = l.zombieAt ?? l.exitedAt;
      assert.ok(ended !== undefined, `${what} ended while recording`);
      const due = startedAt(rec, l, boot) + lifeMs;
      const seen = rec.ticks[ended]!.at;
      assert.ok(seen >= due - 20, `${what}: end seen ${due - seen} ms before it could have happened`);
      assert.ok(seen - due <= INTERVAL + LATE, `${what}: end seen ${seen - due} ms late`);
      assert.ok(rec.ticks[ended - 1]!.at < due + SLACK, `${what}: the tick before still had it alive`);
    }
  });

  it("counts forks: the kernel's counter grew at least by the births it saw", () => {
    const s = summarize(rec);
    assert.ok(s.forks !== null && s.forks >= s.born, JSON.stringify(s));
    assert.ok(s.born >= 5 && s.exited >= 4, JSON.stringify(s));
    assert.ok(s.notSeen !== null && s.notSeen >= 0);
  });

  it('replays the table at a chosen moment: the inner shell had become sleep 0.7 a second in', () => {
    const lives = [...lifetimes(rec).values()];
    const inner = lives.find((l) => l.ppid === shellPid && l.execs.length === 1)!;
    const k = rec.tickAt(inner.execs[0]!.at);
    const before = rec.snapshotAt(inner.execs[0]!.tick - 1).processes.find((p) => p.key === inner.key);
    const after = rec.snapshotAt(k).processes.find((p) => p.key === inner.key);
    assert.deepEqual(before?.cmdline?.slice(0, 2), ['sh', '-c']);
    assert.deepEqual(after?.cmdline, ['sleep', '0.7']);
  });
});

describe('procscope record --threads: thread births, exits and state changes', () => {
  it('records a thread that comes and goes, and a stop and continue of a process and its thread', async () => {
    const file = join(dir, 'threads.ndjson.gz');
    const r = await startRecording(['--threads', '--interval', '100', '--seconds', '2.6', '-o', file]);
    const py = spawn(
      'python3',
      [
        '-c',
        'import threading,time\ntime.sleep(0.5)\nt=threading.Thread(target=time.sleep,args=(0.7,))\nt.start()\nt.join()\ntime.sleep(0.8)',
      ],
      { stdio: 'ignore' },
    );
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await sleep(700);
    sleeper.kill('SIGSTOP');
    await sleep(700);
    sleeper.kill('SIGCONT');
    const { code } = await r.exit;
    sleeper.kill('SIGKILL');
    py.kill('SIGKILL');
    assert.equal(code, 0, r.stderr());
    const rec = await readRecording(file);
    assert.equal(rec.header.threads, true);
    const counts: number[] = [];
    const states: string[] = [];
    const threadStates: string[] = [];
    for (let i = 0; i < rec.ticks.length; i++) {
      const snap = rec.snapshotAt(i);
      const p = snap.processes.find((x) => x.pid === py.pid);
      if (p) counts.push(p.threads!.length);
      const s = snap.processes.find((x) => x.pid === sleeper.pid);
      if (s) {
        states.push(s.state);
        threadStates.push(s.threads![0]!.state);
      }
    }
    // One thread, then two, then one again, in that order.
    const runs = counts.filter((c, i) => i === 0 || c !== counts[i - 1]);
    assert.deepEqual(runs, [1, 2, 1], counts.join(','));
    const stateRuns = states.filter((c, i) => i === 0 || c !== states[i - 1]).join('');
    // Stopped once, sleeping after; a tick may catch it running (R) just after its start or its SIGCONT.
    assert.match(stateRuns, /^[RS]*T[RS]*S$/, states.join(''));
    assert.equal(threadStates.join(''), states.join(''), 'the thread (LWP) strip shows the same stop');
  });
});

describe('procscope record: stopping', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly on ${signal} at any moment, leaving a whole readable file`, async () => {
      const file = join(dir, `${signal}.ndjson.gz`);
      const r = await startRecording(['--interval', '50', '-o', file]);
      await sleep(400 + Math.floor(Math.random() * 200));
      r.child.kill(signal);
      const { code } = await r.exit;
      assert.equal(code, 0, r.stderr());
      assert.match(r.stderr(), /recorded \d+ ticks/);
      const rec = await readRecording(file);
      assert.equal(rec.cutOff, undefined);
      assert.ok(rec.ticks.length >= 3, `${rec.ticks.length} ticks`);
      assert.ok(rec.snapshotAt(rec.ticks.length - 1).processes.length > 0);
    });
  }

  it('stops on SIGINT even when each poll takes longer than the interval (it yields between polls)', async () => {
    // 3,000 threads make a poll with --threads slower than 10 ms here; a loop that only waits when it is early
    // would never give the signal handler a turn.
    const crowd = spawn(
      'python3',
      [
        '-c',
        'import threading, time\nfor _ in range(3000): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\nprint("up", flush=True)\ntime.sleep(60)',
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      await new Promise<void>((resolve) => crowd.stdout!.once('data', () => resolve()));
      const file = join(dir, 'late.ndjson.gz');
      const r = await startRecording(['--interval', '10', '--threads', '-o', file]);
      await sleep(500);
      r.child.kill('SIGINT');
      const ended = await Promise.race([r.exit, sleep(15_000).then(() => null)]);
      if (ended === null) r.child.kill('SIGKILL');
      assert.notEqual(ended, null, 'the recorder did not stop within 15 s of SIGINT');
      assert.equal(ended!.code, 0, r.stderr());
      const rec = await readRecording(file);
      assert.equal(rec.cutOff, undefined);
    } finally {
      crowd.kill('SIGKILL');
    }
  });

  it('waits for a reader of a FIFO without blocking its signals, and records once one reads', async () => {
    const fifo = join(dir, 'out.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // Nobody reads: it says so, and SIGINT or SIGTERM still stop it, with nothing left blocked.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [CLI, 'record', '--seconds', '1', '-o', fifo], {
        env: ENV,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      while (!err.includes('waiting for a reader')) await sleep(50);
      await sleep(300);
      child.kill(signal);
      const code = await Promise.race([exit, sleep(10_000).then(() => 'hung' as const)]);
      if (code === 'hung') child.kill('SIGKILL');
      assert.equal(code, 1, `${signal}: ${err}`);
      assert.match(err, /stopped while waiting for a reader of .*out\.fifo: nothing recorded/);
    }
    // The FIFO removed while it waits: it says it cannot write there and ends, nothing left waiting.
    {
      const child = spawn(process.execPath, [CLI, 'record', '-o', fifo], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      while (!err.includes('waiting for a reader')) await sleep(50);
      rmSync(fifo);
      const code = await Promise.race([exit, sleep(10_000).then(() => 'hung' as const)]);
      if (code === 'hung') child.kill('SIGKILL');
      assert.equal(code, 1, err);
      assert.match(err, /cannot write .*out\.fifo: ENOENT/);
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    }
    // A reader comes: the recording flows through the FIFO and reads back whole.
    const w = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" record --interval 100 --seconds 0.5 -o "${fifo}" & cat "${fifo}" > "${fifo}.copy"; wait $!`],
      {
        env: ENV,
        encoding: 'utf8',
      },
    );
    assert.equal(w.status, 0, w.stderr);
    const rec = await readRecording(`${fifo}.copy`);
    assert.equal(rec.cutOff, undefined);
    assert.ok(rec.ticks.length >= 5, `${rec.ticks.length}`);
  });

  it('leaves a file readable to its last whole tick even when killed outright (SIGKILL)', async () => {
    const file = join(dir, 'killed.ndjson.gz');
    const r = await startRecording(['--interval', '20', '--threads', '-o', file]);
    await sleep(500);
    r.child.kill('SIGKILL');
    await r.exit;
    const rec = await readRecording(file);
    assert.ok(rec.ticks.length >= 2, `${rec.ticks.length} ticks`);
    rec.snapshotAt(rec.ticks.length - 1);
  });

  it('stops before --max-size and says so; the file is under the bound and whole', async () => {
    const file = join(dir, 'bounded.ndjson.gz');
    const r = await startRecording(['--interval', '20', '--max-size', '48k', '-o', file]);
    const { code } = await r.exit;
    assert.equal(code, 0, r.stderr());
    assert.match(r.stderr(), /larger than --max-size \(49152 bytes\)/);
    assert.ok(statSync(file).size <= 48 * 1024, `${statSync(file).size} bytes`);
    const rec = await readRecording(file);
    assert.equal(rec.cutOff, undefined);
    assert.ok(rec.ticks.length >= 2);
  });

  it('refuses a --max-size too small for the first snapshot, and bad values as usage errors', () => {
    const small = bundle(['record', '--max-size', '100', '-o', join(dir, 'tiny.gz')]);
    assert.equal(small.status, 1);
    assert.match(small.stderr, /smaller than the header and the first full snapshot/);
    for (const args of [
      ['--max-size', 'lots'],
      ['--interval', '5'],
      ['--interval', '86400001'],
      ['-o', ''],
      ['--interval', '3000000000'],
      ['--seconds', '-1'],
      ['--seconds', 'x'],
    ]) {
      const r = bundle(['record', ...args]);
      assert.equal(r.status, 2, args.join(' '));
    }
  });

  it('writes to stdout with -o -, and exits 0 when the reader goes away (as `| head -c` does)', async () => {
    const child = spawn(process.execPath, [CLI, 'record', '-o', '-', '--interval', '20'], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const first = await new Promise<Buffer>((resolve) => child.stdout!.once('data', resolve));
    assert.deepEqual([...first.subarray(0, 2)], [0x1f, 0x8b], 'gzip on stdout');
    await sleep(200);
    child.stdout!.destroy();
    assert.equal(await exit, 0);
    const file = join(dir, 'stdout.ndjson.gz');
    const w = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" record -o - --interval 100 --seconds 0.5 > "${file}"`], {
      env: ENV,
      encoding: 'utf8',
    });
    assert.equal(w.status, 0, w.stderr);
    const rec = await readRecording(file);
    assert.equal(rec.cutOff, undefined);
    assert.ok(rec.ticks.length >= 5, `${rec.ticks.length}`);
  });
});

describe('procscope record in a pid namespace (as in a container)', () => {
  it("records that namespace's processes, as that namespace numbers them", async () => {
    const file = join(dir, 'ns.ndjson.gz');
    const r = spawnSync(
      'unshare',
      [
        '--pid',
        '--fork',
        '--mount-proc',
        'sh',
        '-c',
        `sleep 5 & exec "${process.execPath}" "${CLI}" record --seconds 1 --interval 200 -o "${file}"`,
      ],
      { env: ENV, encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const rec = await readRecording(file);
    const snap = rec.snapshotAt(0);
    const byPid = new Map(snap.processes.map((p) => [p.pid, p]));
    assert.equal(byPid.get(1)?.name, 'node', "pid 1 is the recorder, exec'd by the namespace's first shell");
    const sleeper = snap.processes.find((p) => p.name === 'sleep');
    assert.ok(sleeper && sleeper.ppid === 1 && sleeper.pid < 10, JSON.stringify(snap.processes.map((p) => [p.pid, p.ppid, p.name])));
    assert.ok(snap.processes.length <= 3, 'nothing of the host is in it');
    assert.ok(!byPid.has(process.pid) || byPid.get(process.pid)!.name !== 'node' || process.pid === 1);
  });
});

describe('procscope replay', () => {
  let file: string;
  before(async () => {
    file = join(dir, 'replay.ndjson.gz');
    const r = bundle(['record', '--interval', '100', '--seconds', '1', '-o', file]);
    assert.equal(r.status, 0, r.stderr);
  });

  it('prints the summary and the tree at the last tick, or at --at and --tick', () => {
    const r = bundle(['replay', file, '--events']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^recording of .+, started \d{4}-/);
    assert.match(r.stdout, /\d+ ticks over \d+\.\d s, every 100 ms/);
    assert.match(r.stdout, /processes: \d+ at the start, \d+ born, \d+ exited, \d+ execs, \d+ at the end/);
    assert.match(r.stdout, /short-lived processes not seen/);
    assert.match(r.stdout, /events:/);
    assert.match(r.stdout, /process table at tick 10 /);
    assert.match(r.stdout, /^ +1 [A-Z] /m, 'the tree has pid 1');
    const at = bundle(['replay', file, '--at', '0.35']);
    assert.match(at.stdout, /process table at tick 3 \(\+0\.3 s/);
    const tick = bundle(['replay', file, '--tick', '0', '--lang', 'ko']);
    assert.match(tick.stdout, /0번 틱의 프로세스 표/);
    assert.equal(bundle(['replay', file, '--tick', '999']).status, 2);
    assert.equal(bundle(['replay', file, '--tick', '1', '--at', '1']).status, 2);
    assert.equal(bundle(['replay']).status, 2);
  });

  it('--json gives the header, summary, lifetimes and the table', () => {
    const r = bundle(['replay', file, '--json', '--tick', '2']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.header.format, 'procscope-recording');
    assert.equal(doc.tick, 2);
    assert.equal(doc.summary.ticks, 11);
    assert.ok(Array.isArray(doc.lifetimes) && doc.lifetimes.length >= doc.snapshot.processes.length);
    assert.equal(doc.cutOff, null);
  });

  it('warns of a cut-off file and shows what is there', () => {
    const cut = join(dir, 'cut.ndjson.gz');
    writeFileSync(cut, readFileSync(file));
    truncateSync(cut, statSync(cut).size - 30);
    const r = bundle(['replay', cut]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: the recording is cut off after tick 9: the rest is unreadable/);
    assert.match(r.stdout, /process table at tick 9 /);
  });

  it('refuses a foreign, corrupt or newer file with a clear message and exit 1', () => {
    const foreign = join(dir, 'foreign.txt');
    writeFileSync(foreign, 'PID TTY TIME CMD\n');
    const f = bundle(['replay', foreign]);
    assert.equal(f.status, 1);
    assert.match(f.stderr, /is not a ProcScope recording: its first line is not JSON/);
    const corrupt = join(dir, 'corrupt.gz');
    const data = readFileSync(file);
    writeFileSync(corrupt, Buffer.concat([data.subarray(0, 10), Buffer.alloc(40, 0xff), data.subarray(50)]));
    const c = bundle(['replay', corrupt]);
    assert.equal(c.status, 1);
    assert.match(c.stderr, /is not a ProcScope recording: its first line \(the header\) is cut off or damaged/);
    const newer = join(dir, 'newer.gz');
    writeFileSync(
      newer,
      encodeLine({ format: 'procscope-recording', version: 2, host: 'x', bootTime: 0, clockTicks: 100, intervalMs: 1000, startedAt: 0 }),
    );
    const n = bundle(['replay', newer]);
    assert.equal(n.status, 1);
    assert.match(n.stderr, /recording format version 2 is newer than this ProcScope understands/);
    const missing = bundle(['replay', join(dir, 'nope.gz')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read .*nope\.gz: ENOENT/);
    const empty = join(dir, 'empty.gz');
    writeFileSync(empty, gzipSync(''));
    assert.equal(bundle(['replay', empty]).status, 1);
  });
});
