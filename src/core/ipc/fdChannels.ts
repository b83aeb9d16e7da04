// Sorts the walked fds by the kernel object they name, and builds the channels that need nothing but fds:
// pipes, FIFOs, POSIX message queues and the anonymous endpoints (eventfd, epoll, signalfd, timerfd, inotify).
// Sockets, memfds, /dev/shm files and locked files are only grouped here; their stages join them with tables.
import type { FdEntry } from '../procfs/fd';
import type { AnonChannel, Channel, FifoChannel, MqueueChannel, PipeChannel } from './model';
import type { SharedMapping } from './parsers';
import { endpointOf, infoValue, pushList, readOptional, roleOfMode, sortEndpoints, type Holder, type Proc } from './holders';

/** A mapping of one process: the shared-memory stage adds these to the objects the fds found. */
export interface MappedBy {
  readonly proc: Proc;
  readonly m: SharedMapping;
}

/** A /dev/shm file, found through fds here and through maps later (either may be missing). */
export interface ShmFile {
  path: string;
  size?: number;
  deleted: boolean;
  readonly holders: Holder[];
  readonly maps: MappedBy[];
}

/** The holders of each kernel object, by the key that joins its ends (inode, dev:inode, eventfd-id). */
export interface FdGroups {
  readonly pipes: Map<number, Holder[]>;
  readonly fifos: Map<string, Holder[]>;
  readonly sockets: Map<number, Holder[]>;
  readonly memfds: Map<number, { name: string; holders: Holder[] }>;
  readonly shmFiles: Map<string, ShmFile>;
  readonly mqueues: Map<string, Holder[]>;
  readonly eventfds: Map<string, Holder[]>;
  /** Regular files and directories by dev:inode: the lock stage names locked files through them. */
  readonly filesByDevIno: Map<string, Holder[]>;
  /** epoll, signalfd, timerfd, inotify: one channel per fd. */
  readonly anon: Holder[];
}

export function groupFds(procs: Iterable<Proc>): FdGroups {
  const g: FdGroups = {
    pipes: new Map(),
    fifos: new Map(),
    sockets: new Map(),
    memfds: new Map(),
    shmFiles: new Map(),
    mqueues: new Map(),
    eventfds: new Map(),
    filesByDevIno: new Map(),
    anon: [],
  };
  for (const proc of procs) {
    for (const fd of proc.fds) {
      const h: Holder = { proc, fd };
      switch (fd.type) {
        case 'pipe':
          pushList(g.pipes, fd.inode!, h);
          break;
        case 'socket':
          pushList(g.sockets, fd.inode!, h);
          break;
        case 'memfd': {
          const key = fd.inode ?? -fd.fd;
          const name = fd.target.slice(7).replace(/ \(deleted\)$/, '');
          const m = g.memfds.get(key) ?? { name, holders: [] };
          m.holders.push(h);
          g.memfds.set(key, m);
          break;
        }
        case 'mqueue':
          pushList(g.mqueues, `${fd.device}:${fd.inode}`, h);
          break;
        case 'anon_inode':
          if (fd.anonKind === 'eventfd') {
            const id = infoValue(fd, 'eventfd-id:');
            pushList(g.eventfds, id !== undefined ? id : `${proc.pid}:${fd.fd}`, h);
          } else if (fd.anonKind === 'signalfd' || fd.anonKind === 'timerfd' || fd.anonKind === 'eventpoll' || fd.anonKind === 'inotify') {
            g.anon.push(h);
          }
          break;
        case 'file':
        case 'dir':
        case 'dev':
          if (fd.fifo) {
            pushList(g.fifos, `${fd.device}:${fd.inode}`, h);
            break;
          }
          if (fd.inode !== undefined && fd.device !== undefined) pushList(g.filesByDevIno, `${fd.device}:${fd.inode}`, h);
          if (fd.type === 'file' && fd.target.startsWith('/dev/shm/')) {
            const deleted = fd.target.endsWith(' (deleted)');
            const path = deleted ? fd.target.slice(0, -10) : fd.target;
            const key = `${fd.device}:${fd.inode}`;
            const s = g.shmFiles.get(key) ?? { path, deleted, holders: [], maps: [], ...(fd.size !== undefined ? { size: fd.size } : {}) };
            s.holders.push(h);
            g.shmFiles.set(key, s);
          }
          break;
        default:
          break;
      }
    }
  }
  return g;
}

