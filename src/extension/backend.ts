// The host's one way to read the process table: a SamplerService owns one worker thread
// (dist/panelWorker.js, src/worker/) that every reader subscribes to: the panel (ticks = poll + diff +
// workspace scope, the IPC map, PCB detail, waits) and the debug tracker (polls of the process table). Those
// are synchronous /proc reads (measured 4-9x faster than fs/promises for these tiny files) that must not stall
// the extension host; they run in-thread only where there is no worker script or no /proc (the portable
// backend). No vscode import.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ProcessDetail } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import type { PageMapResult } from '../core/pagemap';
import type { Snapshot } from '../core/model';
import { createSampler, type ProcessSource } from '../core/sampler';
import type { LookupTerm, WaitsOverview, WaitsResult } from '../protocol';
import type { TickRequest, TickResult, WorkerKind, WorkerMessage, WorkerReply, WorkerRequest, WorkerResults } from '../worker/protocol';
import { Subscriber } from '../worker/subscriber';

export interface PanelBackend {
  tick(request: TickRequest): Promise<TickResult>;
  scanIpc(): Promise<IpcMap>;
  /**
   * The PCB of `pid`; with `key`, of that process only: a pid now held by another process (or a key the
   * sampler told apart as a later incarnation) is NO_SUCH_PROCESS, never the other process's detail.
   */
  detail(pid: number, includeEnv: boolean, key?: string): Promise<ProcessDetail>;
  /** What the threads of the process with this key wait for; NO_SUCH_PROCESS once the key's process is gone. */
  waits(pid: number, key: string): Promise<WaitsResult>;
  /** What the blocked threads of `pids` wait for and the wait-for cycles through them (the look follows the waits from there), using the newest IPC scan for fd waits. */
  waitsOverview(pids: readonly number[] | null): Promise<WaitsOverview>;
  /** The in-memory history of ticks as recording lines (null when none is kept). */
  history(producer: string): Promise<WorkerResults['history']>;
  historyIndex(threads?: readonly string[]): Promise<WorkerResults['historyIndex']>;
  historyAt(at: number): Promise<WorkerResults['historyAt']>;
  /** What a lab's rules read beyond the snapshot, read in the worker. */
  labFacts(waitPids: readonly number[] | null, exitPids: readonly number[]): Promise<WorkerResults['labFacts']>;
  /** The page states of the mapping [start, end) (hex) of the process with this key; NO_SUCH_PROCESS once it is gone. */
  pageMap(pid: number, key: string, start: string, end: string): Promise<PageMapResult>;
  /** The processes the filter's look-up terms find; `available: false` where there is no /proc. */
  lookup(terms: readonly LookupTerm[]): Promise<WorkerResults['lookup']>;
  dispose(): void;
}

/** One reader's view of the shared sampler: the panel's questions, and a plain poll for the debug tracker. */
export interface SamplerSubscription extends PanelBackend {
  /** The whole process table, with the threads of these pids (or of none), from this subscriber's own sampler. */
  poll(threads: readonly number[] | 'none'): Promise<Snapshot>;
}

/** Where the worker comes from: a built script path, or (tests) JavaScript source that loads the .ts entry. */
export type WorkerSource = string | { readonly evalSource: string };

/** The sampler worker stopped answering (and was replaced) or exited: the host words it for the user. */
export class WorkerLostError extends Error {
  constructor(readonly how: { readonly stuckSeconds: number } | { readonly exitCode: number }) {
    super(
      'stuckSeconds' in how
        ? `ProcScope's sampler worker did not answer for ${how.stuckSeconds} s; it was replaced`
        : `ProcScope's sampler worker exited unexpectedly (code ${how.exitCode})`,
    );
    this.name = 'WorkerLostError';
  }
}

/**
 * A request was in flight when its subscription's worker was stopped on purpose (the last subscriber left):
 * not a failure of the sampler, and nothing to report to the user.
 */
export class SamplerStoppedError extends Error {
  constructor() {
    super("ProcScope's sampler was stopped: its last subscriber left while this request was in flight");
    this.name = 'SamplerStoppedError';
  }
}

interface Transport {
  /** Set once the transport can answer nothing more (its worker died). */
  readonly failure: Error | undefined;
  ask<K extends WorkerKind>(subscriber: number, request: WorkerRequest<K>): Promise<WorkerResults[K]>;
  dispose(): void;
}

interface Waiter<K extends WorkerKind> {
  readonly resolve: (value: WorkerResults[K]) => void;
  readonly reject: (error: Error) => void;
}
/** Requests in flight, one map per kind, so a reply's value reaches a waiter typed for its kind. */
type PendingByKind = { [K in WorkerKind]: Map<number, Waiter<K>> };

