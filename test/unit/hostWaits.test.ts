// The panel backend's wait questions, in its worker thread and in-thread, on processes this test starts:
// `sleep | cat` (cat reads an empty pipe only sleep can write), and two cats deadlocked through a FIFO and a
// pipe (each reads what only the other writes).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ProcScopeError } from '../../src/core/errors';
import { createBackend, type PanelBackend } from '../../src/extension/backend';
import { IPC_REUSE_MS, recentIpc } from '../../src/worker/waitsQuery';
import type { IpcMap } from '../../src/core/ipc/model';

const shells: ChildProcess[] = [];
const backends: [string, PanelBackend][] = [];
let dir = '';
let sleepPid = 0;
let catPid = 0;
let loop: [number, number] = [0, 0];

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function children(ppid: number): { pid: number; comm: string }[] {
  const out = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(ppid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[0]) > 0)
    .map((f) => ({ pid: Number(f[0]), comm: f[1] ?? '' }));
}

/** Blocked in read(2): fd 0's syscall line starts with read's number and fd 0 (or the FIFO's fd for `cat p`). */
function inRead(pid: number): boolean {
  try {
    const f = readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ');
    return f[0] === (process.arch === 'arm64' ? '63' : '0');
  } catch {
    return false;
  }
}

function keyOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return `${pid}@${text.slice(text.lastIndexOf(')') + 2).split(' ')[19]}`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'procscope-waits-'));
  const a = spawn('sh', ['-c', 'sleep 300 | cat'], { stdio: 'ignore', detached: true });
  shells.push(a);
  [sleepPid, catPid] = await until('sleep and cat', () => {
    const k = children(a.pid!);
    const s = k.find((c) => c.comm === 'sleep');
    const c = k.find((c) => c.comm === 'cat');
    return s && c && inRead(c.pid) ? [s.pid, c.pid] : undefined;
  });
  // The first cat reads the FIFO, which only the second writes; the second reads the pipe only the first writes.
  const b = spawn('sh', ['-c', 'mkfifo p && cat p | cat > p'], { stdio: 'ignore', detached: true, cwd: dir });
  shells.push(b);
  loop = await until('the two cats blocked', () => {
    const k = children(b.pid!)
      .filter((c) => c.comm === 'cat')
      .map((c) => c.pid)
      .sort((x, y) => x - y);
    return k.length === 2 && k.every(inRead) ? [k[0]!, k[1]!] : undefined;
  });
  backends.push([
    'worker thread',
    createBackend({ evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});` }),
  ]);
  backends.push(['in-thread fallback', createBackend('/nonexistent/panelWorker.js')]);
});

after(() => {
  for (const [, b] of backends) b.dispose();
  for (const s of shells) if (s.pid) process.kill(-s.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

for (const name of ['worker thread', 'in-thread fallback']) {
  const backend = () => backends.find(([n]) => n === name)![1];

  test(`${name}: cat reading an empty pipe waits for sleep, the pipe's only writer`, async () => {
    const r = await backend().waits(catPid, keyOf(catPid));
    assert.equal(r.key, keyOf(catPid));
    const th = r.threads.find((t) => t.tid === catPid);
    assert.ok(th, "cat's thread is listed");
    assert.equal(th.waitingFor?.kind, 'pipe');
    assert.deepEqual(th.waitingFor?.holder, { pid: sleepPid, tid: null });
    assert.equal(r.names[String(sleepPid)], 'sleep', 'the holder is named');
    assert.deepEqual(r.cycles, []);
    // Asked twice, the second look reads syscall files from the cache: same answer.
    assert.deepEqual((await backend().waits(catPid, keyOf(catPid))).threads, r.threads);
  });

  test(`${name}: after an IPC scan, the waits answer names holders from that scan, the same ones`, async () => {
    await backend().scanIpc();
    const r = await backend().waits(catPid, keyOf(catPid));
    assert.deepEqual(r.threads.find((t) => t.tid === catPid)?.waitingFor?.holder, { pid: sleepPid, tid: null });
  });

  test(`${name}: the two cats are one cycle, in the answer for either of them`, async () => {
    for (const pid of loop) {
      const r = await backend().waits(pid, keyOf(pid));
      const other = loop.find((p) => p !== pid)!;
      assert.deepEqual(r.threads.find((t) => t.tid === pid)?.waitingFor?.holder, { pid: other, tid: null });
      assert.deepEqual(
        r.cycles.map((c) => c.map((n) => n.pid).sort((x, y) => x - y)),
        [[...loop]],
      );
    }
  });

  test(`${name}: waitsOverview names the cycle's members by key, only for the pids asked about`, async () => {
    const all = (await backend().waitsOverview(null)).cycles;
    const ours = all.filter((c) => c.members.some((m) => loop.includes(m.pid)));
    assert.equal(ours.length, 1);
    assert.deepEqual(ours[0]!.members.map((m) => m.key).sort(), loop.map(keyOf).sort());
    assert.deepEqual(
      ours[0]!.members.map((m) => m.name),
      ['cat', 'cat'],
    );
    assert.equal((await backend().waitsOverview([...loop])).cycles.length, 1);
    // Only the asked-about processes are probed: sleep and cat of the other group form no cycle.
    assert.deepEqual((await backend().waitsOverview([sleepPid, catPid])).cycles, []);
  });

  test(`${name}: waitsOverview says in brief what each blocked thread of the asked-about pids waits for`, async () => {
    const o = await backend().waitsOverview([catPid, ...loop]);
    assert.deepEqual(
      [...new Set(o.threads.map((t) => t.pid))].sort((x, y) => x - y),
      [catPid, ...loop].sort((x, y) => x - y),
    );
    const cat = o.threads.find((t) => t.tid === catPid)!;
    assert.deepEqual([cat.key, cat.name, cat.kind, cat.holderCount], [keyOf(catPid), 'cat', 'pipe', 1]);
    assert.deepEqual(cat.holders, [{ pid: sleepPid, tid: null, name: 'sleep' }]);
    for (const pid of loop) {
      const other = loop.find((p) => p !== pid)!;
      assert.deepEqual(
        o.threads.find((t) => t.tid === pid)?.holders.map((h) => h.pid),
        [other],
      );
    }
    // sleep itself was not asked about: not listed, though it sleeps.
    assert.ok(!o.threads.some((t) => t.pid === sleepPid));
  });

  test(`${name}: a key of another start time is refused`, async () => {
    const key = keyOf(catPid);
    const start = Number(key.split('@')[1]);
    await assert.rejects(
      backend().waits(catPid, `${catPid}@${start - 1}`),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'NO_SUCH_PROCESS' && /another process/.test(e.message),
    );
    await assert.rejects(
      backend().waits(catPid, `${catPid + 1}@${start}`),
      (e: unknown) => e instanceof ProcScopeError && e.code === 'BAD_REQUEST',
    );
  });
}

test("the webview's waits request is checked like the others: pid, key of that pid, nothing else", async () => {
  const { validateMessage } = await import('../../src/extension/validate');
  const key = keyOf(catPid);
  const ok = validateMessage({ type: 'request', requestId: 1, request: { kind: 'waits', pid: catPid, key } });
  assert.deepEqual(ok, { ok: true, message: { type: 'request', requestId: 1, request: { kind: 'waits', pid: catPid, key } } });
  const extra = validateMessage({ type: 'request', requestId: 2, request: { kind: 'waits', pid: catPid, key, all: true } });
  assert.equal(extra.ok, false);
  const wrongPid = validateMessage({ type: 'request', requestId: 3, request: { kind: 'waits', pid: sleepPid, key } });
  assert.equal(wrongPid.ok, false);
});

test('an IPC scan is reused for a selected process only while it is recent', () => {
  const map = { timestamp: 1_000_000 } as IpcMap;
  assert.equal(recentIpc(map, 1_000_000 + IPC_REUSE_MS), map);
  assert.equal(recentIpc(map, 1_000_000 + IPC_REUSE_MS + 1), undefined);
  assert.equal(recentIpc(undefined, 0), undefined);
});
