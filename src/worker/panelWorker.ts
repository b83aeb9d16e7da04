// Worker-thread entry for the panel: owns the sampler and the previous snapshot, and answers ticks (full
// snapshot or delta, with workspace membership), IPC scans and PCB detail. Pure Node: no vscode import.
import { parentPort } from 'node:worker_threads';
import { readProcessDetail } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { scanIpcSync } from '../core/ipc/scan';
import { ProcSampler } from '../core/sampler';
import type { WorkerKind, WorkerMessage, WorkerReply, WorkerRequest, WorkerResults } from './protocol';
import { TickEngine } from './tickEngine';
import { recentIpc, WaitsQuery } from './waitsQuery';
import type { IpcMap } from '../core/ipc/model';

const port = parentPort;
if (!port) throw new Error('panelWorker must run in a worker thread');

const sampler = new ProcSampler();
// The synchronous poll, wrapped: this thread has nothing else to do while it reads.
const engine = new TickEngine({ backend: 'procfs', poll: (options) => Promise.resolve(sampler.pollSync(options)), dispose: () => sampler.dispose() });

const waits = new WaitsQuery();
/** The newest IPC scan: the cycle look that follows it at the IPC cadence reuses its fd walk. */
let lastIpc: IpcMap | undefined;

type Handlers = { readonly [K in WorkerKind]: (request: WorkerRequest<K>) => WorkerResults[K] | Promise<WorkerResults[K]> };

const handlers: Handlers = {
  tick: (request) => engine.tick(request.tick),
  ipc: () => {
    lastIpc = scanIpcSync({ knownProcesses: engine.knownProcesses() });
    return lastIpc;
  },
  detail: (request) => readProcessDetail(request.pid, { includeEnv: request.includeEnv, ...(request.key !== undefined ? { key: request.key } : {}) }),
  waits: (request) => waits.forProcess(request.pid, request.key, recentIpc(lastIpc)),
  waitCycles: (request) => waits.cycles(request.pids, engine.knownProcesses(), lastIpc),
};

async function reply<K extends WorkerKind>(request: WorkerMessage<K>): Promise<WorkerReply<K>> {
  const handle: Handlers[K] = handlers[request.kind];
  try {
    return { id: request.id, kind: request.kind, ok: true, value: await handle(request) };
  } catch (error) {
    return {
      id: request.id,
      kind: request.kind,
      ok: false,
      code: error instanceof ProcScopeError ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

// Requests are answered one at a time, in order: a tick, a scan and a detail never interleave their reads.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerMessage) => {
  queue = queue.then(async () => port.postMessage(await reply(request)));
});
