// What every stage of an IPC scan shares: the fds it found (Proc, Holder) and the small steps that turn them
// into endpoints. Kept apart so that each stage file depends on this one and on nothing of another stage.
import { classify, reasonOf } from '../errors';
import { readProcText, type FdEntry } from '../procfs/fd';
import type { Endpoint, EndpointRole, IpcWarning } from './model';

/** A process whose fds were read; its name and identity are read afterwards, only if it is an endpoint. */
export interface Proc {
  readonly pid: number;
  fds: FdEntry[];
  netns?: string;
  /**
   * Its fd table's change signal read in this scan (fdTables.ts: the leader's schedstat and the fd count);
   * null when it could not be read or the scan keeps no tables. Shared mappings reuse it (sharedMemory.ts).
   */
  signal?: string | null;
}

/** What a sampler's newest poll says of one process (ScanOptions.knownProcesses). */
export interface KnownProcess {
  readonly name: string;
  /** Its identity, `pid@startTicks`. */
  readonly key: string;
  /**
   * Its virtual memory size in bytes. Every mmap, munmap, shmat and shmdt by any of its threads moves it, so
   * an unchanged size, with its leader not run, lets a scan reuse the process's shared mappings.
   */
  readonly vsize?: number;
}

/** One fd of one process that refers to a kernel object. */
export interface Holder {
  readonly proc: Proc;
  readonly fd: FdEntry;
}

/**
 * Reads a file that may be absent (a table this kernel lacks): undefined then. Any other errno leaves that
 * table out too, with a warning: one unreadable table must not cost the rest of the map.
 */
export function readOptional(path: string, warnings?: IpcWarning[]): string | undefined {
  try {
    return readProcText(path);
  } catch (error) {
    const kind = classify(error);
    if (kind === 'other' && warnings) warnings.push({ code: 'tableUnreadable', params: { path, reason: reasonOf(error) } });
    return undefined;
  }
}

/** An endpoint without the process's name yet: the scanner fills names and keys in one pass at the end. */
export function endpointOf(pid: number, fd: number | null, role: EndpointRole, extra?: { mapping?: string; detail?: string }): Endpoint {
  return {
    pid,
    fd,
    role,
    processName: '',
    ...(extra?.mapping !== undefined ? { mapping: extra.mapping } : {}),
    ...(extra?.detail !== undefined ? { detail: extra.detail } : {}),
  };
}

/** An fd whose direction could not be read is shown as both, not guessed. */
export function roleOfMode(fd: FdEntry): EndpointRole {
  return fd.mode ?? 'readwrite';
}

/** One order for every channel's endpoints, so two scans of the same state compare equal. */
export function sortEndpoints(list: Endpoint[]): Endpoint[] {
  return list.sort((a, b) => a.pid - b.pid || (a.fd ?? -1) - (b.fd ?? -1) || a.role.localeCompare(b.role));
}

export function infoValue(fd: FdEntry, prefix: string): string | undefined {
  const line = fd.info?.find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : line.slice(prefix.length).trim();
}

export function pushList<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}
