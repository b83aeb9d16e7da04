// The second reader of `procscope ps` on a large machine: a worker thread that takes runs of /proc entries
// from the same shared counter as the main thread, so the two cores read side by side and neither waits for
// the other's share (a worker that starts late simply takes fewer runs). See readPsTable in ps.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { emptyBatch, PsReader, type PsBatch } from '../core/psRead';

/** What the main thread gives the worker (workerData). */
export interface PsWorkerData {
  readonly kind: 'procscope-ps';
  readonly root: string;
  readonly pageSize: number;
  readonly live: boolean;
  readonly names: readonly string[];
  /** Int32 [0]: the next run to take, shared by both threads. */
  readonly claims: SharedArrayBuffer;
  readonly run: number;
}

/** What the worker sends back once the counter is past the last run: each run it read, by index. */
export type PsWorkerResult = readonly { readonly index: number; readonly batch: PsBatch }[];

/** Takes and reads runs until none is left; the main thread does the same with its own reader. */
export function readClaimedRuns(
  reader: PsReader,
  data: Pick<PsWorkerData, 'names' | 'claims' | 'run'>,
): { index: number; batch: PsBatch }[] {
  const claims = new Int32Array(data.claims);
  const out: { index: number; batch: PsBatch }[] = [];
  for (;;) {
    const index = Atomics.add(claims, 0, 1);
    const from = index * data.run;
    if (from >= data.names.length) return out;
    const batch = emptyBatch();
    reader.readRange(data.names, from, Math.min(data.names.length, from + data.run), batch);
    out.push({ index, batch });
  }
}

export function isPsWorker(): boolean {
  return parentPort !== null && (workerData as PsWorkerData | undefined)?.kind === 'procscope-ps';
}

export function workerMain(): void {
  const data = workerData as PsWorkerData;
  const result: PsWorkerResult = readClaimedRuns(new PsReader(data.root, data.pageSize, data.live), data);
  parentPort!.postMessage(result);
}
