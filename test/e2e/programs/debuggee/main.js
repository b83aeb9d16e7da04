// A debuggee for test/e2e/debug.test.ts: a process that spawns a child process and a worker thread, reports
// their ids (a file named by argv[2], and stdout), then stops at a `debugger` statement. Once continued, it
// ends the child and the worker and exits, so the debug session ends by itself.
'use strict';
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');

const infoPath = process.argv[2];
const child = spawn(process.execPath, [join(__dirname, 'child.js')], { stdio: 'ignore' });
const worker = new Worker(join(__dirname, 'worker.js'));
// Never outlive a test that failed half-way: the timer is unref'd so it does not keep a finished run alive.
setTimeout(() => {
  child.kill('SIGKILL');
  process.exit(3);
}, 120_000).unref();

worker.once('message', (workerTid) => {
  const info = { pid: process.pid, childPid: child.pid, workerTid };
  console.log(`procscope-debuggee ${JSON.stringify(info)}`);
  if (infoPath) writeFileSync(infoPath, JSON.stringify(info));
  debugger; // the breakpoint the test stops at
  setTimeout(() => {
    child.kill('SIGTERM');
    void worker.terminate();
  }, 1000);
});
