// An IpcMap for tests of what draws one (the IPC view, the graph, the open-files table): the given channels
// and facts, everything else empty. Real maps come from the IPC scan; this is for shapes a test builds.
import type { IpcMap } from '../../src/core/ipc/model';

export function ipcMapOf(channels: IpcMap['channels'], over: Partial<IpcMap> = {}): IpcMap {
  return {
    timestamp: Date.now(),
    channels,
    waitFor: [],
    deadlocks: [],
    warnings: [],
    unavailablePids: [],
    netNamespace: null,
    durationMs: 0,
    ...over,
  };
}
