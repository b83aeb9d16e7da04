// `procscope ipc` and `procscope locks` through the real CLI entry, on live scenarios.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTwoThreads } from './helpers';
import { compileDemo, removeDir, startDemo, until, type Compiled } from './ipcHelpers';

const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
let demo: Compiled;

before(() => {
  demo = compileDemo();
});
after(() => {
  removeDir(demo.dir);
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonEndpoint {
  pid: number;
  fd: number | null;
  role: string;
  processName: string;
}
interface JsonChannel {
  kind: string;
  id: string;
  endpoints: JsonEndpoint[];
}

test("ipc --json --pid: only that process's channels, each with its other end", async (t) => {
  const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'readFd', 'writeFd', 'inode']);
  t.after(() => d.kill());
  const f = d.facts as Record<string, number>;
  const r = cli('ipc', '--json', '--pid', String(f.child));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { channels: JsonChannel[]; deadlocks: unknown[]; warnings: string[] };
  assert.ok(Array.isArray(out.deadlocks));
  assert.ok(out.channels.length > 0);
  assert.ok(
    out.channels.every((c) => c.endpoints.some((e) => e.pid === f.child)),
    'every channel touches the pid',
  );
  const pipe = out.channels.find((c) => c.id === `pipe:${f.inode}`)!;
  assert.deepEqual(
    pipe.endpoints.map((e) => [e.pid, e.fd, e.role, e.processName]),
    [
      [f.parent, f.readFd, 'read', 'ipcdemo'],
      [f.child, f.writeFd, 'write', 'ipcdemo'],
    ],
  );
});

test('ipc (table): one line per channel, its endpoints below', async (t) => {
  const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'readFd', 'writeFd', 'inode']);
  t.after(() => d.kill());
  const f = d.facts as Record<string, number>;
  const r = cli('ipc', '--pid', String(f.parent));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const at = lines.findIndex((l) => l === `pipe       pipe ${f.inode}`);
  assert.ok(at > 0, r.stdout);
  assert.deepEqual(lines.slice(at + 1, at + 3), [
    `             ipcdemo(${f.parent}) fd ${f.readFd} read`,
    `             ipcdemo(${f.child}) fd ${f.writeFd} write`,
  ]);
  assert.match(lines.at(-2) ?? '', /^\d+ channel\(s\), 0 deadlock\(s\); scan [\d.]+ ms$/);
});

test('locks: the holder, the waiter, who waits for whom, and the deadlock cycle', async (t) => {
  const a = join(demo.dir, 'cli-a');
  const b = join(demo.dir, 'cli-b');
  const d = await startDemo(demo.binary, ['deadlock', a, b], ['parent', 'child', 'parentA', 'parentB', 'childA', 'childB']);
  t.after(() => d.kill());
  const f = d.facts as Record<string, number>;
  const out = await until(() => {
    const r = cli('locks');
    return r.stdout.includes('DEADLOCK') && r.stdout.includes(String(f.parent)) ? r : undefined;
  }, 'the cycle in procscope locks');
  assert.equal(out.status, 0);
  assert.ok(
    out.stdout.includes(
      `FLOCK   WRITE  0-EOF         ${a}\n                             held by: ipcdemo(${f.parent}) fd ${f.parentA} holder\n                             waiting: ipcdemo(${f.child}) fd ${f.childA} waiter`,
    ),
    out.stdout,
  );
  assert.ok(out.stdout.includes(`  ipcdemo(${f.child}) waits for ipcdemo(${f.parent})`));
  const lo = Math.min(f.parent!, f.child!);
  const hi = Math.max(f.parent!, f.child!);
  assert.ok(out.stdout.includes(`  ipcdemo(${lo}) -> ipcdemo(${hi}) -> ipcdemo(${lo})  files: `), out.stdout);

  const json = JSON.parse(cli('locks', '--json').stdout) as { locks: { path: string }[]; deadlocks: { pids: number[]; files: string[] }[] };
  const cycle = json.deadlocks.find((x) => x.pids.includes(f.parent!))!;
  assert.deepEqual([...cycle.files].sort(), [a, b]);
  assert.ok(json.locks.some((l) => l.path === a) && json.locks.some((l) => l.path === b));
});

