// "This workspace" membership, computed from real snapshots of processes this test starts, and from small
// hand-made pid maps for the orderings a live system rarely shows (pid wrap-around, a ppid loop).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ProcSampler } from '../../src/core/sampler';
import type { ProcessInfo, Snapshot } from '../../src/core/model';
import { isInside, membershipSignature, workspaceMembers, type ScopeInput } from '../../src/worker/workspaceScope';

const started: ChildProcess[] = [];
const orphans: number[] = [];
let ws = '';
let outside = '';

function childrenOf(pid: number, snapshot: Snapshot): ProcessInfo[] {
  return snapshot.processes.filter((p) => p.ppid === pid);
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cwdOf = (pid: number): string | null => {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
};

let terminalShell: ChildProcess;
let folderShell: ChildProcess;
let outsideShell: ChildProcess;
let orphan = 0;
let snapshot: Snapshot;

before(async () => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-ws-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-outside-')));
  // A "terminal" shell outside the folder, with a child.
  terminalShell = spawn('sh', ['-c', 'sleep 300 & wait'], { cwd: outside, stdio: 'ignore' });
  // A shell whose cwd is inside the workspace folder, with a child that moved out of it (cd /).
  folderShell = spawn('sh', ['-c', '(cd / && exec sleep 300) & wait'], { cwd: ws, stdio: 'ignore' });
  // A shell outside with a child that moved into the folder: only the child is a member.
  outsideShell = spawn('sh', ['-c', `(cd '${ws}' && exec sleep 300) & wait`], { cwd: outside, stdio: 'ignore' });
  started.push(terminalShell, folderShell, outsideShell);
  // An unrelated process, not a descendant of this test (its parent exits: it is re-parented).
  const r = spawnSync('sh', ['-c', 'sleep 300 >/dev/null 2>&1 & echo $!'], { cwd: outside, encoding: 'utf8' });
  orphan = Number(r.stdout.trim());
  orphans.push(orphan);

  const sampler = new ProcSampler();
  snapshot = await waitFor("the shells' children", () => {
    const s = sampler.pollSync({ threads: 'none' });
    const ready = [terminalShell, folderShell, outsideShell].every((c) => childrenOf(c.pid!, s).some((p) => p.name === 'sleep'));
    return ready && s.processes.some((p) => p.pid === orphan) ? s : undefined;
  });
  sampler.dispose();
});

