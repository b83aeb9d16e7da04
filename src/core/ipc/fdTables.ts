// Which fd tables need reading again. Listing /proc/PID/fd and reading every link is most of a scan (at 2000
// processes: ~2,150 directory reads and ~10,000 readlinks), and almost every table is the same as last time.
// Only a task that shares the table can change it (open, close, dup, accept, an SCM_RIGHTS message it receives;
// pidfd_getfd installs into the caller, not the target), and a task that changes it has run. So a table is read
// again when its process's leader has run since the last read (/proc/PID/schedstat: run time in ns and the number
// of times it ran, exact, kept open and re-read from offset 0) or its number of open fds changed (the size of the
// fd directory since Linux 6.2), and otherwise reused. A table read again that holds as many fds as when it was
// listed is read by the numbers listed then, without listing the directory: with the same count, the same
// numbers are open unless one was closed and another opened, and then a number listed then is gone (its link
// read fails), and the directory is listed after all.
// What that misses: another thread of the process (or a process sharing the table through CLONE_FILES without
// CLONE_THREAD) replacing an fd at the same number while the leader sleeps. So every table is also read in full
// at least every `recheckScans` scans (staggered by pid, so no scan reads them all): that is the staleness bound.
import { readFileSync } from 'node:fs';
import { classify } from '../errors';
import { keepOwnFile, releaseOwnFile } from '../procfs/ownFiles';
import { procFs } from '../procfs/procFs';

/** One process's fds as listed: the fd numbers and their link texts (null: the link could not be read). */
export interface FdListing {
  readonly names: readonly string[];
  readonly targets: readonly (string | null)[];
  /**
   * For a file path: `dev:ino` of the file the path named when listed (null: nothing there, e.g. deleted). A
   * reused listing trusts a path's text only while the path still names that file.
   */
  readonly files: readonly (string | null | undefined)[];
}

interface Entry {
  /** The kept-open schedstat (-1: not kept, read by path each time). */
  fd: number;
  signal: string;
  /** The number of open fds when listed (the size of fd/). */
  count: number;
  listing: FdListing;
  /** The scan that last listed this table in full. */
  listedAt: number;
}

/** What check() found: the listing to reuse, or the signal to store with a fresh one. */
export interface FdCheck {
  readonly reuse?: FdListing;
  /**
   * When the table must be read again but holds as many fds as when last listed: the fd numbers listed then.
   * The same count means the same numbers unless one was closed and another opened, and then one of these is
   * gone; so the walk reads these links without listing the directory, and lists it only when one is gone.
   */
  readonly names?: readonly string[];
  readonly signal: string | null;
  readonly count: number | null;
  readonly fd: number;
}

/** Every table re-read at least this often (scans): the panel scans every 3 s by default, so about 24 s. */
export const DEFAULT_RECHECK_SCANS = 8;

/** How many schedstat files all caches keep open together (bounded by keptCap()). */
let keptTotal = 0;

let processCap: number | undefined;

/**
 * schedstat files kept open by every cache in the process together: an eighth of the soft open-file limit (the
 * sampler keeps up to half for its stat files), at most 8192. Past it, schedstat is opened and closed each scan.
 */
function keptCap(): number {
  if (processCap !== undefined) return processCap;
  let soft = 1024;
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    soft = !m || m[1] === 'unlimited' ? 65536 : Number(m[1]);
  } catch {
    // not Linux, or no limits file: the conservative default
  }
  return (processCap = Math.max(0, Math.min(8192, Math.floor(soft / 8))));
}

