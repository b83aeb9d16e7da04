// The one typed protocol between the extension host and its worker thread (src/worker/panelWorker.ts):
// every request kind with its fields, and the result each kind answers with (WorkerResults), so the host's
// client and the worker's dispatcher are checked against the same map. Types only, plain data: every value
// here crosses the thread boundary by structured clone.
//
// One worker serves every part of the host that reads the process table (the panel, the debug tracker):
// each is a subscriber with its own number, and the worker keeps each subscriber's sampling state apart
// (its previous poll for CPU% and deltas, the processes whose threads it reads), so one subscriber's polls
// never change what another sees. `release` drops a subscriber's state.
import type { WaitReport } from '../core/waits/model';
import type { RecordingHeader, TickLine } from '../core/record/format';
import type { HistoryIndex } from '../core/record/historyIndex';
import type { PastTable } from '../protocol';
import type { MachineSummary } from '../core/summary';
import type { ProcessDetail } from '../core/detail';
import type { PageMapResult } from '../core/pagemap';
import type { ProcScopeErrorCode } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import type { Delta, Snapshot } from '../core/model';
import type { WaitsOverview, WaitsResult, WorkspaceMember } from '../protocol';
import type { LookupResult, LookupTerm } from '../protocol';
import type { VsCodeKind } from './vscodeProcesses';
import type { NamedPid, WorkspaceFolderPath } from './workspaceScope';

/** Label templates with `{0}` for the name (already translated by the host). */
export interface LabelTemplates {
  readonly terminal: string;
  readonly task: string;
  readonly debug: string;
  readonly lab: string;
  readonly folder: string;
  readonly extensionHost: string;
  readonly vscode: string;
  readonly kinds: Readonly<Record<VsCodeKind, string>>;
}

/** What the host knows about this window, sent with each tick. */
export interface ScopeContext {
  readonly hostPid: number;
  readonly installRoot: string | null;
  readonly terminals: readonly NamedPid[];
  readonly tasks: readonly NamedPid[];
  readonly debuggees: readonly NamedPid[];
  readonly labs: readonly NamedPid[];
  readonly folders: readonly WorkspaceFolderPath[];
  readonly labels: LabelTemplates;
}

export interface TickRequest {
  /** Pids whose threads to read (expanded or selected rows). */
  readonly threads: readonly number[];
  /** Send the whole snapshot (after a handshake) instead of a delta. */
  readonly full: boolean;
  readonly scope: ScopeContext;
  /** The bound of the in-memory history of ticks, bytes (absent or 0: keep none). */
  readonly historyBytes?: number;
}

/** The lab's wait facts (null when not asked, or /proc could not be listed) and each readable exit status. */
export interface LabFacts {
  readonly waits: Pick<WaitReport, 'threads' | 'cycles'> | null;
  readonly exitStatus: Readonly<Record<number, number>>;
}

/** How far the in-memory history reaches now. */
export interface HistoryReach {
  readonly ticks: number;
  /** Its estimated size (JSON length of the oldest tick whole and every delta) and the bound. */
  readonly bytes: number;
  readonly maxBytes: number;
  /** From its oldest tick to its newest, ms. */
  readonly reachMs: number;
}

export type TickResult =
  | {
      readonly kind: 'snapshot';
      readonly snapshot: Snapshot;
      readonly members: readonly WorkspaceMember[];
      readonly machine?: MachineSummary;
      readonly history?: HistoryReach;
    }
  /** `members` only when the membership changed since the last tick; `machine`: CPU, load, memory and pressure. */
  | {
      readonly kind: 'delta';
      readonly delta: Delta;
      readonly members?: readonly WorkspaceMember[];
      readonly machine?: MachineSummary;
      readonly history?: HistoryReach;
    };

/** The fields of each request kind (without the `kind` and `id` every message carries). */
export interface WorkerRequestFields {
  readonly tick: { readonly tick: TickRequest };
  readonly ipc: Record<never, never>;
  readonly detail: { readonly pid: number; readonly includeEnv: boolean; readonly key?: string };
  readonly waits: { readonly pid: number; readonly key: string };
  readonly waitsOverview: { readonly pids: readonly number[] | null };
  /** The in-memory history as recording lines (src/core/record/format.ts), to be written to a file. */
  readonly history: { readonly producer: string };
  /** `threads`: the processes whose per-thread state strips the index carries. */
  readonly historyIndex: { readonly threads?: readonly string[] };
  readonly historyAt: { readonly at: number };
  /** What a lab's rules read beyond the snapshot: its threads' waits (null: none asked) and its zombies' exit status. */
  readonly labFacts: { readonly waitPids: readonly number[] | null; readonly exitPids: readonly number[] };
  /** One poll of the whole process table, with the threads of these pids (or of none). */
  readonly poll: { readonly threads: readonly number[] | 'none' };
  readonly release: Record<never, never>;
  /** The page states of one mapping [start, end) (hex) of the process with this key, read on request only. */
  readonly pageMap: { readonly pid: number; readonly key: string; readonly start: string; readonly end: string };
  /** The processes the filter's look-up terms find (src/worker/lookup.ts). */
  readonly lookup: { readonly terms: readonly LookupTerm[] };
}

/** What each request kind answers with. */
export interface WorkerResults {
  readonly tick: TickResult;
  readonly ipc: IpcMap;
  readonly detail: ProcessDetail;
  readonly waits: WaitsResult;
  readonly waitsOverview: WaitsOverview;
  /** The header and the ticks, or null when no history is kept (or none yet). */
  readonly history: [RecordingHeader, ...TickLine[]] | null;
  readonly historyIndex: HistoryIndex | null;
  readonly historyAt: PastTable | null;
  readonly labFacts: LabFacts;
  readonly poll: Snapshot;
  readonly release: null;
  readonly pageMap: PageMapResult;
  readonly lookup: LookupResult;
}

export type WorkerKind = keyof WorkerRequestFields & keyof WorkerResults;

/** A request of kind K (of any kind by default). */
export type WorkerRequest<K extends WorkerKind = WorkerKind> = { [P in K]: { readonly kind: P } & WorkerRequestFields[P] }[K];

/** A request as posted: with the id its reply carries back and the subscriber it is for. */
export type WorkerMessage<K extends WorkerKind = WorkerKind> = WorkerRequest<K> & { readonly id: number; readonly subscriber: number };

/** The reply to the request with this id and kind: its result, or the error it raised. */
export type WorkerReply<K extends WorkerKind = WorkerKind> = {
  [P in K]:
    | { readonly id: number; readonly kind: P; readonly ok: true; readonly value: WorkerResults[P] }
    | {
        readonly id: number;
        readonly kind: P;
        readonly ok: false;
        readonly code: ProcScopeErrorCode | undefined;
        readonly message: string;
      };
}[K];
