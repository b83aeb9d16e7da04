// Worker-thread entry: the one place the extension host's process-table reads run (dist/panelWorker.js). It
// answers each subscriber's requests (the panel's ticks, IPC scans, PCB detail and waits; the debug tracker's
// polls) from that subscriber's own state (subscriber.ts). Pure Node: no vscode import.
import { parentPort } from 'node:worker_threads';
import { ProcScopeError } from '../core/errors';
import { ProcSampler, type ProcessSource } from '../core/sampler';
import type { WorkerKind, WorkerMessage, WorkerReply } from './protocol';
import { Subscriber } from './subscriber';

const port = parentPort;
if (!port) throw new Error('panelWorker must run in a worker thread');

/** A ProcSampler whose synchronous poll is wrapped: this thread has nothing else to do while it reads. */
function syncSource(): ProcessSource {
  const sampler = new ProcSampler();
  return { backend: 'procfs', poll: (options) => Promise.resolve(sampler.pollSync(options)), dispose: () => sampler.dispose() };
}

const subscribers = new Map<number, Subscriber>();

async function reply<K extends WorkerKind>(request: WorkerMessage<K>): Promise<WorkerReply<K>> {
  let subscriber = subscribers.get(request.subscriber);
  if (!subscriber) {
    subscriber = new Subscriber(syncSource);
    subscribers.set(request.subscriber, subscriber);
  }
  if (request.kind === 'release') subscribers.delete(request.subscriber);
  try {
    const handle = subscriber.handlers[request.kind];
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

// Requests are answered one at a time, in order: a tick, a scan, a poll and a detail never interleave their
// reads (and two subscribers never hold more descriptors at once than one of them).
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerMessage) => {
  queue = queue.then(async () => port.postMessage(await reply(request)));
});
