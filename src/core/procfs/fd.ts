// Open file descriptors of one process: /proc/PID/fd (readlink) and /proc/PID/fdinfo (flags, pos, ino, ...).
// Synchronous on purpose: fs/promises measured 4-9x slower than sync reads for these tiny files.
import type { Stats } from 'node:fs';
import { classify, reasonOf } from '../errors';
import { decodeBytes } from './decode';
import { procFs, readlinkText, readWholeGrowing } from './procFs';

export type FdType = 'file' | 'dir' | 'pipe' | 'socket' | 'anon_inode' | 'dev' | 'memfd' | 'mqueue' | 'unknown';

export type AccessMode = 'read' | 'write' | 'readwrite';

export interface FdEntry {
  readonly fd: number;
  /** readlink of /proc/PID/fd/N, exactly as the kernel gives it (`pipe:[123]`, `/tmp/a b (deleted)`). */
  readonly target: string;
  readonly type: FdType;
  /** Inode: from the target for pipes and sockets, from stat or fdinfo otherwise (when read). */
  readonly inode?: number;
  /** Device of the target as the kernel prints it in /proc/locks (`fe:00`), when stat was done. */
  readonly device?: string;
  /** True when the target is a FIFO (named pipe); only known when stat was done. */
  readonly fifo?: boolean;
  /** For anon_inode fds: the name without brackets (`eventfd`, `signalfd`, `timerfd`, `eventpoll`, `inotify`, `io_uring`, ...). */
  readonly anonKind?: string;
  /** Open flags from fdinfo (octal in the file, a number here), when fdinfo was read. */
  readonly flags?: number;
  /** O_ACCMODE of flags (or, for pipes and FIFOs in an IPC scan, from the fd link's mode bits). */
  readonly mode?: AccessMode;
  /** Size in bytes from stat, for files. */
  readonly size?: number;
  /** The other fdinfo lines, raw (`eventfd-count: 3`, `tfd: 5 events: 19 ...`, `lock: 1: FLOCK ...`). */
  readonly info?: readonly string[];
  /**
   * Why part of this fd could not be read (`target: ENAMETOOLONG: name too long`): the link target of a path
   * longer than PATH_MAX, say. `target` is then '' while the type, inode and device come from stat.
   */
  readonly unavailable?: string;
}

export interface FdListing {
  readonly pid: number;
  readonly fds: readonly FdEntry[];
  /** Why the fds could not be listed (`EACCES`, `gone`); null when they were. */
  readonly unavailable: string | null;
}

export interface ListFdsOptions {
  /** Which fds get their fdinfo read: every fd (default, for a detail view), only anon/memfd/mqueue ('ipc'), or none. */
  readonly fdinfo?: 'all' | 'ipc' | 'none';
  /** stat path targets (type file/dir/dev, FIFOs, inode, device, size). Default true. */
  readonly stat?: boolean;
}

const buffer = Buffer.allocUnsafe(16 * 1024);

/** Reads a small procfs file into a shared buffer (one open + read + close; procfs reports size 0). */
export function readProcText(path: string): string {
  // Read to the end (maps and net/unix come a page or so per read); into a larger buffer when it fills.
  const read = readWholeGrowing(path, buffer, true);
  // Paths in maps, net/unix and fdinfo are bytes like any other: decoded losslessly, never with U+FFFD.
  return decodeBytes(read.buf, 0, read.length);
}

const MQUEUE_MAGIC = 0x19800202;

/** Kernel-style `major:minor` (hex, two digits at least) of a userspace dev_t. */
export function formatDevice(dev: number): string {
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

/** Classifies a readlink target without touching the file. `path` means a filesystem path, resolved later by stat. */
export function classifyTarget(target: string): { type: FdType | 'path'; inode?: number; anonKind?: string } {
  if (target.startsWith('pipe:[')) return { type: 'pipe', inode: Number(target.slice(6, -1)) };
  if (target.startsWith('socket:[')) return { type: 'socket', inode: Number(target.slice(8, -1)) };
  if (target.startsWith('anon_inode:')) {
    const name = target.slice(11);
    return { type: 'anon_inode', anonKind: name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name };
  }
  if (target.startsWith('/memfd:')) return { type: 'memfd' };
  if (target.startsWith('/')) return { type: 'path' };
  return { type: 'unknown' };
}

export interface FdInfoFields {
  flags?: number;
  inode?: number;
  /** The remaining lines (eventfd-count, tfd, inotify, lock, ...), raw. */
  rest: string[];
}

/** Parses /proc/PID/fdinfo/N text. */
export function parseFdInfo(text: string): FdInfoFields {
  const out: FdInfoFields = { rest: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith('flags:')) out.flags = parseInt(line.slice(6).trim(), 8);
    else if (line.startsWith('ino:')) out.inode = Number(line.slice(4).trim());
    else if (line && !line.startsWith('pos:') && !line.startsWith('mnt_id:')) out.rest.push(line);
  }
  return out;
}

export function accessMode(flags: number): AccessMode {
  const acc = flags & 3;
  return acc === 0 ? 'read' : acc === 1 ? 'write' : 'readwrite';
}

function wantsFdinfo(type: FdType, fifo: boolean | undefined, level: 'all' | 'ipc' | 'none'): boolean {
  if (level === 'all') return true;
  if (level === 'none') return false;
  // Pipes and FIFOs get their direction from the fd link's mode instead (one lstat, see linkMode).
  return type === 'memfd' || type === 'anon_inode' || type === 'mqueue';
}

