// The panel's slow reads (IPC map, PCB detail) from the worker thread, on processes this test starts:
// a shell piping into a child, and a pid that has just exited.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ProcScopeError } from '../../src/core/errors';
import { createSlowReads, type SlowReads } from '../../src/extension/slowReads';

let shell: ChildProcess | undefined;
let reads: SlowReads;
let inThread: SlowReads;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(() => {
  // `sleep | cat`: two children of the shell joined by one pipe (sleep writes, cat reads).
  shell = spawn('sh', ['-c', 'sleep 300 | cat'], { stdio: 'ignore', detached: true });
  // The TypeScript worker entry through tsx's require hook; the extension loads the built dist/ipcWorker.js.
  reads = createSlowReads({ evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/extension/ipcWorker.ts'))});` });
  inThread = createSlowReads('/nonexistent/ipcWorker.js');
});

after(() => {
  reads.dispose();
  inThread.dispose();
  if (shell?.pid) process.kill(-shell.pid, 'SIGKILL');
});

function childPids(ppid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(ppid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

for (const [name, source] of [['worker thread', () => reads], ['in-thread fallback', () => inThread]] as const) {
  test(`${name}: the IPC map holds the pipe from sleep (write) to cat (read)`, async () => {
    const kids = await until('both children', async () => {
      const k = childPids(shell!.pid!);
      return k.length === 2 ? k : undefined;
    });
    const map = await source().scanIpc();
    // The pipe the shell made: on fd 1 of one child and fd 0 of the other (other pipes the children inherited
    // from this test's own environment are left aside).
    const pipe = map.channels.find((c) => c.kind === 'pipe' && c.endpoints.some((e) => kids.includes(e.pid) && e.fd === 1));
    assert.ok(pipe, 'a pipe channel on a child\'s stdout');
    const ends = pipe.endpoints.filter((e) => kids.includes(e.pid)).map((e) => `${e.processName}:fd${e.fd}:${e.role}`).sort();
    assert.deepEqual(ends, ['cat:fd0:read', 'sleep:fd1:write']);
  });

  test(`${name}: detail of a live process, and a clear error for one that exited`, async () => {
    const detail = await source().detail(shell!.pid!, false);
    assert.equal(detail.pid, shell!.pid);
    assert.equal(detail.name, 'sh');
    assert.deepEqual(detail.cmdline, ['sh', '-c', 'sleep 300 | cat']);
    assert.equal(detail.environ, null);
    const r = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const gone = Number(r.stdout.trim());
    assert.equal(existsSync(`/proc/${gone}`), false);
    await assert.rejects(source().detail(gone, false), (error: unknown) => error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS');
  });
}
