// One IPC scan: every process's fds (and, when needed, shared mappings) joined with the system tables into
// channels. Synchronous on purpose (sync reads of tiny procfs files measured 4-9x faster than fs/promises here); the
// async wrapper exists for callers that want a promise.
import { execFileSync } from 'node:child_process';
import type { Stats } from 'node:fs';
import { classify, ProcScopeError, reasonOf } from '../errors';
import { processKey } from '../model';
import { checkProcRoot } from '../procRoot';
import { decodeBytes } from '../procfs/decode';
import { osPath, procFs, readlinkText } from '../procfs/procFs';
import { parseStat } from '../procfs/stat';
import { classifyTarget, formatDevice, isMqueueFd, linkMode, parseFdInfo, readFd, readProcText, type AccessMode, type FdEntry } from '../procfs/fd';
import type {
  AnonChannel, Channel, Endpoint, EndpointRole, FifoChannel, InetChannel, IpcMap, IpcWarning, LockChannel, MemfdChannel,
  MqueueChannel, PipeChannel, PosixSemChannel, PosixShmChannel, SysvMsgChannel, SysvSemChannel, SysvShmChannel,
  UnixChannel,
} from './model';
import {
  formatEndpoint, formatSysvKey, inetStateName, parseLocks, parseNetInet, parseNetUnix, parseSharedMappings,
  parseSsInet, parseSsUnixPeers, parseSysvTable, unixStateName, type InetSocketRow, type LockRow, type SharedMapping,
  type UnixSocketRow,
} from './parsers';
import { ipcWarningEnglish } from '../../shared/channelText';
import { findDeadlocks, type WaitEdgeInput } from './deadlock';

export interface ScanOptions {
  readonly procRoot?: string;
  /** Read only these processes' fds and mappings (default: every process). System tables are always read. */
  readonly pids?: Iterable<number>;
  /**
   * Run `ss -xtuanHe` (iproute2, sock_diag) for unix socket peers and the TCP/UDP sockets, instead of reading
   * /proc/net/tcp*, udp* (which leave peers unknown). Default true; ignored (off) for a procRoot other than /proc.
   */
  readonly useSs?: boolean;
  /**
   * Read /proc/PID/maps for shared mappings: `auto` (default) reads them only when something can be mapped
   * (a SysV segment with attachments, files in /dev/shm), and re-reads a process's maps at most every
   * `mapsMaxAgeMs`; `always` reads every process's maps now; `never`.
   */
  readonly maps?: 'auto' | 'always' | 'never';
  /**
   * In `auto` mode, how old a process's cached shared mappings may be (default 5000 ms; 0 = always read).
   * A busy desktop's maps are 100 KB each and the kernel builds them on every read, so they are the costliest
   * part of a scan. New processes are read at once, and a SysV attach count that disagrees with the cache
   * forces a full re-read; a POSIX mapping made or dropped by a known process may show up to this late
   * (and a pid reused within that time may show its predecessor's mappings).
   */
  readonly mapsMaxAgeMs?: number;
  /**
   * Read the fdinfo of epoll, signalfd, timerfd and inotify fds for their `info` (watched fds, clock, signal
   * mask). Default false: one more file per fd, and busy processes hold hundreds (eventfd is always read).
   */
  readonly anonInfo?: boolean;
  /**
   * Reuse the last `ss` answer for up to this long (default 5000 ms; 0 = run ss every scan) while it covers
   * every socket seen now; any new socket triggers a fresh run. Spawning ss is the largest fixed cost of a
   * scan (a fork of the whole Node process), and a socket's peer and addresses never change.
   */
  readonly ssMaxAgeMs?: number;
  /**
   * Names and identities of processes a sampler just read (pid -> comm and `pid@startTicks`), so endpoints
   * are named without reading each endpoint process's stat again (at 2000 processes, ~20% of a scan). A pid
   * missing from the map is read as usual.
   */
  readonly knownProcesses?: ReadonlyMap<number, { readonly name: string; readonly key: string }>;
}

/** A process whose fds were read; its name and identity are read afterwards, only if it is an endpoint. */
export interface Proc {
  readonly pid: number;
  fds: FdEntry[];
  netns?: string;
}

/** One fd of one process that refers to a kernel object. */
export interface Holder { readonly proc: Proc; readonly fd: FdEntry }

const statBuffer = Buffer.allocUnsafe(4096);

function readStat(path: string): ReturnType<typeof parseStat> {
  const fd = procFs.openSync(path, 'r');
  try {
    const n = procFs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
    return parseStat(statBuffer, n);
  } finally {
    procFs.closeSync(fd);
  }
}

/**
 * Reads a file that may be absent (a table this kernel lacks): undefined then. Any other errno leaves that
 * table out too, with a warning: one unreadable table must not cost the rest of the map.
 */
function readOptional(path: string, warnings?: IpcWarning[]): string | undefined {
  try {
    return readProcText(path);
  } catch (error) {
    const kind = classify(error);
    if (kind === 'other' && warnings) warnings.push({ code: 'tableUnreadable', params: { path, reason: reasonOf(error) } });
    return undefined;
  }
}

/** An endpoint without the process's name yet: `identify` fills names and keys in one pass at the end. */
function endpointOf(pid: number, fd: number | null, role: EndpointRole, extra?: { mapping?: string; detail?: string }): Endpoint {
  return {
    pid,
    fd,
    role,
    processName: '',
    ...(extra?.mapping !== undefined ? { mapping: extra.mapping } : {}),
    ...(extra?.detail !== undefined ? { detail: extra.detail } : {}),
  };
}

function roleOfMode(fd: FdEntry): EndpointRole {
  return fd.mode ?? 'readwrite';
}

function sortEndpoints(list: Endpoint[]): Endpoint[] {
  return list.sort((a, b) => a.pid - b.pid || (a.fd ?? -1) - (b.fd ?? -1) || a.role.localeCompare(b.role));
}

function infoValue(fd: FdEntry, prefix: string): string | undefined {
  const line = fd.info?.find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : line.slice(prefix.length).trim();
}

// ---- the fd walk: the hot path (readdir + one readlink per fd; more only for the fds that can be IPC) ----

