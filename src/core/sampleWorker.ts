// Worker-thread entry: owns one ProcSampler so a poll never blocks the extension host's event loop
// (a synchronous poll of 8,000 tasks takes 100+ ms; see docs/PERFORMANCE.md).
import { parentPort, workerData } from 'node:worker_threads';
import { ProcScopeError } from './errors';
import { ProcSampler } from './sampler';
import type { WorkerReply, WorkerRequest } from './workerSampler';

const port = parentPort;
if (!port) throw new Error('sampleWorker must run in a worker thread');
const sampler = new ProcSampler({ procRoot: (workerData as { procRoot?: string } | undefined)?.procRoot });

port.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const snapshot = sampler.pollSync({ threads: request.threads, threadStatus: request.threadStatus });
    reply = { id: request.id, snapshot };
  } catch (error) {
    reply = {
      id: request.id,
      error: {
        code: error instanceof ProcScopeError ? error.code : undefined,
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
  port.postMessage(reply);
});
