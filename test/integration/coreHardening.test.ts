// Real processes in states that used to take the core down or make it lie: an executable, cwd and open file
// deeper than PATH_MAX; a process whose main thread called pthread_exit; a worker thread with all the
// context switches; a status file past 16 KiB (thousands of supplementary groups); a procfs mounted with
// hidepid=2 read as an unprivileged user; a pid reused by the next fork; --proc-root that is no procfs.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { readProcessDetail } from '../../src/core/detail';
import { ProcScopeError } from '../../src/core/errors';
import { scanIpcSync } from '../../src/core/ipc/scan';
import { parseProcessKey } from '../../src/core/model';
import { checkProcRoot } from '../../src/core/procRoot';
import { parseStat } from '../../src/core/procfs/stat';
import { ProcSampler } from '../../src/core/sampler';
import { compileC, mountHidepid, python, startProgram, waitFor, type Started } from './helpers';

const ROOT = join(__dirname, '..', '..');
const started: Started[] = [];
const cleanups: (() => void)[] = [];

after(async () => {
  for (const s of started) await s.kill();
  for (const c of cleanups.reverse()) c();
});

function statOf(pid: number): ReturnType<typeof parseStat> {
  return parseStat(readFileSync(`/proc/${pid}/stat`));
}

describe('a process whose paths are longer than PATH_MAX', () => {
  it('leaves exe, cwd and fd targets unavailable with ENAMETOOLONG; snapshot, detail, IPC and locks all complete', async () => {
    const top = mkdtempSync(join(tmpdir(), 'procscope-deep-'));
    cleanups.push(() => spawnSync('rm', ['-rf', top]));
    // 30 levels of 200-byte names (> 6000 bytes), made by relative chdir: no syscall ever sees the whole path.
    // In the deepest directory: a copy of sleep, run from there; a file held open under flock; a FIFO.
    const s = await python(
      [
        'import os, shutil, subprocess, fcntl, sys',
        `os.chdir(${JSON.stringify(top)})`,
        'for i in range(30):',
        '    name = ("d%02d" % i) + "x" * 197',
        '    os.mkdir(name); os.chdir(name)',
        `shutil.copy(${JSON.stringify(spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim())}, "sleep")`,
        'child = subprocess.Popen(["./sleep", "120"])',
        'f = open("locked", "w")',
        'fcntl.flock(f, fcntl.LOCK_EX)',
        'os.mkfifo("fifo")',
        'r = os.open("fifo", os.O_RDONLY | os.O_NONBLOCK)',
        'w = os.open("fifo", os.O_WRONLY)',
        'print("ready", child.pid, f.fileno(), flush=True)',
        'import time',
        'time.sleep(120)',
      ].join('\n'),
      { cwd: ROOT },
    );
    started.push(s);
    const [, sleepText, lockedFdText] = s.firstLine.split(' ');
    const sleepPid = Number(sleepText);
    const lockedFd = Number(lockedFdText);
    cleanups.push(() => {
      try {
        process.kill(sleepPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });

    const sampler = new ProcSampler();
    const snap = sampler.pollSync({ threads: 'all', threadStatus: true });
    sampler.dispose();
    const sleeper = snap.processes.find((p) => p.pid === sleepPid);
    assert.ok(sleeper, 'the deep sleep is in the snapshot');
    assert.equal(sleeper.exe, null);
    assert.match(sleeper.unavailable?.exe ?? '', /^ENAMETOOLONG/);
    assert.deepEqual(sleeper.cmdline, ['./sleep', '120']);
    assert.ok(
      snap.processes.some((p) => p.pid === s.pid),
      'its parent too',
    );

    const d = readProcessDetail(sleepPid);
    assert.equal(d.exe, null);
    assert.match(d.unavailable.exe ?? '', /ENAMETOOLONG/);
    assert.equal(d.cwd, null);
    assert.match(d.unavailable.cwd ?? '', /ENAMETOOLONG/);
    assert.ok(d.memoryMap !== null, 'maps still read');

    const parent = readProcessDetail(s.pid);
    const held = parent.fds?.find((f) => f.fd === lockedFd);
    assert.ok(held, 'the open file is listed');
    assert.equal(held.target, '');
    assert.match(held.unavailable ?? '', /ENAMETOOLONG/);
    assert.equal(held.type, 'file', 'typed by stat');

    const map = scanIpcSync({ useSs: false, maps: 'always', mapsMaxAgeMs: 0 });
    assert.ok(
      map.warnings.some((w) => w.includes('ENAMETOOLONG')),
      map.warnings.join('\n'),
    );
    const fifo = map.channels.find((c) => c.kind === 'fifo' && c.endpoints.some((e) => e.pid === s.pid));
    assert.ok(fifo, 'the FIFO is a channel without its path');
    assert.equal(fifo.endpoints.filter((e) => e.pid === s.pid).length, 2);

    const locks = scanIpcSync({ useSs: false, maps: 'never' }).channels.filter((c) => c.kind === 'lock');
    const lock = locks.find((c) => c.endpoints.some((e) => e.pid === s.pid && e.role === 'holder'));
    assert.ok(lock, 'the flock on the deep file is shown with its holder');
    assert.equal(lock.endpoints.find((e) => e.pid === s.pid)!.fd, lockedFd);
  });
});

describe('a process whose main thread called pthread_exit', () => {
  it('is shown alive: state of its live thread, its cmdline, exe and memory, marked leaderZombie', async () => {
    const bin = compileC('leader_exit.c');
    const s = await startProgram(bin, ['--marker', 'leader exit']);
    started.push(s);
    await waitFor('the leader to become a zombie', () => statOf(s.pid)?.state === 'Z');
    const sampler = new ProcSampler();
    const p = sampler.pollSync().processes.find((x) => x.pid === s.pid);
    const withThreads = sampler.pollSync({ threads: [s.pid] }).processes.find((x) => x.pid === s.pid);
    sampler.dispose();
    for (const info of [p, withThreads]) {
      assert.ok(info);
      assert.equal(info.leaderZombie, true);
      assert.equal(info.state, 'S');
      assert.deepEqual(info.cmdline, [bin, '--marker', 'leader exit']);
      assert.equal(info.exe, bin);
      assert.ok(info.rss > 0, `rss ${info.rss}`);
    }
    assert.deepEqual(withThreads!.threads!.map((t) => [t.tid === s.pid, t.state]).sort(), [
      [false, 'S'],
      [true, 'Z'],
    ]);

    const d = readProcessDetail(s.pid);
    assert.equal(d.leaderZombie, true);
    assert.equal(d.state, 'S');
    assert.deepEqual(d.cmdline, [bin, '--marker', 'leader exit']);
    assert.equal(d.exe, bin);
    assert.ok((d.memoryStatus?.vmRSS ?? 0) > 0);
    assert.ok(d.fds !== null && d.fds.length >= 3, 'fds through the live thread');
    assert.ok(d.memoryMap !== null);
  });
});

describe('context switches and wait channels of a multi-threaded process', () => {
  it("are the sum over its threads, with each thread's own values on its row", async () => {
    const s = await startProgram(compileC('ctxt_worker.c'), []);
    started.push(s);
    // "ready" is printed just before both threads settle in pause(): wait until they sleep there.
    await waitFor('both threads to sleep in pause()', () =>
      readdirSync(`/proc/${s.pid}/task`).every(
        (tid) => statOf(Number(tid)) !== undefined && readFileSync(`/proc/${s.pid}/task/${tid}/wchan`, 'latin1').includes('pause'),
      ),
    );
    const d = readProcessDetail(s.pid);
    const threads = d.threads!;
    assert.equal(threads.length, 2);
    const main = threads.find((t) => t.tid === s.pid)!;
    const worker = threads.find((t) => t.tid !== s.pid)!;
    assert.ok(worker.voluntaryCtxtSwitches! + worker.nonvoluntaryCtxtSwitches! >= 2900, `worker ${worker.voluntaryCtxtSwitches}`);
    assert.equal(d.scheduling.voluntaryCtxtSwitches, main.voluntaryCtxtSwitches! + worker.voluntaryCtxtSwitches!);
    assert.equal(d.scheduling.nonvoluntaryCtxtSwitches, main.nonvoluntaryCtxtSwitches! + worker.nonvoluntaryCtxtSwitches!);
    assert.ok(d.scheduling.voluntaryCtxtSwitches! > main.voluntaryCtxtSwitches! + 2500);
    // Both sleep in pause(): one wait channel for the process, and each thread's own.
    assert.ok(main.wchan && worker.wchan, `${main.wchan} ${worker.wchan}`);
    assert.equal(d.wchan, main.wchan === worker.wchan ? main.wchan : d.wchan);

    const sampler = new ProcSampler();
    sampler.pollSync();
    const plain = sampler.pollSync().processes.find((p) => p.pid === s.pid)!;
    assert.equal(plain.voluntaryCtxtSwitches, null, "not the main thread's count labelled as the process's");
    // The rule (threads not read), not a fault: no reason is carried for it (see ProcessInfo).
    assert.equal(plain.unavailable?.voluntaryCtxtSwitches, undefined);
    const watched = sampler.pollSync({ threads: [s.pid] }).processes.find((p) => p.pid === s.pid)!;
    sampler.dispose();
    const rows = watched.threads!;
    assert.equal(
      watched.voluntaryCtxtSwitches,
      rows.reduce((n, t) => n + t.voluntaryCtxtSwitches!, 0),
    );
    assert.ok(watched.voluntaryCtxtSwitches! > rows.find((t) => t.tid === s.pid)!.voluntaryCtxtSwitches! + 2500);
    assert.ok(
      rows.every((t) => typeof t.wchan === 'string' && t.wchan.length > 0),
      JSON.stringify(rows.map((t) => t.wchan)),
    );
  });
});

describe('a status file past 16 KiB', () => {
  it('is read whole: thousands of supplementary groups and the context switches after them', async () => {
    const s = await python('import os, time\nos.setgroups(list(range(1, 4001)))\nprint("ready", flush=True)\ntime.sleep(120)');
    started.push(s);
    assert.ok(readFileSync(`/proc/${s.pid}/status`).length > 16 * 1024, 'the status file is really that big');
    const sampler = new ProcSampler();
    const p = sampler.pollSync().processes.find((x) => x.pid === s.pid)!;
    sampler.dispose();
    assert.equal(p.uid, 0);
    assert.ok(typeof p.voluntaryCtxtSwitches === 'number', JSON.stringify(p.unavailable));
    assert.ok(typeof p.nonvoluntaryCtxtSwitches === 'number');
    const d = readProcessDetail(s.pid);
    assert.equal(d.credentials!.groups.length, 4000);
    assert.ok(typeof d.scheduling.voluntaryCtxtSwitches === 'number');
  });
});

describe('a procfs mounted with hidepid=1', () => {
  it('counts the processes it lists but refuses, and names the mount option', (t) => {
    const mnt = mountHidepid(t, '1');
    const script = `const { ProcSampler } = require('./src/core/sampler');
const snap = new ProcSampler({ procRoot: ${JSON.stringify(mnt)} }).pollSync();
console.log(JSON.stringify({ seen: snap.processes.length, hidden: snap.hidden ?? [] }));`;
    const r = spawnSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      seen: number;
      hidden: { count: number; unit: string; reason: string }[];
    };
    assert.equal(out.hidden.length, 1, r.stdout);
    assert.equal(out.hidden[0]!.unit, 'processes');
    assert.match(out.hidden[0]!.reason, /^hidepid=(1|noaccess) \((EPERM|EACCES)\)$/);
    const all = new ProcSampler().pollSync().processes.length;
    assert.ok(out.hidden[0]!.count > all / 2, `${out.hidden[0]!.count} of ${all}`);
  });
});

describe('a procfs mounted with hidepid=2', () => {
  it('says how many tasks an unprivileged reader could not see, and why', async (t) => {
    const mnt = mountHidepid(t, '2');
    const script = `const { ProcSampler } = require('./src/core/sampler');
const s = new ProcSampler({ procRoot: ${JSON.stringify(mnt)} });
const snap = s.pollSync();
console.log(JSON.stringify({ seen: snap.processes.length, hidden: snap.hidden ?? [] }));`;
    const r = spawnSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      seen: number;
      hidden: { count: number; unit: string; reason: string }[];
    };
    const note = out.hidden.find((h) => h.unit === 'tasks');
    assert.ok(note, r.stdout);
    assert.match(note.reason, /^hidepid=/);
    // Root sees every process here; nobody saw only its own (itself): the rest are counted.
    const all = new ProcSampler().pollSync();
    const allTasks = all.processes.reduce((n, p) => n + p.numThreads, 0);
    assert.ok(note.count > 0.5 * allTasks, `counted ${note.count} hidden of ${allTasks}`);
    // As root (ptrace access sees through hidepid) nothing is hidden and nothing is said.
    const rootSampler = new ProcSampler({ procRoot: mnt });
    const asRoot = rootSampler.pollSync();
    rootSampler.dispose(); // its kept-open stat files would keep the mount busy
    assert.equal(asRoot.hidden, undefined);
  });
});

