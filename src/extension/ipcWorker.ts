// Worker-thread entry for the panel's slow reads: the IPC scan (every process's fds, ~20-50 ms at 100
// processes and growing with fds) and the PCB detail (smaps_rollup, maps, fds of one process). Both are
// synchronous by design (PERF_NOTES: sync procfs reads are 4-9x faster), so they must not run on the
// extension host's event loop. Pure Node: no vscode import.
import { parentPort } from 'node:worker_threads';
import { readProcessDetail } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { scanIpcSync } from '../core/ipc/scan';
import type { SlowReply, SlowRequest } from './slowReads';

const port = parentPort;
if (!port) throw new Error('ipcWorker must run in a worker thread');

port.on('message', (request: SlowRequest) => {
  let reply: SlowReply;
  try {
    const value = request.kind === 'ipc' ? scanIpcSync() : readProcessDetail(request.pid, { includeEnv: request.includeEnv });
    reply = { id: request.id, ok: true, value };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      code: error instanceof ProcScopeError ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(reply);
});
