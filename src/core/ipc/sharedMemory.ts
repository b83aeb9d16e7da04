// Shared memory: SysV objects from /proc/sysvipc, and what processes map shared (/proc/PID/maps): SysV
// segments, memfds, POSIX shm and semaphores under /dev/shm, and writable files mapped by two or more.
// maps is the costliest file of a scan, so it is read only when something can be mapped, and per process
// at most every mapsMaxAgeMs (the scanner keeps the answers between scans). Past that age a process's answer is
// still reused while nothing that changes mappings can have happened (see mapsUnchanged).
import { classify, reasonOf } from '../errors';
import type { Stats } from 'node:fs';
import { procFs } from '../procfs/procFs';
import { readProcText } from '../procfs/fd';
import type {
  Channel,
  Endpoint,
  IpcWarning,
  MemfdChannel,
  PosixSemChannel,
  PosixShmChannel,
  SysvMsgChannel,
  SysvSemChannel,
  SysvShmChannel,
} from './model';
import { formatSysvKey, parseSharedMappings, parseSysvTable, type SharedMapping } from './parsers';
import { endpointOf, pushList, readOptional, roleOfMode, sortEndpoints, type KnownProcess, type Proc } from './holders';
import type { FdGroups, MappedBy } from './fdChannels';
import { pathStat } from './fdWalk';

/** One process's shared mappings as read, and what said who it was and how it stood then. */
interface MapsEntry {
  /** When read (spread back by up to half the maximum age, so the refreshes do not all fall in one scan). */
  readonly at: number;
  readonly mappings: SharedMapping[];
  /** Its identity from the sampler (`pid@startTicks`), when known: a pid held by another process is read anew. */
  readonly key: string | undefined;
  /** Its fd table's change signal in the scan that read the maps (Proc.signal). */
  readonly signal: string | null;
  /** Its virtual memory size from the sampler's poll before that scan. */
  readonly vsize: number | undefined;
}

/** Shared mappings per pid from earlier scans, one map per procRoot (see ScanOptions.mapsMaxAgeMs). */
export type MapsCache = Map<string, Map<number, MapsEntry>>;

/**
 * How many times mapsMaxAgeMs an unchanged process keeps its mappings (30 s at the default 5 s): the bound on
 * what mapsUnchanged cannot see, a thread other than the leader swapping one mapping for another of the same
 * size.
 */
export const MAPS_UNCHANGED_FACTOR = 6;

/** How a scan got each process's shared mappings (IpcScanner.lastMaps). */
export interface MapsCount {
  /** maps files read. */
  readonly read: number;
  /** Answers kept because they were younger than mapsMaxAgeMs. */
  readonly young: number;
  /** Answers kept past that age because nothing could have changed them (mapsUnchanged). */
  readonly unchanged: number;
}

export interface MapsSettings {
  readonly mode: 'auto' | 'always' | 'never';
  readonly maxAgeMs: number;
}

/** What the maps say, by the object mapped. */
interface Mapped {
  readonly sysvAttach: Map<number, MappedBy[]>;
  readonly sharedFiles: Map<string, { path: string; deleted: boolean; maps: MappedBy[] }>;
  readonly memfdMaps: Map<number, MappedBy[]>;
  readonly semMaps: Map<string, { path: string; inode: number; maps: MappedBy[] }>;
}

