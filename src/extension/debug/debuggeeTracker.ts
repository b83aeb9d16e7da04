// What a debug session tells us about its debuggee, from the DAP messages alone, and how to find the
// debuggee's pid in a process list. Pure (no vscode import): fed with recorded DAP sequences in unit tests,
// and with live messages by the DebugAdapterTracker in debugTracking.ts.
//
// The debugger is a source of hints, not of facts:
// - the DAP `process` event carries `systemProcessId` only sometimes (debugpy sends it, js-debug does not);
// - DAP thread ids are the adapter's own counters, never OS thread ids;
// so the pid comes from `systemProcessId` when sent, else from the process tree: processes that started
// after the session began, under the debug adapter's process (or the debug terminal's shell), whose command
// line names the launch configuration's program or runtime.
import { ancestors, buildProcessTree, descendants, type ProcessTree } from '../../shared/processTree';
import type { ProcessInfo, ProcessKey } from '../../core/model';

/** One DAP protocol message, as the DebugAdapterTracker sees it (only the fields we read). */
export interface DapMessage {
  readonly seq?: number;
  readonly type?: string;
  readonly command?: string;
  readonly event?: string;
  readonly request_seq?: number;
  readonly success?: boolean;
  readonly arguments?: unknown;
  readonly body?: unknown;
}

/** toAdapter: what VS Code sends (requests, responses to reverse requests); fromAdapter: what the adapter sends. */
export type DapDirection = 'toAdapter' | 'fromAdapter';

export interface SessionInfo {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** ms since the epoch, when the tracker was created (before the adapter launched anything). */
  readonly startedAt: number;
  /** The resolved launch configuration (variables substituted), as VS Code passes it. */
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly parentId?: string;
}

export interface DapThread {
  readonly id: number;
  readonly name: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** The DAP facts of one session, accumulated message by message. */
export class DebugSessionState {
  /** pid from the `process` event's systemProcessId (debugpy, cppdbg, ...). */
  reportedPid: number | undefined;
  /** The `process` event's name (often the program path). */
  processName: string | undefined;
  /** pids VS Code answered a `runInTerminal` reverse request with (the terminal's shell, sometimes the program). */
  readonly terminalPids: number[] = [];
  /** pid from an attach configuration's `processId`. */
  readonly attachPid: number | undefined;
  /** DAP threads the adapter last listed, updated by `thread` events. */
  readonly threads = new Map<number, string>();
  /** DAP thread ids the adapter reported stopped (and not continued since). */
  readonly stoppedThreads = new Set<number>();
  allThreadsStopped = false;
  ended = false;
  private readonly runInTerminalSeqs = new Set<number>();
  private readonly threadsRequestSeqs = new Set<number>();

  constructor(readonly session: SessionInfo) {
    const c = session.configuration;
    this.attachPid = c.request === 'attach' ? positiveInt(typeof c.processId === 'string' ? Number(c.processId) : c.processId) : undefined;
  }

  observe(direction: DapDirection, message: DapMessage): void {
    if (direction === 'toAdapter') this.fromClient(message);
    else this.fromAdapter(message);
  }

  private fromClient(m: DapMessage): void {
    if (m.type === 'request' && m.command === 'threads' && m.seq !== undefined) this.threadsRequestSeqs.add(m.seq);
    if (m.type === 'response' && m.request_seq !== undefined && this.runInTerminalSeqs.delete(m.request_seq) && m.success !== false) {
      const body = record(m.body);
      for (const pid of [positiveInt(body?.processId), positiveInt(body?.shellProcessId)]) {
        if (pid !== undefined && !this.terminalPids.includes(pid)) this.terminalPids.push(pid);
      }
    }
  }

  private fromAdapter(m: DapMessage): void {
    const body = record(m.body);
    if (m.type === 'request' && m.command === 'runInTerminal' && m.seq !== undefined) {
      this.runInTerminalSeqs.add(m.seq);
      return;
    }
    if (m.type === 'response' && m.command === 'threads') {
      if (m.request_seq !== undefined) this.threadsRequestSeqs.delete(m.request_seq);
      if (m.success === false) return;
      const list = Array.isArray(body?.threads) ? body.threads : [];
      this.threads.clear();
      for (const t of list) {
        const th = record(t);
        if (th && typeof th.id === 'number' && typeof th.name === 'string') this.threads.set(th.id, th.name);
      }
      return;
    }
    if (m.type !== 'event') return;
    switch (m.event) {
      case 'process': {
        const pid = positiveInt(body?.systemProcessId);
        if (pid !== undefined) this.reportedPid = pid;
        if (typeof body?.name === 'string') this.processName = body.name;
        return;
      }
      case 'thread': {
        const id = body?.threadId;
        if (typeof id !== 'number') return;
        if (body?.reason === 'exited') {
          this.threads.delete(id);
          this.stoppedThreads.delete(id);
        } else if (body?.reason === 'started' && !this.threads.has(id)) {
          // The name arrives with the next `threads` response; until then the thread is known but unnamed.
          this.threads.set(id, '');
        }
        return;
      }
      case 'stopped': {
        const id = body?.threadId;
        if (typeof id === 'number') this.stoppedThreads.add(id);
        if (body?.allThreadsStopped === true) this.allThreadsStopped = true;
        return;
      }
      case 'continued': {
        const id = body?.threadId;
        if (body?.allThreadsContinued !== false) {
          this.stoppedThreads.clear();
          this.allThreadsStopped = false;
        } else if (typeof id === 'number') {
          this.stoppedThreads.delete(id);
        }
        return;
      }
      case 'terminated':
      case 'exited':
        this.ended = true;
        return;
    }
  }

