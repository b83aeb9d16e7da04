// The CLI in Korean (LANG=ko_KR.UTF-8 or --lang ko): help, usage errors and the frame of every output carry
// no English words beyond technical tokens that are the same in every language.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cli';
import { buildBundle, bundle } from './cliBundle.helpers';
import { python, type Started } from './helpers';

// Every command the CLI has: a command added later is checked too.
const COMMAND_NAMES = Object.keys(COMMANDS);
/** Names of kernel objects, commands, options, columns and formats: not translated anywhere. */
const TECHNICAL = new Set([
  ...COMMAND_NAMES,
  'procscope',
  'snapshot',
  'ps',
  'show',
  'ipc',
  'ipcs',
  'locks',
  'help',
  'version',
  'lang',
  'en',
  'ko',
  'hidepid',
  'hidden',
  'poll',
  'task',
  'syscall',
  'wchan',
  'mem',
  'ptrace',
  'Yama',
  'threads',
  'cycles',
  'tid',
  'PID',
  'TID',
  'LWP',
  'NLWP',
  'UID',
  'PPID',
  'SZ',
  'RSS',
  'PSR',
  'STIME',
  'TTY',
  'TIME',
  'CMD',
  'ID',
  'PSS',
  'USS',
  'JSON',
  'json',
  'proc',
  'procfs',
  'stat',
  'self',
  'LC_ALL',
  'LC_MESSAGES',
  'LANG',
  'PROCSCOPE_LANG',
  'README',
  'FIFO',
  'TCP',
  'UDP',
  'POSIX',
  'SysV',
  'OFD',
  'FLOCK',
  'OOM',
  'CPU',
  'CapEff',
  'NSpid',
  'cgroup',
  'umask',
  'seccomp',
  'no_new_privs',
  'smaps_rollup',
  'maps',
  'fd',
  'fds',
  'io',
  'ns',
  'vdso',
  'nice',
  'ppid',
  'pid',
  'uid',
  'gid',
  'soft',
  'hard',
  'epoll',
  'eventfd',
  'memfd',
  'signalfd',
  'timerfd',
  'inotify',
  'ss',
  'macOS',
  'ps-list',
  'pidtree',
  'auto',
  'portable',
  'always',
  'never',
  'head',
  'eLF',
  'KiB',
  'MiB',
  'GiB',
  'TiB',
  'ms',
  'EOF',
  'listen',
  'processes',
  'channels',
  'deadlocks',
  'locks',
  'waitFor',
  'uXXXX',
  'DIR',
  'PCB',
  'IPC',
]);

/** English words left after options (--x), `code`, {json keys} and technical tokens are taken out. */
function english(text: string): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/--[a-z-]+/g, ' ')
    .replace(/\b[a-z]+(,[a-z-]+){3,}\b/g, ' '); // the kind list
  return (stripped.match(/[A-Za-z][A-Za-z_-]*[A-Za-z]/g) ?? []).filter(
    (w) => !TECHNICAL.has(w) && !w.split('-').every((p) => TECHNICAL.has(p)),
  );
}

const KO = { LANG: 'ko_KR.UTF-8' };
let me: Started;
before(async () => {
  buildBundle();
  me = await python('import time, signal\nsignal.alarm(60)\nprint("ready", flush=True)\ntime.sleep(60)');
});
after(async () => {
  await me.kill();
});

