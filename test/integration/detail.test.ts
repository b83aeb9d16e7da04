// The PCB detail of real processes this test starts: signal dispositions, a written 64 MiB anonymous
// region, a cwd with spaces and parentheses, the environment only on request, a vanished pid, bad input,
// `procscope show` with its exit codes, and EACCES as an unprivileged user.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { readProcessDetail, REASON } from '../../src/core/detail';
import { ProcScopeError } from '../../src/core/errors';

const ROOT = join(__dirname, '..', '..');
// The interpreter itself, not a wrapper (pyenv's python3 is a shell script that execs it by full path).
const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
const started: ChildProcess[] = [];
const tempDirs: string[] = [];

after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts python3 running `code`, which prints `ready` once set up, and waits for that line. */
async function startPython(code: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildProcess & { pid: number }> {
  const child = spawn(PYTHON, ['-c', `${code}\nprint('ready', flush=True)\nimport time\ntime.sleep(120)\n`], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`python exited early with ${code}`)));
  });
  assert.equal(first, 'ready');
  return child as ChildProcess & { pid: number };
}

function cli(args: string[], user?: string): { status: number | null; stdout: string; stderr: string } {
  const command = user ? 'runuser' : process.execPath;
  const argv = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'show', ...args];
  const full = user ? ['-u', user, '--', process.execPath, ...argv] : argv;
  const r = spawnSync(command, full, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('readProcessDetail on live processes', () => {
  it('decodes a blocked SIGUSR1, an ignored SIGINT and a SIGTERM handler', async () => {
    const child = await startPython(
      [
        'import signal',
        'signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])',
        'signal.signal(signal.SIGINT, signal.SIG_IGN)',
        'signal.signal(signal.SIGTERM, lambda *a: None)',
      ].join('\n'),
    );
    const d = readProcessDetail(child.pid);
    assert.deepEqual(d.signals?.blocked?.names, ['SIGUSR1']);
    // Python itself ignores SIGPIPE and SIGXFSZ at start-up.
    assert.deepEqual(d.signals?.ignored?.names, ['SIGINT', 'SIGPIPE', 'SIGXFSZ']);
    assert.deepEqual(d.signals?.caught?.names, ['SIGTERM']);
    assert.deepEqual(d.signals?.pending?.names, []);

    // A blocked signal sent to the process stays pending for the whole process.
    process.kill(child.pid, 'SIGUSR1');
    let pending: readonly string[] | undefined;
    for (let i = 0; i < 50 && !pending?.length; i++) {
      pending = readProcessDetail(child.pid).signals?.sharedPending?.names;
      if (!pending?.length) await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(pending, ['SIGUSR1']);
  });

  it('counts a written 64 MiB anonymous mapping as anonymous and private dirty', async () => {
    const child = await startPython(
      ['import mmap', 'm = mmap.mmap(-1, 64 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)', 'm.write(b"x" * (64 << 20))'].join('\n'),
    );
    const d = readProcessDetail(child.pid);
    const MiB64 = 64 * 1024 * 1024;
    assert.ok(d.memoryMap, 'maps readable');
    assert.ok(d.memoryMap.byKind.anonymous.size >= MiB64, `anonymous ${d.memoryMap.byKind.anonymous.size}`);
    assert.ok(
      d.memoryMap.regions.some((r) => r.kind === 'anonymous' && r.size >= MiB64),
      'one anonymous region of at least 64 MiB',
    );
    assert.ok(d.memoryRollup, 'smaps_rollup readable');
    assert.ok(d.memoryRollup.privateDirty! >= MiB64, `private dirty ${d.memoryRollup.privateDirty}`);
    assert.ok(d.memoryRollup.anonymous! >= MiB64, `anonymous ${d.memoryRollup.anonymous}`);
    assert.ok(d.memoryRollup.uss! >= MiB64);
    assert.ok(d.memoryStatus!.rssAnon! >= MiB64);
  });

  it('reports a cwd named with spaces, parentheses and Korean exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope cwd (a) b) 디렉터리 '));
    tempDirs.push(dir);
    const child = await startPython('pass', { cwd: dir });
    const d = readProcessDetail(child.pid);
    assert.equal(d.cwd, dir);
    assert.equal(d.root, '/');
    assert.equal(d.name, 'python3');
    assert.equal(d.kernelThread, false);
    assert.equal(d.ppid, process.pid);
    assert.equal(d.credentials?.uid.real, process.getuid!());
    assert.deepEqual(d.cmdline?.slice(0, 2), [PYTHON, '-c']);
    assert.equal(d.scheduling.policy, 'SCHED_OTHER');
    // Node gives a child's stdio 'pipe' as a UNIX socketpair; fd 0 is /dev/null ('ignore').
    assert.equal(d.fds?.find((f) => f.fd === 1)?.type, 'socket');
    assert.equal(d.fds?.find((f) => f.fd === 0)?.target, '/dev/null');
    assert.ok(d.namespaces?.some((n) => n.name === 'pid'));
    assert.equal(d.pidNamespaceIds?.nsPid?.[0], child.pid);
  });

  it('keeps a name with markup, a newline and `)` exactly, and escapes it in the text output', async () => {
    const child = await startPython(
      [
        'import ctypes',
        'ctypes.CDLL(None).prctl(15, ctypes.c_char_p(b"<b>x\\n) y"), 0, 0, 0)', // PR_SET_NAME
      ].join('\n'),
    );
    const d = readProcessDetail(child.pid);
    assert.equal(d.name, '<b>x\n) y');
    const r = cli([String(child.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], `Process ${child.pid} (<b>x\\n) y)  state S: interruptible sleep (waiting for an event)`);
  });

  it('shows a program whose file was deleted: exe ends in (deleted), its text is still code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope-exe-'));
    tempDirs.push(dir);
    const copy = join(dir, 'sleepy');
    copyFileSync('/bin/sleep', copy);
    chmodSync(copy, 0o755);
    const child = spawn(copy, ['120'], { stdio: 'ignore' });
    started.push(child);
    await new Promise((r) => child.once('spawn', r));
    // Wait for the exec to finish (until then the child is still a copy of node).
    for (let i = 0; i < 100 && readProcessDetail(child.pid!).name !== 'sleepy'; i++) await new Promise((r) => setTimeout(r, 10));
    unlinkSync(copy);
    const d = readProcessDetail(child.pid!);
    assert.equal(d.exe, `${copy} (deleted)`);
    const mine = d.memoryMap!.regions.filter((r) => r.path === copy);
    assert.ok(mine.length >= 2);
    assert.ok(mine.every((r) => r.deleted));
    assert.deepEqual([...new Set(mine.map((r) => r.kind))].sort(), ['code', 'data']);
    assert.equal(
      mine.filter((r) => r.kind === 'code').every((r) => r.perms.includes('x')),
      true,
    );
  });

  it('returns the environment only when asked for', async () => {
    const child = await startPython('pass', { env: { PATH: '/usr/bin:/bin', PROCSCOPE_PROBE: 'value with = sign' } });
    const without = readProcessDetail(child.pid);
    assert.equal(without.environ, null);
    assert.equal(without.unavailable.environ, REASON.notRequested);
    const withEnv = readProcessDetail(child.pid, { includeEnv: true });
    assert.deepEqual(
      withEnv.environ?.find((e) => e.name === 'PROCSCOPE_PROBE'),
      { name: 'PROCSCOPE_PROBE', value: 'value with = sign' },
    );
    assert.equal(withEnv.unavailable.environ, undefined);
  });

  it('throws NO_SUCH_PROCESS for a process that has exited', async () => {
    const child = spawn('true');
    const pid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    assert.throws(
      () => readProcessDetail(pid),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS',
    );
  });

  it('refuses a thread id: /proc/TID exists, but it is an LWP of another process', async () => {
    const child = await startPython(
      ['import threading', 'ev = threading.Event()', 'threading.Thread(target=ev.wait, daemon=True).start()'].join('\n'),
    );
    const d = readProcessDetail(child.pid);
    assert.equal(d.scheduling.threads, 2);
    const tid = readdirSync(`/proc/${child.pid}/task`)
      .map(Number)
      .find((t) => t !== child.pid)!;
    assert.throws(
      () => readProcessDetail(tid),
      (e: unknown) =>
        e instanceof ProcScopeError &&
        e.code === 'NO_SUCH_PROCESS' &&
        e.message === `${tid} is a thread (LWP) of process ${child.pid}, not a process; show ${child.pid} instead`,
    );
  });

  for (const bad of [0, -1, 2.5, Number.NaN, Number.MAX_VALUE]) {
    it(`throws BAD_REQUEST for pid ${bad}`, () => {
      assert.throws(
        () => readProcessDetail(bad),
        (e: unknown) => e instanceof ProcScopeError && e.code === 'BAD_REQUEST',
      );
    });
  }
});

