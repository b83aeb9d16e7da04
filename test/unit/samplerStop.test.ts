// How the host's sampler service reports the end of its worker thread (src/extension/backend.ts). The last
// subscriber leaving stops the worker on purpose (terminate, whose exit code is 1): a request still in flight
// then is rejected with SamplerStoppedError, never with words that read as a crash. A worker that ends by
// itself is reported as exiting unexpectedly, with its code. A request that cannot be sent fails alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SamplerService, SamplerStoppedError, type WorkerSource } from '../../src/extension/backend';
import type { LookupTerm } from '../../src/protocol';
import { quietScope } from '../../src/worker/vscodeProcesses';

const realWorker: WorkerSource = {
  evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});`,
};

test('the last subscriber leaving with a tick and an IPC scan in flight: both rejected as stopped, not as a crash', async () => {
  const service = new SamplerService(realWorker);
  const panel = service.subscribe();
  try {
    await panel.tick({ threads: [], full: true, scope: quietScope() });
    const tick = panel.tick({ threads: [], full: false, scope: quietScope() });
    const scan = panel.scanIpc();
    panel.dispose();
    for (const inFlight of [tick, scan]) {
      await assert.rejects(inFlight, (error: unknown) => {
        assert.ok(error instanceof SamplerStoppedError, `a stop, not a crash: ${String(error)}`);
        assert.doesNotMatch(error.message, /exited/);
        return true;
      });
    }
    // The next subscriber gets a worker of its own, which answers.
    const next = service.subscribe();
    try {
      assert.ok((await next.poll('none')).processes.some((p) => p.pid === process.pid));
    } finally {
      next.dispose();
    }
  } finally {
    service.dispose();
  }
});

test('a worker that ends by itself: its subscriber is told it exited unexpectedly, with the exit code', async () => {
  const service = new SamplerService({ evalSource: 'setTimeout(() => process.exit(3), 100)' });
  const sub = service.subscribe();
  // The host unrefs its worker: something else must keep this test's event loop alive until the worker exits.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await assert.rejects(sub.poll('none'), /sampler worker exited unexpectedly \(code 3\)/);
    await assert.rejects(sub.poll('none'), /exited unexpectedly \(code 3\)/, 'later requests get the same failure');
  } finally {
    clearInterval(keepAlive);
    sub.dispose();
    service.dispose();
  }
});

test('a request the host cannot send (DataCloneError) fails alone; the worker answers the next one', async () => {
  const service = new SamplerService(realWorker);
  const sub = service.subscribe();
  try {
    const uncloneable = [{ kind: 'port', value: () => 80 }] as unknown as readonly LookupTerm[];
    await assert.rejects(sub.lookup(uncloneable), (error: unknown) => (error as Error).name === 'DataCloneError');
    assert.ok((await sub.poll('none')).processes.some((p) => p.pid === process.pid));
  } finally {
    sub.dispose();
    service.dispose();
  }
});