describe('Korean CLI', () => {
  it('writes help for every command in Korean', () => {
    for (const args of [['--help'], ['help'], ...[...COMMAND_NAMES, 'help'].map((c) => ['help', c])]) {
      const r = bundle(args, { env: KO });
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /사용법/);
      assert.deepEqual(english(r.stdout), [], args.join(' '));
      // --lang ko says the same, whatever the environment
      assert.equal(bundle([...args, '--lang', 'ko']).stdout, r.stdout);
    }
  });

  it('writes usage errors in Korean', () => {
    const cases = [
      ['frobnicate'],
      ['snapshot', '--bogus'],
      ['snapshot', '--backend', 'beos'],
      ['show'],
      ['show', 'abc'],
      ['ipc', '--maps', 'x'],
      ['ipc', '--kind', 'smoke'],
      ['ipc', '--pid', 'x'],
    ];
    for (const args of cases) {
      const r = bundle(args, { env: KO });
      assert.equal(r.status, 2, args.join(' '));
      const first = r.stderr.split('\n')[0]!;
      assert.deepEqual(english(first.replace(/'[^']*'/g, ' ')), [], first);
      assert.match(first, /[가-힣]/, first);
    }
  });

  it('frames every output in Korean (headers, labels, summaries; OS text stays as it is)', () => {
    const snap = bundle(['snapshot', '--no-threads'], { env: KO });
    assert.equal(snap.status, 0, snap.stderr);
    assert.deepEqual(english(snap.stdout.split('\n')[0]!), []);
    const ps = bundle(['ps'], { env: KO });
    assert.equal(ps.status, 0, ps.stderr);
    assert.deepEqual(english(ps.stdout.split('\n')[0]!), []);
    const show = bundle(['show', String(me.pid)], { env: KO });
    assert.equal(show.status, 0, show.stderr);
    const lines = show.stdout.split('\n');
    // Section titles (unindented) and labels (the 18-column field of indented rows). Rows named by the
    // kernel (namespaces, cgroup controllers, limits) keep the kernel's names.
    const kernelNamed = new Set(['네임스페이스', '컨트롤 그룹', '자원 한도 (soft / hard)']);
    let section = '';
    const frame = lines.flatMap((l) => {
      if (l === '') return [];
      if (!l.startsWith(' ')) {
        section = l;
        return [l.replace(/\([^)]*\)/, '')];
      }
      return kernelNamed.has(section) ? [] : [l.slice(2).split(/ {2,}/)[0]!];
    });
    assert.deepEqual(frame.flatMap(english), [], frame.join('\n'));
    for (const args of [['ipc'], ['locks'], ['ipcs']]) {
      const r = bundle(args, { env: KO });
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.split('\n').filter(Boolean);
      const framing =
        args[0] === 'ipc'
          ? [out[0]!, out.at(-1)!]
          : args[0] === 'locks'
            ? [out[0]!, out.at(-1)!]
            : out.filter((l) => l.startsWith('------') || l.startsWith('키') || l.startsWith('('));
      assert.deepEqual(framing.flatMap(english), [], `${args[0]}: ${framing.join(' | ')}`);
    }
  });

  it('names real pipes, FIFOs, sockets, locks and waits in Korean (ipc, locks, waits)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-ko-'));
    const prog = await python(
      [
        'import os, socket, fcntl, time, signal, threading, sys',
        'signal.alarm(60)',
        `d = ${JSON.stringify(dir)}`,
        "os.mkfifo(d + '/f')",
        "rf = os.open(d + '/f', os.O_RDONLY | os.O_NONBLOCK); wf = os.open(d + '/f', os.O_WRONLY)",
        'r, w = os.pipe()',
        'a, b = socket.socketpair()',
        "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(); c = socket.create_connection(srv.getsockname()); acc, _ = srv.accept()",
        "u = socket.socket(socket.AF_UNIX); u.bind(d + '/s'); u.listen()",
        "lk = open(d + '/lock', 'w'); fcntl.lockf(lk, fcntl.LOCK_EX)",
        'kid = os.fork()',
        'if kid == 0:',
        "    l2 = open(d + '/lock', 'w'); fcntl.lockf(l2, fcntl.LOCK_EX); os._exit(0)",
        'threading.Thread(target=lambda: os.read(r, 1), daemon=True).start()',
        'threading.Thread(target=lambda: a.recv(1), daemon=True).start()',
        'time.sleep(0.3)',
        "print('ready', kid, flush=True)",
        'time.sleep(60)',
      ].join('\n'),
    );
    try {
      const kid = Number(prog.firstLine.split(' ')[1]);
      // OS text (the program's name, the test's paths) is shown as it is in every language: taken out first.
      const osFree = (text: string): string =>
        ['lock', 'f', 's']
          .reduce((t, name) => t.split(`${dir}/${name}`).join(' '), text)
          // A process name may hold spaces ("npm test"): an endpoint line's name runs from its indent to "(pid)".
          .replace(/^(\s+)\S.*?\(\d+\)/gm, '$1')
          .replace(/[^\s(]+\(\d+\)/g, ' ')
          .replace(/python3?/g, ' ');
      const ipc = bundle(['ipc', '--pid', String(prog.pid)], { env: KO });
      assert.equal(ipc.status, 0, ipc.stderr);
      // Channel lines start with the kind as --kind spells it (a value of an option, like the column values of ps).
      const body = ipc.stdout.split('\n').map((l) => (/^[a-z-]+ +\S/.test(l) ? l.replace(/^[a-z-]+ +/, '') : l));
      for (const want of ['파이프 ', `FIFO ${dir}/f`, '(스트림', `${dir}/s (스트림`, '연결 대기', `${dir}/lock의 POSIX 쓰기 잠금`])
        assert.ok(ipc.stdout.includes(want), `${want} in\n${ipc.stdout}`);
      assert.deepEqual(english(osFree(body.join('\n'))), [], ipc.stdout);
      assert.deepEqual(english(osFree(ipc.stderr)), [], ipc.stderr);

      const locks = bundle(['locks'], { env: KO });
      assert.equal(locks.status, 0, locks.stderr);
      const mine = locks.stdout.split('\n').filter((l) => l.includes(dir) || l.includes(`(${prog.pid})`) || l.includes(`(${kid})`));
      assert.ok(
        mine.some((l) => l.includes('쓰기') && l.includes(`${dir}/lock`)),
        locks.stdout,
      );
      assert.deepEqual(english(osFree(mine.join('\n'))), [], mine.join('\n'));

      for (const pid of [prog.pid, kid]) {
        const waits = bundle(['waits', '--pid', String(pid)], { env: KO });
        assert.equal(waits.status, 0, waits.stderr);
        assert.deepEqual(english(osFree(waits.stdout)), [], waits.stdout);
        assert.deepEqual(english(osFree(waits.stderr)), [], waits.stderr);
        if (pid === kid) assert.match(waits.stdout, new RegExp(`${dir}/lock의 POSIX 쓰기 잠금`), waits.stdout);
        else assert.match(waits.stdout, /파이프 \d+에서 기다림/, waits.stdout);
      }
    } finally {
      await prog.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "not a procfs" in Korean', () => {
    const r = bundle(['locks', '--proc-root', '/nonexistent-proc'], { env: KO });
    assert.equal(r.status, 5);
    assert.match(r.stderr, /^procscope: \/nonexistent-proc에 procfs가 없습니다/);
  });

  it("says the kernel's refusal of a named file in Korean, keeping the code", () => {
    const who = bundle(['who', '/nonexistent-file'], { env: KO });
    assert.match(who.stderr, /^procscope: \/nonexistent-file을\(를\) 찾을 수 없습니다: ENOENT: 그런 파일이나 디렉터리가 없음$/m);
    const replay = bundle(['replay', '/'], { env: KO });
    assert.equal(replay.status, 1);
    assert.match(replay.stderr, /^procscope: \/을\(를\) 읽을 수 없음: EISDIR: 디렉터리임$/m);
    assert.match(bundle(['replay', '/']).stderr, /EISDIR: illegal operation on a directory/, 'English keeps Node words');
  });

  it('stays English with LC_ALL=C over LANG=ko, and in Korean with --lang ko over LC_ALL=C', () => {
    assert.match(bundle(['--help'], { env: { LANG: 'ko_KR.UTF-8', LC_ALL: 'C' } }).stdout, /^usage:/);
    assert.match(bundle(['--help', '--lang', 'ko'], { env: { LC_ALL: 'C' } }).stdout, /^사용법:/);
    assert.equal(bundle(['--lang', 'fr', '--help']).status, 2);
  });
});
