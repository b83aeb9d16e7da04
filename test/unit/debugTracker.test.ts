// The debug tracker's decisions on DAP sequences recorded from real adapters (test/fixtures/dap/):
// - debugpy (Debian's python3-debugpy, driven by test/fixtures/dap/recordDebugpy.ts): sends systemProcessId;
// - js-debug inside code-server (recorded by test/e2e/debug.test.ts with PROCSCOPE_RECORD_DAP): does not.
// Each fixture holds the session, every DAP message in order, the process table the extension read while
// resolving, and the debuggee's OS threads. The expected pids come from what the debuggee itself printed
// (its DAP `output` events), never from the code under test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DebugSessionState,
  attachPort,
  mapThreadNames,
  resolveDebuggee,
  sessionLabelName,
  type DapDirection,
  type DapMessage,
  type OsThread,
  type ProcessRow,
  type SessionInfo,
} from '../../src/extension/debug/debuggeeTracker';
import { listeningInodes, listeningPortOwner, ownsListeningPort, waitForOwnListener } from '../../src/extension/debug/inspector';
import { workspaceMembers } from '../../src/worker/workspaceScope';

const fixtures = join(__dirname, '..', 'fixtures', 'dap');

type Line =
  | ({ kind: 'session' } & SessionInfo)
  | { kind: 'dap'; dir: DapDirection; at: number; message: DapMessage }
  | { kind: 'processes'; at: number; hostPid: number; rows: ProcessRow[] }
  | { kind: 'threads'; at: number; pid: number; threads: OsThread[] }
  | { kind: 'resolved' | 'ended' | 'adapterExit'; at: number };

interface Recording {
  readonly file: string;
  readonly session: SessionInfo;
  readonly lines: readonly Line[];
}

function load(file: string): Recording {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
  const head = lines[0];
  assert.ok(head && head.kind === 'session', `${file} starts with its session`);
  const { kind: _kind, ...session } = head;
  return { file, session, lines };
}

function loadDir(dir: string): Recording[] {
  return readdirSync(join(fixtures, dir))
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => load(join(fixtures, dir, f)));
}

function dapOf(r: Recording): Extract<Line, { kind: 'dap' }>[] {
  return r.lines.filter((l): l is Extract<Line, { kind: 'dap' }> => l.kind === 'dap');
}

function processLines(r: Recording): Extract<Line, { kind: 'processes' }>[] {
  return r.lines.filter((l): l is Extract<Line, { kind: 'processes' }> => l.kind === 'processes');
}

/** The state after every DAP message up to (and including) time `at`; all of them when `at` is omitted. */
function stateAt(r: Recording, at = Infinity, keep: (m: DapMessage) => boolean = () => true): DebugSessionState {
  const state = new DebugSessionState(r.session);
  for (const l of dapOf(r)) if (l.at <= at && keep(l.message)) state.observe(l.dir, l.message);
  return state;
}

/** When the adapter last answered `threads` with a non-empty list (thread events after it remove exited threads). */
function lastThreadsAnswer(r: Recording): number {
  const answers = dapOf(r).filter(
    (l) =>
      l.message.type === 'response' &&
      l.message.command === 'threads' &&
      ((l.message.body as { threads?: unknown[] } | undefined)?.threads?.length ?? 0) > 0,
  );
  assert.ok(answers.length > 0, `${r.file} has a threads response`);
  return answers.at(-1)!.at;
}

/** What the program printed (DAP `output` events of any session in the recording). */
function printed(recordings: readonly Recording[]): string {
  return recordings
    .flatMap((r) => dapOf(r))
    .filter((l) => l.message.event === 'output')
    .map((l) => String((l.message.body as { output?: unknown } | undefined)?.output ?? ''))
    .join('');
}

// ---------- debugpy ----------

