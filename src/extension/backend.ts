// Everything the panel reads, behind one small interface: the tick (poll + diff + workspace scope), the IPC
// map and the PCB detail. On Linux they run in a worker thread (dist/panelWorker.js) because they are
// synchronous /proc reads (measured 4-9x faster than fs/promises for these tiny files) that must not stall the extension host;
// in-thread when the worker script is not there (portable backend). No vscode import.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readProcessDetail, type ProcessDetail } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import { scanIpcSync } from '../core/ipc/scan';
import { createSampler } from '../core/sampler';
import { TickEngine } from '../worker/tickEngine';
import type { WaitCycle, WaitsResult } from '../protocol';
import type { TickRequest, TickResult, WorkerKind, WorkerMessage, WorkerReply, WorkerRequest, WorkerResults } from '../worker/protocol';
import { recentIpc, WaitsQuery } from '../worker/waitsQuery';

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
  /** Wait-for cycles touching `pids` (null: all), using the newest IPC scan for fd waits. */
  waitCycles(pids: readonly number[] | null): Promise<WaitCycle[]>;
  dispose(): void;
}

interface Waiter<K extends WorkerKind> {
  readonly resolve: (value: WorkerResults[K]) => void;
  readonly reject: (error: Error) => void;
}
/** Requests in flight, one map per kind, so a reply's value reaches a waiter typed for its kind. */
type PendingByKind = { [K in WorkerKind]: Map<number, Waiter<K>> };

class WorkerBackend implements PanelBackend {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending: PendingByKind = { tick: new Map(), ipc: new Map(), detail: new Map(), waits: new Map(), waitCycles: new Map() };
  private failure: Error | undefined;

  constructor(script: string, evalSource: boolean) {
    this.worker = new Worker(script, { eval: evalSource });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    const fail = (error: Error): void => {
      this.failure = error;
      for (const waiters of Object.values(this.pending)) {
        for (const w of waiters.values()) w.reject(error);
        waiters.clear();
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the panel's worker exited (code ${code})`)));
  }

  private settle<K extends WorkerKind>(reply: WorkerReply<K>): void {
    const waiters: PendingByKind[K] = this.pending[reply.kind];
    const waiter = waiters.get(reply.id);
    if (!waiter) return;
    waiters.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(reply.code ? new ProcScopeError(reply.code, reply.message) : new Error(reply.message));
  }

  private ask<K extends WorkerKind>(request: WorkerRequest<K>): Promise<WorkerResults[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const waiters: PendingByKind[K] = this.pending[request.kind];
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      waiters.set(id, { resolve, reject });
      const message: WorkerMessage<K> = { ...request, id };
      this.worker.postMessage(message);
    });
  }

  tick(request: TickRequest): Promise<TickResult> {
    return this.ask({ kind: 'tick', tick: request });
  }

  scanIpc(): Promise<IpcMap> {
    return this.ask({ kind: 'ipc' });
  }

  detail(pid: number, includeEnv: boolean, key?: string): Promise<ProcessDetail> {
    return this.ask({ kind: 'detail', pid, includeEnv, ...(key !== undefined ? { key } : {}) });
  }

  waits(pid: number, key: string): Promise<WaitsResult> {
    return this.ask({ kind: 'waits', pid, key });
  }

  waitCycles(pids: readonly number[] | null): Promise<WaitCycle[]> {
    return this.ask({ kind: 'waitCycles', pids });
  }

  dispose(): void {
    void this.worker.terminate();
  }
}

class InThreadBackend implements PanelBackend {
  private readonly engine = new TickEngine(createSampler());
  private readonly waitsQuery = new WaitsQuery();
  private lastIpc: IpcMap | undefined;

  tick(request: TickRequest): Promise<TickResult> {
    return this.engine.tick(request);
  }

  scanIpc(): Promise<IpcMap> {
    return Promise.resolve().then(() => {
      this.lastIpc = scanIpcSync({ knownProcesses: this.engine.knownProcesses() });
      return this.lastIpc;
    });
  }

  detail(pid: number, includeEnv: boolean, key?: string): Promise<ProcessDetail> {
    return Promise.resolve().then(() => readProcessDetail(pid, { includeEnv, ...(key !== undefined ? { key } : {}) }));
  }

  waits(pid: number, key: string): Promise<WaitsResult> {
    return Promise.resolve().then(() => this.waitsQuery.forProcess(pid, key, recentIpc(this.lastIpc)));
  }

  waitCycles(pids: readonly number[] | null): Promise<WaitCycle[]> {
    return Promise.resolve().then(() => this.waitsQuery.cycles(pids, this.engine.knownProcesses(), this.lastIpc));
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/**
 * The worker from a built script path (in-thread when it is missing or this is not Linux), or, for tests,
 * from JavaScript source that loads the .ts entry through tsx.
 */
export function createBackend(worker: string | { readonly evalSource: string }): PanelBackend {
  if (typeof worker !== 'string') return new WorkerBackend(worker.evalSource, true);
  return process.platform === 'linux' && existsSync(worker) ? new WorkerBackend(worker, false) : new InThreadBackend();
}