  get dapThreads(): DapThread[] {
    return [...this.threads].map(([id, name]) => ({ id, name }));
  }
}

// ---- finding the debuggee in the process tree ----

export type ProcessRow = Pick<ProcessInfo, 'pid' | 'ppid' | 'startTime' | 'name' | 'cmdline' | 'exe'> & { readonly key?: ProcessKey };

export type Resolution =
  | {
      readonly pid: number;
      readonly how: 'systemProcessId' | 'attachProcessId' | 'attachPort' | 'terminal' | 'adapterChild';
      readonly why: string;
    }
  /**
   * final: looking again will not help (e.g. a child session with nothing of its own to look for). `why` is
   * for the log; `reason` is what the user is told (the host words it in the user's language).
   */
  | { readonly pid: null; readonly why: string; readonly reason: Unresolved; readonly final?: boolean };

/** Why no debuggee was found, as data. */
export type Unresolved =
  | { readonly code: 'reportedGone'; readonly pid: number }
  | { readonly code: 'attachGone'; readonly pid: number }
  | { readonly code: 'childSession' }
  | { readonly code: 'ambiguous'; readonly under: 'terminal' | 'adapterChild'; readonly pids: readonly number[] }
  | { readonly code: 'nothingNamed' }
  | { readonly code: 'notYet' };

export interface ResolveContext {
  /** Processes whose descendants may be the debuggee: the debug adapter's process (for js-debug, the extension host). */
  readonly adapterPids: readonly number[];
  /** How far a process's start time may lie before the session's start: /proc's boot time has whole seconds. */
  readonly startSlackMs?: number;
  /** Keys of processes that existed when the session began: never the debuggee. */
  readonly preexisting?: ReadonlySet<ProcessKey>;
  /** The process that owns the LISTEN socket on 127.0.0.1:port (an attach by inspector/debug port), if any. */
  readonly portOwner?: (port: number, processes: readonly ProcessRow[]) => number | undefined;
}

/** The port an attach configuration connects to, when it names one. */
export function attachPort(configuration: Readonly<Record<string, unknown>>): number | undefined {
  if (configuration.request !== 'attach') return undefined;
  const port = typeof configuration.port === 'string' ? Number(configuration.port) : configuration.port;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

const DEFAULT_START_SLACK_MS = 1500;

function base(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** The launch configuration's program and runtime, in the forms a command line may show them. */
export function launchTargets(configuration: Readonly<Record<string, unknown>>): { program: string | null; runtime: string | null } {
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
  // `program` (node, python, cppdbg, lldb, go...), `module` (python -m), `runtimeExecutable` (node), `python`.
  const program = str(configuration.program) ?? str(configuration.module);
  const runtime = str(configuration.runtimeExecutable) ?? str(configuration.python);
  return { program, runtime };
}

/** How well a command line matches the launch configuration: 2 = names the program, 1 = the runtime, 0 = neither. */
export function matchScore(p: ProcessRow, targets: { program: string | null; runtime: string | null }): number {
  const argv = p.cmdline ?? [];
  if (targets.program) {
    const prog = targets.program;
    const progBase = base(prog);
    // The program is the executable itself (native), or an argument of its runtime (node/python), maybe made
    // relative by the adapter; `python -m pkg` shows the module name as an argument.
    // The program is the executable itself (native), or an argument of its runtime (node/python), possibly
    // relative to the cwd; `python -m pkg` shows the module name as an argument.
    const names = (a: string): boolean => a === prog || a === progBase || (a.includes('/') && prog.endsWith(`/${a.replace(/^\.\//, '')}`));
    if (p.exe === prog || argv.some(names)) return 2;
  }
  if (targets.runtime) {
    const rt = base(targets.runtime);
    if ((p.exe !== null && base(p.exe) === rt) || (argv[0] !== undefined && base(argv[0]) === rt)) return 1;
  }
  return 0;
}

/** Every process under the roots (a root only when it is under another root), each once, nearest first per root. */
function descendantsOf(roots: readonly number[], tree: ProcessTree<ProcessRow>): ProcessRow[] {
  const seen = new Set<number>();
  const out: ProcessRow[] = [];
  for (const root of roots) {
    for (const pid of descendants(tree, root).slice(1)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      out.push(tree.byPid.get(pid)!);
    }
  }
  return out;
}

/**
 * The debuggee's pid for a session: what the adapter reported when it did, else the topmost process under the
 * debug terminal or the adapter that started after the session began and names the launch configuration's
 * program (or, failing that, its runtime). Ambiguity is reported, never guessed.
 */
export function resolveDebuggee(state: DebugSessionState, processes: readonly ProcessRow[], context: ResolveContext): Resolution {
  const byPid = new Map<number, ProcessRow>();
  for (const p of processes) byPid.set(p.pid, p);
  if (state.reportedPid !== undefined) {
    return byPid.has(state.reportedPid) || processes.length === 0
      ? { pid: state.reportedPid, how: 'systemProcessId', why: 'the adapter sent systemProcessId in its process event' }
      : {
          pid: null,
          why: `the adapter reported pid ${state.reportedPid}, which is not running`,
          reason: { code: 'reportedGone', pid: state.reportedPid },
        };
  }
  if (state.attachPid !== undefined) {
    return byPid.has(state.attachPid)
      ? { pid: state.attachPid, how: 'attachProcessId', why: 'the attach configuration names the processId' }
      : {
          pid: null,
          why: `the attach configuration names pid ${state.attachPid}, which is not running`,
          reason: { code: 'attachGone', pid: state.attachPid },
        };
  }

  const port = attachPort(state.session.configuration);
  if (port !== undefined && context.portOwner) {
    // Whoever listens on the port the debugger attached to is the debuggee: a socket has one owner process.
    const owner = context.portOwner(port, processes);
    if (owner !== undefined && byPid.has(owner))
      return { pid: owner, how: 'attachPort', why: `it listens on port ${port}, which the debugger attached to` };
  }
  const targets = launchTargets(state.session.configuration);
  if (state.session.parentId !== undefined && !targets.program && !targets.runtime && state.terminalPids.length === 0) {
    // js-debug opens a child session per target (the program, each child process, each worker) and names it
    // "main.js [1234]"; that name is a display convention, not protocol. The parent session finds the program,
    // and its children and threads are followed as the program's descendants.
    return {
      pid: null,
      why: "a child session without a program of its own: its processes are followed under the parent session's debuggee",
      reason: { code: 'childSession' },
      final: true,
    };
  }

  // A reused parent pid is not the parent (start times), and a ppid cycle ends: the shared tree's rules.
  const tree = buildProcessTree(processes);
  const children = tree.children;
  const since = state.session.startedAt - (context.startSlackMs ?? DEFAULT_START_SLACK_MS);
  const isNew = (p: ProcessRow): boolean =>
    p.startTime >= since && !(p.key !== undefined && context.preexisting?.has(p.key)) && !isDebuggerHelper(p);

  const search = (anchors: readonly number[], how: 'terminal' | 'adapterChild', where: string): Resolution | undefined => {
    const fresh = descendantsOf(anchors, tree).filter(isNew);
    // With a program configured only the program counts: js-debug runs `node --version` before the program,
    // a fresh process that names the runtime (recorded in test/fixtures/dap). The runtime alone is used only
    // when no program is configured.
    for (const wanted of targets.program ? [2] : [1]) {
      const matching = fresh.filter((p) => matchScore(p, targets) === wanted);
      if (matching.length === 0) continue;
      const set = new Set(matching.map((p) => p.pid));
      // Topmost: a match whose parent is not a match (its forked children are followed as descendants).
      const top = matching.filter((p) => !ancestors(tree, p.pid).some((pid) => set.has(pid)));
      if (top.length === 1) {
        const pid = pastLaunchers(top[0]!, matching, children);
        const through = pid === top[0]!.pid ? '' : ` (started by ${top[0]!.pid}, a launcher naming the same program)`;
        return {
          pid,
          how,
          why: `started after the session began under ${where}, and its command line names the ${wanted === 2 ? 'program' : 'runtime'}${through}`,
        };
      }
      return {
        pid: null,
        why: `${top.length} new processes under ${where} match the launch configuration: ${top.map((p) => p.pid).join(', ')}`,
        reason: { code: 'ambiguous', under: how, pids: top.map((p) => p.pid) },
      };
    }
    return undefined;
  };

  if (state.terminalPids.length > 0) {
    const alive = state.terminalPids.filter((pid) => byPid.has(pid));
    const found = search(alive, 'terminal', 'the debug terminal');
    if (found) return found;
    // A terminal with exactly one new child process and no program to match (an attach-less custom launch).
    const fresh = descendantsOf(alive, tree).filter(isNew);
    if (!targets.program && !targets.runtime && fresh.length === 1) {
      return { pid: fresh[0]!.pid, how: 'terminal', why: 'the only process the debug terminal started' };
    }
  }
  const found = search(
    context.adapterPids.filter((pid) => byPid.has(pid)),
    'adapterChild',
    'the debug adapter',
  );
  if (found) return found;
  if (!targets.program && !targets.runtime)
    return {
      pid: null,
      why: 'the launch configuration names no program or runtime, and the adapter sent no systemProcessId',
      reason: { code: 'nothingNamed' },
    };
  return { pid: null, why: 'no new process under the debug adapter or terminal names the program yet', reason: { code: 'notYet' } };
}

/**
 * A process the debugger itself runs beside the debuggee, never the debuggee: js-debug starts
 * `node .../ms-vscode.js-debug/src/watchdog.js` for each target it attaches to (a fresh node process under
 * the extension host, which would otherwise match a configuration that names only the node runtime).
 */
export function isDebuggerHelper(p: Pick<ProcessRow, 'cmdline'>): boolean {
  return (p.cmdline ?? []).some((arg) => /[\\/][^\\/]*js-debug[^\\/]*[\\/](?:src|dist|out)[\\/]watchdog\.js$/.test(arg));
}

function sameArgv(a: ProcessRow, b: ProcessRow): boolean {
  const x = a.cmdline ?? [];
  const y = b.cmdline ?? [];
  return x.length === y.length && x.every((arg, i) => arg === y[i]);
}

/**
 * From the topmost match down through launchers: a matching process whose only matching child has a DIFFERENT
 * command line started the program (debugpy's launcher runs `python .../debugpy --connect ... prog.py`); a
 * child with the SAME command line is a fork of the program itself, which stays the debuggee.
 */
function pastLaunchers(top: ProcessRow, matching: readonly ProcessRow[], children: ReadonlyMap<number, readonly ProcessRow[]>): number {
  const set = new Set(matching.map((p) => p.pid));
  let current = top;
  const seen = new Set<number>([top.pid]);
  for (;;) {
    const next = (children.get(current.pid) ?? []).filter((c) => set.has(c.pid));
    if (next.length !== 1 || sameArgv(next[0]!, current) || seen.has(next[0]!.pid)) return current.pid;
    current = next[0]!;
    seen.add(current.pid);
  }
}

// ---- DAP thread names beside OS threads ----

export interface OsThread {
  readonly tid: number;
  readonly name: string;
}

export interface ThreadNameMapping {
  readonly tid: number;
  readonly dapId: number;
  readonly dapName: string;
  /** Why the pairing is certain. */
  readonly reason: 'single-thread' | 'name-match';
}

/**
 * Pairs DAP threads with OS threads only where no guess is involved:
 * - single-thread: the debuggee has exactly one OS thread and the adapter lists exactly one thread;
 * - name-match: a DAP thread's name equals the name (comm) of exactly one OS thread, and no other DAP thread
 *   has that name. comm holds at most 15 bytes, so a longer DAP name never matches.
 * Everything else stays unmapped: DAP ids are the adapter's counters, and js-debug's one "thread" per target
 * is a JavaScript context, not an OS thread.
 */
export function mapThreadNames(dap: readonly DapThread[], os: readonly OsThread[]): ThreadNameMapping[] {
  const named = dap.filter((t) => t.name !== '');
  if (os.length === 1 && dap.length === 1 && named.length === 1) {
    return [{ tid: os[0]!.tid, dapId: named[0]!.id, dapName: named[0]!.name, reason: 'single-thread' }];
  }
  const count = <T>(items: readonly T[], key: (t: T) => string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
    return m;
  };
  const dapNames = count(named, (t) => t.name);
  const osNames = count(os, (t) => t.name);
  const out: ThreadNameMapping[] = [];
  for (const t of named) {
    if (dapNames.get(t.name) !== 1 || osNames.get(t.name) !== 1) continue;
    const thread = os.find((o) => o.name === t.name)!;
    out.push({ tid: thread.tid, dapId: t.id, dapName: t.name, reason: 'name-match' });
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** The label a debuggee gets: the user's session name, of the top-level session for js-debug's child sessions. */
export function sessionLabelName(session: SessionInfo, parents: ReadonlyMap<string, SessionInfo>): string {
  let s = session;
  const seen = new Set<string>([s.id]);
  while (s.parentId !== undefined) {
    const parent = parents.get(s.parentId);
    if (!parent || seen.has(parent.id)) break;
    seen.add(parent.id);
    s = parent;
  }
  return s.name;
}
