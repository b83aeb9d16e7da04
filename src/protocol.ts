// The one typed protocol between the extension host and the webview. Types only: both sides import it
// with `import type`, so nothing here reaches the webview bundle. Every message has a string-literal `type`.
//
// Flow: the webview posts `ready`; the host answers with `init` then a full `snapshot`; after that it posts
// `delta`s. Requests carry a `requestId` and always get exactly one `response` (a result or an error).
import type { Delta, ProcessKey, Snapshot } from './core/model';
import type { ProcessDetail } from './core/detail';
import type { IpcMap } from './core/ipc/model';
import type { ThreadWait, WaitKind } from './core/waits/model';
import type { MachineSummary } from './core/summary';
import type { HistoryIndex } from './core/record/historyIndex';
import type { PageMapResult } from './core/pagemap';

import type { LabCard, Locale } from './core/labs/card';

export type { LabCard, LabCardItem, Locale } from './core/labs/card';
export type Scope = 'workspace' | 'all';

/** Signals the UI may ask for; the host refuses anything else. */
export const ALLOWED_SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGSTOP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2'] as const;
export type AllowedSignal = (typeof ALLOWED_SIGNALS)[number];

export interface ViewSettings {
  readonly refreshMs: number;
  readonly ipcRefreshMs: number;
  readonly showThreads: boolean;
  readonly showKernelThreads: boolean;
  readonly scope: Scope;
  readonly locale: Locale;
}

export type WorkspaceRole = 'vscode' | 'terminal' | 'task' | 'debug' | 'folder' | 'lab';

/** Why a process belongs to "This workspace", with the label the UI shows beside it. */
export interface WorkspaceMember {
  readonly pid: number;
  readonly role: WorkspaceRole;
  /** e.g. "Terminal: bash", "Task: build", "Debug: Launch Program", "VS Code: extension host". */
  readonly label: string;
}

// ---- host -> webview ----

/** What the panel shows of a recording it replays (no live actions then): the file and when and where it was made. */
export interface RecordingInfo {
  /** The file's name (no folders). */
  readonly file: string;
  /** The first and the last tick, ms since the epoch. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The machine it was made on ('' when the file does not say). */
  readonly host: string;
  /** The file was cut (or read only up to the size bound): it is shown up to its last whole tick. */
  readonly cut: boolean;
  /**
   * What the page keeps in its saved state so that a window reload reopens the same file: a random id the host
   * issued for this panel and maps to the file itself (the saved state never names a file).
   */
  readonly restoreId?: string;
}

export interface InitMessage {
  readonly type: 'init';
  readonly settings: ViewSettings;
  readonly platform: NodeJS.Platform;
}
export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: Snapshot;
  readonly workspace: readonly WorkspaceMember[];
}
export interface DeltaMessage {
  readonly type: 'delta';
  readonly delta: Delta;
  /** Present only when the workspace membership changed. */
  readonly workspace?: readonly WorkspaceMember[];
  /**
   * The tick's machine summary and history reach, as a `machine` message would carry them: one message per
   * tick instead of two (each message costs the webview's frames and VS Code's relay a task of their own).
   */
  readonly machine?: MachineSummary;
  readonly history?: MachineMessage['history'];
}
export interface IpcMessage {
  readonly type: 'ipc';
  readonly map: IpcMap;
}
export interface SettingsMessage {
  readonly type: 'settings';
  readonly settings: ViewSettings;
}
/** Select and reveal these processes (a debuggee, a lab's processes). */
export interface FocusMessage {
  readonly type: 'focus';
  readonly pids: readonly number[];
  readonly reason: string;
}
/** The focus with this reason no longer holds (the debug session that asked for it ended): drop its banner. */
export interface ClearFocusMessage {
  readonly type: 'clearFocus';
  readonly reason: string;
}
export interface LabCardMessage {
  readonly type: 'labCard';
  readonly card: LabCard | null;
}
/** A DAP thread name paired with an OS thread (LWP) of a debuggee; only pairings the debug tracker marked certain. */
export interface DebugThreadName {
  readonly tid: number;
  readonly dapName: string;
  /** The debug session's name (as in the "Debug: <name>" label). */
  readonly session: string;
  /** Why the pairing is certain (see mapThreadNames in src/extension/debug/debuggeeTracker.ts). */
  readonly reason: 'single-thread' | 'name-match';
}
/** The certain DAP thread names of one debuggee; an empty list clears them (session ended, pairing gone). */
export interface DebugThreadsMessage {
  readonly type: 'debugThreads';
  readonly pid: number;
  readonly threads: readonly DebugThreadName[];
}
/** A problem the whole view should show (no /proc, the sampler failed). */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}
export type ResponseMessage =
  | { readonly type: 'response'; readonly requestId: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: false; readonly error: string };

