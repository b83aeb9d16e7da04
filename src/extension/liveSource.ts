// The panel's one way to get a snapshot. Swapping the source (worker / in-thread) is one line here.
import { existsSync } from 'node:fs';
import { createSampler, type ProcessSource } from '../core/sampler';
import { WorkerSampler } from '../core/workerSampler';

export type { PollOptions, ProcessSource } from '../core/sampler';

/**
 * On Linux the sampler runs in a worker thread (dist/sampleWorker.js): a synchronous poll blocks for
 * ~100 ms at 8,000 tasks (PERF_NOTES), which must not stall the extension host. Elsewhere (the portable
 * ps-list backend spawns `ps` asynchronously) and when the worker script is missing, it runs in-thread.
 */
export function createLiveSource(workerScript: string): ProcessSource {
  if (process.platform === 'linux' && existsSync(workerScript)) return new WorkerSampler({ script: workerScript });
  return createSampler();
}
