// The IPC scan's public entry. The work is done by IpcScanner (scanner.ts) and its stages: fdWalk.ts,
// fdChannels.ts (pipes, FIFOs, message queues, anonymous endpoints), sharedMemory.ts (SysV objects and
// shared mappings), sockets.ts and locks.ts. The functions here keep the call shape every caller had.
import type { IpcMap, IpcWarning, Channel } from './model';
import type { Holder } from './holders';
import { IpcScanner, type ScanOptions } from './scanner';
import { buildSocketChannels as buildSocketChannelsWith, SsSource } from './sockets';

export { IpcScanner, type ScanOptions } from './scanner';
export type { Holder, Proc } from './holders';

/**
 * The scanner behind scanIpc/scanIpcSync. Callers that poll through these functions (the panel's worker, the
 * waits collector, the CLI) share its caches, as they did when the caches were the module's own: a panel's
 * scans every few seconds reuse the ss answer and the shared mappings. A caller that needs caches of its own
 * (another procRoot's lifetime, a test that must start cold) makes its own IpcScanner.
 */
const shared = new IpcScanner();

export async function scanIpc(options: ScanOptions = {}): Promise<IpcMap> {
  return shared.scan(options);
}

export function scanIpcSync(options: ScanOptions = {}): IpcMap {
  return shared.scan(options);
}

/**
 * One namespace's socket channels from its tables (netDir = a /proc/net directory); returns the socket inodes
 * not found there. `ssText` replaces running `ss -xanH` (fixtures). Runs with an ss state of its own, so a
 * fixture's answer never lands in a scanner's cache.
 */
export function buildSocketChannels(
  netDir: string,
  sockets: Map<number, Holder[]>,
  useSs: boolean,
  warnings: IpcWarning[],
  channels: Channel[],
  nsTag: string,
  ssText?: string,
  ssMaxAgeMs = 0,
): Map<number, Holder[]> {
  return buildSocketChannelsWith(new SsSource(), netDir, sockets, useSs, warnings, channels, nsTag, ssText, ssMaxAgeMs);
}
