// Everything the panel reads, behind one small interface: the tick (poll + diff + workspace scope), the IPC
// map and the PCB detail. On Linux they run in a worker thread (dist/panelWorker.js) because they are
// synchronous /proc reads (measured 4-9x faster than fs/promises for these tiny files) that must not stall the extension host;
// in-thread when the worker script is not there (portable backend). No vscode import.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readProcessDetail, type ProcessDetail } from '../core/detail';
import { ProcScopeError, type ProcScopeErrorCode } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import { scanIpcSync } from '../core/ipc/scan';
import { createSampler } from '../core/sampler';
import { TickEngine, type TickRequest, type TickResult } from './tickEngine';
import type { WaitsOverview, WaitsResult } from '../protocol';
import { recentIpc, WaitsQuery } from './waitsQuery';

export type BackendRequest =
  | { readonly id: number; readonly kind: 'tick'; readonly tick: TickRequest }
  | { readonly id: number; readonly kind: 'ipc' }
  | { readonly id: number; readonly kind: 'detail'; readonly pid: number; readonly includeEnv: boolean; readonly key?: string }
  | { readonly id: number; readonly kind: 'waits'; readonly pid: number; readonly key: string }
  | { readonly id: number; readonly kind: 'waitsOverview'; readonly pids: readonly number[] | null };

export type BackendReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: ProcScopeErrorCode | undefined; readonly message: string };

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
  /** What the blocked threads of `pids` (null: all) wait for, and the wait-for cycles touching them, using the
   * newest IPC scan for fd waits. */
  waitsOverview(pids: readonly number[] | null): Promise<WaitsOverview>;
  dispose(): void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

class WorkerBackend implements PanelBackend {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  constructor(script: string, evalSource: boolean) {
    this.worker = new Worker(script, { eval: evalSource });
    this.worker.unref();
    this.worker.on('message', (reply: BackendReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(reply.code ? new ProcScopeError(reply.code, reply.message) : new Error(reply.message));
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const w of this.pending.values()) w.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the panel's worker exited (code ${code})`)));
  }

  private ask<T>(request: WithoutId<BackendRequest>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  tick(request: TickRequest): Promise<TickResult> {
    return this.ask<TickResult>({ kind: 'tick', tick: request });
  }

  scanIpc(): Promise<IpcMap> {
    return this.ask<IpcMap>({ kind: 'ipc' });
  }

  detail(pid: number, includeEnv: boolean, key?: string): Promise<ProcessDetail> {
    return this.ask<ProcessDetail>({ kind: 'detail', pid, includeEnv, ...(key !== undefined ? { key } : {}) });
  }

  waits(pid: number, key: string): Promise<WaitsResult> {
    return this.ask<WaitsResult>({ kind: 'waits', pid, key });
  }

  waitsOverview(pids: readonly number[] | null): Promise<WaitsOverview> {
    return this.ask<WaitsOverview>({ kind: 'waitsOverview', pids });
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

  waitsOverview(pids: readonly number[] | null): Promise<WaitsOverview> {
    return Promise.resolve().then(() => this.waitsQuery.overview(pids, this.engine.knownProcesses(), this.lastIpc));
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
