// The IPC map and the PCB detail, read in a worker thread (ipcWorker.ts) so the extension host never blocks
// on them; in-thread when the worker script is not there (unit tests run from sources). No vscode import.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readProcessDetail, type ProcessDetail } from '../core/detail';
import { ProcScopeError, type ProcScopeErrorCode } from '../core/errors';
import type { IpcMap } from '../core/ipc/model';
import { scanIpcSync } from '../core/ipc/scan';

export type SlowRequest =
  | { readonly id: number; readonly kind: 'ipc' }
  | { readonly id: number; readonly kind: 'detail'; readonly pid: number; readonly includeEnv: boolean };

export type SlowReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: ProcScopeErrorCode | undefined; readonly message: string };

export interface SlowReads {
  scanIpc(): Promise<IpcMap>;
  detail(pid: number, includeEnv: boolean): Promise<ProcessDetail>;
  dispose(): void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

class WorkerReads implements SlowReads {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  constructor(script: string, evalSource: boolean) {
    this.worker = new Worker(script, { eval: evalSource });
    this.worker.unref();
    this.worker.on('message', (reply: SlowReply) => {
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
    this.worker.on('exit', (code) => fail(new Error(`IPC/detail worker exited (code ${code})`)));
  }

  private ask<T>(request: WithoutId<SlowRequest>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  scanIpc(): Promise<IpcMap> {
    return this.ask<IpcMap>({ kind: 'ipc' });
  }

  detail(pid: number, includeEnv: boolean): Promise<ProcessDetail> {
    return this.ask<ProcessDetail>({ kind: 'detail', pid, includeEnv });
  }

  dispose(): void {
    void this.worker.terminate();
  }
}

class InThreadReads implements SlowReads {
  scanIpc(): Promise<IpcMap> {
    return Promise.resolve().then(() => scanIpcSync());
  }

  detail(pid: number, includeEnv: boolean): Promise<ProcessDetail> {
    return Promise.resolve().then(() => readProcessDetail(pid, { includeEnv }));
  }

  dispose(): void {}
}

/** The worker from a built script path, or (tests) from JavaScript source that loads the .ts entry through tsx. */
export function createSlowReads(worker: string | { readonly evalSource: string }): SlowReads {
  if (typeof worker !== 'string') return new WorkerReads(worker.evalSource, true);
  return existsSync(worker) ? new WorkerReads(worker, false) : new InThreadReads();
}
