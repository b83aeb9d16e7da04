// dist/cli.js as shipped: the portable backend from the bundle, a reader that goes away (EPIPE), errors in
// one line, --proc-root checks for every command, escaped spoofing characters, --version, help, --kind, ipcs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundle, bundle, CLI, ROOT } from './cliBundle.helpers';
import { python, type Started } from './helpers';
import { fixtureTree, removeFixtureTrees } from '../unit/procTreeFixture';

const started: Started[] = [];
const temps: string[] = [];
before(() => buildBundle());
after(async () => {
  for (const s of started) await s.kill();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  removeFixtureTrees();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'procscope-clitest-'));
  temps.push(d);
  return d;
}

describe('the portable backend from the bundle', () => {
  it('lists this test process with its name and parent', () => {
    const r = bundle(['snapshot', '--backend', 'portable', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as { backend: string; processes: { pid: number; ppid: number; name: string }[] };
    assert.equal(out.backend, 'portable');
    const me = out.processes.find((p) => p.pid === process.pid);
    assert.ok(me, 'this test process is listed');
    assert.equal(me.name, basename(realpathSync(process.execPath)));
    assert.equal(me.ppid, process.ppid);
    assert.ok(out.processes.length > 3);
  });

  it('says what is missing, in one line and in the chosen language, when there is no `ps` to run', () => {
    const env = { PATH: tempDir() };
    const en = bundle(['snapshot', '--backend', 'portable'], { env });
    assert.equal(en.status, 1);
    assert.equal(en.stdout, '');
    assert.match(en.stderr, /^procscope: the portable backend could not list processes: ps-list needs the `ps` command.*not found.*\n$/);
    assert.equal(en.stderr.split('\n').length, 2, 'one line, no stack trace');
    const ko = bundle(['snapshot', '--backend', 'portable'], { env: { ...env, PROCSCOPE_LANG: 'ko' } });
    assert.equal(ko.status, 1);
    assert.match(ko.stderr, /^procscope: 이식형 백엔드가 프로세스 목록을 읽지 못했습니다: ps-list needs the `ps` command/);
  });

  it('leaves no empty import.meta in any Node bundle (esbuild writes `import_meta = {}` for CommonJS without a definition)', () => {
    for (const bundleFile of ['cli.js', 'extension.js', 'panelWorker.js']) {
      const text = readFileSync(join(ROOT, 'dist', bundleFile), 'utf8');
      assert.doesNotMatch(text, /\bimport_meta\b|import\.meta/, bundleFile);
    }
    // The extension host bundle carries the same portable backend as the CLI.
    assert.match(readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8'), /fastlist-0\.3\.0/);
  });

  it("ships ps-list's Windows helper where the bundled ps-list looks for it", () => {
    const source = readFileSync(CLI, 'utf8');
    assert.match(source, /"vendor"/);
    for (const exe of ['fastlist-0.3.0-x64.exe', 'fastlist-0.3.0-x86.exe']) {
      assert.deepEqual(readFileSync(join(ROOT, 'dist', 'vendor', exe)), readFileSync(join(ROOT, 'node_modules', 'ps-list', 'vendor', exe)));
    }
  });
});

describe('a reader that goes away', () => {
  let bigEnv: Started;
  before(async () => {
    // A process whose `show --env` text is far larger than a pipe's buffer.
    bigEnv = await python('import time, signal\nsignal.alarm(120)\nprint("ready", flush=True)\ntime.sleep(120)', {
      env: Object.fromEntries([0, 1, 2, 3].map((i) => [`PROCSCOPE_BIG${i}`, 'x'.repeat(100_000)])),
    });
    started.push(bigEnv);
  });

  const commands = (): string[][] => [
    ['ps'],
    ['snapshot'],
    ['snapshot', '--json'],
    ['ipc', '--all-kinds'],
    ['ipc', '--json'],
    ['locks'],
    ['ipcs'],
    ['show', String(bigEnv.pid), '--env'],
    ['show', String(bigEnv.pid), '--json', '--env'],
    ['--help'],
  ];

  it('stops quietly with exit 0 when the pipe is closed before anything is written', async () => {
    for (const args of commands()) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the read end is closed: every write the CLI makes fails with EPIPE
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
      assert.equal(stderr, '', `${args.join(' ')}: nothing on stderr`);
      assert.deepEqual([code, signal], [0, null], args.join(' '));
    }
  });

  it('stops quietly under `| head -n 1` with pipefail, for every command with large output', () => {
    for (const args of commands()) {
      const r = spawnSync('bash', ['-c', 'set -o pipefail; "$@" | head -n 1', 'sh', process.execPath, CLI, ...args], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      assert.equal(r.stderr, '', `${args.join(' ')}: nothing on stderr`);
      assert.equal(r.status, 0, args.join(' '));
      assert.equal(r.stdout.split('\n').length, 2, `${args.join(' ')}: one line`);
    }
  });
});

describe('errors', () => {
  it('says in one line that writing the output failed, with the stack only under PROCSCOPE_DEBUG=1', () => {
    // stdout on /dev/full: every write fails with ENOSPC, for every command that writes.
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['ps'], ['snapshot', '--json'], ['sys', '--interval', '1'], ['ipc']]) {
        const r = bundle(args, { stdio: ['ignore', full, 'pipe'] });
        assert.equal(r.status, 1, args.join(' '));
        assert.equal(r.stderr, 'procscope: writing the output failed: no space left on the device\n', args.join(' '));
      }
      const ko = bundle(['ps', '--lang', 'ko'], { stdio: ['ignore', full, 'pipe'] });
      assert.equal(ko.stderr, 'procscope: 출력 쓰기 실패: 장치에 남은 공간이 없음\n');
      const debug = bundle(['ps'], { stdio: ['ignore', full, 'pipe'], env: { PROCSCOPE_DEBUG: '1' } });
      assert.equal(debug.status, 1);
      assert.match(debug.stderr, /^procscope: writing the output failed: no space left on the device\n[\s\S]*\n {4}at /);
      // record -o - says what it had handed out.
      const record = bundle(['record', '-o', '-', '--seconds', '1'], { stdio: ['ignore', full, 'pipe'] });
      assert.equal(record.status, 1);
      assert.match(
        record.stderr,
        /^procscope: stopped: writing to standard output failed \(no space left on the device\) after \d+ ticks had been handed to it; what reached the file reads up to the last whole tick in it\n$/m,
      );
    } finally {
      closeSync(full);
    }
  });

  it('says in one line why a process whose stat cannot be read is not shown (no stack, even under PROCSCOPE_DEBUG=1)', () => {
    // A procfs root whose process directory holds a directory where `stat` should be: EISDIR. Without its
    // stat a process has no identity, so `show` reports it as unreadable (exit 3) and names the errno.
    const root = tempDir();
    mkdirSync(join(root, '1', 'stat'), { recursive: true });
    writeFileSync(join(root, 'stat'), 'cpu 1 2 3\nbtime 1700000000\n');
    symlinkSync('1', join(root, 'self'));
    for (const env of [{}, { PROCSCOPE_DEBUG: '1' }]) {
      const r = bundle(['show', '1', '--proc-root', root], { env });
      assert.equal(r.status, 3);
      assert.match(r.stderr, /^procscope: [^\n]*EISDIR[^\n]*\n$/);
      assert.equal(r.stdout, '');
    }
  });

  it('echoes a control character in a usage error escaped, never raw', () => {
    for (const args of [
      ['\x1b[31mfoo'],
      ['ps', '--\x1b]0;pwned\x07'],
      ['show', '\x1b[2J'],
      ['ipc', '--kind', 'pipe,\u202Eevil'],
      ['help', '\x9b1m'],
      ['--lang', '\x1bko'],
    ]) {
      const r = bundle(args);
      assert.equal(r.status, 2, JSON.stringify(args));
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(r.stderr + r.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/, JSON.stringify(args));
      assert.match(r.stderr, /\\x1b|\\x9b|\\u202E/, JSON.stringify(args));
    }
  });
});

