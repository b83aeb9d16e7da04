// A sampler worker that dies or gets stuck is replaced, and the subscription that was using it (an open panel,
// the debug tracker) carries on with the new one without being made again. Through real worker threads: the
// product's worker (src/worker/panelWorker.ts), preceded by one that exits or stops answering.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SamplerService } from '../../src/extension/backend';
import { quietScope } from '../../src/worker/vscodeProcesses';

const dir = mkdtempSync(join(tmpdir(), 'procscope-restart-'));
// The service's workers and timers are unref'd (they must not keep VS Code's extension host alive): this keeps
// the test process alive while it waits for them.
const alive = setInterval(() => undefined, 1000);
after(() => {
  clearInterval(alive);
  rmSync(dir, { recursive: true, force: true });
});

const REAL = `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});`;

/** The first worker started with this marker misbehaves (`first`); every later one is the product's worker. */
function firstBehaves(marker: string, first: string): string {
  return `const fs = require('node:fs');
if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); ${first} }
else { ${REAL} }`;
}

const request = { threads: [], full: true, scope: quietScope() };

test('a worker that exits: its request fails with why, and the same subscription is answered by a new worker', async () => {
  const marker = join(dir, 'exits');
  const restarts: string[] = [];
  const service = new SamplerService(
    { evalSource: firstBehaves(marker, "require('node:worker_threads').parentPort.on('message', () => process.exit(7));") },
    { restartMinMs: 60_000, onRestart: (why) => restarts.push(why.message) },
  );
  const panel = service.subscribe();
  try {
    await assert.rejects(panel.tick(request), /exited unexpectedly \(code 7\)/);
    assert.ok(existsSync(marker));
    const result = await panel.tick(request);
    assert.equal(result.kind, 'snapshot', 'the new worker starts with a whole table');
    if (result.kind === 'snapshot') assert.ok(result.snapshot.processes.some((p) => p.pid === process.pid));
    assert.equal(restarts.length, 1, 'one replacement');
    assert.match(restarts[0]!, /exited unexpectedly/);
    // And it keeps answering: a delta next, an IPC scan, a second subscriber on the same new worker.
    assert.equal((await panel.tick({ ...request, full: false })).kind, 'delta');
    assert.ok((await panel.scanIpc()).channels !== undefined);
    const other = service.subscribe();
    assert.ok((await other.poll('none')).processes.length > 0);
    other.dispose();
    assert.equal(restarts.length, 1);
  } finally {
    panel.dispose();
    service.dispose();
  }
});

test('a worker that dies every time is replaced at most once per restartMinMs, not in a loop', async () => {
  const restarts: string[] = [];
  const service = new SamplerService(
    { evalSource: "require('node:worker_threads').parentPort.on('message', () => process.exit(9));" },
    { restartMinMs: 60_000, onRestart: (why) => restarts.push(why.message) },
  );
  const panel = service.subscribe();
  try {
    for (let i = 0; i < 5; i++) await assert.rejects(panel.tick(request), /exited unexpectedly \(code 9\)/);
    assert.equal(restarts.length, 1, 'the first failure is replaced at once, the later ones wait for restartMinMs');
  } finally {
    panel.dispose();
    service.dispose();
  }
});

test('a worker that stops answering: after the answer timeout its requests fail, and a new worker answers', async () => {
  const marker = join(dir, 'stuck');
  const restarts: string[] = [];
  // Blocks its thread for good on the first message (as a read on a hung mount would).
  const stuck =
    "require('node:worker_threads').parentPort.on('message', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));";
  const service = new SamplerService(
    { evalSource: firstBehaves(marker, stuck) },
    { answerTimeoutMs: 1500, restartMinMs: 0, onRestart: (why) => restarts.push(why.message) },
  );
  const panel = service.subscribe();
  try {
    const started = Date.now();
    await assert.rejects(panel.tick(request), /did not answer for 2 s; it was replaced/);
    assert.ok(Date.now() - started >= 1500);
    const result = await panel.tick(request);
    assert.equal(result.kind, 'snapshot');
    assert.equal(restarts.length, 1);
  } finally {
    panel.dispose();
    service.dispose();
  }
});

test('a worker stopped on purpose (its last subscriber left) is not "replaced": a released subscription stays released', async () => {
  const service = new SamplerService({ evalSource: REAL }, { restartMinMs: 0, onRestart: () => assert.fail('no replacement') });
  const panel = service.subscribe();
  assert.equal((await panel.tick(request)).kind, 'snapshot');
  panel.dispose();
  await assert.rejects(panel.tick(request), /disposed/);
  service.dispose();
});