export type ToWebview =
  | InitMessage
  | SnapshotMessage
  | DeltaMessage
  | IpcMessage
  | SettingsMessage
  | FocusMessage
  | ClearFocusMessage
  | LabCardMessage
  | DebugThreadsMessage
  | WaitsOverviewMessage
  | MachineMessage
  | ErrorMessage
  | ResponseMessage;

// ---- webview -> host ----

// Every request that reads or acts on a process names it by its key (`pid@startTicks`), not only its pid: the
// host re-checks that identity immediately before acting and refuses, with nothing sent, when the pid now
// belongs to another process. `pid` must equal the key's pid.
export type Request =
  | { readonly kind: 'detail'; readonly pid: number; readonly key: ProcessKey; readonly includeEnv?: boolean }
  | { readonly kind: 'signal'; readonly pid: number; readonly key: ProcessKey; readonly signal: AllowedSignal }
  /** The process and its descendants in the host's newest snapshot, leaves first, each by its own identity. */
  | { readonly kind: 'signalTree'; readonly pid: number; readonly key: ProcessKey; readonly signal: AllowedSignal }
  /** Every process sharing the process's pgid in the host's newest snapshot, each by its own identity. */
  | { readonly kind: 'signalGroup'; readonly pid: number; readonly key: ProcessKey; readonly signal: AllowedSignal }
  /**
   * The processes the user selected in the panel, each by its own identity, confirmed once for all; one that
   * has exited or whose pid was reused is skipped and counted. At most MAX_SIGNAL_TARGETS of them.
   */
  | { readonly kind: 'signalMany'; readonly targets: readonly SignalTarget[]; readonly signal: AllowedSignal }
  | { readonly kind: 'renice'; readonly pid: number; readonly key: ProcessKey; readonly nice: number }
  | { readonly kind: 'copy'; readonly pid: number; readonly key: ProcessKey; readonly format: 'ps' | 'json' }
  | { readonly kind: 'openTerminal'; readonly pid: number; readonly key: ProcessKey }
  | { readonly kind: 'reveal'; readonly pid: number; readonly key: ProcessKey; readonly what: 'exe' | 'cwd' }
  | { readonly kind: 'attachDebugger'; readonly pid: number; readonly key: ProcessKey }
  | { readonly kind: 'waits'; readonly pid: number; readonly key: ProcessKey }
  /** The in-memory history's tick times and the lives in it (the timeline), with the thread strips of `threads`. */
  | { readonly kind: 'historyIndex'; readonly threads?: readonly ProcessKey[] }
  /** The process table as it was at the last tick taken at or before `at` (ms since the epoch). */
  | { readonly kind: 'historyAt'; readonly at: number }
  /** The page states of one mapping [start, end) of the process (hex addresses as /proc/PID/maps writes them). */
  | { readonly kind: 'pageMap'; readonly pid: number; readonly key: ProcessKey; readonly start: string; readonly end: string }
  /** Which processes the filter's look-up terms find (port:, file:, lock:, shm:, thread:, tstate:). */
  | { readonly kind: 'lookup'; readonly terms: readonly LookupTerm[] };

export interface SignalTarget {
  readonly pid: number;
  readonly key: ProcessKey;
}
/** The most processes one signalMany request may name (a selection larger than this is sent in parts). */
export type MaxSignalTargets = 4096;
export const MAX_SIGNAL_TARGETS: MaxSignalTargets = 4096;

/** A PCB detail plus what only the host can decide about the process. */
export type DetailResult = ProcessDetail & {
  /**
   * The process runs Node.js, judged from its executable (not its name or argv[0]): the only processes the
   * panel offers "Attach debugger" for.
   */
  readonly nodeRuntime: boolean;
};

/** How a tree or group signal went; all zero with `confirmed: false` when the user cancelled. */
export interface SignalManyResponse {
  readonly confirmed: boolean;
  readonly total: number;
  readonly sent: number;
  /** Exited, or whose pid now belongs to another process: nothing was sent to them. */
  readonly gone: number;
  readonly denied: number;
  readonly failed: number;
}