interface Walk {
  /** stat by target path, once per scan: thousands of fds name the same few files (a shared log, stderr). */
  readonly pathStats: Map<string, Stats | null>;
  /** dev:inode of files with a lock in /proc/locks; null when there are none. */
  readonly lockedKeys: Set<string> | null;
  /** Pipe/FIFO directions seen in this scan, kept for the next one. */
  readonly directions: Map<string, AccessMode>;
  /** Read fdinfo of epoll, signalfd, timerfd and inotify fds too (ScanOptions.anonInfo). */
  readonly anonInfo: boolean;
  /** fds whose link or fdinfo failed with an unexpected errno, by reason (`ENAMETOOLONG: name too long`). */
  readonly fdFailures: Map<string, number>;
}

/**
 * Directions by `pid:fd:inode` from the previous scan of each procRoot. An fd's access mode cannot change
 * while it stays open on the same object, so a hit saves the lstat; only an fd closed and reopened (or
 * dup2'd) onto the other end of the very same pipe at the same number would be misread until it is gone.
 */
const directionCache = new Map<string, Map<string, AccessMode>>();

/** Shared mappings per pid from earlier scans of each procRoot (see ScanOptions.mapsMaxAgeMs). */
const mapsCache = new Map<string, Map<number, { at: number; mappings: SharedMapping[] }>>();

function statOrNull(path: string): Stats | null {
  try {
    return procFs.statSync(osPath(path));
  } catch (error) {
    classify(error);
    return null; // gone, refused, another mount namespace, a path past PATH_MAX
  }
}

function direction(link: string, key: string, walk: Walk, previous: Map<string, AccessMode> | undefined): AccessMode | undefined {
  let mode = previous?.get(key);
  if (mode === undefined) mode = linkMode(link);
  if (mode !== undefined) walk.directions.set(key, mode);
  return mode;
}

function countFailure(walk: Walk, error: unknown): void {
  const reason = reasonOf(error);
  walk.fdFailures.set(reason, (walk.fdFailures.get(reason) ?? 0) + 1);
}

/**
 * Reads one process's fds into proc.fds, keeping only those that can be IPC (or a locked file). 'denied' when
 * the kernel refused; any other errno listing fd/ is returned as the reason.
 */
function walkFds(base: string, proc: Proc, walk: Walk): 'ok' | 'gone' | 'denied' | { readonly failed: string } {
  let names: string[];
  try {
    names = procFs.readdirSync(`${base}/fd`);
  } catch (error) {
    const kind = classify(error);
    return kind === 'gone' ? 'gone' : kind === 'denied' ? 'denied' : { failed: reasonOf(error) };
  }
  const previous = directionCache.get(base.slice(0, base.lastIndexOf('/')));
  for (const name of names) {
    const fd = Number(name);
    const link = `${base}/fd/${name}`;
    let target: string;
    try {
      target = readlinkText(link);
    } catch (error) {
      const kind = classify(error);
      if (kind === 'gone') continue;
      if (kind === 'denied') { proc.fds = []; return 'denied'; }
      // The target cannot be named (ENAMETOOLONG: a path past PATH_MAX): the fd's own stat still says
      // whether it is a FIFO or a locked file, so it keeps its place in the map without a path.
      countFailure(walk, error);
      const own = statOrNull(link);
      if (!own) continue;
      const device = formatDevice(own.dev);
      const why = `target: ${reasonOf(error)}`;
      if (own.isFIFO()) {
        const mode = direction(link, `${proc.pid}:${fd}:${own.ino}`, walk, previous);
        proc.fds.push({ fd, target: '', type: 'file', fifo: true, inode: own.ino, device, unavailable: why, ...(mode ? { mode } : {}) });
      } else if (walk.lockedKeys?.has(`${device}:${own.ino}`) ?? false) {
        proc.fds.push({ fd, target: '', type: own.isDirectory() ? 'dir' : 'file', inode: own.ino, device, size: own.size, unavailable: why });
      }
      continue;
    }
    const c = target.charCodeAt(0);
    if (c === 112 /* p */ && target.startsWith('pipe:[')) {
      const inode = Number(target.slice(6, -1));
      const mode = direction(link, `${proc.pid}:${fd}:${inode}`, walk, previous);
      proc.fds.push({ fd, target, type: 'pipe', inode, ...(mode ? { mode } : {}) });
    } else if (c === 115 /* s */ && target.startsWith('socket:[')) {
      proc.fds.push({ fd, target, type: 'socket', inode: Number(target.slice(8, -1)) });
    } else if (c === 97 /* a */ && target.startsWith('anon_inode:')) {
      const anonKind = classifyTarget(target).anonKind;
      if (anonKind !== 'eventfd' && anonKind !== 'signalfd' && anonKind !== 'timerfd' && anonKind !== 'eventpoll' && anonKind !== 'inotify') continue;
      // fdinfo: eventfd-id joins the ends of one eventfd; for the others it only adds detail (watched fds,
      // clock, signal mask), read when asked: an editor's processes hold hundreds of epoll/eventfd fds.
      let info: string[] | undefined;
      if (anonKind === 'eventfd' || walk.anonInfo) {
        try {
          info = parseFdInfo(readProcText(`${base}/fdinfo/${name}`)).rest;
        } catch (error) {
          const kind = classify(error);
          if (kind === 'gone') continue;
          if (kind === 'other') countFailure(walk, error);
        }
      }
      proc.fds.push({ fd, target, type: 'anon_inode', anonKind, ...(info ? { info } : {}) });
    } else if (c === 47 /* / */) {
      if (target.startsWith('/memfd:')) {
        const entry = readFd(base, fd, 'ipc', false); // fdinfo: inode and flags
        if (entry === 'denied') { proc.fds = []; return 'denied'; }
        if (entry) proc.fds.push(entry);
        continue;
      }
      const shm = target.startsWith('/dev/shm/');
      if (!shm && target.startsWith('/dev/')) continue; // terminals, /dev/null: not IPC
      // procfs and sysfs files are never IPC; a sampler keeps thousands of /proc/PID/stat files open.
      if (target.startsWith('/proc/') || target.startsWith('/sys/')) continue;
      let st = walk.pathStats.get(target);
      if (st === undefined) {
        st = statOrNull(target);
        walk.pathStats.set(target, st);
      }
      const single = target.indexOf('/', 1) === -1;
      const fifo = st?.isFIFO() ?? false;
      const locked = st !== null && walk.lockedKeys !== null && walk.lockedKeys.has(`${formatDevice(st.dev)}:${st.ino}`);
      // Deleted or unreachable paths (and mq_open's `/name`) need the fd's own stat.
      if (!(fifo || shm || locked || single || (st === null && walk.lockedKeys !== null))) continue;
      const own = statOrNull(link);
      if (!own) continue;
      const device = formatDevice(own.dev);
      if (own.isFIFO()) {
        const mode = direction(link, `${proc.pid}:${fd}:${own.ino}`, walk, previous);
        proc.fds.push({ fd, target, type: 'file', fifo: true, inode: own.ino, device, ...(mode ? { mode } : {}) });
      } else if (own.isFile() && single && isMqueueFd(link)) {
        const mode = linkMode(link);
        proc.fds.push({ fd, target, type: 'mqueue', inode: own.ino, device, ...(mode ? { mode } : {}) });
      } else if (shm || (walk.lockedKeys?.has(`${device}:${own.ino}`) ?? false)) {
        const mode = shm ? linkMode(link) : undefined;
        proc.fds.push({ fd, target, type: own.isDirectory() ? 'dir' : 'file', inode: own.ino, device, size: own.size, ...(mode ? { mode } : {}) });
      }
    }
  }
  return 'ok';
}

