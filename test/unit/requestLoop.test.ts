// The worker's request loop (src/worker/requestLoop.ts) never dies of one request: an answer that throws, a
// value that cannot be cloned (DataCloneError) and a message no client could address each end in at most an
// error reply for that request, and the requests after it are answered. Driven over a real MessageChannel, and
// through the real worker thread (src/worker/panelWorker.ts) with messages posted to it directly.
import assert from 'node:assert/strict';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { test } from 'node:test';
import { ProcScopeError } from '../../src/core/errors';
import type { WorkerMessage, WorkerReply } from '../../src/worker/protocol';
import { serveRequests } from '../../src/worker/requestLoop';

/** Replies arriving on `port`, in order; next() waits for one (failing after `ms`). */
function replies(port: MessagePort | Worker, ms = 20_000): { next(): Promise<WorkerReply> } {
  const got: WorkerReply[] = [];
  const waiting: ((r: WorkerReply) => void)[] = [];
  let ended: Error | undefined;
  // A worker that ends answers nothing more: say so at once rather than at the timeout.
  port.on('exit', (code: number) => (ended = new Error(`the worker exited (code ${code}) before replying`)));
  port.on('message', (r: WorkerReply) => {
    const w = waiting.shift();
    if (w) w(r);
    else got.push(r);
  });
  return {
    next: () =>
      got.length > 0
        ? Promise.resolve(got.shift()!)
        : new Promise<WorkerReply>((resolve, reject) => {
            const started = Date.now();
            const timer = setInterval(() => {
              if (ended) reject(ended);
              else if (Date.now() - started > ms) reject(new Error(`no reply within ${ms} ms`));
              else return;
              clearInterval(timer);
            }, 50);
            waiting.push((r) => {
              clearInterval(timer);
              resolve(r);
            });
          }),
  };
}

function request(id: number, extra: Record<string, unknown> = {}): WorkerMessage {
  return { id, subscriber: 1, kind: 'lookup', terms: [], ...extra } as unknown as WorkerMessage;
}

test('over a MessageChannel: each failure is that request’s error reply, and the next request is answered', async (t) => {
  const { port1: client, port2: server } = new MessageChannel();
  t.after(() => {
    client.close();
    server.close();
  });
  serveRequests(server, async (r) => {
    const mode = (r as unknown as { mode?: string }).mode;
    if (mode === 'function') return { ok: true, callback: () => 1 }; // not structured-cloneable
    if (mode === 'symbol') return Symbol('x');
    if (mode === 'throw') throw new ProcScopeError('NO_SUCH_PROCESS', 'gone meanwhile');
    if (mode === 'throwString') throw 'a bare string';
    return { echo: r.id };
  });
  const inbox = replies(client);
  const cases: [Record<string, unknown>, (r: WorkerReply) => void][] = [
    [
      { mode: 'function' },
      (r) => {
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.message, /could not be sent to the host \(DataCloneError: /);
      },
    ],
    [{ mode: 'symbol' }, (r) => assert.equal(r.ok, false)],
    [
      { mode: 'throw' },
      (r) => {
        assert.equal(r.ok, false);
        if (!r.ok) assert.deepEqual([r.code, r.message], ['NO_SUCH_PROCESS', 'gone meanwhile']);
      },
    ],
    [
      { mode: 'throwString' },
      (r) => {
        assert.equal(r.ok, false);
        if (!r.ok) assert.deepEqual([r.code, r.message], [undefined, 'a bare string']);
      },
    ],
    [{}, (r) => assert.deepEqual(r, { id: 5, kind: 'lookup', ok: true, value: { echo: 5 } })],
  ];
  // Malformed messages between them get no reply (nobody to address it to) and stop nothing.
  client.postMessage(null);
  client.postMessage({ kind: 'lookup' });
  cases.forEach(([extra], i) => {
    client.postMessage(request(i + 1, extra));
    client.postMessage('not a request');
  });
  for (const [i, [, check]] of cases.entries()) {
    const r = await inbox.next();
    assert.equal(r.id, i + 1, 'replies come in request order, one per addressable request');
    check(r);
  }
});

test('the real worker thread: malformed messages and an unknown kind end no worker; the next poll is answered', async (t) => {
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});`, {
    eval: true,
  });
  let exit: number | undefined;
  let error: Error | undefined;
  worker.on('exit', (code) => (exit = code));
  worker.on('error', (e) => (error = e));
  t.after(() => worker.terminate());
  const inbox = replies(worker, 60_000);
  worker.postMessage(null);
  worker.postMessage({ id: 'x', kind: 'poll', subscriber: 1 });
  worker.postMessage({ id: 1, kind: 'noSuchKind', subscriber: 1 });
  worker.postMessage({ id: 2, kind: 'toString', subscriber: 1 });
  worker.postMessage({ id: 3, kind: 'poll', subscriber: 1, threads: 'none' });
  const unknown = await inbox.next();
  assert.deepEqual({ id: unknown.id, ok: unknown.ok, code: unknown.ok ? null : unknown.code }, { id: 1, ok: false, code: 'BAD_REQUEST' });
  const inherited = await inbox.next();
  assert.deepEqual({ id: inherited.id, ok: inherited.ok }, { id: 2, ok: false }, 'a name on the prototype is no handler');
  const polled = await inbox.next();
  assert.equal(polled.id, 3);
  assert.ok(polled.ok && polled.kind === 'poll', `the poll is answered: ${JSON.stringify(polled).slice(0, 300)}`);
  assert.ok(
    polled.value.processes.some((p) => p.pid === process.pid),
    'the table holds this test process',
  );
  assert.equal(error, undefined, `the worker raised no uncaught error: ${error?.stack}`);
  assert.equal(exit, undefined, 'the worker is still running');
});