/** What a successful response carries, per request kind. */
export interface RequestResults {
  detail: DetailResult;
  signal: { readonly sent: boolean };
  signalTree: SignalManyResponse;
  signalGroup: SignalManyResponse;
  signalMany: SignalManyResponse;
  renice: { readonly nice: number };
  copy: { readonly text: string };
  openTerminal: { readonly cwd: string };
  reveal: { readonly path: string };
  attachDebugger: { readonly started: boolean };
  waits: WaitsResult;
  historyIndex: HistoryIndex | null;
  historyAt: PastTable | null;
  pageMap: PageMapResult;
  lookup: LookupResult;
}

// ---- find anything: the filter's reverse look-ups (answered in the worker, src/worker/lookup.ts) ----

/**
 * A filter term only the host can answer. Every process must satisfy all the terms of a request; the
 * thread terms (thread:, tstate:) together must hold for one same thread.
 */
export type LookupTerm =
  /** A TCP or UDP socket on this port, listening, bound or connected (either end), as `procscope who :PORT`. */
  | { readonly kind: 'port'; readonly port: number }
  /** The file (absolute path) open, mapped, or the cwd, root or executable, as `procscope who PATH`. */
  | { readonly kind: 'file'; readonly path: string }
  /** A lock held or waited for on the file (absolute path), as `procscope who lock:PATH`. */
  | { readonly kind: 'lock'; readonly path: string }
  /** A POSIX shared-memory object (/dev/shm/NAME), as `procscope who shm:NAME`. */
  | { readonly kind: 'shm'; readonly name: string }
  /** A SysV shared-memory segment attached, as `procscope who shmid:N`. */
  | { readonly kind: 'shmid'; readonly shmid: number }
  /** A thread whose name (comm) contains this text, case-insensitive. */
  | { readonly kind: 'thread'; readonly name: string }
  /** A thread in one of these state letters (`D`, `DR`, ...). */
  | { readonly kind: 'tstate'; readonly states: string };

/** Why a process was found: one use of the object, or one thread. Strings from the OS are raw (shown as text). */
export type LookupReason =
  | {
      readonly kind: 'socket';
      readonly how: 'listen' | 'bound' | 'connected';
      readonly protocol: 'tcp' | 'udp' | 'unix';
      readonly local: string;
      readonly remote: string | null;
    }
  | { readonly kind: 'file'; readonly how: 'fd' | 'mmap' | 'cwd' | 'root' | 'exe'; readonly path: string; readonly fd: number | null }
  | { readonly kind: 'lock'; readonly how: 'holder' | 'waiter'; readonly lockClass: string; readonly access: string; readonly path: string }
  | { readonly kind: 'shm'; readonly shmid: number }
  | { readonly kind: 'thread'; readonly tid: number; readonly name: string; readonly state: string };

export interface LookupMatch {
  readonly pid: number;
  readonly key: ProcessKey;
  /** The first few reasons (a process may map one file hundreds of times). */
  readonly reasons: readonly LookupReason[];
}

export type LookupResult =
  /** No /proc here (the portable backend on macOS or Windows): nothing can be looked up. */
  | { readonly available: false }
  | {
      readonly available: true;
      /** The processes that satisfy every term. */
      readonly matches: readonly LookupMatch[];
      /** Terms whose object could not be found (a path that does not exist, no such segment): `reason` is the errno. */
      readonly problems: readonly { readonly term: number; readonly reason: string }[];
      /** Processes whose fds, maps or threads could not be read (another user's): they may match unseen. */
      readonly unreadable: number;
    };

/** A table from the in-memory history: the tick's time and the processes as they were. */
export interface PastTable {
  readonly at: number;
  readonly snapshot: Snapshot;
}

/** What the threads of one process wait for (see src/core/waits/model.ts), for the detail pane. */
export interface WaitsResult {
  readonly key: ProcessKey;
  /** Its threads that wait for something (running threads are left out). */
  readonly threads: readonly ThreadWait[];
  /** The wait-for cycles this process is part of: each thread waits for the next, the last for the first. */
  readonly cycles: readonly (readonly { readonly pid: number; readonly tid: number }[])[];
  /** comm of the threads, holders and cycle members named above, keyed by `pid` or `pid/tid`. */
  readonly names: Readonly<Record<string, string>>;
  /** Yama's ptrace_scope, or null without Yama: why syscall files may be unreadable. */
  readonly ptraceScope: number | null;
}

