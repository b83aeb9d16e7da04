// The host's one sampler service: the panel and the debug tracker subscribe to the same worker thread (and to
// the in-thread fallback where there is none), each with its own sampling state, on processes this test
// starts: a shell running a node program with a second thread.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { SamplerService, type WorkerSource } from '../../src/extension/backend';
import { quietScope } from '../../src/worker/vscodeProcesses';

let program: ChildProcess | undefined;

const scope = quietScope();

before(async () => {
  // A node program with a worker thread: more than one OS thread, so a thread list is easy to tell apart.
  program = spawn(
    process.execPath,
    ['-e', "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }); setInterval(() => {}, 1000);"],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 300));
});

after(() => {
  program?.kill('SIGKILL');
});

const sources: [string, WorkerSource][] = [
  ['worker thread', { evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});` }],
  ['in-thread fallback', '/nonexistent/panelWorker.js'],
];

for (const [name, source] of sources) {
  test(`${name}: each subscriber polls with its own sampler: its threads, its CPU% window`, async () => {
    const service = new SamplerService(source);
    const panel = service.subscribe();
    const debug = service.subscribe();
    try {
      const pid = program!.pid!;
      const first = await panel.tick({ threads: [], full: true, scope });
      assert.equal(first.kind, 'snapshot');
      if (first.kind !== 'snapshot') return;
      assert.equal(first.snapshot.processes.find((p) => p.pid === pid)?.threads, undefined, 'the panel asked for no threads');

      const polled = await debug.poll([pid]);
      const row = polled.processes.find((p) => p.pid === pid);
      assert.ok(row, 'the program is in the polled table');
      assert.ok((row.threads?.length ?? 0) >= 2, `the program's threads are read: ${JSON.stringify(row.threads?.map((t) => t.tid))}`);
      const none = await debug.poll('none');
      assert.equal(none.processes.find((p) => p.pid === pid)?.threads, undefined, 'a poll for no threads reads none');

      // Each subscriber's CPU% is over ITS OWN polls: the panel has polled twice, so its second tick has a
      // CPU% for the program; the debug subscriber's first poll had none, though the panel had polled before it.
      assert.equal(row.cpuPercent, null, "the debug subscriber's first poll has no CPU% yet");
      assert.notEqual(none.processes.find((p) => p.pid === pid)?.cpuPercent ?? null, null, 'its second poll has one');
      const next = await panel.tick({ threads: [], full: false, scope });
      assert.equal(next.kind, 'delta', "the panel's tick is a delta against its own previous tick");
    } finally {
      panel.dispose();
      debug.dispose();
      service.dispose();
    }
  });

  test(`${name}: one subscriber leaving keeps the other's state; after the last, a new subscription starts afresh`, async () => {
    const service = new SamplerService(source);
    const panel = service.subscribe();
    const debug = service.subscribe();
    try {
      const pid = program!.pid!;
      assert.equal((await panel.tick({ threads: [pid], full: true, scope })).kind, 'snapshot');
      debug.dispose();
      await assert.rejects(debug.poll('none'), /disposed/);
      const next = await panel.tick({ threads: [pid], full: false, scope });
      assert.equal(next.kind, 'delta', 'the panel still has its previous tick to diff against');
      panel.dispose();

      const again = service.subscribe();
      try {
        const fresh = await again.tick({ threads: [], full: false, scope });
        assert.equal(fresh.kind, 'snapshot', 'a new subscriber has no previous tick: it gets the whole snapshot');
        assert.ok((await again.poll('none')).processes.some((p) => p.pid === pid));
      } finally {
        again.dispose();
      }
    } finally {
      panel.dispose();
      debug.dispose();
      service.dispose();
    }
  });
}
