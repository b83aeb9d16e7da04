// Worker-thread entry for the panel: owns the sampler and the previous snapshot, and answers ticks (full
// snapshot or delta, with workspace membership), IPC scans and PCB detail. Pure Node: no vscode import.
import { parentPort } from 'node:worker_threads';
import { readProcessDetail } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { scanIpcSync } from '../core/ipc/scan';
import { ProcSampler } from '../core/sampler';
import type { BackendReply, BackendRequest } from './backend';
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

function answer(request: BackendRequest): Promise<unknown> | unknown {
  switch (request.kind) {
    case 'tick':
      return engine.tick(request.tick);
    case 'ipc':
      lastIpc = scanIpcSync({ knownProcesses: engine.knownProcesses() });
      return lastIpc;
    case 'detail':
      return readProcessDetail(request.pid, { includeEnv: request.includeEnv, ...(request.key !== undefined ? { key: request.key } : {}) });
    case 'waits':
      return waits.forProcess(request.pid, request.key, recentIpc(lastIpc));
    case 'waitCycles':
      return waits.cycles(request.pids, engine.knownProcesses(), lastIpc);
  }
}

function failure(id: number, error: unknown): BackendReply {
  return {
    id,
    ok: false,
    code: error instanceof ProcScopeError ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

// Requests are answered one at a time, in order: a tick, a scan and a detail never interleave their reads.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: BackendRequest) => {
  queue = queue.then(async () => {
    let reply: BackendReply;
    try {
      const value = await answer(request);
      reply = { id: request.id, ok: true, value };
    } catch (error) {
      reply = failure(request.id, error);
    }
    port.postMessage(reply);
  });
});
