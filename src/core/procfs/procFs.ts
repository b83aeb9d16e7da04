// The file-system calls the procfs readers make, behind one object so a test can put a fault-injecting
// /proc underneath every reader at once (errnos the real kernel gives only in rare states: EIO, EINVAL,
// ENAMETOOLONG, ESRCH mid-read). Production code always runs on node:fs; the indirection is one property load.
import * as fs from 'node:fs';
import { decodeBytes, encodeBytes } from './decode';

export interface ProcFs {
  openSync(path: string, flags: 'r'): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  /** The raw bytes of a symlink target: paths are bytes, and a decoding here would lose the invalid ones. */
  readlinkBuffer(path: string): Buffer;
  readdirSync(path: string): string[];
  /**
   * A directory's names in the order the file system gives them. fs.readdirSync sorts them as strings
   * (libuv's scandir), which for /proc/PID/task is not the kernel's order (the thread group's: leader first,
   * then by creation), the one ps prints: after the pid counter wrapped, thread 325 can be younger than 32604.
   * Optional for a replacement, which then gives readdirSync's order.
   */
  readdirInOrder?(path: string): string[];
  readFileSync(path: string): Buffer;
  /** A Buffer path for a decoded OS path holding bytes that are not UTF-8 (see `osPath`). */
  statSync(path: string | Buffer): fs.Stats;
  lstatSync(path: string): fs.Stats;
  statfsSync(path: string): fs.StatsFs;
}

/**
 * The most a reader takes from one file: far above any real procfs file (the smaps of a process at the default
 * map count limit of 65,530 mappings is about 65 MB), and a bound on a copied tree (`--proc-root`) whose file
 * is a link to /dev/zero.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** An error like the file system's own (an errno in `code`, "CODE: words, call 'path'"), so readers classify it as one. */