/** Pipes, FIFOs, eventfds, the per-fd anonymous endpoints and message queues. */
export function buildFdChannels(g: FdGroups, channels: Channel[]): void {
  for (const [inode, holders] of g.pipes) {
    const c: PipeChannel = {
      kind: 'pipe',
      id: `pipe:${inode}`,
      label: `pipe ${inode}`,
      inode,
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }
  for (const [key, holders] of g.fifos) {
    // A holder whose link could not be read (a path past PATH_MAX) has target '': name the FIFO by another.
    const path = (holders.find((h) => h.fd.target !== '') ?? holders[0]!).fd.target.replace(/ \(deleted\)$/, '');
    const inode = holders[0]!.fd.inode!;
    const c: FifoChannel = {
      kind: 'fifo',
      id: `fifo:${key}`,
      label: `FIFO ${path}`,
      path,
      inode,
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }
  for (const [key, holders] of g.eventfds) {
    const count = infoValue(holders[0]!.fd, 'eventfd-count:');
    const c: AnonChannel = {
      kind: 'eventfd',
      id: `eventfd:${key}`,
      label: `eventfd ${key}`,
      ...(count !== undefined ? { info: `count ${parseInt(count, 16)}` } : {}),
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, 'open'))),
    };
    channels.push(c);
  }
  for (const h of g.anon) {
    // No stable object id in fdinfo for these (unlike eventfd-id): each fd is a channel of its own.
    const kind: AnonChannel['kind'] = h.fd.anonKind === 'eventpoll' ? 'epoll' : (h.fd.anonKind as AnonChannel['kind']);
    const c: AnonChannel = {
      kind,
      id: `${kind}:${h.proc.pid}:${h.fd.fd}`,
      label: `${kind} (pid ${h.proc.pid}, fd ${h.fd.fd})`,
      ...anonInfo(kind, h.fd),
      endpoints: [endpointOf(h.proc.pid, h.fd.fd, 'open')],
    };
    channels.push(c);
  }
  for (const [key, holders] of g.mqueues) {
    const name = holders[0]!.fd.target;
    const queued = readOptional(`/dev/mqueue${name}`);
    const q = queued ? /QSIZE:(\d+)/.exec(queued) : null;
    const c: MqueueChannel = {
      kind: 'mqueue',
      id: `mqueue:${key}`,
      label: `mqueue ${name}`,
      name,
      inode: holders[0]!.fd.inode!,
      ...(q ? { queuedBytes: Number(q[1]) } : {}),
      endpoints: sortEndpoints(holders.map((h) => endpointOf(h.proc.pid, h.fd.fd, roleOfMode(h.fd)))),
    };
    channels.push(c);
  }
}

function anonInfo(kind: AnonChannel['kind'], fd: FdEntry): { info?: string } {
  if (fd.info === undefined) return {}; // fdinfo not read (ScanOptions.anonInfo)
  switch (kind) {
    case 'signalfd': {
      const v = infoValue(fd, 'sigmask:');
      return v !== undefined ? { info: `sigmask ${v}` } : {};
    }
    case 'timerfd': {
      const v = infoValue(fd, 'clockid:');
      return v !== undefined ? { info: `clock ${v}` } : {};
    }
    case 'epoll': {
      const tfds = (fd.info ?? []).filter((l) => l.startsWith('tfd:')).map((l) => l.split(/\s+/)[1]);
      return { info: `fds ${tfds.join(',') || 'none'}` };
    }
    case 'inotify':
      return { info: `watches ${(fd.info ?? []).filter((l) => l.startsWith('inotify')).length}` };
    default:
      return {};
  }
}