describe('debugpy (sends systemProcessId)', () => {
  const rec = load(join(fixtures, 'debugpy-named-threads.jsonl'));
  const expectedPid = Number(/procscope-debuggee pid=(\d+)/.exec(printed([rec]))?.[1]);
  const table = processLines(rec).at(-1)!;
  const osThreads = rec.lines.find((l): l is Extract<Line, { kind: 'threads' }> => l.kind === 'threads')!;

  test('the recording is real and complete: the program printed its pid, a process table and OS threads were read', () => {
    assert.ok(Number.isInteger(expectedPid) && expectedPid > 1);
    assert.ok(table.rows.some((p) => p.pid === expectedPid));
    assert.equal(osThreads.pid, expectedPid);
  });

  test("the pid comes from the process event's systemProcessId", () => {
    const state = stateAt(rec);
    assert.equal(state.reportedPid, expectedPid);
    assert.equal(state.processName, rec.session.configuration.program);
    const r = resolveDebuggee(state, table.rows, { adapterPids: [table.hostPid] });
    assert.deepEqual({ pid: r.pid, how: r.pid !== null ? r.how : null }, { pid: expectedPid, how: 'systemProcessId' });
  });

  test("without the process event the process tree finds the same pid, past debugpy's launcher", () => {
    const state = stateAt(rec, Infinity, (m) => m.event !== 'process');
    assert.equal(state.reportedPid, undefined);
    const r = resolveDebuggee(state, table.rows, { adapterPids: [table.hostPid] });
    assert.equal(r.pid, expectedPid, r.why);
    assert.equal(r.pid !== null && r.how, 'adapterChild');
    // The launcher also names the program on its command line, with a different argv: it is not the debuggee.
    const launcher = table.rows.find((p) => p.pid === table.rows.find((q) => q.pid === expectedPid)!.ppid)!;
    assert.ok(launcher.cmdline?.includes(String(rec.session.configuration.program)));
    assert.match(r.why, new RegExp(`started by ${launcher.pid}, a launcher`));
  });

  test('DAP threads as the adapter listed them at the breakpoint, with its own ids', () => {
    const state = stateAt(rec, lastThreadsAnswer(rec));
    assert.deepEqual(state.dapThreads, [
      { id: 1, name: 'MainThread' },
      { id: 2, name: 'pairs-a' },
      { id: 3, name: 'pairs-b' },
      { id: 4, name: 'python-only' },
    ]);
    // The DAP ids are counters, not OS thread ids.
    assert.ok(state.dapThreads.every((t) => !osThreads.threads.some((o) => o.tid === t.id)));
    // By the end the main thread has exited (a thread event said so); the daemon threads died with the process
    // without one, and the session ended.
    const end = stateAt(rec);
    assert.equal(end.ended, true);
    assert.deepEqual(
      end.dapThreads.map((t) => t.name),
      ['pairs-a', 'pairs-b', 'python-only'],
    );
  });

  test('DAP thread names are paired with OS threads only by an exact, unique name', () => {
    const mapping = mapThreadNames(stateAt(rec, lastThreadsAnswer(rec)).dapThreads, osThreads.threads);
    const tidOf = (name: string) => osThreads.threads.find((t) => t.name === name)!.tid;
    assert.deepEqual(
      mapping,
      [
        { tid: tidOf('pairs-a'), dapId: 2, dapName: 'pairs-a', reason: 'name-match' },
        { tid: tidOf('pairs-b'), dapId: 3, dapName: 'pairs-b', reason: 'name-match' },
      ].sort((a, b) => a.tid - b.tid),
    );
    // MainThread and python-only stay unnamed: every other OS thread is called "python3".
    assert.ok(osThreads.threads.filter((t) => t.name === 'python3').length > 1);
  });

  test('the stopped and continued events are tracked per DAP thread', () => {
    const dap = dapOf(rec);
    const stoppedAt = dap.find((l) => l.message.event === 'stopped')!.at;
    const atStop = stateAt(rec, stoppedAt);
    assert.deepEqual(
      [...atStop.stoppedThreads],
      [(dap.find((l) => l.message.event === 'stopped')!.message.body as { threadId: number }).threadId],
    );
    assert.equal(stateAt(rec).stoppedThreads.size, 0);
  });
});