function closeQuietly(fd: number): void {
  try {
    procFs.closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

export class FdTableCache {
  private readonly entries = new Map<number, Entry>();
  /** The schedstat fds this cache opened and has not closed: the only fds it ever closes. */
  private readonly kept = new Set<number>();
  private scanNo = 0;
  private readonly buffer = Buffer.allocUnsafe(256);
  private readonly seen = new Set<number>();

  constructor(
    private readonly procRoot: string,
    private readonly recheckScans = DEFAULT_RECHECK_SCANS,
  ) {}

  /** Starts a scan: tables not asked for during it are forgotten by endScan(). */
  beginScan(): void {
    this.scanNo++;
    this.seen.clear();
  }

  /**
   * Before reading pid's table: its change signal now, and the listing to reuse when nothing says it changed.
   * The signal is read before the table, so a change made while the table is read shows in the next signal.
   */
  check(pid: number): FdCheck {
    this.seen.add(pid);
    const old = this.entries.get(pid);
    const { signal, fd, count } = this.readSignal(pid, old);
    const due = this.recheckScans <= 1 || (pid + this.scanNo) % this.recheckScans === 0;
    if (old && signal !== null && signal === old.signal && fd === old.fd && !due && this.scanNo - old.listedAt < this.recheckScans)
      return { reuse: old.listing, signal, count, fd };
    if (old && signal !== null && count === old.count) return { names: old.listing.names, signal, count, fd };
    return { signal, count, fd };
  }

  /** After a full read of pid's table (check() said to read it). */
  store(pid: number, check: FdCheck, listing: FdListing): void {
    const old = this.entries.get(pid);
    if (check.signal === null || check.count === null) {
      if (old) this.forget(pid, old);
      if (check.fd >= 0) this.release(check.fd);
      return;
    }
    if (old && old.fd >= 0 && old.fd !== check.fd) this.release(old.fd);
    this.entries.set(pid, { fd: check.fd, signal: check.signal, count: check.count, listing, listedAt: this.scanNo });
  }

  /** pid's table could not be read (gone, denied, failed): nothing is kept for it. */
  drop(pid: number, check: FdCheck): void {
    const old = this.entries.get(pid);
    if (old) this.forget(pid, old);
    if (check.fd >= 0 && check.fd !== old?.fd) this.release(check.fd);
  }

  /**
   * After a scan of every process (`complete`), forgets the processes not seen in it (exited): their kept
   * files close. After a scan of some pids, forgets those not listed for `recheckScans` scans: such a listing
   * can no longer be reused (check() reads it in full again), so keeping it, and its process's schedstat open,
   * would only hold what a pid that has exited left. Either way a file opened by check() whose table was never
   * stored or dropped (a scan that ended early by an error) is closed.
   */
  endScan(complete = true): void {
    for (const [pid, entry] of this.entries) {
      if (complete ? !this.seen.has(pid) : this.scanNo - entry.listedAt >= this.recheckScans) this.forget(pid, entry);
    }
    if (this.kept.size > this.entries.size) {
      const held = new Set<number>();
      for (const entry of this.entries.values()) if (entry.fd >= 0) held.add(entry.fd);
      for (const fd of [...this.kept]) if (!held.has(fd)) this.release(fd);
    }
  }

  /** Closes every file this cache keeps and forgets every table; the cache stays usable. */
  dispose(): void {
    this.entries.clear();
    for (const fd of [...this.kept]) this.release(fd);
  }

  /** Tables held (for tests and benchmarks). */
  get size(): number {
    return this.entries.size;
  }

  /** The schedstat fds this cache holds open now. */
  get keptFds(): ReadonlySet<number> {
    return this.kept;
  }

  private forget(pid: number, entry: Entry): void {
    if (entry.fd >= 0) this.release(entry.fd);
    this.entries.delete(pid);
  }

  /** Closes fd if this cache holds it; a number it does not hold (never kept, or closed already) is left alone. */
  private release(fd: number): void {
    // Forgotten before close: once closed, the number may be another owner's file, which must never be closed here.
    if (!this.kept.delete(fd)) return;
    releaseOwnFile(fd);
    keptTotal--;
    closeQuietly(fd);
  }

  private keep(fd: number): void {
    this.kept.add(fd);
    keepOwnFile(fd);
    keptTotal++;
  }

  /** "schedstat text/fd count", or null when either cannot be read (then the table is always read). */
  private readSignal(pid: number, old: Entry | undefined): { signal: string | null; count: number | null; fd: number } {
    const base = `${this.procRoot}/${pid}`;
    let fd = old?.fd ?? -1;
    let run: string | null = null;
    if (fd >= 0) {
      try {
        run = this.buffer.toString('latin1', 0, procFs.readSync(fd, this.buffer, 0, this.buffer.length, 0));
      } catch (error) {
        classify(error); // ESRCH: that process is gone (a new one may have its pid); read by path below
        this.release(fd);
        old!.fd = -1;
        fd = -1;
      }
    }
    if (run === null) {
      let opened = -1;
      try {
        opened = procFs.openSync(`${base}/schedstat`, 'r');
        run = this.buffer.toString('latin1', 0, procFs.readSync(opened, this.buffer, 0, this.buffer.length, 0));
      } catch (error) {
        classify(error); // no schedstat (CONFIG_SCHED_INFO off, another procfs), or gone: no signal
        if (opened >= 0) closeQuietly(opened);
        return { signal: null, count: null, fd: -1 };
      }
      if (keptTotal < keptCap()) {
        this.keep(opened);
        fd = opened;
      } else closeQuietly(opened);
    }
    let count: number;
    try {
      count = procFs.statSync(`${base}/fd`).size;
    } catch (error) {
      classify(error);
      return { signal: null, count: null, fd };
    }
    return { signal: `${run}/${count}`, count, fd };
  }
}
