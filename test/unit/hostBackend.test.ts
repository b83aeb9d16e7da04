// The panel's backend (tick = poll + delta + workspace scope, IPC map, PCB detail), in its worker thread and
// in-thread, on processes this test starts: a shell piping `sleep` into `cat` inside a temp workspace folder.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ProcScopeError } from '../../src/core/errors';
import { createBackend, type PanelBackend } from '../../src/extension/backend';
import type { ScopeContext } from '../../src/worker/protocol';
import { quietScope } from '../../src/worker/vscodeProcesses';

let shell: ChildProcess | undefined;
const lates: ChildProcess[] = [];
let ws = '';
const backends: [string, PanelBackend][] = [];

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function childPids(ppid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(ppid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0);
}

const scope = (): ScopeContext =>
  quietScope({
    terminals: [{ pid: shell!.pid!, name: 'sh' }],
    folders: [{ path: ws, name: 'proj' }],
  });

let kids: number[] = [];

before(async () => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-backend-ws-')));
  // `sleep | cat`: two children of the shell joined by one pipe (sleep writes, cat reads).
  shell = spawn('sh', ['-c', 'sleep 300 | cat'], { stdio: 'ignore', detached: true, cwd: tmpdir() });
  kids = await until('both children', () => {
    const k = childPids(shell!.pid!);
    return k.length === 2 ? k : undefined;
  });
  // The TypeScript worker entry through tsx's require hook; the extension loads the built dist/panelWorker.js.
  backends.push([
    'worker thread',
    createBackend({ evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});` }),
  ]);
  backends.push(['in-thread fallback', createBackend('/nonexistent/panelWorker.js')]);
});

after(() => {
  for (const [, b] of backends) b.dispose();
  if (shell?.pid) process.kill(-shell.pid, 'SIGKILL');
  for (const l of lates) if (l.pid) process.kill(l.pid, 'SIGKILL');
  rmSync(ws, { recursive: true, force: true });
});

for (const name of ['worker thread', 'in-thread fallback']) {
  const backend = () => backends.find(([n]) => n === name)![1];

  test(`${name}: a full snapshot first, then deltas; membership only when it changes`, async () => {
    const first = await backend().tick({ threads: [shell!.pid!], full: true, scope: scope() });
    assert.equal(first.kind, 'snapshot');
    if (first.kind !== 'snapshot') return;
    const sh = first.snapshot.processes.find((p) => p.pid === shell!.pid);
    assert.equal(sh?.threads?.length, 1, 'threads read for the watched pid');
    assert.deepEqual(
      first.members.filter((m) => [shell!.pid, ...kids].includes(m.pid)).map((m) => m.label),
      ['Terminal: sh', 'Terminal: sh', 'Terminal: sh'],
    );
    const quiet = await backend().tick({ threads: [], full: false, scope: scope() });
    assert.equal(quiet.kind, 'delta');
    assert.equal(quiet.kind === 'delta' && quiet.members, undefined, 'no membership when nothing changed');
    // A new process inside the folder: it appears in the delta and in the membership.
    const late = spawn('sleep', ['300'], { cwd: ws, stdio: 'ignore' });
    lates.push(late);
    const next = await backend().tick({ threads: [], full: false, scope: scope() });
    assert.equal(next.kind, 'delta');
    if (next.kind !== 'delta') return;
    assert.ok(
      next.delta.added.some((p) => p.pid === late.pid),
      'the new process is in delta.added',
    );
    assert.deepEqual(
      next.members?.find((m) => m.pid === late.pid),
      { pid: late.pid, role: 'folder', label: 'Folder: proj' },
    );
  });

  test(`${name}: the IPC map holds the pipe from sleep (write) to cat (read)`, async () => {
    const map = await backend().scanIpc();
    // The pipe the shell made: on fd 1 of one child and fd 0 of the other (other pipes the children inherited
    // from this test's own environment are left aside).
    const pipe = map.channels.find((c) => c.kind === 'pipe' && c.endpoints.some((e) => kids.includes(e.pid) && e.fd === 1));
    assert.ok(pipe, "a pipe channel on a child's stdout");
    const ends = pipe.endpoints
      .filter((e) => kids.includes(e.pid))
      .map((e) => `${e.processName}:fd${e.fd}:${e.role}`)
      .sort();
    assert.deepEqual(ends, ['cat:fd0:read', 'sleep:fd1:write']);
  });

  test(`${name}: detail of a live process, and a clear error for one that exited`, async () => {
    const detail = await backend().detail(shell!.pid!, false);
    assert.equal(detail.pid, shell!.pid);
    assert.equal(detail.name, 'sh');
    assert.deepEqual(detail.cmdline, ['sh', '-c', 'sleep 300 | cat']);
    assert.equal(detail.environ, null);
    const r = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const gone = Number(r.stdout.trim());
    assert.equal(existsSync(`/proc/${gone}`), false);
    await assert.rejects(
      backend().detail(gone, false),
      (error: unknown) => error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS',
    );
  });

  test(`${name}: a detail asked for by key is that process's or an error, never the pid's new holder's`, async () => {
    const pid = shell!.pid!;
    const start = Number(
      readFileSync(`/proc/${pid}/stat`, 'latin1')
        .replace(/^.*\) /s, '')
        .split(' ')[19],
    );
    const live = await backend().detail(pid, true, `${pid}@${start}`);
    assert.equal(live.key, `${pid}@${start}`);
    assert.deepEqual(live.cmdline, ['sh', '-c', 'sleep 300 | cat']);
    // A later incarnation the sampler told apart within one clock tick keeps its key.
    assert.equal((await backend().detail(pid, false, `${pid}@${start}+1`)).key, `${pid}@${start}+1`);
    // The key of the process that held this pid before (another start time): refused, with nothing of the
    // present holder's, environment included.
    await assert.rejects(
      backend().detail(pid, true, `${pid}@${start - 1}`),
      (error: unknown) =>
        error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS' && /is now another process/.test(error.message),
    );
    await assert.rejects(
      backend().detail(pid, false, `${pid + 1}@${start}`),
      (error: unknown) => error instanceof ProcScopeError && error.code === 'BAD_REQUEST',
    );
  });
}