describe('a procfs root that is not one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-noproc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), 'x');
  mkdirSync(join(dir, 'empty'));
  const cases: [string, string, RegExp][] = [
    ['a missing path', join(dir, 'missing'), /does not exist/],
    ['a regular file', join(dir, 'file'), /not a directory/],
    ['an empty directory', join(dir, 'empty'), /not a procfs/],
  ];
  for (const [title, root, message] of cases) {
    it(`gives NO_PROCFS for ${title} in every entry point`, async () => {
      const calls: [string, () => unknown][] = [
        ['checkProcRoot', () => checkProcRoot(root)],
        ['sampler', () => new ProcSampler({ procRoot: root }).pollSync()],
        ['detail', () => readProcessDetail(1, { procRoot: root })],
        ['ipc', () => scanIpcSync({ procRoot: root, useSs: false })],
        ['locks', () => scanIpcSync({ procRoot: root, useSs: false, maps: 'never', pids: [] })],
      ];
      for (const [name, call] of calls) {
        assert.throws(call, (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_PROCFS' && message.test(e.message), name);
      }
    });
  }
  it('accepts a real /proc and a fixture tree', () => {
    checkProcRoot('/proc');
    checkProcRoot(join(ROOT, 'test', 'fixtures', 'proc', 'edge'));
  });
});

describe('a copied tree (--proc-root) whose files are a FIFO or a link to /dev/zero', () => {
  it('every command finishes, the bad file marked, instead of waiting for a writer or reading forever', () => {
    const root = mkdtempSync(join(tmpdir(), 'procscope-fifo-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    cpSync(join(ROOT, 'test', 'fixtures', 'proc', 'edge'), root, { recursive: true });
    // 19923's command line is a FIFO nobody writes to; 19925's status and 19926's cmdline never end.
    unlinkSync(join(root, '19923', 'cmdline'));
    assert.equal(spawnSync('mkfifo', [join(root, '19923', 'cmdline')]).status, 0);
    unlinkSync(join(root, '19925', 'status'));
    symlinkSync('/dev/zero', join(root, '19925', 'status'));
    unlinkSync(join(root, '19926', 'cmdline'));
    symlinkSync('/dev/zero', join(root, '19926', 'cmdline'));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args, '--proc-root', root], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 << 20,
      });
    for (const args of [['snapshot', '--json'], ['ps'], ['show', '19923'], ['show', '19926'], ['sys']]) {
      const r = run(...args);
      assert.equal(r.signal, null, `${args.join(' ')} did not finish: ${r.stderr}`);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const snapshot = JSON.parse(run('snapshot', '--json').stdout) as { processes: { pid: number; cmdline: string[] | null }[] };
    assert.ok(
      snapshot.processes.some((p) => p.pid === 19923),
      'the process with the FIFO is listed',
    );
    assert.match(run('show', '19926').stdout, /EINVAL: not a regular file/);
  });
});

describe('a pid reused by the next fork', () => {
  it('gives the new process a new key, even within the same clock tick', async (t) => {
    const bin = compileC('pid_reuse.c');
    let sameTick = 0;
    let reused = 0;
    for (let attempt = 0; attempt < 25 && (sameTick < 1 || reused < 2); attempt++) {
      const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines = createInterface({ input: child.stdout! });
      const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
      try {
        const a = Number((await next()).split(' ')[1]);
        // A procfs root that holds only A (symlinks into /proc): a poll of it takes well under a clock tick.
        const root = mkdtempSync(join(tmpdir(), 'procscope-reuse-'));
        cleanups.push(() => rmSync(root, { recursive: true, force: true }));
        symlinkSync('/proc/stat', join(root, 'stat'));
        symlinkSync(`/proc/${a}`, join(root, String(a)));
        const sampler = new ProcSampler({ procRoot: root });
        const first = sampler.pollSync().processes.find((p) => p.pid === a);
        const bLine = next();
        child.stdin!.write('go\n');
        const b = Number((await bLine).split(' ')[1]);
        if (!first || b !== a) {
          sampler.dispose();
          continue;
        }
        reused++;
        const second = sampler.pollSync().processes.find((p) => p.pid === a)!;
        sampler.dispose();
        assert.ok(second, 'B is seen');
        assert.notEqual(second.key, first.key, 'a new process, a new key');
        const parts = parseProcessKey(second.key)!;
        if (second.startTicks === first.startTicks) {
          sameTick++;
          assert.equal(second.key, `${a}@${first.startTicks}+1`);
          assert.equal(parts.incarnation, 1);
        } else {
          assert.equal(parts.incarnation, 0);
        }
      } finally {
        child.stdin!.end();
        await new Promise((r) => child.once('exit', r));
      }
    }
    assert.ok(reused >= 1, 'the pid was reused at least once');
    t.diagnostic(`pid reused ${reused} times, ${sameTick} of them within one clock tick`);
  });
});

describe('paths that are not UTF-8', () => {
  it('come out losslessly (U+DC80+byte) in exe, cwd, fd targets, FIFO and unix socket paths, and the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope-bytes-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sleepPath = spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim();
    const s = await python(
      [
        'import os, shutil, socket, subprocess',
        `d = os.fsencode(${JSON.stringify(dir)}) + b"/dir\\xff"`,
        'os.mkdir(d); os.chdir(d)',
        `shutil.copy(${JSON.stringify(sleepPath)}, b"sleep\\xfe")`,
        'child = subprocess.Popen([b"./sleep\\xfe", b"120"])',
        'os.mkfifo(b"fifo\\xff")',
        'r = os.open(b"fifo\\xff", os.O_RDONLY | os.O_NONBLOCK); w = os.open(b"fifo\\xff", os.O_WRONLY)',
        'srv = socket.socket(socket.AF_UNIX); srv.bind(b"sock\\xff"); srv.listen()',
        'print("ready", child.pid, flush=True)',
        'import time',
        'time.sleep(120)',
      ].join('\n'),
    );
    started.push(s);
    const sleepPid = Number(s.firstLine.split(' ')[1]);
    cleanups.push(() => {
      try {
        process.kill(sleepPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
    const base = `${dir}/dir\udcff`;

    const sampler = new ProcSampler();
    const snap = sampler.pollSync();
    sampler.dispose();
    const sleeper = snap.processes.find((p) => p.pid === sleepPid)!;
    assert.equal(sleeper.exe, `${base}/sleep\udcfe`);
    assert.deepEqual(sleeper.cmdline, ['./sleep\udcfe', '120']);
    assert.ok(JSON.stringify(sleeper).includes('sleep\\udcfe'), 'JSON keeps the byte as \\udcfe');
    assert.ok(!JSON.stringify(snap).includes('\ufffd'));

    const d = readProcessDetail(s.pid);
    assert.equal(d.cwd, base);
    assert.ok(
      d.fds!.some((f) => f.target === `${base}/fifo\udcff`),
      JSON.stringify(d.fds!.map((f) => f.target)),
    );
    assert.ok(d.memoryMap !== null);

    const map = scanIpcSync({ useSs: true, maps: 'never' });
    const fifo = map.channels.find((c) => c.kind === 'fifo' && c.endpoints.some((e) => e.pid === s.pid));
    assert.ok(fifo && fifo.kind === 'fifo');
    assert.equal(fifo.path, `${base}/fifo\udcff`);
    const unix = map.channels.find((c) => c.kind === 'unix' && c.endpoints.some((e) => e.pid === s.pid && e.role === 'listen'));
    assert.ok(unix && unix.kind === 'unix');
    assert.equal(unix.path, 'sock\udcff', 'bound by a relative path, as the kernel shows it');
    assert.ok(!JSON.stringify(map).includes('\ufffd'));
  });
});

describe('a detail read for a known key', () => {
  it('carries the key it was asked for, and refuses a pid now held by another process', async () => {
    const s = await python('import time\nprint("ready", flush=True)\ntime.sleep(120)');
    started.push(s);
    const start = statOf(s.pid)!.starttime;
    assert.equal(readProcessDetail(s.pid, { key: `${s.pid}@${start}+1` }).key, `${s.pid}@${start}+1`);
    assert.equal(readProcessDetail(s.pid, { key: `${s.pid}@${start}` }).key, `${s.pid}@${start}`);
    assert.throws(
      () => readProcessDetail(s.pid, { key: `${s.pid}@${start + 1}` }),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS',
    );
    assert.throws(
      () => readProcessDetail(s.pid, { key: `1@${start}` }),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'BAD_REQUEST',
    );
  });
});

describe('unix socket names holding newlines (the kernel writes them raw in /proc/net/unix)', () => {
  it('a name with a newline is read whole; a name holding a forged row cannot rename another socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope-unixnl-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A victim listening on an abstract name, an attacker whose abstract name holds a line that looks like a row
    // naming the victim's inode with another path, and an innocent socket bound to a path with a newline.
    const s = await python(
      [
        'import os, socket, time',
        'v = socket.socket(socket.AF_UNIX); v.bind(b"\\0psc-victim"); v.listen(1)',
        'i = os.fstat(v.fileno()).st_ino',
        'a = socket.socket(socket.AF_UNIX)',
        'a.bind(("\\0psc-zz\\n0000000000000000: 00000002 00000000 00010000 0001 01 %d /run/psc-SPOOFED.sock" % i).encode()); a.listen(1)',
        `n = socket.socket(socket.AF_UNIX); n.bind(os.fsencode(${JSON.stringify(dir)}) + b"/so\\nck"); n.listen(1)`,
        // A file-system name holding a forged row of an inode of its own: read by the row rules alone it would
        // show this listener as `DIR/real`, a prefix of its name (another service's socket path, say).
        `f = socket.socket(socket.AF_UNIX); f.bind(os.fsencode(${JSON.stringify(dir)}) + b"/real\\n0000000000000000: 00000002 00000000 00010000 0001 01 1 @x"); f.listen(1)`,
        'print("ready", i, os.fstat(f.fileno()).st_ino, flush=True)',
        'time.sleep(120)',
      ].join('\n'),
    );
    started.push(s);
    const victimInode = Number(s.firstLine.split(' ')[1]);
    const map = scanIpcSync({ useSs: true, maps: 'never' });
    const mine = map.channels.filter((c) => c.kind === 'unix' && c.endpoints.some((e) => e.pid === s.pid));
    const text = JSON.stringify(mine);
    assert.ok(!text.includes('psc-SPOOFED'), `no socket is shown under the forged name: ${text}`);
    const victim = mine.find((c) => c.kind === 'unix' && c.inodes.includes(victimInode));
    assert.ok(victim && victim.kind === 'unix');
    // Listed twice with different names: which one is its own cannot be told, so neither is taken.
    assert.equal(victim.path, null);
    assert.equal(victim.nameUnknown, true);
    const innocent = mine.find((c) => c.kind === 'unix' && c.path === `${dir}/so\nck`);
    assert.ok(innocent, `the path with a newline is read whole: ${mine.map((c) => (c.kind === 'unix' ? c.path : '')).join(' | ')}`);
    const forgerInode = Number(s.firstLine.split(' ')[2]);
    const forger = mine.find((c) => c.kind === 'unix' && c.inodes.includes(forgerInode));
    assert.ok(forger && forger.kind === 'unix');
    assert.equal(
      forger.path,
      `${dir}/real\n0000000000000000: 00000002 00000000 00010000 0001 01 1 @x`,
      'its whole name, from the file system',
    );
  });
});