/** Options of the sampler service; the defaults are the product's, tests shorten them. */
export interface SamplerServiceOptions {
  /**
   * A worker that has left a request unanswered this long is taken as stuck (a read blocked on a hung NFS
   * or FUSE mount, a loop): its requests fail with that reason and it is replaced. The slowest answers
   * measured (a cold IPC scan of 4,000 processes on a loaded machine) take a few seconds.
   */
  readonly answerTimeoutMs?: number;
  /** The least time between two replacements of a worker that died or got stuck (a worker that dies at once is not restarted in a loop). */
  readonly restartMinMs?: number;
  /** Told each time a dead or stuck worker is replaced, with why the old one ended (the extension logs it). */
  readonly onRestart?: (why: Error) => void;
}

const ANSWER_TIMEOUT_MS = 60_000;
const RESTART_MIN_MS = 5_000;

class WorkerTransport implements Transport {
  private readonly worker: Worker;
  private nextId = 1;
  /** When each request in flight was sent, by id (requests of every kind share the id counter). */
  private readonly sentAt = new Map<number, number>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly pending: PendingByKind = {
    tick: new Map(),
    ipc: new Map(),
    detail: new Map(),
    waits: new Map(),
    waitsOverview: new Map(),
    history: new Map(),
    historyIndex: new Map(),
    historyAt: new Map(),
    labFacts: new Map(),
    poll: new Map(),
    release: new Map(),
    pageMap: new Map(),
    lookup: new Map(),
  };
  failure: Error | undefined;
  /** Set by dispose(): the exit that follows is the one asked for, not a crash. */
  private stopping = false;

  constructor(script: string, evalSource: boolean, answerTimeoutMs: number) {
    this.worker = new Worker(script, { eval: evalSource });
    this.worker.unref();
    // The worker answers one request at a time, in order: the oldest unanswered one says whether it is stuck.
    this.watchdog = setInterval(
      () => {
        const oldest = this.sentAt.values().next();
        if (oldest.done || Date.now() - oldest.value < answerTimeoutMs) return;
        this.fail(new WorkerLostError({ stuckSeconds: Math.round(answerTimeoutMs / 1000) }));
        void this.worker.terminate();
      },
      Math.min(5000, answerTimeoutMs),
    );
    this.watchdog.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    // An uncaught error arrives as 'error' and then 'exit' (code 1): keep the error, whose stack says why. An
    // exit after dispose() is the terminate it asked for (also code 1), which must not read as a crash.
    this.worker.on('exit', (code) =>
      this.fail(this.failure ?? (this.stopping ? new SamplerStoppedError() : new WorkerLostError({ exitCode: code }))),
    );
  }

  private fail(error: Error): void {
    clearInterval(this.watchdog);
    this.sentAt.clear();
    this.failure = error;
    for (const waiters of Object.values(this.pending)) {
      for (const w of waiters.values()) w.reject(error);
      waiters.clear();
    }
  }

  private settle(reply: WorkerReply): void {
    // Only a reply to a request still waiting settles anything; any other message (a kind this host does not
    // know, an id already answered) is not this host's to act on and must not throw in its event handler.
    const waiters = (this.pending as Partial<Record<string, Map<number, Waiter<WorkerKind>>>>)[reply?.kind];
    const waiter = waiters?.get(reply.id);
    if (!waiter) return;
    waiters!.delete(reply.id);
    this.sentAt.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(reply.code ? new ProcScopeError(reply.code, reply.message) : new Error(reply.message));
  }

  ask<K extends WorkerKind>(subscriber: number, request: WorkerRequest<K>): Promise<WorkerResults[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const waiters: PendingByKind[K] = this.pending[request.kind];
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      waiters.set(id, { resolve, reject });
      const message: WorkerMessage<K> = { ...request, id, subscriber };
      try {
        this.worker.postMessage(message);
        this.sentAt.set(id, Date.now());
      } catch (error) {
        // Not cloneable (DataCloneError): never sent, so nothing will answer it.
        waiters.delete(id);
        throw error;
      }
    });
  }

  dispose(): void {
    if (this.stopping) return;
    this.stopping = true;
    // Requests still in flight are answered now, with an error that says the sampler was stopped on purpose.
    if (!this.failure) this.fail(new SamplerStoppedError());
    void this.worker.terminate();
  }
}

/** The same subscribers answered on this thread, where there is no worker (the portable backend). */
class InThreadTransport implements Transport {
  private readonly subscribers = new Map<number, Subscriber>();
  readonly failure = undefined;

  constructor(private readonly newSource: () => ProcessSource = createSampler) {}