describe('procscope show', () => {
  it('prints the sections as text', async () => {
    const child = await startPython('import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])');
    const r = cli([String(child.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Process ${child.pid} \\(python3\\)  state S`));
    for (const title of [
      'Credentials',
      'Scheduling',
      'Signals',
      'Namespaces',
      'Control groups',
      'Memory',
      'Open files',
      'Limits (soft / hard)',
      'I/O',
      'Environment',
    ]) {
      assert.match(r.stdout, new RegExp(`^${title.replace(/[()/]/g, '\\$&')}`, 'm'), title);
    }
    assert.match(r.stdout, /^ {2}blocked {12}SIGUSR1$/m);
    // The CLI names its own option only, never the core's (`includeEnv`).
    assert.match(r.stdout, /^ {2}environ {12}\(unavailable: not requested \(pass --env\)\)$/m);
    assert.doesNotMatch(r.stdout, /includeEnv/);
  });

  it('says why an fd target or a cwd could not be read (ENAMETOOLONG), in English and Korean, and labels a FIFO fifo', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope-show-'));
    // rm walks the tree relatively: a removal by full paths would itself fail with ENAMETOOLONG.
    t.after(() => spawnSync('rm', ['-rf', dir]));
    // A FIFO held open, then 25 directories of 200 bytes made and entered one by one (more than PATH_MAX in
    // all), a file opened there, and the process stays there: neither its cwd nor that fd's target has a
    // path the kernel can print.
    const child = await startPython(
      [
        'import os',
        `os.chdir(${JSON.stringify(dir)})`,
        "os.mkfifo('fifo')",
        "fifo = os.open('fifo', os.O_RDWR)",
        'for _ in range(25):',
        "    os.mkdir('d' * 200); os.chdir('d' * 200)",
        "long = open('long.txt', 'w')",
      ].join('\n'),
    );
    // Which fds they are, from the process's fd table: the FIFO's link names it, the long one cannot be read.
    const fds = readdirSync(`/proc/${child.pid}/fd`).map(Number);
    const fifoFd = fds.find((fd) => {
      try {
        return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === join(dir, 'fifo');
      } catch {
        return false;
      }
    });
    const longFd = fds.find((fd) => {
      try {
        readlinkSync(`/proc/${child.pid}/fd/${fd}`);
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
      }
    });
    assert.ok(fifoFd !== undefined && longFd !== undefined, `fds ${fds.join(' ')}`);
    const json = JSON.parse(cli([String(child.pid), '--json']).stdout) as {
      fds: { fd: number; type: string; fifo?: boolean; target: string; unavailable?: string }[];
    };
    assert.equal(json.fds.find((f) => f.fd === fifoFd)?.fifo, true);
    assert.equal(json.fds.find((f) => f.fd === longFd)?.unavailable, 'target: ENAMETOOLONG: name too long');

    const en = cli([String(child.pid)]);
    assert.equal(en.status, 0, en.stderr);
    const row = (text: string, fd: number): string | undefined => text.split('\n').find((l) => new RegExp(`^ {2}${fd} +`).test(l));
    assert.match(row(en.stdout, fifoFd)!, new RegExp(`^ {2}${fifoFd} +fifo {7}readwrite ${join(dir, 'fifo')}$`));
    assert.match(
      row(en.stdout, longFd)!,
      new RegExp(`^ {2}${longFd} +file {7}write {5}\\(target unavailable: ENAMETOOLONG: name too long\\)$`),
    );
    assert.match(en.stdout, /^ {2}working directory {2}\(unavailable: not available \(ENAMETOOLONG: name too long\)\)$/m);

    const ko = cli([String(child.pid), '--lang', 'ko']);
    assert.equal(ko.status, 0, ko.stderr);
    assert.match(row(ko.stdout, fifoFd)!, /fifo {7}readwrite /);
    assert.match(row(ko.stdout, longFd)!, /file {7}write {5}\(대상 볼 수 없음: ENAMETOOLONG: name too long\)$/);
    assert.match(ko.stdout, /^ {2}작업 디렉터리 +\(볼 수 없음: 볼 수 없음 \(ENAMETOOLONG: name too long\)\)$/m);
    assert.doesNotMatch(ko.stdout, /not available|unavailable|not requested/);
    assert.match(ko.stdout, /\(볼 수 없음: 요청하지 않음 \(--env로 요청\)\)$/m);
  });

  it('refuses a thread id naming its process, in Korean too (exit 3)', async () => {
    const child = await startPython(
      ['import threading', 'ev = threading.Event()', 'threading.Thread(target=ev.wait, daemon=True).start()'].join('\n'),
    );
    const tid = readdirSync(`/proc/${child.pid}/task`)
      .map(Number)
      .find((n) => n !== child.pid)!;
    const en = cli([String(tid)]);
    assert.equal(en.status, 3);
    assert.equal(en.stderr, `procscope: ${tid} is a thread (LWP) of process ${child.pid}, not a process; show ${child.pid} instead\n`);
    const ko = cli([String(tid), '--lang', 'ko']);
    assert.equal(ko.status, 3);
    assert.equal(ko.stdout, '');
    assert.equal(
      ko.stderr,
      `procscope: ${tid}은(는) 프로세스 ${child.pid}의 스레드(LWP)이며 프로세스가 아닙니다; 대신 show ${child.pid}을(를) 쓰세요\n`,
    );
  });

  it('prints JSON with --json, and the environment with --env', async () => {
    const child = await startPython('pass', { env: { PATH: '/usr/bin:/bin', PROCSCOPE_PROBE: '1' } });
    const plain = cli([String(child.pid), '--json']);
    assert.equal(plain.status, 0, plain.stderr);
    const d = JSON.parse(plain.stdout) as { pid: number; name: string; environ: unknown; memoryMap: { regions: unknown[] } };
    assert.equal(d.pid, child.pid);
    assert.equal(d.name, 'python3');
    assert.equal(d.environ, null);
    assert.ok(d.memoryMap.regions.length > 10);
    const withEnv = JSON.parse(cli([String(child.pid), '--json', '--env']).stdout) as { environ: { name: string; value: string }[] };
    assert.deepEqual(
      withEnv.environ.find((e) => e.name === 'PROCSCOPE_PROBE'),
      { name: 'PROCSCOPE_PROBE', value: '1' },
    );
    const text = cli([String(child.pid), '--env']);
    assert.match(text.stdout, /^ {2}PROCSCOPE_PROBE=1$/m);
  });

  it('tells an environment entry without "=" from NAME= (empty value), in text and JSON', async () => {
    // execve takes any strings as the environment: this python execs itself with one entry that has no '='.
    const child = await startPython(
      [
        'import ctypes, sys',
        'exe = sys.executable.encode()',
        "argv = (ctypes.c_char_p * 4)(exe, b'-c', b\"print('ready', flush=True)\\nimport time\\ntime.sleep(120)\", None)",
        "envp = (ctypes.c_char_p * 4)(b'PATH=/usr/bin:/bin', b'PROCSCOPE_BARE', b'PROCSCOPE_EMPTY=', None)",
        'ctypes.CDLL(None).execve(exe, argv, envp)',
      ].join('\n'),
    );
    const json = JSON.parse(cli([String(child.pid), '--json', '--env']).stdout) as { environ: unknown[] };
    assert.deepEqual(json.environ, [
      { name: 'PATH', value: '/usr/bin:/bin' },
      { name: 'PROCSCOPE_BARE', value: '', noEquals: true },
      { name: 'PROCSCOPE_EMPTY', value: '' },
    ]);
    const text = cli([String(child.pid), '--env']).stdout;
    assert.match(text, /^ {2}PROCSCOPE_BARE {2}\(no '=': the entry is not NAME=value\)$/m);
    assert.match(text, /^ {2}PROCSCOPE_EMPTY=$/m);
  });

  const failures: [string, string[], number, RegExp][] = [
    ['a pid that does not exist', ['4194304'], 3, /no process with pid 4194304/],
    ['no pid', [], 2, /missing PID/],
    ['a pid that is not a number', ['abc'], 2, /not a process id: 'abc'/],
    ['pid 0', ['0'], 2, /not a process id/],
    ['a negative pid', ['-5'], 2, /not a process id: '-5'/],
    ['a negative pid after --', ['--', '-5'], 2, /not a process id: '-5'/],
    ['an unknown option', ['1', '--bogus'], 2, /unknown option '--bogus'/],
    ['two pids', ['1', '2'], 2, /unexpected argument '2'/],
    ['a procfs root that does not exist', ['1', '--proc-root', '/nonexistent-proc'], 5, /no procfs/],
  ];
  for (const [what, args, code, message] of failures) {
    it(`exits ${code} for ${what}`, () => {
      const r = cli(args);
      assert.equal(r.status, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }
});

describe("permission denied (an unprivileged user reading root's pid 1)", () => {
  it('marks the ptrace-protected sections unavailable instead of failing', () => {
    assert.equal(process.getuid!(), 0, 'the test runs as root so that it can switch to nobody');
    const r = cli(['1', '--json', '--env'], 'nobody');
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout) as {
      pid: number;
      name: string;
      credentials: { uid: { real: number } };
      unavailable: Record<string, string>;
    } & Record<string, unknown>;
    assert.equal(d.pid, 1);
    assert.equal(d.credentials.uid.real, 0, 'status stays readable');
    for (const field of ['environ', 'exe', 'cwd', 'root', 'memoryMap', 'memoryRollup', 'fds', 'io', 'namespaces']) {
      assert.equal(d[field], null, field);
      assert.equal(d.unavailable[field], REASON.denied, field);
    }
    assert.ok(Array.isArray(d.limits), 'limits are world-readable');
  });
});