// ---------- js-debug in code-server ----------

describe('js-debug in code-server (no systemProcessId)', () => {
  const recs = loadDir('js-debug-internal-console');
  const info = JSON.parse(/procscope-debuggee (\{.*\})/.exec(printed(recs))?.[1] ?? 'null') as {
    pid: number;
    childPid: number;
    workerTid: number;
  } | null;
  const launcher = recs.find((r) => r.session.parentId === undefined)!;
  const children = recs.filter((r) => r.session.parentId !== undefined);

  test('the recording: one launch session and its child sessions; the program printed its pid, child and worker', () => {
    assert.ok(info, 'the debuggee printed its ids');
    assert.equal(launcher.session.name, 'Debug fork and worker');
    assert.equal(launcher.session.type, 'pwa-node');
    assert.ok(children.length >= 2, `child sessions: ${children.map((c) => c.session.name).join(', ')}`);
    assert.ok(children.some((c) => c.session.name === `main.js [${info.pid}]`));
  });

  test('js-debug sends no process event with systemProcessId', () => {
    for (const r of recs) {
      assert.equal(stateAt(r).reportedPid, undefined, r.session.name);
      assert.equal(
        dapOf(r).some((l) => l.message.event === 'process'),
        false,
      );
    }
  });

  test('the launch session finds the program through the process tree, and never another process', () => {
    const tables = processLines(launcher);
    assert.ok(tables.length >= 2);
    let found = 0;
    for (const table of tables) {
      const r = resolveDebuggee(stateAt(launcher, table.at), table.rows, { adapterPids: [table.hostPid] });
      if (r.pid === null) continue;
      assert.equal(r.pid, info!.pid, `at ${table.at}: ${r.why}`);
      assert.equal(r.how, 'adapterChild');
      found++;
    }
    assert.ok(found >= 1, 'resolved at least once');
    const before = tables
      .map((t) => resolveDebuggee(stateAt(launcher, t.at), t.rows, { adapterPids: [t.hostPid] }))
      .find((r) => r.pid === null);
    assert.ok(before, 'unresolved before the program started');
    // The user is told why as data the host words in their language, not as the log's English.
    assert.deepEqual(before.pid === null && before.reason, { code: 'notYet' });
  });

  test('child sessions (the program, its child process, its worker) look for nothing of their own', () => {
    for (const c of children) {
      const table = processLines(c).at(-1);
      const r = resolveDebuggee(stateAt(c), table?.rows ?? [], { adapterPids: [table?.hostPid ?? 0] });
      assert.equal(r.pid, null);
      assert.equal(r.pid === null && r.final, true);
      assert.deepEqual(r.pid === null && r.reason, { code: 'childSession' });
    }
  });

  test('every session is labelled with the session the user started', () => {
    const infos = new Map(recs.map((r) => [r.session.id, r.session]));
    for (const r of recs) assert.equal(sessionLabelName(r.session, infos), 'Debug fork and worker');
  });

  test('js-debug\'s DAP "threads" are JavaScript targets in child sessions; none pairs with an OS thread', () => {
    // The launch session, the one that finds the pid, never lists a thread.
    const launcherAnswers = dapOf(launcher).filter((l) => l.message.type === 'response' && l.message.command === 'threads');
    assert.ok(launcherAnswers.length > 0);
    assert.ok(launcherAnswers.every((l) => (l.message.body as { threads: unknown[] }).threads.length === 0));
    const main = children.find((c) => c.session.name === `main.js [${info!.pid}]`)!;
    const worker = children.find((c) => c.session.name.startsWith('[worker'))!;
    assert.deepEqual(
      stateAt(main, lastThreadsAnswer(main)).dapThreads.map((t) => t.name),
      [`main.js [${info!.pid}]`],
    );
    assert.deepEqual(
      stateAt(worker, lastThreadsAnswer(worker)).dapThreads.map((t) => t.name),
      ['[worker 1]'],
    );
    // The debuggee's OS threads read while it was stopped: the worker's LWP is among them, named like the rest.
    const os = launcher.lines.filter((l): l is Extract<Line, { kind: 'threads' }> => l.kind === 'threads' && l.pid === info!.pid).at(-1);
    assert.ok(os && os.threads.some((t) => t.tid === info!.workerTid), "the worker's LWP was read");
    const worker_ = os.threads.find((t) => t.tid === info!.workerTid)!;
    assert.ok(os.threads.filter((t) => t.name === worker_.name).length > 1, "the worker's OS name is not unique");
    assert.deepEqual(mapThreadNames(stateAt(main, lastThreadsAnswer(main)).dapThreads, os.threads), []);
    assert.deepEqual(mapThreadNames(stateAt(worker, lastThreadsAnswer(worker)).dapThreads, os.threads), []);
  });

  test('"This workspace" labels the debuggee and its child process "Debug: <session name>"', () => {
    const table = recs
      .flatMap((r) => processLines(r))
      .filter((t) => t.rows.some((p) => p.pid === info!.childPid) && t.rows.some((p) => p.pid === info!.pid))
      .at(-1);
    assert.ok(table, 'a table with the child process');
    const members = workspaceMembers({
      processes: table.rows.map((p) => ({ ...p, kernelThread: false })),
      hostPid: table.hostPid,
      installRoot: null,
      debuggees: [{ pid: info!.pid, name: 'Debug fork and worker' }],
    });
    const label = (pid: number) => members.find((m) => m.pid === pid);
    assert.deepEqual(label(info!.pid), { pid: info!.pid, role: 'debug', label: 'Debug: Debug fork and worker' });
    assert.deepEqual(label(info!.childPid), { pid: info!.childPid, role: 'debug', label: 'Debug: Debug fork and worker' });
    // The programs ran with their cwd in the workspace folder: the session's label still wins over "Folder".
    const inFolder = workspaceMembers({
      processes: table.rows.map((p) => ({ ...p, kernelThread: false })),
      hostPid: table.hostPid,
      installRoot: null,
      debuggees: [{ pid: info!.pid, name: 'Debug fork and worker' }],
      folders: [{ path: '/w', name: 'w' }],
      cwdOf: () => '/w',
    });
    assert.equal(inFolder.find((m) => m.pid === info!.childPid)?.label, 'Debug: Debug fork and worker');
    // Other helpers of the extension host (a language server) whose cwd is in the folder stay "Folder".
    const helper = table.rows.find((p) => p.ppid === table.hostPid && p.pid !== info!.pid)!;
    assert.equal(inFolder.find((m) => m.pid === helper.pid)?.label, 'Folder: w');
  });
});