test("ipc --pid of another user's process, run unprivileged: what is known is printed, exit 4", async (t) => {
  const d = await startDemo(demo.binary, ['pipe'], ['parent', 'child', 'inode']);
  t.after(() => d.kill());
  const f = d.facts as Record<string, number>;
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ipc', '--json', '--pid', String(f.parent)], {
    encoding: 'utf8',
    uid: 65534,
    gid: 65534,
    env: { ...process.env, HOME: '/tmp' },
  });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`permission denied: the fds of process ${f.parent} could not be read`));
  const out = JSON.parse(r.stdout) as { unavailablePids: number[]; channels: JsonChannel[] };
  assert.ok(out.unavailablePids.includes(f.parent!));
  assert.equal(
    out.channels.some((c) => c.id === `pipe:${f.inode}`),
    false,
    'nothing is guessed about its pipe',
  );
});

test('bad input: a non-numeric pid is a usage error (2), a missing pid exits 3', () => {
  const bad = cli('ipc', '--pid', '12<b>');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--pid must be a positive integer, got '12<b>'/);
  // A negative number is taken as the option's value (and refused as one), not as an option of its own.
  const negative = cli('ipc', '--pid', '-1');
  assert.equal(negative.status, 2);
  assert.match(negative.stderr, /--pid must be a positive integer, got '-1'/);
  const gone = cli('ipc', '--pid', '4194304');
  assert.equal(gone.status, 3);
  assert.match(gone.stderr, /no process 4194304/);
  assert.equal(cli('ipc', '--maps', 'sometimes').status, 2);
});

test('--kind naming no kind (empty, or only commas) is a usage error that lists the kinds', () => {
  for (const args of [
    ['--kind', ''],
    ['--kind', ','],
    ['--kind=', '--json'],
    ['--kind', ' , ,'],
  ]) {
    const r = cli('ipc', ...args);
    assert.equal(r.status, 2, JSON.stringify(args));
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^procscope: --kind needs at least one kind \(kinds: pipe,fifo,unix,tcp,udp,[a-z,-]+,lock\)\n\nusage: procscope ipc /,
    );
  }
  const ko = cli('ipc', '--kind', ',', '--lang', 'ko');
  assert.equal(ko.status, 2);
  assert.match(ko.stderr, /^procscope: --kind에는 종류가 하나 이상 필요합니다 \(종류: pipe,/);
});

test('--pid of a thread (LWP) is refused with the process it belongs to, as show refuses it', async (t) => {
  // A real process with a pipe and a second thread: the process has channels, its thread id is not a process.
  const { process: p, tid } = await startTwoThreads(true);
  t.after(() => p.kill());
  for (const extra of [[], ['--json']]) {
    const r = cli('ipc', '--pid', String(tid), ...extra);
    assert.equal(r.status, 3, r.stdout);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `procscope: ${tid} is a thread (LWP) of process ${p.pid}, not a process; pass --pid ${p.pid} instead\n`);
  }
  const ko = cli('ipc', '--pid', String(tid), '--lang', 'ko');
  assert.equal(ko.status, 3);
  assert.equal(
    ko.stderr,
    `procscope: ${tid}은(는) 프로세스 ${p.pid}의 스레드(LWP)이며 프로세스가 아닙니다; 대신 --pid ${p.pid}을(를) 주세요\n`,
  );
  const own = cli('ipc', '--pid', String(p.pid), '--json', '--no-ss');
  assert.equal(own.status, 0, own.stderr);
  const channels = (JSON.parse(own.stdout) as { channels: JsonChannel[] }).channels;
  assert.ok(
    channels.some((c) => c.kind === 'pipe' && c.endpoints.some((e) => e.pid === p.pid)),
    'the process itself has its pipe',
  );
});