/** Fills each endpoint's process name and key, reading /proc/PID/stat once per endpoint process. */
function identify(procRoot: string, channels: Channel[], given?: ScanOptions['knownProcesses']): Channel[] {
  const known = new Map<number, { readonly name: string; readonly key: string } | null>();
  const lookup = (pid: number): { readonly name: string; readonly key: string } | null => {
    const cached = known.get(pid);
    if (cached !== undefined) return cached;
    const fromSampler = given?.get(pid);
    if (fromSampler) return fromSampler;
    let id: { readonly name: string; readonly key: string } | null = null;
    try {
      const stat = readStat(`${procRoot}/${pid}/stat`);
      if (stat) id = { name: stat.comm, key: processKey(pid, stat.starttime) };
    } catch (error) {
      classify(error); // the endpoint stays unnamed
    }
    known.set(pid, id);
    return id;
  };
  return channels.map((c) => {
    if (c.endpoints.length === 0) return c;
    const endpoints = c.endpoints.map((e) => {
      const id = e.pid > 0 ? lookup(e.pid) : null;
      return id ? { ...e, processName: id.name, processKey: id.key } : e;
    });
    return { ...c, endpoints } as Channel;
  });
}

export async function scanIpc(options: ScanOptions = {}): Promise<IpcMap> {
  return scanIpcSync(options);
}