describe('js-debug with the integrated terminal (runInTerminal)', () => {
  const recs = loadDir('js-debug-integrated-terminal');
  const launcher = recs.find((r) => r.session.parentId === undefined)!;
  const info = JSON.parse(/procscope-debuggee (\{.*\})/.exec(printed(recs))?.[1] ?? 'null') as { pid: number } | null;

  test("VS Code answers runInTerminal with the terminal shell's pid, and the program is found under it", () => {
    const state = stateAt(launcher);
    assert.ok(state.terminalPids.length >= 1, 'a runInTerminal response with a pid');
    const table = processLines(launcher)
      .filter((t) => t.rows.some((p) => p.pid === info?.pid))
      .at(-1);
    assert.ok(table && info);
    const r = resolveDebuggee(stateAt(launcher, table.at), table.rows, { adapterPids: [table.hostPid] });
    assert.equal(r.pid, info.pid, r.why);
    assert.equal(r.pid !== null && r.how, 'terminal');
  });
});

// ---------- rules, on small hand-made tables ----------

describe('resolution rules', () => {
  const session = (configuration: Record<string, unknown>, extra: Partial<SessionInfo> = {}): SessionInfo => ({
    id: 's',
    name: 'S',
    type: 't',
    startedAt: 100_000,
    configuration,
    ...extra,
  });
  const row = (pid: number, ppid: number, startTime: number, cmdline: string[], key?: string): ProcessRow => ({
    pid,
    ppid,
    startTime,
    name: 'x',
    cmdline,
    exe: null,
    ...(key ? { key } : {}),
  });
  const host = row(10, 1, 0, ['node', 'exthost']);

  const cases: { name: string; config: Record<string, unknown>; rows: ProcessRow[]; preexisting?: string[]; expect: number | null }[] = [
    {
      name: 'a program started before the session is not the debuggee',
      config: { program: '/w/a.js' },
      rows: [host, row(20, 10, 90_000, ['node', '/w/a.js'])],
      expect: null,
    },
    {
      name: 'within the start slack but known before the session: not the debuggee',
      config: { program: '/w/a.js' },
      rows: [host, row(20, 10, 99_500, ['node', '/w/a.js'], '20@1')],
      preexisting: ['20@1'],
      expect: null,
    },
    {
      name: 'two new processes naming the program: ambiguous, no guess',
      config: { program: '/w/a.js' },
      rows: [host, row(20, 10, 100_100, ['node', '/w/a.js']), row(21, 10, 100_200, ['node', '/w/a.js'])],
      expect: null,
    },
    {
      name: 'a fork keeps the argv: the parent stays the debuggee',
      config: { program: '/w/a.py' },
      rows: [host, row(20, 10, 100_100, ['python3', '/w/a.py']), row(21, 20, 100_300, ['python3', '/w/a.py'])],
      expect: 20,
    },
    {
      name: 'a relative program argument matches the absolute program',
      config: { program: '/w/src/a.js' },
      rows: [host, row(20, 10, 100_100, ['node', 'src/a.js'])],
      expect: 20,
    },
    {
      name: "a process outside the adapter's subtree is never taken",
      config: { program: '/w/a.js' },
      rows: [host, row(20, 1, 100_100, ['node', '/w/a.js'])],
      expect: null,
    },
    // js-debug runs `node --version` right after the session starts (seen in a recording whose poll caught it).
    {
      name: 'with a program configured, a fresh process naming only the runtime is not the debuggee',
      config: { program: '/w/a.js', runtimeExecutable: 'node' },
      rows: [host, row(20, 10, 100_100, ['/usr/bin/node', '--version'])],
      expect: null,
    },
    {
      name: 'no program: the runtime alone, when unique',
      config: { runtimeExecutable: '/usr/bin/deno' },
      rows: [host, row(20, 10, 100_100, ['/usr/bin/deno', 'run', 'x.ts'])],
      expect: 20,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = resolveDebuggee(new DebugSessionState(session(c.config)), c.rows, {
        adapterPids: [10],
        preexisting: new Set(c.preexisting ?? []),
      });
      assert.equal(r.pid, c.expect, r.why);
    });
  }

  test("an attach configuration's processId is the debuggee when it runs", () => {
    const s = new DebugSessionState(session({ request: 'attach', processId: '20' }));
    assert.equal(resolveDebuggee(s, [host, row(20, 1, 0, ['x'])], { adapterPids: [10] }).pid, 20);
    assert.equal(resolveDebuggee(s, [host], { adapterPids: [10] }).pid, null);
  });

  test("an attach by port: the debuggee is the port's owner; a port nobody owns resolves to nothing", () => {
    const s = new DebugSessionState(session({ request: 'attach', port: 9230 }));
    const rows = [host, row(20, 1, 0, ['node', 'server.js'])];
    const asked: number[] = [];
    const owner = (port: number) => {
      asked.push(port);
      return port === 9230 ? 20 : undefined;
    };
    const r = resolveDebuggee(s, rows, { adapterPids: [10], portOwner: owner });
    assert.deepEqual({ pid: r.pid, how: r.pid !== null ? r.how : null }, { pid: 20, how: 'attachPort' });
    assert.deepEqual(asked, [9230]);
    assert.equal(
      resolveDebuggee(new DebugSessionState(session({ request: 'attach', port: 9231 })), rows, { adapterPids: [10], portOwner: owner }).pid,
      null,
    );
    // A launch configuration's port (a debug port the program opens later) is no attach.
    assert.equal(attachPort({ request: 'launch', port: 9230 }), undefined);
    assert.equal(attachPort({ request: 'attach', port: '9229' }), 9229);
    assert.equal(attachPort({ request: 'attach', port: 70000 }), undefined);
  });

  test('a reported systemProcessId that is not running is not claimed', () => {
    const s = new DebugSessionState(session({ program: '/w/a' }));
    s.observe('fromAdapter', { type: 'event', event: 'process', body: { name: 'a', systemProcessId: 4242 } });
    const r = resolveDebuggee(s, [host], { adapterPids: [10] });
    assert.equal(r.pid, null);
    assert.match(r.why, /4242/);
  });

  test('single-thread mapping only when both sides have exactly one thread', () => {
    assert.deepEqual(mapThreadNames([{ id: 7, name: 'main' }], [{ tid: 300, name: 'a.out' }]), [
      { tid: 300, dapId: 7, dapName: 'main', reason: 'single-thread' },
    ]);
    assert.deepEqual(
      mapThreadNames(
        [{ id: 7, name: 'main' }],
        [
          { tid: 300, name: 'a.out' },
          { tid: 301, name: 'a.out' },
        ],
      ),
      [],
    );
    // Two DAP threads with one name, or one name on two OS threads: no pairing.
    assert.deepEqual(
      mapThreadNames(
        [
          { id: 1, name: 'w' },
          { id: 2, name: 'w' },
        ],
        [
          { tid: 5, name: 'w' },
          { tid: 6, name: 'x' },
        ],
      ),
      [],
    );
    assert.deepEqual(
      mapThreadNames(
        [{ id: 1, name: 'w' }],
        [
          { tid: 5, name: 'w' },
          { tid: 6, name: 'w' },
        ],
      ),
      [],
    );
  });
});

