// The debug tracker's pattern against the panel, through the real worker thread (src/worker/panelWorker.ts via
// the host's SamplerService): the panel ticks and scans IPC throughout, while a second subscriber polls the
// table with threads around short-lived processes and is released, again and again. Every request of the
// panel is answered, the worker never fails, and a released subscriber's files are closed while the panel's
// stay usable. On processes this test starts (pipes between them, a program with a second thread).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { SamplerService } from '../../src/extension/backend';
import { quietScope } from '../../src/worker/vscodeProcesses';

const started: ChildProcess[] = [];

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  started.push(child);
  return child;
}

before(async () => {
  start('sh', ['-c', 'sleep 300 | sleep 300']);
  start(process.execPath, [
    '-e',
    "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }); setInterval(() => {}, 1000);",
  ]);
  await new Promise((r) => setTimeout(r, 300));
});
after(() => {
  for (const c of started) c.kill('SIGKILL');
});

test('a panel ticking and scanning IPC while a debug-like subscriber polls and is released 8 times: every answer arrives', async () => {
  const service = new SamplerService({
    evalSource: `require('tsx/cjs'); require(${JSON.stringify(require.resolve('../../src/worker/panelWorker.ts'))});`,
  });
  const panel = service.subscribe();
  const scope = quietScope();
  const failures: string[] = [];
  let ticks = 0;
  let scans = 0;
  let stop = false;
  const panelLoop = (async () => {
    await panel.tick({ threads: [], full: true, scope });
    while (!stop) {
      try {
        await panel.tick({ threads: [process.pid], full: false, scope });
        ticks++;
        const map = await panel.scanIpc();
        if (!map.channels.some((c) => c.kind === 'pipe')) failures.push(`scan ${scans}: no pipe found`);
        scans++;
      } catch (error) {
        failures.push(`panel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return;
      }
    }
  })();
  try {
    for (let session = 0; session < 8; session++) {
      // A debuggee: started, found by polls with its threads, gone, and the tracker releases its subscription.
      const debuggee = start(process.execPath, ['-e', 'setTimeout(() => {}, 2000)']);
      const tracker = service.subscribe();
      try {
        let seen = false;
        for (let poll = 0; poll < 4; poll++) {
          const table = await tracker.poll([debuggee.pid!]);
          seen ||= table.processes.some((p) => p.pid === debuggee.pid && (p.threads?.length ?? 0) > 0);
        }
        assert.ok(seen, `session ${session}: the debuggee and its threads were polled`);
        // A poll in flight at release: answered or rejected, never a failure of the worker.
        const late = tracker.poll('none');
        debuggee.kill('SIGKILL');
        tracker.dispose();
        await late.catch(() => undefined);
      } finally {
        tracker.dispose();
      }
    }
  } finally {
    stop = true;
    await panelLoop;
    panel.dispose();
    service.dispose();
  }
  assert.deepEqual(failures, []);
  assert.ok(ticks > 8 && scans > 8, `the panel kept working throughout (${ticks} ticks, ${scans} scans)`);
});