function fileError(code: string, words: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${words}, ${syscall} '${path}'`), { code, syscall, path });
}

/**
 * Opened without blocking: every procfs file opens at once, but a FIFO in a copied tree (`--proc-root`) would
 * wait for a writer forever; non-blocking, its read gives EOF or EAGAIN instead.
 */
const READ_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/**
 * A whole file, read as node:fs's readFileSync would, but never a FIFO or a device (a copied tree's file that
 * is one would block or never end: EINVAL) and never more than MAX_FILE_BYTES (EFBIG).
 */
function readRegularFile(path: string): Buffer {
  const fd = fs.openSync(path, READ_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    // (A directory is left to read(), which says EISDIR.)
    if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice() || st.isSocket())
      throw fileError('EINVAL', 'not a regular file', 'read', path);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(total < 65536 ? 65536 : Math.min(total, MAX_FILE_BYTES + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > MAX_FILE_BYTES) throw fileError('EFBIG', `larger than ${MAX_FILE_BYTES} bytes`, 'read', path);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

export const nodeProcFs: ProcFs = {
  openSync: (path) => fs.openSync(path, READ_FLAGS),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => fs.closeSync(fd),
  readlinkBuffer: (path) => fs.readlinkSync(path, { encoding: 'buffer' }),
  readdirSync: (path) => fs.readdirSync(path),
  readdirInOrder: (path) => {
    const dir = fs.opendirSync(path, { bufferSize: 64 });
    const names: string[] = [];
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(entry.name);
    } finally {
      dir.closeSync();
    }
    return names;
  },
  readFileSync: (path) => readRegularFile(path),
  statSync: (path) => fs.statSync(path),
  lstatSync: (path) => fs.lstatSync(path),
  statfsSync: (path) => fs.statfsSync(path),
};

/** What every procfs reader calls; tests swap its methods through `useProcFs`. */
export const procFs: ProcFs = { ...nodeProcFs };

/** Puts `replacement` under every reader (undefined: back to node:fs). For tests. */
export function useProcFs(replacement: ProcFs | undefined): void {
  const from = replacement ?? nodeProcFs;
  // Method by method (bound), so a class instance works as well as a plain object.
  for (const name of Object.keys(nodeProcFs) as (keyof ProcFs)[]) {
    const method = from[name] ?? (name === 'readdirInOrder' ? from.readdirSync : undefined);
    (procFs as unknown as Record<string, unknown>)[name] = (method as (...args: unknown[]) => unknown).bind(from);
  }
}

/** A symlink target (exe, cwd, fd/N, ns/...) decoded losslessly, like every other OS string. */
export function readlinkText(path: string): string {
  return decodeBytes(procFs.readlinkBuffer(path));
}

/**
 * A decoded OS path as the file system needs it: the string itself, or, when it holds bytes that are not
 * UTF-8 (lone U+DC80..U+DCFF), those bytes, since Node would otherwise write U+FFFD and name another file.
 */
export function osPath(path: string): string | Buffer {
  return /[\udc80-\udcff]/.test(path) ? encodeBytes(path) : path;
}

/**
 * Reads a whole procfs file into `buf` from offset 0, into a larger buffer when it does not fit (procfs reports
 * size 0, so the size is found by reading on): the length read, and the buffer that holds it (`buf` itself,
 * or the larger one for the caller to keep). Never more than MAX_FILE_BYTES (EFBIG).
 */
export function readWholeGrowing(path: string, buf: Buffer, untilEnd = false): { length: number; buf: Buffer } {
  const fd = procFs.openSync(path, 'r');
  try {
    return readWholeFrom(fd, buf, path, untilEnd);
  } finally {
    procFs.closeSync(fd);
  }
}

/**
 * readWholeGrowing on a file the caller opened (and closes); `path` only names it in an error. A short first
 * read is taken as the whole file, which holds for files the kernel writes in one piece (stat, status,
 * cmdline); a file of many records (maps, net/unix, fdinfo of an epoll) comes a page or so per read, and is
 * read `untilEnd`: until a read returns nothing.
 */
export function readWholeFrom(fd: number, buf: Buffer, path: string, untilEnd = false): { length: number; buf: Buffer } {
  let length = procFs.readSync(fd, buf, 0, buf.length, 0);
  if (length < buf.length && (!untilEnd || length === 0)) return { length, buf };
  for (;;) {
    if (length >= MAX_FILE_BYTES) throw fileError('EFBIG', `larger than ${MAX_FILE_BYTES} bytes`, 'read', path);
    if (length === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger);
      buf = bigger;
    }
    const n = procFs.readSync(fd, buf, length, buf.length - length, length);
    if (n === 0) return { length, buf };
    length += n;
  }
}

/**
 * The names in /proc/PID/task (`path`) in the kernel's order, the order ps prints the threads in: the thread
 * group's, leader first, then by creation. Ids are handed out in increasing order until the pid counter wraps,
 * so numeric order is the kernel's unless a thread is younger than the wrap: then one has an id below the
 * leader's, and the directory is read again in its own order (readdirInOrder, about twice the cost of
 * readdirSync, which sorts names as strings). Not caught: a process that lived through a whole cycle of the
 * counter and made a thread after it with an id still above its own; its threads are then in numeric order.
 */
export function taskDirNames(path: string, pid: number): string[] {
  const names = procFs.readdirSync(path);
  let wrapped = false;
  for (const name of names) if (Number(name) < pid) wrapped = true;
  if (wrapped) return procFs.readdirInOrder!(path);
  return names.sort((a, b) => Number(a) - Number(b));
}

/** The thread ids in a listing of /proc/PID/task (an entry that is not a number is skipped). */
export function taskIds(names: readonly string[]): number[] {
  const tids: number[] = [];
  for (const name of names) {
    const tid = Number(name);
    if (Number.isSafeInteger(tid)) tids.push(tid);
  }
  return tids;
}

/**
 * For one scan: the entries of a folder whose names hold a newline (decoded like every OS string), read once
 * per folder; none when the folder cannot be read. What parseNetUnix asks to tell a socket name's own lines
 * from forged rows.
 */
export function namesWithNewline(): (dir: string) => readonly string[] {
  const seen = new Map<string, readonly string[]>();
  return (dir) => {
    let names = seen.get(dir);
    if (names === undefined) {
      try {
        names = fs
          .readdirSync(osPath(dir), { encoding: 'buffer' })
          .filter((n) => n.includes(0x0a))
          .map((n) => decodeBytes(n));
      } catch {
        names = []; // gone, not a folder, not ours to read: no name there can be told apart
      }
      seen.set(dir, names);
    }
    return names;
  };
}