describe('arguments that are not UTF-8', () => {
  it('name the file given, byte for byte (who finds its user; replay names it with \\xff, not U+FFFD)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procscope-argv-'));
    try {
      const file = Buffer.concat([Buffer.from(`${dir}/f`), Buffer.from([0xff])]);
      writeFileSync(file, 'x');
      const fd = openSync(file, 'r');
      const holder = spawn('sleep', ['60'], { stdio: [fd, 'ignore', 'ignore'] });
      closeSync(fd);
      try {
        await new Promise((r) => setTimeout(r, 300));
        const sh = (command: string) =>
          spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', PROCSCOPE_LANG: '' } });
        const who = sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} who "$(printf '%s/f\\377' ${JSON.stringify(dir)})"`);
        assert.equal(who.status, 0, who.stderr);
        assert.match(who.stdout, new RegExp(`\\b${holder.pid}\\b.*sleep`));
        const replay = sh(
          `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} replay "$(printf '%s/g\\377' ${JSON.stringify(dir)})"`,
        );
        assert.equal(replay.status, 1);
        assert.match(replay.stderr, /g\\xff/);
        assert.doesNotMatch(replay.stderr, /\uFFFD/);
      } finally {
        holder.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--proc-root that is no procfs', () => {
  const roots = (): [string, string][] => {
    const empty = tempDir();
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'not a directory');
    return [
      ['a missing path', join(empty, 'missing')],
      ['a regular file', file],
      ['an empty directory', empty],
    ];
  };
  const commands: string[][] = [
    ['snapshot'],
    ['snapshot', '--json'],
    ['ps'],
    ['show', '1'],
    ['ipc'],
    ['ipc', '--sysv'],
    ['ipcs'],
    ['locks'],
  ];
  it('gives exit 5 and one clear line for every command', () => {
    for (const [what, root] of roots()) {
      for (const args of commands) {
        const r = bundle([...args, '--proc-root', root]);
        const label = `${args.join(' ')} with ${what}`;
        assert.equal(r.status, 5, `${label}: ${r.stderr}`);
        assert.equal(r.stdout, '', label);
        assert.match(r.stderr, new RegExp(`^procscope: no procfs at ${root.replace(/[/.]/g, '\\$&')}: [^\\n]+\\n$`), label);
      }
    }
  });
});

describe('spoofing characters in a real process', () => {
  let spoof: Started;
  const NAME = 'a\u202Eb\nc'; // comm: 7 bytes of UTF-8
  const ARG = 'gpj.\u202Eexe\u2066\u200B\n';
  before(async () => {
    spoof = await python(
      `import ctypes, sys, time, signal\nsignal.alarm(120)\nctypes.CDLL(None).prctl(15, ctypes.c_char_p(${JSON.stringify(NAME)}.encode()), 0, 0, 0)\nprint("ready", flush=True)\ntime.sleep(120)`,
    );
    // the argument is passed on the command line after -c CODE
    started.push(spoof);
  });

  it('escapes them in every text output and keeps --json exact', async () => {
    const withArg = await python(`import sys, time, signal\nsignal.alarm(120)\nprint("ready", flush=True)\ntime.sleep(120)`);
    started.push(withArg);
    // A second process whose argv holds the characters: started through a shell so argv is exact.
    const argProc = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)', ARG], { stdio: 'ignore' });
    started.push({
      child: argProc,
      pid: argProc.pid!,
      firstLine: '',
      kill: async () => {
        argProc.kill('SIGKILL');
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    const raw = /[\u202a-\u202e\u2066-\u2069\u200b\u2028\u2029]/;
    const outputs: [string, string][] = [];
    for (const args of [
      ['ps'],
      ['snapshot'],
      ['show', String(spoof.pid)],
      ['show', String(argProc.pid)],
      ['ipc', '--pid', String(spoof.pid)],
    ]) {
      const r = bundle(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, raw, args.join(' '));
      outputs.push([args.join(' '), r.stdout]);
    }
    const text = Object.fromEntries(outputs);
    assert.ok(text['show ' + spoof.pid]!.startsWith(`Process ${spoof.pid} (a\\u202Eb\\nc)`));
    assert.ok(
      text.snapshot!.split('\n').some((l) => l.trimStart().startsWith(`${argProc.pid} `) && l.includes('gpj.\\u202Eexe\\u2066\\u200B\\n')),
    );
    assert.ok(text.ps!.split('\n').some((l) => l.includes(`${argProc.pid}`) && l.includes('gpj.\\u202Eexe\\u2066\\u200B')));
    assert.match(text['show ' + argProc.pid]!, /gpj\.\\u202Eexe\\u2066\\u200B\\n/);
    assert.match(text[`ipc --pid ${spoof.pid}`]!, /a\\u202Eb\\nc\(\d+\)/);
    // JSON: the exact strings.
    const snap = JSON.parse(bundle(['snapshot', '--json']).stdout) as { processes: { pid: number; name: string; cmdline: string[] }[] };
    assert.equal(snap.processes.find((p) => p.pid === spoof.pid)!.name, NAME);
    assert.equal(snap.processes.find((p) => p.pid === argProc.pid)!.cmdline.at(-1), ARG);
  });
});

describe('ps with its second reading thread', () => {
  it('prints byte for byte what one thread prints, table and --json, and the bundled thread read runs of its own', () => {
    // About 420 entries: 14 runs of 32, read by both threads from the start under PROCSCOPE_PS_READERS=2.
    const root = fixtureTree(400);
    for (const json of [[], ['--json']]) {
      const one = bundle(['ps', '--proc-root', root, ...json], { env: { PROCSCOPE_PS_READERS: '1' } });
      const two = bundle(['ps', '--proc-root', root, ...json], { env: { PROCSCOPE_PS_READERS: '2' } });
      assert.equal(one.status, 0, one.stderr);
      assert.equal(two.status, 0, two.stderr);
      assert.equal(two.stdout, one.stdout);
      assert.ok(one.stdout.includes('p 2399'), 'the bulk processes are in the table');
      const said = /^procscope: the second reading thread read (\d+) of (\d+) runs of 32 processes .*\n/m.exec(two.stderr);
      assert.ok(said, two.stderr);
      assert.ok(Number(said[2]) >= 13, said[0]);
      assert.ok(Number(said[1]) > 0, 'the worker thread (the reader bundled into a string) read at least one run');
      assert.equal(two.stderr.replace(said[0], ''), one.stderr, 'the same notes otherwise');
      assert.ok(!/second reading thread/.test(one.stderr));
    }
  });
});

describe('--version and help', () => {
  it('prints the package version', () => {
    const r = bundle(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `procscope ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('gives the same detailed help through `help <command>` and `<command> --help`', () => {
    for (const name of ['snapshot', 'ps', 'show', 'ipc', 'ipcs', 'locks']) {
      const a = bundle(['help', name]);
      const b = bundle([name, '--help']);
      assert.equal(a.status, 0);
      assert.equal(b.status, 0);
      assert.equal(a.stdout, b.stdout, name);
      assert.match(a.stdout, new RegExp(`^usage: procscope ${name}`));
      assert.match(a.stdout, /--proc-root/);
    }
    const unknown = bundle(['help', 'frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });
});

describe('ipc --kind, --all-kinds and the ipcs table', () => {
  let holder: Started;
  let shmKey: string;
  let shmId: number;
  before(async () => {
    // A unix socket pair, a pipe (both ends its own: node gives a child's stdout as a socket, so no pipe comes
    // from this test), an epoll set and a SysV shared memory segment it attaches and marks for removal, so the
    // kernel frees it when the process ends.
    holder = await python(
      [
        'import ctypes, os, select, socket, time, signal',
        'signal.alarm(120)',
        'libc = ctypes.CDLL(None, use_errno=True)',
        'libc.shmat.restype = ctypes.c_void_p',
        'key = 0x5ca1ab1e',
        'shmid = libc.shmget(key, 65536, 0o1640)',
        'assert shmid >= 0, ctypes.get_errno()',
        'assert libc.shmat(shmid, None, 0) != ctypes.c_void_p(-1).value',
        'a, b = socket.socketpair()',
        'r, w = os.pipe()',
        'ep = select.epoll()',
        'print(f"ready {shmid}", flush=True)',
        'time.sleep(110)',
        'libc.shmctl(shmid, 0, None)',
      ].join('\n'),
    );
    started.push(holder);
    shmId = Number(holder.firstLine.split(' ')[1]);
    shmKey = '0x5ca1ab1e';
  });
  after(() => {
    spawnSync('ipcrm', ['-m', String(shmId)]);
  });

  it('shows only the kinds asked for', () => {
    const r = bundle(['ipc', '--pid', String(holder.pid), '--kind', 'unix', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const kinds = new Set((JSON.parse(r.stdout) as { channels: { kind: string }[] }).channels.map((c) => c.kind));
    assert.deepEqual([...kinds], ['unix']);
    const both = JSON.parse(bundle(['ipc', '--pid', String(holder.pid), '--kind', 'pipe,sysv-shm', '--json']).stdout) as {
      channels: { kind: string }[];
    };
    assert.deepEqual([...new Set(both.channels.map((c) => c.kind))].sort(), ['pipe', 'sysv-shm']);
    const bad = bundle(['ipc', '--kind', 'pipe,smoke-signal']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown kind 'smoke-signal'/);
  });

  it('hides a one-process epoll set unless --all-kinds or --kind names it', () => {
    const kindsOf = (args: string[]): string[] =>
      (JSON.parse(bundle(['ipc', '--pid', String(holder.pid), '--json', ...args]).stdout) as { channels: { kind: string }[] }).channels.map(
        (c) => c.kind,
      );
    assert.ok(!kindsOf([]).includes('epoll'));
    assert.ok(kindsOf([]).includes('unix'));
    assert.ok(kindsOf(['--all-kinds']).includes('epoll'));
    assert.deepEqual(kindsOf(['--kind', 'epoll']), ['epoll']);
    const text = bundle(['ipc', '--pid', String(holder.pid)]).stdout;
    assert.match(text, /note: 1 single-process object\(s\) .* --all-kinds shows them/);
  });

  it('lists the SysV segment like ipcs: key, id, owner, perms, users', () => {
    for (const args of [['ipcs'], ['ipc', '--sysv']]) {
      const r = bundle(args);
      assert.equal(r.status, 0, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.startsWith(shmKey));
      assert.ok(line, r.stdout);
      const cells = line.split(/\s+/);
      assert.deepEqual(cells.slice(0, 6), [shmKey, String(shmId), 'root', '640', '65536', '1']);
      assert.match(line, new RegExp(`python3\\(${holder.pid}\\) attached`));
    }
    const json = JSON.parse(bundle(['ipcs', '--json']).stdout) as {
      kind: string;
      key: string;
      id: number;
      owner: string;
      perms: string;
      users: { pid: number }[];
    }[];
    const row = json.find((x) => x.id === shmId)!;
    assert.deepEqual([row.kind, row.key, row.owner, row.perms], ['sysv-shm', shmKey, 'root', '640']);
    assert.ok(row.users.some((u) => u.pid === holder.pid));
  });
});