/** One thread of a wait-for cycle, with its process's key (cycles are told apart by their members' keys). */
export interface CycleMember {
  readonly pid: number;
  readonly tid: number;
  readonly key: ProcessKey;
  readonly name: string;
}
export interface WaitCycle {
  readonly members: readonly CycleMember[];
}

/** A party that can wake a waiting thread: a thread, or a whole process (`tid` null: any of its threads). */
export interface WaitParty {
  readonly pid: number;
  readonly tid: number | null;
  /** comm of the thread (or of the process when `tid` is null); '' when it was not seen. */
  readonly name: string;
}

/** The most parties one brief names; `holderCount` says how many there are in all. */
export const WAIT_BRIEF_HOLDERS = 4;

/** One blocked thread's wait in brief: the tree's "Waiting for" column and the IPC view's Waits layer. */
export interface WaitBrief {
  readonly pid: number;
  readonly tid: number;
  /** The waiting thread's process (pid and start time). */
  readonly key: ProcessKey;
  /** The waiting thread's comm. */
  readonly name: string;
  readonly kind: WaitKind;
  /** Who can wake it, the first WAIT_BRIEF_HOLDERS of them. */
  readonly holders: readonly WaitParty[];
  readonly holderCount: number;
  /** The object waited on, language-free where it can be (a futex address, `pipe 1234`, a kernel function). */
  readonly object: string;
}

/**
 * What the threads of the processes in the panel's scope wait for, from the look the host makes after each IPC
 * scan (the same look that finds deadlocks): only threads in S or D with a known wait, sorted by pid and tid.
 */
export interface WaitsOverview {
  readonly threads: readonly WaitBrief[];
  readonly cycles: readonly WaitCycle[];
}

/**
 * The machine at a glance, with every tick: per-core CPU% since the previous tick, load average, memory as
 * `free` shows it and pressure stall information (each part null with its reason where it cannot be read).
 * `tasks` is not filled here: the panel counts the processes it already has.
 */
export interface MachineMessage {
  readonly type: 'machine';
  readonly summary: MachineSummary;
  /** How far the panel's in-memory history of ticks reaches (absent when none is kept). */
  readonly history?: { readonly ticks: number; readonly bytes: number; readonly maxBytes: number; readonly reachMs: number };
}

export interface WaitsOverviewMessage {
  readonly type: 'waitsOverview';
  readonly overview: WaitsOverview;
}

/**
 * How much the page needs the machine-wide IPC scan: 'live' while the IPC tab shows (every IPC refresh),
 * 'details' while a process's details show (its open files name sockets' peers from it: a slower cadence
 * does), 'none' otherwise. A scan walks every process's descriptors, so no scan runs that nothing shows.
 */
export type IpcNeed = 'live' | 'details' | 'none';

export type FromWebview =
  /**
   * The page is loaded and listening. `page` is the generation the host wrote into this page's start-up data
   * (StartupData.page): a `ready` from a page the host has since replaced is told apart and ignored. The
   * webview posts `ready` again, with backoff, until its first `snapshot` arrives; the host answers each one.
   */
  | { readonly type: 'ready'; readonly page?: number }
  | { readonly type: 'request'; readonly requestId: number; readonly request: Request }
  /** Processes whose threads the live poll should read (expanded or selected rows). */
  | { readonly type: 'watchThreads'; readonly pids: readonly number[] }
  | { readonly type: 'select'; readonly key: ProcessKey | null }
  | { readonly type: 'setScope'; readonly scope: Scope }
  | { readonly type: 'setShowKernelThreads'; readonly show: boolean }
  /** What of the IPC scan the page shows now (see IpcNeed): the host scans only as often as that needs. */
  | { readonly type: 'ipcNeed'; readonly need: IpcNeed }
  /** The page showed a past table and wants the newest whole one again (deltas follow it as usual). */
  | { readonly type: 'resync' }
  /**
   * A file was dropped on the panel: the uri (or path) as the drop gave it, for the host to check and open
   * as a recording. The page never reads the file.
   */
  | { readonly type: 'openRecording'; readonly uri: string };
