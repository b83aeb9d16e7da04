// Views of an IPC map for one process: what `procscope ipc --pid` and the detail panel show.
import type { Channel, IpcMap } from './model';

/** The channels with an endpoint in `pid` (with all their endpoints, so the other side stays visible). */
export function channelsOfPid(map: IpcMap, pid: number): Channel[] {
  return map.channels.filter((c) => c.endpoints.some((e) => e.pid === pid));
}

/** The map narrowed to one process: its channels, and the wait-for edges and deadlocks it is part of. */
export function narrowToPid(map: IpcMap, pid: number): IpcMap {
  return {
    ...map,
    channels: channelsOfPid(map, pid),
    waitFor: map.waitFor.filter((e) => e.waiter === pid || e.holder === pid),
    deadlocks: map.deadlocks.filter((d) => d.pids.includes(pid)),
  };
}

/** `name(pid)` for one pid, from any endpoint of the map that names it. */
export function processLabel(map: IpcMap, pid: number): string {
  for (const c of map.channels) {
    for (const e of c.endpoints) if (e.pid === pid && e.processName) return `${e.processName}(${pid})`;
  }
  return `(${pid})`;
}
