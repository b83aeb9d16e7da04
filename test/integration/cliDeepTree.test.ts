// A real chain of 2,000 processes, each the child of the last, through dist/cli.js: no command may recurse
// once per level (the text tree of `snapshot` used to throw RangeError from about 2,000 deep).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { buildBundle, bundle } from './cliBundle.helpers';
import { PROGRAMS } from './helpers';

const DEPTH = 2000;
let dir = '';
let chain: ChildProcess | undefined;
let first = 0;
let deepest = 0;

/** How many more processes this user may start: RLIMIT_NPROC (root is not held to it), pid_max, threads-max. */
function processHeadroom(): number {
  const running = spawnSync('ps', ['-e', '--no-headers', '-o', 'pid'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
  const limits = [Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')), Number(readFileSync('/proc/sys/kernel/threads-max', 'utf8'))];
  const nproc = spawnSync('bash', ['-c', 'ulimit -u'], { encoding: 'utf8' }).stdout.trim();
  if (nproc !== 'unlimited' && process.getuid?.() !== 0) limits.push(Number(nproc));
  return Math.min(...limits) - running;
}

/** Depth in the tree `snapshot` draws: steps up the ppid links to a root (pid 1 or 2, or a parent of 0). */
function depthOf(pid: number): number {
  let depth = 0;
  let p = pid;
  for (;;) {
    const stat = readFileSync(`/proc/${p}/stat`, 'latin1');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === 0) return depth;
    depth++;
    p = ppid;
  }
}

before(async () => {
  buildBundle();
  const headroom = processHeadroom();
  assert.ok(headroom > DEPTH + 500, `this machine can start only ${headroom} more processes; the test needs ${DEPTH + 500}`);
  dir = mkdtempSync(join(tmpdir(), 'procscope-deep-'));
  const bin = join(dir, 'deep_chain');
  const cc = spawnSync('cc', ['-O1', '-o', bin, join(PROGRAMS, 'deep_chain.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  chain = spawn(bin, [String(DEPTH)], { stdio: ['ignore', 'pipe', 'inherit'] });
  first = chain.pid!;
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('the chain did not report ready within 300 s')), 300_000);
    chain!.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        clearTimeout(timer);
        resolve(buf.split('\n')[0]!);
      }
    });
  });
  assert.match(line, /^ready \d+$/);
  deepest = Number(line.split(' ')[1]);
});

after(async () => {
  if (first) {
    try {
      process.kill(-first, 'SIGKILL');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 200 && (existsSync(`/proc/${deepest}`) || existsSync(`/proc/${first}`)); i++) await sleep(50);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`a ${DEPTH}-deep process chain`, () => {
  it('is drawn by snapshot, the deepest process at its depth', () => {
    const r = bundle(['snapshot', '--no-threads']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`${deepest} `));
    assert.ok(line, 'the deepest process has a line');
    const expected = depthOf(first) + DEPTH - 1;
    assert.equal(depthOf(deepest), expected);
    assert.match(line, new RegExp(`\\[depth ${expected}\\] `));
    assert.match(line, new RegExp(`deep_chain ${DEPTH}$`));
    // The indentation is capped: no line of the chain grows with its depth.
    const chainLines = r.stdout.split('\n').filter((l) => l.endsWith(`deep_chain ${DEPTH}`));
    assert.equal(chainLines.length, DEPTH);
    assert.ok(Math.max(...chainLines.map((l) => l.length)) < 400);
  });

  it('is listed by snapshot --json and ps', () => {
    const json = bundle(['snapshot', '--json', '--no-threads']);
    assert.equal(json.status, 0, json.stderr);
    const procs = (JSON.parse(json.stdout) as { processes: { pid: number; ppid: number }[] }).processes;
    // Every link is there, each the child of the one before.
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    let links = 1;
    for (let p = byPid.get(deepest); p && p.pid !== first; p = byPid.get(p.ppid)) links++;
    assert.equal(links, DEPTH);
    const ps = bundle(['ps']);
    assert.equal(ps.status, 0, ps.stderr);
    assert.ok(
      ps.stdout.split('\n').some((l) => l.split(/\s+/)[1] === String(deepest)),
      'the deepest pid has a ps row',
    );
  });
});
