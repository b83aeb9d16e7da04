// The second reader of `procscope ps` on a large machine: a worker thread that takes runs of /proc entries
// from the same shared counter as the main thread, so the two cores read side by side and neither waits for
// the other's share (a worker that starts late simply takes fewer runs). See readPsTable in ps.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { PsReader, readClaimedRuns, type PsWorkerData, type PsWorkerResult } from '../core/psRead';

export function workerMain(): void {
  const data = workerData as PsWorkerData | undefined;
  if (parentPort === null || data?.kind !== 'procscope-ps') return;
  if (data.sayReady) parentPort.postMessage('ready');
  const result: PsWorkerResult = readClaimedRuns(new PsReader(data.root, data.pageSize, data.live), data);
  parentPort.postMessage(result);
}