export function buildSharedMemoryChannels(
  procRoot: string,
  procs: Map<number, Proc>,
  g: FdGroups,
  settings: MapsSettings,
  cache: MapsCache,
  warnings: IpcWarning[],
  channels: Channel[],
  known: ReadonlyMap<number, KnownProcess> | undefined,
  pathStats: Map<string, Stats | null>,
): MapsCount {
  const shmRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/shm`) ?? '');
  const msgRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/msg`) ?? '');
  const semRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/sem`) ?? '');

  let readMaps = settings.mode === 'always';
  if (settings.mode === 'auto') {
    // Not triggered by memfd fds alone: big processes (browsers, editors) hold memfds and their maps are
    // 100 KB each; memfd channels come from the fds, mappings of a memfd whose fd was closed are then missed.
    readMaps = shmRows.some((r) => Number(r['nattch']) > 0) || dirHasEntries('/dev/shm');
  }
  const mapped: Mapped = { sysvAttach: new Map(), sharedFiles: new Map(), memfdMaps: new Map(), semMaps: new Map() };
  const count = readMaps
    ? readSharedMappings(procRoot, procs, g, shmRows, settings, cache, warnings, mapped, known, pathStats)
    : { read: 0, young: 0, unchanged: 0 };

  buildSysvChannels(shmRows, msgRows, semRows, mapped.sysvAttach, channels);
  buildPosixChannels(g, mapped, channels);
  return count;
}

function readSharedMappings(
  procRoot: string,
  procs: Map<number, Proc>,
  g: FdGroups,
  shmRows: Record<string, string>[],
  settings: MapsSettings,
  cache: MapsCache,
  warnings: IpcWarning[],
  out: Mapped,
  known: ReadonlyMap<number, KnownProcess> | undefined,
  pathStats: Map<string, Stats | null>,
): MapsCount {
  const now = Date.now();
  let read = 0;
  let young = 0;
  let unchanged = 0;
  const maxAge = settings.mode === 'auto' ? settings.maxAgeMs : 0;
  const cached = maxAge > 0 ? cache.get(procRoot) : undefined;
  let useCache = cached !== undefined;
  if (cached) {
    // SysV segments say how many attachments they have: when the cached maps disagree, read them all again.
    const seen = new Map<number, number>();
    for (const proc of procs.values()) {
      for (const m of cached.get(proc.pid)?.mappings ?? []) if (m.path.startsWith('/SYSV')) seen.set(m.inode, (seen.get(m.inode) ?? 0) + 1);
    }
    useCache = shmRows.every((r) => Number(r['nattch']) === (seen.get(Number(r['shmid'])) ?? 0));
  }
  const next = new Map<number, MapsEntry>();
  for (const proc of procs.values()) {
    const facts = known?.get(proc.pid);
    let entry = useCache ? cached!.get(proc.pid) : undefined;
    if (entry && entry.key !== facts?.key) entry = undefined; // another process has this pid now
    if (entry && now - entry.at < maxAge) young++;
    else if (entry && mapsUnchanged(entry, proc, facts, now - entry.at, maxAge, pathStats)) unchanged++;
    else {
      read++;
      let text: string;
      try {
        text = readProcText(`${procRoot}/${proc.pid}/maps`);
      } catch (error) {
        if (classify(error) === 'other') warnings.push({ code: 'mapsFailed', params: { pid: proc.pid, reason: reasonOf(error) } });
        continue;
      }
      // Spread the refreshes over time instead of re-reading every process in the same scan.
      entry = {
        at: now - Math.random() * maxAge * 0.5,
        mappings: parseSharedMappings(text),
        key: facts?.key,
        signal: proc.signal ?? null,
        vsize: facts?.vsize,
      };
    }
    next.set(proc.pid, entry);
    for (const m of entry.mappings) {
      if (m.path.startsWith('/SYSV')) pushList(out.sysvAttach, m.inode, { proc, m });
      else if (m.path.startsWith('/memfd:')) pushList(out.memfdMaps, m.inode, { proc, m });
      else if (m.path.startsWith('/dev/shm/sem.')) {
        const key = `${m.device}:${m.inode}`;
        const s = out.semMaps.get(key) ?? { path: m.path, inode: m.inode, maps: [] };
        s.maps.push({ proc, m });
        out.semMaps.set(key, s);
      } else if (m.path.startsWith('/dev/shm/')) {
        const key = `${m.device}:${m.inode}`;
        const s = g.shmFiles.get(key) ?? { path: m.path, deleted: m.deleted, holders: [], maps: [] };
        s.maps.push({ proc, m });
        g.shmFiles.set(key, s);
      } else {
        const key = `${m.device}:${m.inode}`;
        const s = out.sharedFiles.get(key) ?? { path: m.path, deleted: m.deleted, maps: [] };
        s.maps.push({ proc, m });
        out.sharedFiles.set(key, s);
      }
    }
  }
  if (maxAge > 0) cache.set(procRoot, next);
  return { read, young, unchanged };
}

/**
 * Can a process's mappings have changed since `entry` was read? Only a task of the process changes them (mmap,
 * munmap, mremap, shmat, shmdt), and a task that does has run. The leader's run shows in the fd table's signal
 * (read before the maps, so a change made after it shows at the next scan); any thread's map or unmap moves
 * the process's size, which the sampler read. What neither shows: another thread swapping a mapping for one of
 * the same size while the leader sleeps, hence the bound. A mapped file renamed or deleted changes the text of
 * maps without the process running: each named file must still be the one mapped.
 */
function mapsUnchanged(
  entry: MapsEntry,
  proc: Proc,
  facts: KnownProcess | undefined,
  age: number,
  maxAge: number,
  pathStats: Map<string, Stats | null>,
): boolean {
  if (age >= maxAge * MAPS_UNCHANGED_FACTOR) return false;
  if (entry.signal === null || entry.signal !== proc.signal) return false;
  if (entry.vsize === undefined || entry.vsize !== facts?.vsize) return false;
  for (const m of entry.mappings) {
    if (m.deleted || m.path.startsWith('/SYSV') || m.path.startsWith('/memfd:')) continue;
    // Gone or unreadable (null): read the maps again, which say what is mapped now.
    if (pathStat(pathStats, m.path)?.ino !== m.inode) return false;
  }
  return true;
}

function buildSysvChannels(
  shmRows: Record<string, string>[],
  msgRows: Record<string, string>[],
  semRows: Record<string, string>[],
  sysvAttach: Map<number, MappedBy[]>,
  channels: Channel[],
): void {
  for (const row of shmRows) {
    const shmid = Number(row['shmid']);
    const cpid = Number(row['cpid']);
    const lpid = Number(row['lpid']);
    const endpoints: Endpoint[] = [];
    if (cpid > 0) endpoints.push(endpointOf(cpid, null, 'creator'));
    const seen = new Set<number>();
    for (const { proc, m } of sysvAttach.get(shmid) ?? []) {
      if (seen.has(proc.pid)) continue;
      seen.add(proc.pid);
      endpoints.push(endpointOf(proc.pid, null, 'attached', { mapping: m.range }));
    }
    const key = formatSysvKey(row['key']!);
    const c: SysvShmChannel = {
      kind: 'sysv-shm',
      id: `sysv-shm:${shmid}`,
      label: `SysV shm ${shmid} (key ${key})`,
      key,
      shmid,
      size: Number(row['size']),
      creatorPid: cpid,
      lastPid: lpid,
      attachCount: Number(row['nattch']),
      perms: row['perms']!,
      uid: Number(row['uid']),
      markedForRemoval: (parseInt(row['perms']!, 8) & 0o1000) !== 0,
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const row of msgRows) {
    const msqid = Number(row['msqid']);
    const lspid = Number(row['lspid']);
    const lrpid = Number(row['lrpid']);
    const endpoints: Endpoint[] = [];
    if (lspid > 0) endpoints.push(endpointOf(lspid, null, 'sender'));
    if (lrpid > 0) endpoints.push(endpointOf(lrpid, null, 'receiver'));
    const key = formatSysvKey(row['key']!);
    const c: SysvMsgChannel = {
      kind: 'sysv-msg',
      id: `sysv-msg:${msqid}`,
      label: `SysV msg queue ${msqid} (key ${key})`,
      key,
      msqid,
      bytes: Number(row['cbytes']),
      messages: Number(row['qnum']),
      lastSendPid: lspid,
      lastRecvPid: lrpid,
      perms: row['perms']!,
      uid: Number(row['uid']),
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const row of semRows) {
    const semid = Number(row['semid']);
    const key = formatSysvKey(row['key']!);
    // /proc/sysvipc/sem names no processes (the last semop pid per semaphore needs semctl(GETPID)).
    const c: SysvSemChannel = {
      kind: 'sysv-sem',
      id: `sysv-sem:${semid}`,
      label: `SysV semaphore set ${semid} (key ${key})`,
      key,
      semid,
      nsems: Number(row['nsems']),
      perms: row['perms']!,
      uid: Number(row['uid']),
      endpoints: [],
    };
    channels.push(c);
  }
}

/** memfds, POSIX shm and semaphores, shared file mappings: fds and maps of one object joined by inode. */
function buildPosixChannels(g: FdGroups, { memfdMaps, semMaps, sharedFiles }: Mapped, channels: Channel[]): void {
  const mapEndpoint = ({ proc, m }: MappedBy): Endpoint => endpointOf(proc.pid, null, 'map', { mapping: m.range });
  for (const [inode, m] of g.memfds) {
    const endpoints = m.holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)));
    for (const x of memfdMaps.get(inode) ?? []) endpoints.push(mapEndpoint(x));
    memfdMaps.delete(inode);
    const c: MemfdChannel = {
      kind: 'memfd',
      id: `memfd:${inode}`,
      label: `memfd ${m.name}`,
      name: m.name,
      inode,
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const [inode, maps] of memfdMaps) {
    const name = maps[0]!.m.path.slice(7);
    const c: MemfdChannel = {
      kind: 'memfd',
      id: `memfd:${inode}`,
      label: `memfd ${name}`,
      name,
      inode,
      endpoints: sortEndpoints(maps.map(mapEndpoint)),
    };
    channels.push(c);
  }
  // sem_open creates a temporary file, maps it, then links it under its real name: maps still names the
  // temporary (deleted) one. Resolve such paths through the current /dev/shm entries by inode.
  let shmNames: Map<number, string> | undefined;
  const currentShmName = (inode: number): string | undefined => {
    shmNames ??= devShmNames();
    return shmNames.get(inode);
  };
  for (const [key, s] of g.shmFiles) {
    if (!s.deleted) continue;
    const name = currentShmName(Number(key.slice(key.lastIndexOf(':') + 1)));
    if (name) {
      s.path = name;
      s.deleted = false;
    }
  }
  for (const sem of semMaps.values()) {
    const name = currentShmName(sem.inode);
    if (name) sem.path = name;
  }
  for (const [key, s] of g.shmFiles) {
    const isSem = s.path.startsWith('/dev/shm/sem.');
    const endpoints = s.holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, isSem ? 'open' : roleOfMode(h.fd)));
    for (const x of s.maps) endpoints.push(mapEndpoint(x));
    const inode = Number(key.slice(key.lastIndexOf(':') + 1));
    if (isSem) {
      const sem = semMaps.get(key) ?? { path: s.path, inode, maps: [] };
      for (const x of sem.maps) endpoints.push(mapEndpoint(x));
      semMaps.delete(key);
      channels.push(posixSem(s.path, inode, endpoints));
      continue;
    }
    const c: PosixShmChannel = {
      kind: 'posix-shm',
      id: `posix-shm:${key}`,
      label: `POSIX shm ${s.path}${s.deleted ? ' (deleted)' : ''}`,
      path: s.path,
      inode,
      deleted: s.deleted,
      ...(s.size !== undefined ? { size: s.size } : {}),
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const [key, s] of sharedFiles) {
    // One process mapping a file shared is not a channel; two or more are, when someone can write through it
    // (read-only shared maps are fonts, caches and browser resource packs, not communication).
    if (new Set(s.maps.map((x) => x.proc.pid)).size < 2 || !s.maps.some((x) => x.m.perms[1] === 'w')) continue;
    const c: PosixShmChannel = {
      kind: 'posix-shm',
      id: `posix-shm:${key}`,
      label: `shared file mapping ${s.path}${s.deleted ? ' (deleted)' : ''}`,
      path: s.path,
      inode: Number(key.slice(key.lastIndexOf(':') + 1)),
      deleted: s.deleted,
      sharedFile: true,
      endpoints: sortEndpoints(s.maps.map(mapEndpoint)),
    };
    channels.push(c);
  }
  for (const sem of semMaps.values()) channels.push(posixSem(sem.path, sem.inode, sem.maps.map(mapEndpoint)));
}

function posixSem(path: string, inode: number, endpoints: Endpoint[]): PosixSemChannel {
  const name = `/${path.slice('/dev/shm/sem.'.length)}`;
  return {
    kind: 'posix-sem',
    id: `posix-sem:${inode}`,
    label: `POSIX semaphore ${name}`,
    path,
    name,
    inode,
    endpoints: sortEndpoints(endpoints),
  };
}

function devShmNames(): Map<number, string> {
  const names = new Map<number, string>();
  let entries: string[];
  try {
    entries = procFs.readdirSync('/dev/shm');
  } catch {
    return names; // no /dev/shm: nothing to resolve
  }
  for (const e of entries) {
    try {
      names.set(procFs.statSync(`/dev/shm/${e}`).ino, `/dev/shm/${e}`);
    } catch (error) {
      classify(error);
    }
  }
  return names;
}

function dirHasEntries(path: string): boolean {
  try {
    return procFs.readdirSync(path).length > 0;
  } catch {
    return false; // no /dev/shm on this system: nothing can be mapped from it
  }
}