  ask<K extends WorkerKind>(subscriber: number, request: WorkerRequest<K>): Promise<WorkerResults[K]> {
    let state = this.subscribers.get(subscriber);
    if (!state) {
      state = new Subscriber(this.newSource);
      this.subscribers.set(subscriber, state);
    }
    if (request.kind === 'release') this.subscribers.delete(subscriber);
    const handle = state.handlers[request.kind];
    return Promise.resolve().then(() => handle(request));
  }

  dispose(): void {
    for (const state of this.subscribers.values()) state.dispose();
    this.subscribers.clear();
  }
}

function openTransport(worker: WorkerSource, answerTimeoutMs: number): Transport {
  // Test hook only: the end-to-end tests run the portable backend (as macOS and Windows do) on Linux.
  if (process.env.PROCSCOPE_TEST_BACKEND === 'portable') return new InThreadTransport(() => createSampler({ backend: 'portable' }));
  if (typeof worker !== 'string') return new WorkerTransport(worker.evalSource, true, answerTimeoutMs);
  return process.platform === 'linux' && existsSync(worker) ? new WorkerTransport(worker, false, answerTimeoutMs) : new InThreadTransport();
}

type Held = { readonly transport: Transport; live: number };

/**
 * The one sampler service of the extension host. The worker starts with the first subscription and ends
 * with the last, as the panel's own worker and the debug tracker's sampler each did before. A worker that
 * died or got stuck fails the requests it held; the next request of any subscriber goes to a new worker
 * (at most one replacement per restartMinMs), so an open panel recovers without being reopened. What the old
 * worker kept (each subscriber's previous table, the in-memory history) is gone: the next tick is a whole
 * snapshot.
 */
export class SamplerService {
  private current: Held | undefined;
  private nextSubscriber = 1;
  private restartedAt = 0;
  private readonly answerTimeoutMs: number;
  private readonly restartMinMs: number;

  constructor(
    private readonly worker: WorkerSource,
    private readonly options: SamplerServiceOptions = {},
  ) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
    this.restartMinMs = options.restartMinMs ?? RESTART_MIN_MS;
  }

  /** The live worker for a subscriber whose worker failed: the current one, or a new one when allowed. */
  private replacement(failed: Held): Held | undefined {
    if (this.current && this.current !== failed && !this.current.transport.failure) return this.current;
    if (Date.now() - this.restartedAt < this.restartMinMs) return undefined;
    this.restartedAt = Date.now();
    this.options.onRestart?.(failed.transport.failure!);
    this.current = { transport: openTransport(this.worker, this.answerTimeoutMs), live: 0 };
    return this.current;
  }

  subscribe(): SamplerSubscription {
    if (!this.current || this.current.transport.failure)
      this.current = { transport: openTransport(this.worker, this.answerTimeoutMs), live: 0 };
    let held = this.current;
    held.live++;
    const id = this.nextSubscriber++;
    let released = false;
    const ask = <K extends WorkerKind>(request: WorkerRequest<K>): Promise<WorkerResults[K]> => {
      if (released) return Promise.reject(new Error('this sampler subscription was disposed'));
      const failure = held.transport.failure;
      if (failure && !(failure instanceof SamplerStoppedError)) {
        const next = this.replacement(held);
        if (next) {
          held.live--;
          held = next;
          held.live++;
        }
      }
      return held.transport.ask(id, request);
    };
    return {
      tick: (request) => ask({ kind: 'tick', tick: request }),
      scanIpc: () => ask({ kind: 'ipc' }),
      detail: (pid, includeEnv, key) => ask({ kind: 'detail', pid, includeEnv, ...(key !== undefined ? { key } : {}) }),
      waits: (pid, key) => ask({ kind: 'waits', pid, key }),
      waitsOverview: (pids) => ask({ kind: 'waitsOverview', pids }),
      history: (producer) => ask({ kind: 'history', producer }),
      historyIndex: (threads = []) => ask({ kind: 'historyIndex', threads }),
      historyAt: (at) => ask({ kind: 'historyAt', at }),
      labFacts: (waitPids, exitPids) => ask({ kind: 'labFacts', waitPids, exitPids }),
      poll: (threads) => ask({ kind: 'poll', threads }),
      pageMap: (pid, key, start, end) => ask({ kind: 'pageMap', pid, key, start, end }),
      lookup: (terms) => ask({ kind: 'lookup', terms }),
      dispose: () => {
        if (released) return;
        released = true;
        held.live--;
        if (held.live > 0) {
          void held.transport.ask(id, { kind: 'release' }).catch(() => undefined);
        } else {
          held.transport.dispose();
          if (this.current === held) this.current = undefined;
        }
      },
    };
  }

  dispose(): void {
    this.current?.transport.dispose();
    this.current = undefined;
  }
}

/** A subscription to a service of its own (tests and benchmarks): disposing it ends the worker. */
export function createBackend(worker: WorkerSource): SamplerSubscription {
  return new SamplerService(worker).subscribe();
}
