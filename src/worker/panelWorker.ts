// Worker-thread entry: the one place the extension host's process-table reads run (dist/panelWorker.js). It
// answers each subscriber's requests (the panel's ticks, IPC scans, PCB detail and waits; the debug tracker's
// polls) from that subscriber's own state (subscriber.ts). Pure Node: no vscode import.
import { parentPort } from 'node:worker_threads';
import { ProcScopeError } from '../core/errors';
import { ProcSampler, type ProcessSource } from '../core/sampler';
import type { WorkerMessage } from './protocol';
import { serveRequests } from './requestLoop';
import { Subscriber } from './subscriber';

const port = parentPort;
if (!port) throw new Error('panelWorker must run in a worker thread');

/** A ProcSampler whose synchronous poll is wrapped: this thread has nothing else to do while it reads. */
function syncSource(): ProcessSource {
  const sampler = new ProcSampler();
  return { backend: 'procfs', poll: (options) => Promise.resolve(sampler.pollSync(options)), dispose: () => sampler.dispose() };
}

const subscribers = new Map<number, Subscriber>();

/** The answer to one request from its subscriber's state; a subscriber is made on its first request. */
async function answer(request: WorkerMessage): Promise<unknown> {
  const subscriber = subscribers.get(request.subscriber) ?? new Subscriber(syncSource);
  // Checked before a new subscriber is kept: a request no handler answers leaves no state behind.
  if (!Object.hasOwn(subscriber.handlers, request.kind))
    throw new ProcScopeError('BAD_REQUEST', `unknown request kind ${JSON.stringify(String(request.kind))}`);
  if (request.kind === 'release') subscribers.delete(request.subscriber);
  else subscribers.set(request.subscriber, subscriber);
  const handle = subscriber.handlers[request.kind] as (request: WorkerMessage) => unknown;
  return handle(request);
}

serveRequests(port, answer);
