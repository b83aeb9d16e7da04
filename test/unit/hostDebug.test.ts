// js-debug's own helper processes are never the debuggee. The process table is the one recorded from a real
// js-debug session in code-server (test/fixtures/dap/js-debug-internal-console/launch.jsonl), which holds
// `node .../ms-vscode.js-debug/src/watchdog.js` processes that js-debug's bootloader started inside the debuggee's
// own subtree (the program's and its child's), where the workspace scope used to label them as the debuggee.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DebugSessionState,
  isDebuggerHelper,
  resolveDebuggee,
  type ProcessRow,
  type SessionInfo,
} from '../../src/extension/debug/debuggeeTracker';
import { workspaceMembers } from '../../src/worker/workspaceScope';

const file = join(__dirname, '..', 'fixtures', 'dap', 'js-debug-internal-console', 'launch.jsonl');
const lines = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { kind: string } & Record<string, unknown>);
const session = lines.find((l) => l.kind === 'session') as unknown as SessionInfo;
const tables = lines.filter((l) => l.kind === 'processes') as unknown as { hostPid: number; rows: ProcessRow[] }[];
const last = tables.at(-1)!;
const watchdogs = last.rows.filter((p) => (p.cmdline ?? []).some((a) => a.endsWith('/ms-vscode.js-debug/src/watchdog.js')));

test('the recording holds js-debug watchdogs started after the session', () => {
  assert.ok(watchdogs.length >= 1);
  assert.ok(watchdogs.every((w) => w.startTime >= session.startedAt));
});

test('isDebuggerHelper recognises the watchdog by its script, not by the name "node"', () => {
  for (const w of watchdogs) assert.equal(isDebuggerHelper(w), true, JSON.stringify(w.cmdline));
  const others = last.rows.filter((p) => !watchdogs.includes(p));
  assert.ok(
    others.some((p) => p.name === 'node'),
    'the table has other node processes',
  );
  for (const p of others) assert.equal(isDebuggerHelper(p), false, JSON.stringify(p.cmdline));
  assert.equal(
    isDebuggerHelper({ cmdline: ['node', '/home/me/project/watchdog.js'] }),
    false,
    "a program of the user named watchdog.js is not js-debug's",
  );
});

test('a configuration that names only the node runtime never resolves to a watchdog', () => {
  const runtimeOnly: SessionInfo = {
    ...session,
    configuration: { type: 'pwa-node', request: 'launch', name: session.name, runtimeExecutable: 'node' },
  };
  const r = resolveDebuggee(new DebugSessionState(runtimeOnly), last.rows, { adapterPids: [last.hostPid] });
  const watchdogPids = new Set(watchdogs.map((w) => w.pid));
  assert.ok(r.pid === null || !watchdogPids.has(r.pid), `resolved to watchdog ${r.pid}`);
  if (r.pid === null)
    assert.doesNotMatch(r.why, new RegExp(`\\b(${[...watchdogPids].join('|')})\\b`), 'a watchdog is not even a candidate');
});

test("the watchdogs inside the debuggee's subtree are labelled VS Code, the program and its child the session", () => {
  const members = workspaceMembers({
    processes: last.rows.map((p) => ({ ...p, kernelThread: false, exe: p.exe ?? null, cmdline: p.cmdline ?? null })),
    hostPid: last.hostPid,
    installRoot: null,
    debuggees: [{ pid: 28323, name: session.name }],
  });
  const label = (pid: number) => members.find((m) => m.pid === pid);
  for (const w of watchdogs) assert.deepEqual(label(w.pid), { pid: w.pid, role: 'vscode', label: 'VS Code' }, `watchdog ${w.pid}`);
  const child = last.rows.find((p) => (p.cmdline ?? []).some((a) => a.endsWith('/child.js')))!;
  for (const pid of [28323, child.pid]) assert.deepEqual(label(pid), { pid, role: 'debug', label: `Debug: ${session.name}` });
});