/**
 * The access mode of an fd from the mode bits of its /proc/PID/fd/N link: the kernel sets S_IRUSR for
 * FMODE_READ and S_IWUSR for FMODE_WRITE (fs/proc/fd.c). One lstat instead of open+read+close of fdinfo.
 */
export function linkMode(path: string): AccessMode | undefined {
  try {
    const m = procFs.lstatSync(path).mode;
    const r = (m & 0o400) !== 0;
    const w = (m & 0o200) !== 0;
    return r && w ? 'readwrite' : w ? 'write' : r ? 'read' : undefined;
  } catch (error) {
    classify(error);
    return undefined;
  }
}

/**
 * Lists one process's open fds. A process that exits meanwhile gives `unavailable: 'gone'`; one whose fds the
 * kernel refuses (another user's process) gives `unavailable: 'EACCES'`; an fd closed meanwhile is skipped.
 */
export function listFds(pid: number, procRoot = '/proc', options: ListFdsOptions = {}): FdListing {
  const base = `${procRoot}/${pid}`;
  let names: string[];
  try {
    names = procFs.readdirSync(`${base}/fd`);
  } catch (error) {
    const kind = classify(error);
    return { pid, fds: [], unavailable: kind === 'gone' ? 'gone' : reasonOf(error) };
  }
  const level = options.fdinfo ?? 'all';
  const doStat = options.stat ?? true;
  const fds: FdEntry[] = [];
  for (const name of names) {
    const entry = readFd(base, Number(name), level, doStat);
    if (entry === 'denied') return { pid, fds: [], unavailable: 'EACCES' };
    if (entry) fds.push(entry);
  }
  fds.sort((a, b) => a.fd - b.fd);
  return { pid, fds, unavailable: null };
}

/**
 * One fd; undefined when it was closed meanwhile, 'denied' on EACCES. Any other errno on the link (a target
 * longer than PATH_MAX gives ENAMETOOLONG) leaves the fd listed with `unavailable` saying why, typed by stat.
 */
export function readFd(base: string, fd: number, level: 'all' | 'ipc' | 'none', doStat: boolean): FdEntry | 'denied' | undefined {
  let target: string;
  let why: string | undefined;
  try {
    target = readlinkText(`${base}/fd/${fd}`);
  } catch (error) {
    const kind = classify(error);
    if (kind === 'gone') return undefined;
    if (kind === 'denied') return 'denied';
    target = '';
    why = `target: ${reasonOf(error)}`;
  }
  const c = why !== undefined ? { type: 'path' as const, inode: undefined, anonKind: undefined } : classifyTarget(target);
  let type: FdType = c.type === 'path' ? 'file' : c.type;
  let inode = c.inode;
  let device: string | undefined;
  let fifo: boolean | undefined;
  let size: number | undefined;
  if (c.type === 'path') {
    if (target.startsWith('/dev/') && !target.startsWith('/dev/shm/') && !target.startsWith('/dev/mqueue/')) type = 'dev';
    if (doStat || type === 'file') {
      const st = statQuiet(`${base}/fd/${fd}`);
      if (st) {
        inode = st.ino;
        device = formatDevice(st.dev);
        if (st.isFIFO()) fifo = true;
        else if (st.isDirectory()) type = 'dir';
        else if (st.isCharacterDevice() || st.isBlockDevice()) type = 'dev';
        else if (st.isFile()) {
          type = 'file';
          size = st.size;
          // mq_open fds read back as `/name` from an internal mount; only single-component paths can be one.
          if (target.indexOf('/', 1) === -1 && isMqueueFd(`${base}/fd/${fd}`)) type = 'mqueue';
        }
      }
    }
  }
  let flags: number | undefined;
  let info: string[] | undefined;
  const anonKind = c.anonKind;
  if (wantsFdinfo(type, fifo, level)) {
    try {
      const parsed = parseFdInfo(readProcText(`${base}/fdinfo/${fd}`));
      flags = parsed.flags;
      if (inode === undefined && parsed.inode !== undefined) inode = parsed.inode;
      if (parsed.rest.length > 0) info = parsed.rest;
    } catch (error) {
      const kind = classify(error);
      if (kind === 'gone') return undefined;
      if (kind === 'other') why = why === undefined ? `fdinfo: ${reasonOf(error)}` : `${why}; fdinfo: ${reasonOf(error)}`;
    }
  }
  let mode = flags !== undefined ? accessMode(flags) : undefined;
  if (mode === undefined && level === 'ipc' && (type === 'pipe' || fifo)) mode = linkMode(`${base}/fd/${fd}`);
  const entry: FdEntry = {
    fd,
    target,
    type,
    ...(inode !== undefined ? { inode } : {}),
    ...(device !== undefined ? { device } : {}),
    ...(fifo ? { fifo } : {}),
    ...(anonKind !== undefined ? { anonKind } : {}),
    ...(flags !== undefined ? { flags } : {}),
    ...(mode !== undefined ? { mode } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(info !== undefined ? { info } : {}),
    ...(why !== undefined ? { unavailable: why } : {}),
  };
  return entry;
}

function statQuiet(path: string): Stats | undefined {
  try {
    return procFs.statSync(path);
  } catch (error) {
    // The target may be gone, unreachable or refused (any errno): the fd itself still counts.
    classify(error);
    return undefined;
  }
}

/** True when the fd link points into the mqueue filesystem (statfs type MQUEUE_MAGIC). */
export function isMqueueFd(path: string): boolean {
  try {
    return procFs.statfsSync(path).type === MQUEUE_MAGIC;
  } catch (error) {
    classify(error);
    return false;
  }
}
