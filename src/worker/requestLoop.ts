// The worker's request loop, apart from the thread it runs in so a test can drive it over a real MessageChannel.
// A rejected promise nobody handles ends a worker thread (exit code 1) and with it every subscriber's state,
// so nothing here may throw out of the loop: every failure, including a reply that cannot be sent, becomes the
// error reply of the request that caused it.
import { ProcScopeError } from '../core/errors';
import type { WorkerKind, WorkerMessage, WorkerReply } from './protocol';

/** What the loop needs of a port (a worker's parentPort, one end of a MessageChannel). */
export interface RequestPort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(value: unknown): void;
}

/** Answers one well-formed request (its result, or the error it raised). */
export type Answer = (request: WorkerMessage) => Promise<unknown>;

function errorReply(id: number, kind: string, error: unknown): WorkerReply {
  return {
    id,
    kind: kind as WorkerKind,
    ok: false,
    code: error instanceof ProcScopeError ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * A request the loop can address a reply to: an object with a numeric id, a string kind and a numeric
 * subscriber. Anything else came from no client of this protocol: there is nobody to answer, so it is dropped.
 */
function addressable(message: unknown): message is WorkerMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { id?: unknown; kind?: unknown; subscriber?: unknown };
  return Number.isSafeInteger(m.id) && typeof m.kind === 'string' && Number.isSafeInteger(m.subscriber);
}

/**
 * Answers the port's requests one at a time, in order (a tick, a scan, a poll and a detail never interleave
 * their reads, and two subscribers never hold more descriptors at once than one of them).
 */
export function serveRequests(port: RequestPort, answer: Answer): void {
  let queue: Promise<void> = Promise.resolve();
  const send = (reply: WorkerReply): void => {
    try {
      port.postMessage(reply);
    } catch (error) {
      // The value cannot cross the thread boundary (DataCloneError: a function, a symbol, a host object in
      // it). The request still gets its answer, as an error naming why.
      try {
        const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        port.postMessage(errorReply(reply.id, reply.kind, new Error(`the answer could not be sent to the host (${why})`)));
      } catch {
        // The port itself is gone (the thread is ending): nobody is left to answer.
      }
    }
  };
  const serve = async (message: unknown): Promise<void> => {
    if (!addressable(message)) return;
    let reply: WorkerReply;
    try {
      reply = { id: message.id, kind: message.kind, ok: true, value: await answer(message) } as WorkerReply;
    } catch (error) {
      reply = errorReply(message.id, message.kind, error);
    }
    send(reply);
  };
  port.on('message', (message) => {
    // serve() catches everything it can meet; the final catch keeps the chain alive should that ever change.
    queue = queue.then(() => serve(message)).catch(() => undefined);
  });
}