// ---------- the inspector check behind "Attach debugger" ----------

describe('inspector listener check (real sockets)', () => {
  test("a port this process listens on is its own; the same port is not another process's", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      assert.equal(listeningInodes(process.pid, port).size, 1);
      assert.equal(ownsListeningPort(process.pid, port), true);
      assert.equal(ownsListeningPort(process.ppid, port), false);
      const me = { pid: process.pid, startTime: 1 };
      const parent = { pid: process.ppid, startTime: 2 };
      assert.equal(listeningPortOwner(port, [parent, me]), process.pid);
      assert.equal(listeningPortOwner(port, [parent]), undefined);
    } finally {
      server.close();
    }
  });

  test("SIGUSR1 opens a running Node process's inspector, and waitForOwnListener sees it", async () => {
    // --inspect-port=0: the kernel picks the port (9229 may be in use by a colleague); Node prints it on stderr.
    const child = spawn(process.execPath, ['--inspect-port=127.0.0.1:0', '-e', 'setTimeout(() => {}, 30000)'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      await new Promise((r) => setTimeout(r, 300));
      const before = await waitForOwnListener(child.pid!, 9229, 200);
      assert.equal(before, false, 'no inspector before the signal');
      child.kill('SIGUSR1');
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no inspector URL on stderr: ${stderr}`)), 10_000);
        const check = () => {
          const m = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        child.stderr.on('data', check);
        check();
      });
      assert.equal(await waitForOwnListener(child.pid!, port, 5000), true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
