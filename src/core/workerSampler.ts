// A ProcessSource that polls in a worker thread (sampleWorker.ts), for the extension host.
import { Worker } from 'node:worker_threads';
import { ProcScopeError, type ProcScopeErrorCode } from './errors';
import type { Snapshot } from './model';
import type { PollOptions, ProcessSource } from './sampler';

export interface WorkerRequest {
  readonly id: number;
  readonly threads: 'all' | 'none' | number[];
  readonly threadStatus?: boolean;
}

export type WorkerReply =
  | { readonly id: number; readonly snapshot: Snapshot }
  | { readonly id: number; readonly error: { readonly code: ProcScopeErrorCode | undefined; readonly message: string } };

export interface WorkerSamplerOptions {
  /** Path of the built worker script (dist/sampleWorker.js), or with `eval` the worker's source code. */
  readonly script: string;
  readonly eval?: boolean;
  readonly procRoot?: string;
}

export class WorkerSampler implements ProcessSource {
  readonly backend = 'procfs' as const;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: Snapshot) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  constructor(options: WorkerSamplerOptions) {
    this.worker = new Worker(options.script, { eval: options.eval ?? false, workerData: { procRoot: options.procRoot } });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if ('snapshot' in reply) waiter.resolve(reply.snapshot);
      else waiter.reject(reply.error.code ? new ProcScopeError(reply.error.code, reply.error.message) : new Error(reply.error.message));
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const w of this.pending.values()) w.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`sampler worker exited (code ${code})`)));
  }

  poll(options: PollOptions = {}): Promise<Snapshot> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const t = options.threads ?? 'none';
    const request: WorkerRequest = {
      id,
      threads: typeof t === 'string' ? t : [...t],
      ...(options.threadStatus === undefined ? {} : { threadStatus: options.threadStatus }),
    };
    return new Promise<Snapshot>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  dispose(): void {
    void this.worker.terminate();
  }
}
