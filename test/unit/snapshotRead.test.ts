// `procscope snapshot`'s one-shot reader (src/core/snapshotRead.ts) and its piecewise JSON against what the
// command printed before them: a first poll of the panel's sampler, JSON.stringify'd whole. Same bytes on a
// fixture tree holding every edge case and on the captured edge tree; the same values for real processes
// this test starts (threads, a zombie, a pipe between two) on the live /proc.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { ProcSampler } from '../../src/core/sampler';
import { readSnapshot, readSnapshotSystem } from '../../src/core/snapshotRead';
import { renderTree, run, toJson } from '../../src/cli/snapshot';
import { fixtureTree, removeFixtureTrees } from './procTreeFixture';

after(removeFixtureTrees);

function sampled(root: string, threads: boolean): Snapshot {
  const sampler = new ProcSampler({ procRoot: root });
  try {
    return sampler.pollSync({ threads: threads ? 'all' : 'none' });
  } finally {
    sampler.dispose();
  }
}

/** The command's output, stdout and stderr, as the user sees it. */
async function command(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The only field two readings of a fixture tree may differ in. */
function sameTimestamp(json: string, from: string): string {
  const ts = /^ {2}"timestamp": "[^"]*",$/m;
  return json.replace(ts, ts.exec(from)![0]);
}

describe('procscope snapshot reads what a first poll of the sampler gives', () => {
  const root = fixtureTree();
  for (const threads of [true, false]) {
    it(`prints the same JSON and tree on a tree with every edge case (${threads ? 'with threads' : '--no-threads'})`, async () => {
      const args = ['--proc-root', root, ...(threads ? [] : ['--no-threads'])];
      const expected = sampled(root, threads);
      const json = await command([...args, '--json']);
      assert.equal(json.code, 0);
      assert.equal(json.err, '');
      const old = `${JSON.stringify(toJson(expected), null, 2)}\n`;
      assert.equal(sameTimestamp(json.out, old), old);
      const tree = await command(args);
      assert.equal(tree.out, renderTree(expected));
      // The cases are really in it.
      const parsed = JSON.parse(json.out) as { processes: ProcessInfo[]; hidden: unknown };
      const byPid = new Map(parsed.processes.map((p) => [p.pid, p]));
      assert.deepEqual(
        parsed.processes.map((p) => p.pid),
        [...byPid.keys()].sort((a, b) => a - b),
      );
      assert.equal(byPid.get(300)!.leaderZombie, true);
      if (threads) {
        assert.equal(byPid.get(300)!.cmdline!.join(' '), 'from-thread arg');
        assert.equal(byPid.get(200)!.threads!.length, 3);
        assert.deepEqual(
          byPid.get(1100)!.threads!.map((t) => t.tid),
          [1100, 1103],
        );
        assert.ok(byPid.get(1000)!.threads!.length === 0);
      } else assert.equal(byPid.get(200)!.threads, undefined);
      assert.equal(byPid.get(600)!.unavailable!.uid, 'EISDIR: illegal operation on a directory');
      assert.equal(byPid.get(1200)!.cmdline![0], 'a\udcff\x1b[31m');
      assert.deepEqual(parsed.hidden, [
        { count: 1, unit: 'processes', reason: 'unexpected content' },
        { count: 1, unit: 'processes', reason: 'EISDIR: illegal operation on a directory' },
      ]);
    });
  }

  it('prints the same for a tree without processes', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'procscope-snapshot-empty-'));
    try {
      writeFileSync(join(empty, 'stat'), `cpu  1 2 3 4\nbtime ${Math.floor(Date.now() / 1000) - 3600}\n`);
      mkdirSync(join(empty, 'self'));
      const old = `${JSON.stringify(toJson(sampled(empty, true)), null, 2)}\n`;
      const json = await command(['--proc-root', empty, '--json']);
      assert.equal(json.code, 0);
      assert.match(json.out, /"processes": \[\]\n\}\n$/);
      assert.equal(sameTimestamp(json.out, old), old);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('prints the same on the captured edge tree', async () => {
    const edge = join(__dirname, '..', 'fixtures', 'proc', 'edge');
    const old = `${JSON.stringify(toJson(sampled(edge, true)), null, 2)}\n`;
    const json = await command(['--proc-root', edge, '--json']);
    assert.equal(sameTimestamp(json.out, old), old);
  });

  it('gives the same processes and threads as the sampler for real processes it starts', async () => {
    // Sleeping processes hold still between the two readings: a multi-threaded one, a parent with a zombie
    // child, two ends of a pipe, one whose command line holds a byte that is not UTF-8.
    const children: ChildProcess[] = [];
    const start = (cmd: string, args: string[]): ChildProcess => {
      const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      return c;
    };
    const ready = (c: ChildProcess): Promise<void> =>
      new Promise((resolve, reject) => {
        c.stdout!.once('data', () => resolve());
        c.once('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
    try {
      const threaded = start('python3', [
        '-c',
        'import threading, time\nfor i in range(3): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\nprint("ready", flush=True)\ntime.sleep(60)',
      ]);
      const zombieParent = start('python3', [
        '-c',
        'import os, time\nif os.fork() == 0: os._exit(0)\nprint("ready", flush=True)\ntime.sleep(60)',
      ]);
      const piped = start('sh', ['-c', 'echo ready; sleep 60 | sleep 61']);
      const renamed = start('python3', ['-c', 'import os\nprint("ready", flush=True)\nos.execv("/bin/sleep", [b"sl\\xffeep", b"60"])']);
      await Promise.all([ready(threaded), ready(zombieParent), ready(piped), ready(renamed)]);
      await new Promise((r) => setTimeout(r, 200)); // the forked child has exited and is a zombie by now
      const ours = new Set<number>();
      const collect = (procs: readonly ProcessInfo[]): Map<number, ProcessInfo> => {
        const m = new Map<number, ProcessInfo>();
        for (const p of procs) if (ours.has(p.pid) || ours.has(p.ppid)) m.set(p.pid, p);
        return m;
      };
      for (const c of children) ours.add(c.pid!);
      const expected = collect(sampled('/proc', true).processes);
      const system = readSnapshotSystem('/proc');
      const got: ProcessInfo[] = [];
      readSnapshot('/proc', system, { threads: true }, (p) => got.push(p));
      const own = collect(got);
      // threaded, zombie parent, its zombie, sh, two sleeps, the renamed sleep.
      assert.ok(expected.size >= 7, `${expected.size} processes of ours`);
      assert.deepEqual([...own.keys()].sort(), [...expected.keys()].sort());
      for (const [pid, p] of expected) assert.deepEqual(own.get(pid), p, `process ${pid}`);
      assert.equal(own.get(threaded.pid!)!.threads!.length, 4);
      assert.ok([...own.values()].some((p) => p.state === 'Z' && p.ppid === zombieParent.pid));
      assert.deepEqual(own.get(renamed.pid!)!.cmdline, ['sl\udcffeep', '60']);
      assert.deepEqual(
        got.map((p) => p.pid),
        got.map((p) => p.pid).sort((a, b) => a - b),
      );
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
  });
});