export function scanIpcSync(options: ScanOptions = {}): IpcMap {
  const started = performance.now();
  const procRoot = options.procRoot ?? '/proc';
  const warnings: IpcWarning[] = [];
  const unavailablePids: number[] = [];
  checkProcRoot(procRoot);

  // Locks first: the fd walk stats regular files only to find the locked ones.
  const lockRows = parseLocks(readOptional(`${procRoot}/locks`, warnings) ?? '');
  const lockedKeys = lockRows.length > 0 ? new Set(lockRows.map((r) => `${r.device}:${r.inode}`)) : null;

  // ---- processes and their fds ----
  let pidList: number[];
  if (options.pids) {
    pidList = [...new Set(options.pids)];
  } else {
    try {
      pidList = procFs.readdirSync(procRoot).filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57).map(Number);
    } catch (error) {
      throw new ProcScopeError('NO_PROCFS', `cannot list ${procRoot}: ${reasonOf(error)}`);
    }
  }
  const procs = new Map<number, Proc>();
  const walk: Walk = { pathStats: new Map(), lockedKeys, directions: new Map(), anonInfo: options.anonInfo ?? false, fdFailures: new Map() };
  const failedPids = new Map<string, number[]>();
  for (const pid of pidList) {
    const proc: Proc = { pid, fds: [] };
    const result = walkFds(`${procRoot}/${pid}`, proc, walk);
    if (result === 'gone') continue;
    if (result === 'denied') unavailablePids.push(pid);
    else if (result !== 'ok') {
      unavailablePids.push(pid);
      pushList(failedPids, result.failed, pid);
    }
    procs.set(pid, proc);
  }
  directionCache.set(procRoot, walk.directions);
  const denied = unavailablePids.length - [...failedPids.values()].reduce((n, l) => n + l.length, 0);
  if (denied > 0) warnings.push({ code: 'procsDenied', params: { count: denied } });
  for (const [reason, pids] of failedPids) warnings.push({ code: 'procsFailed', params: { count: pids.length, reason } });
  for (const [reason, n] of walk.fdFailures) warnings.push({ code: 'fdsFailed', params: { count: n, reason } });

  const channels: Channel[] = [];

  // ---- pipes, FIFOs, anon inodes, memfd, /dev/shm, mqueue from fds ----
  const pipes = new Map<number, Holder[]>();
  const fifos = new Map<string, Holder[]>();
  const sockets = new Map<number, Holder[]>();
  const memfds = new Map<number, { name: string; holders: Holder[] }>();
  const shmFiles = new Map<string, { path: string; size?: number; deleted: boolean; holders: Holder[]; maps: { proc: Proc; m: SharedMapping }[] }>();
  const mqueues = new Map<string, Holder[]>();
  const eventfds = new Map<string, Holder[]>();
  const filesByDevIno = new Map<string, Holder[]>();
  const anon: Holder[] = [];
  for (const proc of procs.values()) {
    for (const fd of proc.fds) {
      const h: Holder = { proc, fd };
      switch (fd.type) {
        case 'pipe': push(pipes, fd.inode!, h); break;
        case 'socket': push(sockets, fd.inode!, h); break;
        case 'memfd': {
          const key = fd.inode ?? -fd.fd;
          const name = fd.target.slice(7).replace(/ \(deleted\)$/, '');
          const m = memfds.get(key) ?? { name, holders: [] };
          m.holders.push(h);
          memfds.set(key, m);
          break;
        }
        case 'mqueue': push(mqueues, `${fd.device}:${fd.inode}`, h); break;
        case 'anon_inode':
          if (fd.anonKind === 'eventfd') {
            const id = infoValue(fd, 'eventfd-id:');
            push(eventfds, id !== undefined ? id : `${proc.pid}:${fd.fd}`, h);
          } else if (fd.anonKind === 'signalfd' || fd.anonKind === 'timerfd' || fd.anonKind === 'eventpoll' || fd.anonKind === 'inotify') {
            anon.push(h);
          }
          break;
        case 'file':
        case 'dir':
        case 'dev':
          if (fd.fifo) { push(fifos, `${fd.device}:${fd.inode}`, h); break; }
          if (fd.inode !== undefined && fd.device !== undefined) push(filesByDevIno, `${fd.device}:${fd.inode}`, h);
          if (fd.type === 'file' && fd.target.startsWith('/dev/shm/')) {
            const deleted = fd.target.endsWith(' (deleted)');
            const path = deleted ? fd.target.slice(0, -10) : fd.target;
            const key = `${fd.device}:${fd.inode}`;
            const s = shmFiles.get(key) ?? { path, deleted, holders: [], maps: [], ...(fd.size !== undefined ? { size: fd.size } : {}) };
            s.holders.push(h);
            shmFiles.set(key, s);
          }
          break;
        default:
          break;
      }
    }
  }

  for (const [inode, holders] of pipes) {
    const c: PipeChannel = {
      kind: 'pipe', id: `pipe:${inode}`, label: `pipe ${inode}`, inode,
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }
  for (const [key, holders] of fifos) {
    const path = (holders.find((h) => h.fd.target !== '') ?? holders[0]!).fd.target.replace(/ \(deleted\)$/, '');
    const inode = holders[0]!.fd.inode!;
    const c: FifoChannel = {
      kind: 'fifo', id: `fifo:${key}`, label: `FIFO ${path}`, path, inode,
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }
  for (const [key, holders] of eventfds) {
    const count = infoValue(holders[0]!.fd, 'eventfd-count:');
    const c: AnonChannel = {
      kind: 'eventfd', id: `eventfd:${key}`, label: `eventfd ${key}`,
      ...(count !== undefined ? { info: `count ${parseInt(count, 16)}` } : {}),
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, 'open'))),
    };
    channels.push(c);
  }
  for (const h of anon) {
    // No stable object id in fdinfo for these (unlike eventfd-id): each fd is a channel of its own.
    const kind: AnonChannel['kind'] = h.fd.anonKind === 'eventpoll' ? 'epoll' : (h.fd.anonKind as AnonChannel['kind']);
    const c: AnonChannel = {
      kind, id: `${kind}:${h.proc.pid}:${h.fd.fd}`, label: `${kind} (pid ${h.proc.pid}, fd ${h.fd.fd})`,
      ...anonInfo(kind, h.fd),
      endpoints: [endpointOf(h.proc.pid, h.fd.fd, 'open')],
    };
    channels.push(c);
  }
  for (const [key, holders] of mqueues) {
    const name = holders[0]!.fd.target;
    const queued = readOptional(`/dev/mqueue${name}`);
    const q = queued ? /QSIZE:(\d+)/.exec(queued) : null;
    const c: MqueueChannel = {
      kind: 'mqueue', id: `mqueue:${key}`, label: `mqueue ${name}`, name, inode: holders[0]!.fd.inode!,
      ...(q ? { queuedBytes: Number(q[1]) } : {}),
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }

  // ---- SysV tables ----
  const shmRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/shm`) ?? '');
  const msgRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/msg`) ?? '');
  const semRows = parseSysvTable(readOptional(`${procRoot}/sysvipc/sem`) ?? '');

  // ---- shared mappings (maps), only when something can be mapped ----
  const mapsMode = options.maps ?? 'auto';
  let readMaps = mapsMode === 'always';
  if (mapsMode === 'auto') {
    // Not triggered by memfd fds alone: big processes (browsers, editors) hold memfds and their maps are
    // 100 KB each; memfd channels come from the fds, mappings of a memfd whose fd was closed are then missed.
    readMaps = shmRows.some((r) => Number(r['nattch']) > 0) || dirHasEntries('/dev/shm');
  }
  const sysvAttach = new Map<number, { proc: Proc; m: SharedMapping }[]>();
  const sharedFiles = new Map<string, { path: string; deleted: boolean; maps: { proc: Proc; m: SharedMapping }[] }>();
  const memfdMaps = new Map<number, { proc: Proc; m: SharedMapping }[]>();
  const semMaps = new Map<string, { path: string; inode: number; maps: { proc: Proc; m: SharedMapping }[] }>();
  if (readMaps) {
    const now = Date.now();
    const maxAge = mapsMode === 'auto' ? (options.mapsMaxAgeMs ?? 5000) : 0;
    const cached = maxAge > 0 ? mapsCache.get(procRoot) : undefined;
    let useCache = cached !== undefined;
    if (cached) {
      // SysV segments say how many attachments they have: when the cached maps disagree, read them all again.
      const seen = new Map<number, number>();
      for (const proc of procs.values()) {
        for (const m of cached.get(proc.pid)?.mappings ?? []) if (m.path.startsWith('/SYSV')) seen.set(m.inode, (seen.get(m.inode) ?? 0) + 1);
      }
      useCache = shmRows.every((r) => Number(r['nattch']) === (seen.get(Number(r['shmid'])) ?? 0));
    }
    const next = new Map<number, { at: number; mappings: SharedMapping[] }>();
    for (const proc of procs.values()) {
      let entry = useCache ? cached!.get(proc.pid) : undefined;
      if (!entry || now - entry.at >= maxAge) {
        let text: string;
        try {
          text = readProcText(`${procRoot}/${proc.pid}/maps`);
        } catch (error) {
          if (classify(error) === 'other') warnings.push({ code: 'mapsFailed', params: { pid: proc.pid, reason: reasonOf(error) } });
          continue;
        }
        // Spread the refreshes over time instead of re-reading every process in the same scan.
        entry = { at: now - Math.random() * maxAge * 0.5, mappings: parseSharedMappings(text) };
      }
      next.set(proc.pid, entry);
      for (const m of entry.mappings) {
        if (m.path.startsWith('/SYSV')) pushList(sysvAttach, m.inode, { proc, m });
        else if (m.path.startsWith('/memfd:')) pushList(memfdMaps, m.inode, { proc, m });
        else if (m.path.startsWith('/dev/shm/sem.')) {
          const key = `${m.device}:${m.inode}`;
          const s = semMaps.get(key) ?? { path: m.path, inode: m.inode, maps: [] };
          s.maps.push({ proc, m });
          semMaps.set(key, s);
        } else if (m.path.startsWith('/dev/shm/')) {
          const key = `${m.device}:${m.inode}`;
          const s = shmFiles.get(key) ?? { path: m.path, deleted: m.deleted, holders: [], maps: [] };
          s.maps.push({ proc, m });
          shmFiles.set(key, s);
        } else {
          const key = `${m.device}:${m.inode}`;
          const s = sharedFiles.get(key) ?? { path: m.path, deleted: m.deleted, maps: [] };
          s.maps.push({ proc, m });
          sharedFiles.set(key, s);
        }
      }
    }
    if (maxAge > 0) mapsCache.set(procRoot, next);
  }

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
      kind: 'sysv-shm', id: `sysv-shm:${shmid}`, label: `SysV shm ${shmid} (key ${key})`, key, shmid,
      size: Number(row['size']), creatorPid: cpid, lastPid: lpid, attachCount: Number(row['nattch']),
      perms: row['perms']!, uid: Number(row['uid']), markedForRemoval: (parseInt(row['perms']!, 8) & 0o1000) !== 0,
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
      kind: 'sysv-msg', id: `sysv-msg:${msqid}`, label: `SysV msg queue ${msqid} (key ${key})`, key, msqid,
      bytes: Number(row['cbytes']), messages: Number(row['qnum']), lastSendPid: lspid, lastRecvPid: lrpid,
      perms: row['perms']!, uid: Number(row['uid']), endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const row of semRows) {
    const semid = Number(row['semid']);
    const key = formatSysvKey(row['key']!);
    // /proc/sysvipc/sem names no processes (the last semop pid per semaphore needs semctl(GETPID)).
    const c: SysvSemChannel = {
      kind: 'sysv-sem', id: `sysv-sem:${semid}`, label: `SysV semaphore set ${semid} (key ${key})`, key, semid,
      nsems: Number(row['nsems']), perms: row['perms']!, uid: Number(row['uid']), endpoints: [],
    };
    channels.push(c);
  }

  for (const [inode, m] of memfds) {
    const endpoints = m.holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)));
    for (const { proc, m: map } of memfdMaps.get(inode) ?? []) endpoints.push(endpointOf(proc.pid, null, 'map', { mapping: map.range }));
    memfdMaps.delete(inode);
    const c: MemfdChannel = { kind: 'memfd', id: `memfd:${inode}`, label: `memfd ${m.name}`, name: m.name, inode, endpoints: sortEndpoints(endpoints) };
    channels.push(c);
  }
  for (const [inode, maps] of memfdMaps) {
    const name = maps[0]!.m.path.slice(7);
    const c: MemfdChannel = {
      kind: 'memfd', id: `memfd:${inode}`, label: `memfd ${name}`, name, inode,
      endpoints: sortEndpoints(maps.map(({ proc, m }) => endpointOf(proc.pid, null, 'map', { mapping: m.range }))),
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
  for (const [key, s] of shmFiles) {
    if (!s.deleted) continue;
    const name = currentShmName(Number(key.slice(key.lastIndexOf(':') + 1)));
    if (name) { s.path = name; s.deleted = false; }
  }
  for (const sem of semMaps.values()) {
    const name = currentShmName(sem.inode);
    if (name) sem.path = name;
  }
  for (const [key, s] of shmFiles) {
    const isSem = s.path.startsWith('/dev/shm/sem.');
    const endpoints = s.holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, isSem ? 'open' : roleOfMode(h.fd)));
    for (const { proc, m } of s.maps) endpoints.push(endpointOf(proc.pid, null, 'map', { mapping: m.range }));
    const inode = Number(key.slice(key.lastIndexOf(':') + 1));
    if (isSem) {
      const sem = semMaps.get(key) ?? { path: s.path, inode, maps: [] };
      for (const { proc, m } of sem.maps) endpoints.push(endpointOf(proc.pid, null, 'map', { mapping: m.range }));
      semMaps.delete(key);
      channels.push(posixSem(s.path, inode, endpoints));
      continue;
    }
    const c: PosixShmChannel = {
      kind: 'posix-shm', id: `posix-shm:${key}`, label: `POSIX shm ${s.path}${s.deleted ? ' (deleted)' : ''}`, path: s.path, inode,
      deleted: s.deleted, ...(s.size !== undefined ? { size: s.size } : {}), endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
  for (const [key, s] of sharedFiles) {
    // One process mapping a file shared is not a channel; two or more are, when someone can write through it
    // (read-only shared maps are fonts, caches and browser resource packs, not communication).
    if (new Set(s.maps.map((x) => x.proc.pid)).size < 2 || !s.maps.some((x) => x.m.perms[1] === 'w')) continue;
    const c: PosixShmChannel = {
      kind: 'posix-shm', id: `posix-shm:${key}`, label: `shared file mapping ${s.path}${s.deleted ? ' (deleted)' : ''}`, path: s.path,
      inode: Number(key.slice(key.lastIndexOf(':') + 1)), deleted: s.deleted, sharedFile: true,
      endpoints: sortEndpoints(s.maps.map(({ proc, m }) => endpointOf(proc.pid, null, 'map', { mapping: m.range }))),
    };
    channels.push(c);
  }
  for (const sem of semMaps.values()) {
    channels.push(posixSem(sem.path, sem.inode, sem.maps.map(({ proc, m }) => endpointOf(proc.pid, null, 'map', { mapping: m.range }))));
  }

  // ---- sockets ----
  let netNamespace: string | null = null;
  try {
    netNamespace = readlinkText(`${procRoot}/self/ns/net`);
  } catch (error) {
    classify(error); // unknown: every namespace's sockets are then read through their processes
  }
  if (sockets.size > 0) {
    const unresolved = buildSocketChannels(`${procRoot}/net`, sockets, (options.useSs ?? true) && procRoot === '/proc', warnings, channels, '', undefined, options.ssMaxAgeMs ?? 5000);
    // Sockets not in our namespace's tables: read each other namespace's tables through one of its processes.
    if (unresolved.size > 0) {
      const byNs = new Map<string, { pid: number; inodes: Map<number, Holder[]> }>();
      for (const [inode, holders] of unresolved) {
        for (const h of holders) {
          let ns = h.proc.netns;
          if (ns === undefined) {
            try {
              ns = h.proc.netns = readlinkText(`${procRoot}/${h.proc.pid}/ns/net`);
            } catch (error) {
              classify(error);
              continue;
            }
          }
          if (ns === netNamespace) continue; // netlink, packet, raw... sockets of our own namespace: not IPC here
          const e = byNs.get(ns) ?? { pid: h.proc.pid, inodes: new Map() };
          pushList(e.inodes, inode, h);
          byNs.set(ns, e);
        }
      }
      for (const [ns, e] of byNs) {
        buildSocketChannels(`${procRoot}/${e.pid}/net`, e.inodes, false, warnings, channels, ns);
        warnings.push({ code: 'otherNamespace', params: { ns, pid: e.pid } });
      }
    }
  }

  // ---- locks ----
  const waitEdges: WaitEdgeInput[] = [];
  if (lockRows.length > 0) buildLockChannels(procRoot, lockRows, filesByDevIno, channels, waitEdges);
  const { edges, deadlocks } = findDeadlocks(waitEdges, channels);

  channels.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind.localeCompare(b.kind)));
  return {
    timestamp: Date.now(),
    channels: identify(procRoot, channels, options.knownProcesses),
    waitFor: edges,
    deadlocks,
    warnings: warnings.map(ipcWarningEnglish),
    warningCodes: warnings,
    unavailablePids: unavailablePids.sort((a, b) => a - b),
    netNamespace,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

function posixSem(path: string, inode: number, endpoints: Endpoint[]): PosixSemChannel {
  const name = `/${path.slice('/dev/shm/sem.'.length)}`;
  return { kind: 'posix-sem', id: `posix-sem:${inode}`, label: `POSIX semaphore ${name}`, path, name, inode, endpoints: sortEndpoints(endpoints) };
}

function anonInfo(kind: AnonChannel['kind'], fd: FdEntry): { info?: string } {
  if (fd.info === undefined) return {}; // fdinfo not read (ScanOptions.anonInfo)
  switch (kind) {
    case 'signalfd': { const v = infoValue(fd, 'sigmask:'); return v !== undefined ? { info: `sigmask ${v}` } : {}; }
    case 'timerfd': { const v = infoValue(fd, 'clockid:'); return v !== undefined ? { info: `clock ${v}` } : {}; }
    case 'epoll': {
      const tfds = (fd.info ?? []).filter((l) => l.startsWith('tfd:')).map((l) => l.split(/\s+/)[1]);
      return { info: `fds ${tfds.join(',') || 'none'}` };
    }
    case 'inotify': return { info: `watches ${(fd.info ?? []).filter((l) => l.startsWith('inotify')).length}` };
    default: return {};
  }
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

function push<K>(map: Map<K, Holder[]>, key: K, h: Holder): void {
  const list = map.get(key);
  if (list) list.push(h);
  else map.set(key, [h]);
}

function pushList<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

// ---- sockets: unix, tcp, udp ----

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
}

let ssMissing = false;

interface SsData {
  readonly at: number;
  readonly unixPeers: Map<number, number>;
  readonly tcp: InetSocketRow[];
  readonly udp: InetSocketRow[];
  /** Socket inodes this answer speaks for: its TCP/UDP rows, and the non-unix sockets asked about then. */
  readonly covered: Set<number>;
}

let ssCache: SsData | undefined;

function parseSsData(text: string, at: number, asked: readonly number[]): SsData {
  const { tcp, udp } = parseSsInet(text);
  const covered = new Set(asked);
  for (const r of tcp) covered.add(r.inode);
  for (const r of udp) covered.add(r.inode);
  return { at, unixPeers: parseSsUnixPeers(text), tcp, udp, covered };
}

/** One `ss` run for the whole scan: unix peers (-x) and TCP/UDP rows with inodes (-tu -e), numeric, no header. */
function runSs(): string | undefined {
  if (ssMissing) return undefined;
  try {
    // Bytes, decoded like every other OS string: socket paths need not be UTF-8.
    return decodeBytes(execFileSync('ss', ['-xtuanHe'], { timeout: 5000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') ssMissing = true;
    return undefined;
  }
}

/**
 * Builds unix/tcp/udp channels for the sockets found in one namespace's tables (netDir = a /proc/net
 * directory); returns the socket inodes not found there. `ssText` replaces running `ss -xanH` (fixtures).
 */
export function buildSocketChannels(
  netDir: string, sockets: Map<number, Holder[]>, useSs: boolean,
  warnings: IpcWarning[], channels: Channel[], nsTag: string, ssText?: string, ssMaxAgeMs = 0,
): Map<number, Holder[]> {
  const found = new Set<number>();
  const idPrefix = nsTag ? `${nsTag}/` : '';

  // unix
  const unixRows = parseNetUnix(readOptional(`${netDir}/unix`) ?? '').filter((r) => sockets.has(r.inode));
  const unixInodes = new Set(unixRows.map((r) => r.inode));
  const restInodes = [...sockets.keys()].filter((i) => !unixInodes.has(i));
  const connectedUnix = unixRows.filter((r) => r.st === 3).map((r) => r.inode);

  // One ss run serves the whole scan; its answer is reused while it still covers every socket (a socket's
  // peer and addresses never change; only TCP state may lag, by at most ssMaxAgeMs).
  let data: SsData | null | undefined = ssText !== undefined ? parseSsData(ssText, 0, restInodes) : undefined;
  const ss = (): SsData | undefined => {
    if (data === undefined && useSs) {
      const cached = nsTag === '' ? ssCache : undefined;
      if (cached && Date.now() - cached.at < ssMaxAgeMs && connectedUnix.every((i) => cached.unixPeers.has(i)) && restInodes.every((i) => cached.covered.has(i))) {
        data = cached;
      } else {
        const out = runSs();
        data = out !== undefined ? parseSsData(out, Date.now(), restInodes) : null;
        if (data && nsTag === '' && ssMaxAgeMs > 0) ssCache = data;
      }
    }
    return data ?? undefined;
  };
  if (unixRows.length > 0) {
    const byInode = new Map<number, UnixSocketRow>(unixRows.map((r) => [r.inode, r]));
    let peers: Map<number, number> | undefined;
    if (useSs && unixRows.some((r) => r.st === 3)) {
      const out = ss();
      if (out !== undefined) peers = out.unixPeers;
      else warnings.push({ code: ssMissing ? 'ssMissing' : 'ssFailed' });
    } else if (!useSs && unixRows.some((r) => r.st === 3) && nsTag === '') {
      warnings.push({ code: 'ssNotUsed' });
    }
    const uf = new UnionFind();
    for (const r of unixRows) {
      found.add(r.inode);
      const peer = peers?.get(r.inode);
      if (peer && byInode.has(peer)) uf.union(r.inode, peer);
    }
    const groups = new Map<number, UnixSocketRow[]>();
    for (const r of unixRows) pushList(groups, uf.find(r.inode), r);
    for (const [root, rows] of groups) {
      rows.sort((a, b) => a.inode - b.inode);
      const named = rows.find((r) => r.listening && r.path) ?? rows.find((r) => r.path) ?? rows[0]!;
      const path = named.path;
      const abstract = path?.startsWith('@') ?? false;
      const endpoints: Endpoint[] = [];
      for (const r of rows) {
        const role: EndpointRole = r.listening ? 'listen' : r.st === 3 ? 'connected' : r.path ? 'bound' : 'unconnected';
        for (const h of sockets.get(r.inode) ?? []) endpoints.push(endpointOf(h.proc.pid, h.fd.fd, role, { detail: `inode ${r.inode}` }));
      }
      const connected = rows.filter((r) => r.st === 3);
      // Known when every connected socket's peer was found among the scanned sockets (or said to be none).
      const peerKnown = peers !== undefined && connected.every((r) => { const p = peers!.get(r.inode); return p !== undefined && (p === 0 || byInode.has(p)); });
      const state = rows.length > 1 && connected.length === rows.length ? 'connected' : unixStateName(named);
      const c: UnixChannel = {
        kind: 'unix', id: `unix:${idPrefix}${root}`,
        label: `${path ?? 'unnamed'} (${named.type}${connected.length > 0 && !peerKnown ? ', peer unknown' : ''})`,
        path, abstract, socketType: named.type, state, inodes: rows.map((r) => r.inode), peerKnown, inode: root,
        endpoints: sortEndpoints(endpoints),
      };
      channels.push(c);
    }
  }

  // tcp and udp: /proc/net/tcp costs ~5 ms even when nearly empty (the kernel walks its whole hash table),
  // so the inet tables are read only when some socket was not a unix socket.
  let rest = 0;
  for (const inode of sockets.keys()) if (!found.has(inode)) rest++;
  const fromSs = rest > 0 && useSs ? ss() : undefined;
  for (const kind of rest > 0 ? (['tcp', 'udp'] as const) : []) {
    const rows: InetSocketRow[] = fromSs ? fromSs[kind] : [];
    if (!fromSs) {
      for (const [file, family] of [[kind, 'ipv4'], [`${kind}6`, 'ipv6']] as const) {
        const text = readOptional(`${netDir}/${file}`);
        if (text) rows.push(...parseNetInet(text, family));
      }
    }
    const local = new Map<string, InetSocketRow[]>();
    for (const r of rows) if (r.inode > 0) pushList(local, addrKey(r.localAddress, r.localPort), r);
    const uf = new UnionFind();
    const held = rows.filter((r) => r.inode > 0 && sockets.has(r.inode));
    const inGroup = new Map<number, InetSocketRow>();
    for (const r of held) {
      found.add(r.inode);
      inGroup.set(r.inode, r);
      if (r.remotePort === 0) continue;
      // The peer: a socket whose local address is our remote (and, for TCP, whose remote is our local).
      const candidates = local.get(addrKey(r.remoteAddress, r.remotePort)) ?? [];
      let peer = candidates.find((p) => p.remotePort === r.localPort && sameAddr(p.remoteAddress, r.localAddress));
      if (!peer && kind === 'udp') peer = candidates.find((p) => p.remotePort === 0) ?? wildcardListener(local, r.remotePort, r.family);
      if (peer && sockets.has(peer.inode)) {
        uf.union(r.inode, peer.inode);
        inGroup.set(peer.inode, peer);
      } else if (peer) {
        // The peer is not held by any scanned process (e.g. another user's): still show its end.
        uf.union(r.inode, peer.inode);
        inGroup.set(peer.inode, peer);
      }
    }
    const groups = new Map<number, InetSocketRow[]>();
    for (const r of inGroup.values()) pushList(groups, uf.find(r.inode), r);
    for (const members of groups.values()) {
      // The server end first: a listening/unconnected socket, or the one with the lower port.
      members.sort((a, b) => (a.remotePort === 0 ? -1 : 0) - (b.remotePort === 0 ? -1 : 0) || a.localPort - b.localPort || a.inode - b.inode);
      const first = members[0]!;
      const la = formatEndpoint(first.localAddress, first.localPort, first.family);
      const ra = formatEndpoint(first.remoteAddress, first.remotePort, first.family);
      const joined = members.length > 1;
      const endpoints: Endpoint[] = [];
      for (const r of members) {
        const role: EndpointRole = r.st === 10 ? 'listen' : kind === 'udp' && r.remotePort === 0 ? 'bound' : 'connected';
        const detail = formatEndpoint(r.localAddress, r.localPort, r.family);
        for (const h of sockets.get(r.inode) ?? []) endpoints.push(endpointOf(h.proc.pid, h.fd.fd, role, { detail }));
      }
      let id: string;
      let label: string;
      if (first.remotePort === 0) {
        id = `${kind}:${idPrefix}${la}`;
        label = `${kind.toUpperCase()} ${la} ${inetStateName(kind, first.st).toLowerCase()}${joined ? ` ← ${members.length - 1} peer(s)` : ''}`;
      } else {
        const pair = [la, ra].sort();
        id = `${kind}:${idPrefix}${pair[0]}-${pair[1]}`;
        label = `${kind.toUpperCase()} ${la} ↔ ${ra}`;
      }
      const c: InetChannel = {
        kind, id, label, family: first.family, state: inetStateName(kind, first.st), local: la, remote: ra, joined,
        inodes: members.map((r) => r.inode), inode: first.inode, endpoints: sortEndpoints(endpoints),
      };
      channels.push(c);
    }
  }

  const unresolved = new Map<number, Holder[]>();
  for (const [inode, holders] of sockets) if (!found.has(inode)) unresolved.set(inode, holders);
  return unresolved;
}

/** IPv4-mapped IPv6 addresses and their IPv4 form are the same socket address. */
function normAddr(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

function sameAddr(a: string, b: string): boolean {
  return normAddr(a) === normAddr(b);
}

function addrKey(address: string, port: number): string {
  return `${normAddr(address)}|${port}`;
}

function wildcardListener(local: Map<string, InetSocketRow[]>, port: number, family: 'ipv4' | 'ipv6'): InetSocketRow | undefined {
  const any = family === 'ipv4' ? ['0.0.0.0', '::'] : ['::', '0.0.0.0'];
  for (const a of any) {
    const hit = local.get(addrKey(a, port))?.find((p) => p.remotePort === 0);
    if (hit) return hit;
  }
  return undefined;
}

// ---- locks ----

function buildLockChannels(
  procRoot: string, rows: LockRow[], filesByDevIno: Map<string, Holder[]>,
  channels: Channel[], waitEdges: WaitEdgeInput[],
): void {
  // fdinfo `lock:` lines name the open file descriptions that own each lock (needed for OFD locks, pid -1,
  // and for flock locks inherited across fork); read them only for fds of locked files.
  const fdLocks = new Map<string, { holder: Holder; lines: string[] }[]>();
  const lockedFiles = new Set(rows.map((r) => `${r.device}:${r.inode}`));
  for (const key of lockedFiles) {
    for (const h of filesByDevIno.get(key) ?? []) {
      let lines: string[];
      try {
        lines = readProcText(`${procRoot}/${h.proc.pid}/fdinfo/${h.fd.fd}`).split('\n').filter((l) => l.startsWith('lock:'));
      } catch (error) {
        classify(error); // this holder's fd is not matched to the lock; the lock itself is still shown
        continue;
      }
      if (lines.length > 0) pushList(fdLocks, key, { holder: h, lines });
    }
  }

  let current: { channel: { endpoints: Endpoint[] }; id: string; holders: number[] } | undefined;
  const stack: { id: string; holders: number[] }[] = [];
  const built: { row: LockRow; endpoints: Endpoint[]; id: string; path: string | null }[] = [];
  const usedIds = new Set<string>();
  for (const row of rows) {
    const fileKey = `${row.device}:${row.inode}`;
    const files = filesByDevIno.get(fileKey) ?? [];
    // A holder whose link could not be read (a path past PATH_MAX) has target '': name the file by another.
    const pathOf = files.find((h) => h.fd.target !== '')?.fd.target.replace(/ \(deleted\)$/, '') ?? null;
    const fdOf = (pid: number): number | null => files.find((h) => h.proc.pid === pid)?.fd.fd ?? null;
    if (row.depth === 0) {
      const endpoints: Endpoint[] = [];
      const holders = new Set<number>();
      if (row.pid > 0) {
        holders.add(row.pid);
        endpoints.push(endpointOf(row.pid, fdOf(row.pid), 'holder'));
      }
      if (row.lockClass !== 'POSIX') {
        for (const { holder, lines } of fdLocks.get(fileKey) ?? []) {
          if (!lines.some((l) => matchesFdLock(l, row))) continue;
          if (holders.has(holder.proc.pid)) continue;
          holders.add(holder.proc.pid);
          endpoints.push(endpointOf(holder.proc.pid, holder.fd.fd, 'holder'));
        }
      }
      const end = row.end === null ? 'EOF' : String(row.end);
      const owner = row.pid > 0 ? row.pid : [...holders][0] ?? 'ofd';
      const baseId = `lock:${fileKey}:${row.lockClass}:${row.start}-${end}:${owner}`;
      // Two locks can look alike (shared OFD read locks whose owners were not found): keep ids unique.
      let id = baseId;
      for (let n = 2; usedIds.has(id); n++) id = `${baseId}#${n}`;
      usedIds.add(id);
      const entry = { row, endpoints, id, path: pathOf };
      built.push(entry);
      current = { channel: entry, id, holders: [...holders] };
      stack.length = 0;
      stack.push({ id, holders: [...holders] });
    } else if (current) {
      // An OFD waiter shows pid -1: find it among the processes with the file open, blocked in
      // fcntl(fd, F_OFD_SETLKW) on that very fd (from /proc/PID/syscall).
      const waiters: { pid: number; fd: number | null }[] = row.pid > 0
        ? [{ pid: row.pid, fd: blockedFd(procRoot, row.pid)?.fd ?? fdOf(row.pid) }]
        : files.filter((h) => { const b = blockedFd(procRoot, h.proc.pid); return b !== null && b.fd === h.fd.fd && b.cmd === F_OFD_SETLKW; })
          .map((h) => ({ pid: h.proc.pid, fd: h.fd.fd }));
      const blocker = stack[Math.min(row.depth - 1, stack.length - 1)]!;
      for (const w of waiters) {
        if (current.channel.endpoints.some((e) => e.pid === w.pid && e.fd === w.fd && e.role === 'waiter')) continue;
        current.channel.endpoints.push(endpointOf(w.pid, w.fd, 'waiter'));
        // A waiter at depth d blocks on the entry at depth d-1 above it.
        for (const holder of blocker.holders) if (holder !== w.pid) waitEdges.push({ waiter: w.pid, holder, channelId: blocker.id });
      }
      stack.length = row.depth;
      stack.push({ id: blocker.id, holders: waiters.map((w) => w.pid) });
    }
  }
  for (const { row, endpoints, id, path } of built) {
    const c: LockChannel = {
      kind: 'lock', id,
      label: `${row.lockClass} ${row.access} lock on ${path ?? `${row.device}:${row.inode}`}${row.start !== 0 || row.end !== null ? ` [${row.start}-${row.end ?? 'EOF'}]` : ''}`,
      lockClass: row.lockClass, mode: row.mode, access: row.access, start: row.start, end: row.end,
      device: row.device, fileInode: row.inode, path, endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
}

/** fdinfo `lock:\t1: FLOCK  ADVISORY  WRITE 1234 fe:00:2147111 0 EOF` against a /proc/locks row. */
function matchesFdLock(line: string, row: LockRow): boolean {
  const parsed = parseLocks(line.slice(5).trim())[0];
  return parsed !== undefined && parsed.depth === 0 && parsed.lockClass === row.lockClass && parsed.access === row.access &&
    parsed.start === row.start && parsed.end === row.end && parsed.inode === row.inode && parsed.device === row.device;
}

/** flock(2) and fcntl(2) syscall numbers: a waiter blocked in one of them names its fd as the first argument. */
const LOCK_SYSCALLS: Partial<Record<string, readonly number[]>> = { x64: [72, 73], arm64: [25, 32] };

/** fcntl command for an OFD lock wait (include/uapi/asm-generic/fcntl.h). */
const F_OFD_SETLKW = 38;

/** The fd (and command) a lock waiter is blocked on, from /proc/PID/syscall (`73 0x6 0x2 ...`); null when unknown. */
function blockedFd(procRoot: string, pid: number): { fd: number; cmd: number } | null {
  const numbers = LOCK_SYSCALLS[process.arch];
  if (!numbers) return null;
  let text: string;
  try {
    text = readProcText(`${procRoot}/${pid}/syscall`);
  } catch (error) {
    classify(error);
    return null;
  }
  const f = text.trim().split(' ');
  if (!numbers.includes(Number(f[0])) || f[1] === undefined) return null;
  const fd = parseInt(f[1], 16);
  const cmd = f[2] === undefined ? -1 : parseInt(f[2], 16);
  return Number.isSafeInteger(fd) && fd >= 0 ? { fd, cmd } : null;
}
