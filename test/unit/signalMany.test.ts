// "Kill process tree" and "Kill process group" on real processes this test starts: a shell with children and
// grandchildren, beside unrelated processes. The members come from a real snapshot; each is signalled only
// after its identity is re-checked, so a member whose key no longer matches is skipped and counted.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { ProcessInfo } from '../../src/core/model';
import { ProcSampler } from '../../src/core/sampler';
import { firstNames, groupMembers, signalMembers, treeMembers } from '../../src/extension/signalMany';

const started: ChildProcess[] = [];
const strays = new Set<number>();
after(() => {
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill(0): count it as ended (its parent has not reaped it yet).
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function snapshot(): ProcessInfo[] {
  const sampler = new ProcSampler();
  try {
    return [...sampler.pollSync({ threads: 'none' }).processes];
  } finally {
    sampler.dispose();
  }
}

/** Starts `sh -c script` (in its own process group when detached) and waits until `count` descendants run. */
async function startTree(script: string, count: number, detached: boolean): Promise<{ root: ChildProcess; members: () => ProcessInfo[] }> {
  const root = spawn('sh', ['-c', script], { stdio: 'ignore', detached });
  started.push(root);
  const under = (procs: ProcessInfo[]): ProcessInfo[] => {
    const out = new Set<number>([root.pid!]);
    for (let grew = true; grew;) {
      grew = false;
      for (const p of procs)
        if (!out.has(p.pid) && out.has(p.ppid)) {
          out.add(p.pid);
          grew = true;
        }
    }
    return procs.filter((p) => out.has(p.pid));
  };
  for (let i = 0; i < 200; i++) {
    const found = under(snapshot());
    // Every descendant has exec'd sleep (a forked subshell still shows as sh until then).
    if (
      found.length === count + 1 &&
      found.filter((p) => p.name === 'sleep').length === count - found.filter((p) => p.name === 'sh').length + 1
    ) {
      for (const p of found) strays.add(p.pid);
      return { root, members: () => under(snapshot()) };
    }
    await sleep(25);
  }
  throw new Error(`the tree of ${script} did not reach ${count} descendants`);
}

// sh ─┬─ sleep
//     └─ sh ─┬─ sleep
//            └─ sleep
const TREE = 'sleep 300 & (sleep 301 & sleep 302 & wait) & wait';

test('the tree is the target and its descendants, leaves before their parents', async () => {
  const { root } = await startTree(TREE, 4, false);
  const procs = snapshot();
  const rootInfo = procs.find((p) => p.pid === root.pid)!;
  const members = treeMembers(procs, rootInfo.key);
  assert.equal(members.length, 5);
  assert.equal(members.at(-1)!.pid, root.pid, 'the target is signalled last');
  const index = new Map(members.map((m, i) => [m.pid, i]));
  for (const m of members) {
    if (m.pid === root.pid) continue;
    assert.ok(index.get(m.ppid)! > index.get(m.pid)!, `${m.pid} comes before its parent ${m.ppid}`);
  }
  assert.deepEqual(treeMembers(procs, `${root.pid}@1`), [], 'a key not in the snapshot names no one');
});

test('kill tree signals exactly the tree and leaves unrelated processes alive', async () => {
  const { root } = await startTree(TREE, 4, false);
  const { root: bystander, members: bystanders } = await startTree('sleep 303 & wait', 1, false);
  const procs = snapshot();
  const members = treeMembers(procs, procs.find((p) => p.pid === root.pid)!.key);
  const result = await signalMembers(members, 'SIGKILL');
  // Leaves go first; a shell whose `wait` returned because its children died may exit before its own turn
  // (then it counts as gone): every member got the signal or had already ended, and the three leaves got it.
  assert.equal(result.total, 5);
  assert.equal(result.sent + result.gone, 5, JSON.stringify(result));
  assert.ok(result.sent >= 3, JSON.stringify(result));
  for (let i = 0; i < 100 && members.some((m) => alive(m.pid)); i++) await sleep(20);
  for (const m of members) assert.equal(alive(m.pid), false, `${m.pid} ${m.name} ended`);
  assert.equal(alive(bystander.pid!), true);
  for (const p of bystanders()) assert.equal(alive(p.pid), true, `bystander ${p.pid} still runs`);
});

test('a member whose identity changed is skipped and counted, the others are signalled', async () => {
  const { root } = await startTree(TREE, 4, false);
  const procs = snapshot();
  const members = treeMembers(procs, procs.find((p) => p.pid === root.pid)!.key);
  // The first leaf's key as if its pid now belonged to a process started at another time.
  const stale = members[0]!;
  const [pid, start] = stale.key.split('@');
  const altered = members.map((m) => (m === stale ? { ...m, key: `${pid}@${Number(start) + 1}` } : m));
  const result = await signalMembers(altered, 'SIGKILL');
  // The stale key is skipped (its process still runs); the other three below the root get the signal; the
  // root may exit by itself once its children are gone (its `wait` returns) and then counts as gone too.
  assert.equal(result.total, 5);
  assert.equal(result.sent + result.gone, 5, JSON.stringify(result));
  assert.ok(result.sent >= 3 && result.gone >= 1, JSON.stringify(result));
  for (let i = 0; i < 100 && members.slice(1).some((m) => alive(m.pid)); i++) await sleep(20);
  assert.equal(alive(stale.pid), true, 'the process under the stale key received nothing');
  for (const m of members.slice(1)) assert.equal(alive(m.pid), false, `${m.pid} ended`);
});

test('a member that exited before its turn counts as gone', async () => {
  const { root } = await startTree(TREE, 4, false);
  const procs = snapshot();
  const members = treeMembers(procs, procs.find((p) => p.pid === root.pid)!.key);
  process.kill(members[0]!.pid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(members[0]!.pid); i++) await sleep(20);
  const result = await signalMembers(members, 'SIGTERM');
  assert.equal(result.sent + result.gone, 5);
  assert.ok(result.gone >= 1, JSON.stringify(result));
});

test("the group is the processes sharing the target's pgid, not its tree: a setsid child is left out", async () => {
  // sh (own group) ─┬─ sleep          (same group)
  //                 └─ setsid sleep   (a new session and group)
  const { root, members: tree } = await startTree('sleep 304 & setsid sleep 305 & wait', 2, true);
  const procs = snapshot();
  const rootInfo = procs.find((p) => p.pid === root.pid)!;
  assert.equal(rootInfo.pgid, root.pid, 'detached: the shell leads its own group');
  const outsider = tree().find((p) => p.pgid !== rootInfo.pgid)!;
  assert.ok(outsider, 'the setsid child left the group');
  const group = groupMembers(procs, rootInfo.key);
  assert.deepEqual(
    group.map((p) => p.pid).sort((a, b) => a - b),
    tree()
      .filter((p) => p.pgid === rootInfo.pgid)
      .map((p) => p.pid)
      .sort((a, b) => a - b),
  );
  assert.equal(group.length, 2);
  assert.equal(group.at(-1)!.pid, root.pid, 'the shell, highest in the tree, comes last');
  const result = await signalMembers(group, 'SIGKILL');
  assert.deepEqual(result, { total: 2, sent: 2, gone: 0, denied: 0, failed: 0 });
  for (let i = 0; i < 100 && group.some((m) => alive(m.pid)); i++) await sleep(20);
  for (const m of group) assert.equal(alive(m.pid), false);
  assert.equal(alive(outsider.pid), true, 'the setsid child was not signalled');
});

test("the dialog's names are visible text", () => {
  assert.deepEqual(
    firstNames(
      [
        { pid: 1, name: 'a\nb' },
        { pid: 2, name: 'x\udcff' },
        { pid: 3, name: 'c' },
      ],
      2,
    ),
    ['1 a\\nb', '2 x\\xff'],
  );
});