after(() => {
  for (const c of started) {
    const kids = snapshot ? childrenOf(c.pid!, snapshot).map((p) => p.pid) : [];
    for (const pid of [...kids, c.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function membersFor(extra: Partial<ScopeInput> = {}) {
  return workspaceMembers({
    processes: snapshot.processes,
    hostPid: process.pid,
    installRoot: null,
    terminals: [{ pid: terminalShell.pid!, name: 'bash' }],
    folders: [{ path: ws, name: 'myproject' }],
    cwdOf,
    ...extra,
  });
}

test("a terminal's shell and its child are members, labelled with the terminal", () => {
  const members = membersFor();
  const child = childrenOf(terminalShell.pid!, snapshot)[0]!;
  assert.deepEqual(
    members.find((m) => m.pid === terminalShell.pid),
    { pid: terminalShell.pid, role: 'terminal', label: 'Terminal: bash' },
  );
  assert.deepEqual(
    members.find((m) => m.pid === child.pid),
    { pid: child.pid, role: 'terminal', label: 'Terminal: bash' },
  );
});

test('a shell whose cwd is inside a workspace folder and its child (cwd elsewhere) are both members', () => {
  const members = membersFor();
  const child = childrenOf(folderShell.pid!, snapshot)[0]!;
  assert.equal(cwdOf(child.pid), '/');
  assert.deepEqual(
    members.find((m) => m.pid === folderShell.pid),
    { pid: folderShell.pid, role: 'folder', label: 'Folder: myproject' },
  );
  assert.deepEqual(
    members.find((m) => m.pid === child.pid),
    { pid: child.pid, role: 'folder', label: 'Folder: myproject' },
  );
});

test('a child that moved into the folder is a member; its parent outside is reached only through the host', () => {
  // With an unrelated host pid, only what the folder and terminal explain is in.
  const members = membersFor({ hostPid: orphan });
  const child = childrenOf(outsideShell.pid!, snapshot)[0]!;
  assert.deepEqual(
    members.find((m) => m.pid === child.pid),
    { pid: child.pid, role: 'folder', label: 'Folder: myproject' },
  );
  assert.equal(
    members.find((m) => m.pid === outsideShell.pid),
    undefined,
  );
});

test('the extension host and its descendants are members; an unrelated process is not', () => {
  const members = membersFor();
  assert.deepEqual(
    members.find((m) => m.pid === process.pid),
    { pid: process.pid, role: 'vscode', label: 'VS Code: extension host' },
  );
  // outsideShell is this test's child with no root of its own: it belongs through the "host".
  assert.deepEqual(
    members.find((m) => m.pid === outsideShell.pid),
    { pid: outsideShell.pid, role: 'vscode', label: 'VS Code: extension host' },
  );
  assert.equal(
    members.find((m) => m.pid === orphan),
    undefined,
  );
});

test("the host's ancestors count while they run from the install root, and stop at the first that does not", () => {
  const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
  const parent = byPid.get(process.ppid)!;
  assert.ok(parent.exe, 'the test runner (our parent) is ours: its exe is readable');
  // Claim the parent's own executable folder as the install root: the parent is in, and the walk goes up
  // exactly while the ancestors run from there.
  const installRoot = parent.exe!.slice(0, parent.exe!.lastIndexOf('/'));
  const members = membersFor({ installRoot });
  const expected: number[] = [];
  for (let p = byPid.get(process.ppid); p && p.pid > 1; p = byPid.get(p.ppid)) {
    const under = (p.exe !== null && isInside(p.exe, installRoot)) || (p.cmdline ?? []).some((a) => isInside(a, installRoot));
    if (!under) break;
    expected.push(p.pid);
  }
  assert.ok(expected.includes(process.ppid));
  const ancestors = members
    .filter((m) => m.label === 'VS Code')
    .map((m) => m.pid)
    .sort((a, b) => a - b);
  assert.deepEqual(
    ancestors,
    expected.sort((a, b) => a - b),
  );
  // Without an install root no ancestor is claimed.
  assert.equal(
    membersFor().some((m) => m.label === 'VS Code'),
    false,
  );
});

test('members are sorted by pid, each once, and the signature changes with the membership', () => {
  const members = membersFor();
  const pids = members.map((m) => m.pid);
  assert.deepEqual(
    pids,
    [...new Set(pids)].sort((a, b) => a - b),
  );
  const fewer = membersFor({ terminals: [] });
  assert.notEqual(membershipSignature(fewer), membershipSignature(members));
  assert.equal(membershipSignature(membersFor()), membershipSignature(members));
});

// ---- hand-made pid maps ----

type P = ScopeInput['processes'][number];
const proc = (pid: number, ppid: number, extra: Partial<P> = {}): P => ({
  pid,
  ppid,
  kernelThread: false,
  exe: null,
  cmdline: [],
  ...extra,
});

test('a child with a smaller pid than its parent (pid wrap-around) still belongs', () => {
  const members = workspaceMembers({
    processes: [proc(50, 900), proc(900, 1), proc(1, 0)],
    hostPid: 7,
    installRoot: null,
    terminals: [{ pid: 900, name: 'zsh' }],
  });
  assert.deepEqual(members, [
    { pid: 50, role: 'terminal', label: 'Terminal: zsh' },
    { pid: 900, role: 'terminal', label: 'Terminal: zsh' },
  ]);
});

test('a root pinned by its start time names that process only, not a later one at the same pid', () => {
  const shell = terminalShell.pid!;
  const startTicks = snapshot.processes
    .find((p) => p.pid === shell)!
    .key.split('@')[1]!
    .split('+')[0]!;
  // hostPid 0: no extension host above the shell (this test, which started it, would otherwise be one).
  const asTerminal = (start: string) => membersFor({ hostPid: 0, terminals: [{ pid: shell, name: 'bash', startTicks: start }] });
  assert.deepEqual(
    asTerminal(startTicks).find((m) => m.pid === shell),
    { pid: shell, role: 'terminal', label: 'Terminal: bash' },
  );
  // The terminal, task, debuggee or lab learned of an earlier process at this pid: the live shell is not it.
  const earlier = String(Number(startTicks) - 1);
  assert.equal(
    asTerminal(earlier).find((m) => m.pid === shell),
    undefined,
  );
  for (const kind of ['tasks', 'debuggees', 'labs'] as const) {
    const members = membersFor({ hostPid: 0, terminals: [], [kind]: [{ pid: shell, name: 'x', startTicks: earlier }] });
    assert.equal(
      members.find((m) => m.pid === shell),
      undefined,
      kind,
    );
  }
});

test('a ppid loop ends the walk instead of hanging', () => {
  const members = workspaceMembers({ processes: [proc(10, 11), proc(11, 10), proc(12, 10)], hostPid: 99, installRoot: null });
  assert.deepEqual(members, []);
});

test('the nearest root names a descendant; a pid that is two kinds of root takes the stronger one', () => {
  const members = workspaceMembers({
    processes: [proc(1, 0), proc(100, 1), proc(101, 100), proc(102, 101), proc(103, 102)],
    hostPid: 100,
    installRoot: null,
    terminals: [{ pid: 101, name: 'bash' }],
    tasks: [{ pid: 102, name: 'build' }],
    debuggees: [{ pid: 102, name: 'Launch' }],
  });
  assert.deepEqual(members, [
    { pid: 100, role: 'vscode', label: 'VS Code: extension host' },
    { pid: 101, role: 'terminal', label: 'Terminal: bash' },
    { pid: 102, role: 'debug', label: 'Debug: Launch' },
    { pid: 103, role: 'debug', label: 'Debug: Launch' },
  ]);
});

test('kernel threads are never asked for a cwd; exited roots are ignored; nested folders pick the innermost', () => {
  const asked: number[] = [];
  const members = workspaceMembers({
    processes: [proc(2, 0, { kernelThread: true }), proc(20, 1), proc(21, 1)],
    hostPid: 5,
    installRoot: null,
    terminals: [{ pid: 4000, name: 'gone' }],
    folders: [
      { path: '/w', name: 'outer' },
      { path: '/w/inner/', name: 'inner' },
    ],
    cwdOf: (pid) => (asked.push(pid), pid === 20 ? '/w/inner/src' : '/w2'),
  });
  assert.deepEqual(asked, [20, 21]);
  assert.deepEqual(members, [{ pid: 20, role: 'folder', label: 'Folder: inner' }]);
});

test('isInside compares whole path components', () => {
  assert.equal(isInside('/w/a', '/w'), true);
  assert.equal(isInside('/w', '/w/'), true);
  assert.equal(isInside('/wx', '/w'), false);
  assert.equal(isInside('/anything', '/'), true);
});
