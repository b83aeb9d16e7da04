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

export const nodeProcFs: ProcFs = {
  openSync: (path, flags) => fs.openSync(path, flags),
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
  readFileSync: (path) => fs.readFileSync(path),
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
 * or the larger one for the caller to keep).
 */
export function readWholeGrowing(path: string, buf: Buffer): { length: number; buf: Buffer } {
  const fd = procFs.openSync(path, 'r');
  try {
    let length = procFs.readSync(fd, buf, 0, buf.length, 0);
    if (length < buf.length) return { length, buf };
    for (;;) {
      if (length === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger);
        buf = bigger;
      }
      const n = procFs.readSync(fd, buf, length, buf.length - length, length);
      if (n === 0) return { length, buf };
      length += n;
    }
  } finally {
    procFs.closeSync(fd);
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
