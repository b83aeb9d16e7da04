// The fd walk, the hot path of a scan: one readdir of /proc/PID/fd and one readlink per fd; more (a stat, an
// fdinfo) only for the fds that can be IPC, so a desktop's thousands of ordinary files cost nothing more.
import type { Stats } from 'node:fs';
import { classify, ProcScopeError, reasonOf } from '../errors';
import { osPath, procFs, readlinkText } from '../procfs/procFs';
import { classifyTarget, formatDevice, isMqueueFd, linkMode, parseFdInfo, readFd, readProcText, type AccessMode } from '../procfs/fd';
import type { IpcWarning } from './model';
import { pushList, type Proc } from './holders';
import { ownKeptFiles } from '../procfs/ownFiles';
import type { FdListing, FdTableCache } from './fdTables';

interface Walk {
  /** stat by target path, once per scan: thousands of fds name the same few files (a shared log, stderr). */
  readonly pathStats: Map<string, Stats | null>;
  /** dev:inode of files with a lock in /proc/locks; null when there are none. */
  readonly lockedKeys: Set<string> | null;
  /** Directions by `pid:fd:inode` from the previous scan of this procRoot (see FdWalkResult.directions). */
  readonly previous: ReadonlyMap<string, AccessMode> | undefined;
  /** Pipe/FIFO directions seen in this scan, kept for the next one. */
  readonly directions: Map<string, AccessMode>;
  /** Read fdinfo of epoll, signalfd, timerfd and inotify fds too (ScanOptions.anonInfo). */
  readonly anonInfo: boolean;
  /** fds whose link or fdinfo failed with an unexpected errno, by reason (`ENAMETOOLONG: name too long`). */
  readonly fdFailures: Map<string, number>;
}

export interface FdWalkResult {
  readonly procs: Map<number, Proc>;
  /** Processes whose fds could not be listed (denied, or another errno): nothing is guessed about them. */
  readonly unavailablePids: number[];
  /**
   * Pipe/FIFO directions by `pid:fd:inode`, for the next scan. An fd's access mode cannot change while it
   * stays open on the same object, so a hit saves the lstat; only an fd closed and reopened (or dup2'd) onto
   * the other end of the very same pipe at the same number would be misread until it is gone.
   */
  readonly directions: Map<string, AccessMode>;
  /**
   * Processes whose fd table was read in this walk, and those whose earlier listing was reused (fdTables.ts);
   * `sameNumbers` of the read ones were read by the numbers listed before, without listing the directory.
   */
  readonly fdListing: { readonly listed: number; readonly reused: number; readonly sameNumbers: number };
  /** The paths this walk stat'ed (null: could not be), for the scan's later stages to reuse (pathStat). */
  readonly pathStats: Map<string, Stats | null>;
}

/**
 * Lists the processes (or takes `pids`) and reads their IPC fds. A failure to list procRoot itself is the only
 * error thrown; every per-process or per-fd failure becomes a warning, so one process never fails the scan.
 */
export function walkProcesses(
  procRoot: string,
  pids: Iterable<number> | undefined,
  lockedKeys: Set<string> | null,
  previous: ReadonlyMap<string, AccessMode> | undefined,
  anonInfo: boolean,
  warnings: IpcWarning[],
  tables?: FdTableCache,
): FdWalkResult {
  let pidList: number[];
  if (pids) {
    pidList = [...new Set(pids)];
  } else {
    try {
      pidList = procFs
        .readdirSync(procRoot)
        .filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
        .map(Number);
    } catch (error) {
      throw new ProcScopeError('NO_PROCFS', `cannot list ${procRoot}: ${reasonOf(error)}`);
    }
  }
  const procs = new Map<number, Proc>();
  const unavailablePids: number[] = [];
  const walk: Walk = { pathStats: new Map(), lockedKeys, previous, directions: new Map(), anonInfo, fdFailures: new Map() };
  const failedPids = new Map<string, number[]>();
  let listedCount = 0;
  let reusedCount = 0;
  let sameNumbersCount = 0;
  tables?.beginScan();
  for (const pid of pidList) {
    const proc: Proc = { pid, fds: [] };
    const check = tables?.check(pid);
    proc.signal = check?.signal ?? null;
    let listed = { names: [] as readonly string[], targets: [] as (string | null)[], files: [] as (string | null | undefined)[] };
    // This process's own kept procfs files (the sampler's, the scanner's) are skipped, not read: see ownFiles.ts.
    const own = pid === process.pid && procRoot === '/proc' ? ownKeptFiles() : undefined;
    let result = walkFds(`${procRoot}/${pid}`, proc, walk, check?.reuse ?? check?.names, listed, own);
    if (result === 'relist') {
      // A number listed before is gone: the table is listed anew.
      proc.fds = [];
      listed = { names: [], targets: [], files: [] };
      result = walkFds(`${procRoot}/${pid}`, proc, walk, undefined, listed, own);
    } else if (!check?.reuse && check?.names) sameNumbersCount++;
    if (check?.reuse) reusedCount++;
    else listedCount++;
    if (check) {
      if (result === 'ok') {
        if (!check.reuse) tables!.store(pid, check, listed);
      } else tables!.drop(pid, check);
    }
    if (result === 'gone' || result === 'relist') continue; // (relist comes only from a walk given numbers)
    if (result === 'denied') unavailablePids.push(pid);
    else if (result !== 'ok') {
      unavailablePids.push(pid);
      pushList(failedPids, result.failed, pid);
    }
    procs.set(pid, proc);
  }
  tables?.endScan(!pids); // a scan of some pids says nothing about the others: only stale entries go
  const denied = unavailablePids.length - [...failedPids.values()].reduce((n, l) => n + l.length, 0);
  if (denied > 0) warnings.push({ code: 'procsDenied', params: { count: denied } });
  for (const [reason, list] of failedPids) warnings.push({ code: 'procsFailed', params: { count: list.length, reason } });
  for (const [reason, n] of walk.fdFailures) warnings.push({ code: 'fdsFailed', params: { count: n, reason } });
  return {
    procs,
    unavailablePids,
    directions: walk.directions,
    fdListing: { listed: listedCount, reused: reusedCount, sameNumbers: sameNumbersCount },
    pathStats: walk.pathStats,
  };
}

function isNameList(known: FdListing | readonly string[]): known is readonly string[] {
  return Array.isArray(known);
}

function statOrNull(path: string): Stats | null {
  try {
    return procFs.statSync(osPath(path));
  } catch (error) {
    classify(error);
    return null; // gone, refused, another mount namespace, a path past PATH_MAX
  }
}

function direction(link: string, key: string, walk: Walk): AccessMode | undefined {
  let mode = walk.previous?.get(key);
  if (mode === undefined) mode = linkMode(link);
  if (mode !== undefined) walk.directions.set(key, mode);
  return mode;
}

function countFailure(walk: Walk, error: unknown): void {
  const reason = reasonOf(error);
  walk.fdFailures.set(reason, (walk.fdFailures.get(reason) ?? 0) + 1);
}

/** stat by path, once per scan: `stats` is the scan's (FdWalkResult.pathStats), shared with its other stages. */
export function pathStat(stats: Map<string, Stats | null>, path: string): Stats | null {
  let st = stats.get(path);
  if (st === undefined) {
    st = statOrNull(path);
    stats.set(path, st);
  }
  return st;
}

function fileId(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/**
 * A file path the walk may keep: its text can change while the fd stays open (renamed or deleted by anyone:
 * " (deleted)"), and whether it is IPC depends on the file now (a lock taken on it), so a reused listing reads
 * such a link again unless the path still names the file it named when listed. Terminals, /dev/null, procfs and sysfs files are never kept; a memfd's name never changes.
 */
function pathMayMatter(target: string): boolean {
  if (target.charCodeAt(0) !== 47 /* / */ || target.startsWith('/memfd:')) return false;
  if (target.startsWith('/dev/')) return target.startsWith('/dev/shm/');
  return !target.startsWith('/proc/') && !target.startsWith('/sys/');
}

/**
 * Reads one process's fds into proc.fds, keeping only those that can be IPC (or a locked file). 'denied' when
 * the kernel refused; any other errno listing fd/ is returned as the reason. `known`: either the table as
 * listed before (an FdListing: FdTableCache said it did not change), used instead of listing it again, or the
 * fd numbers listed before (FdCheck.names: as many fds are open as then), whose links are read without listing
 * the directory; 'relist' when one of those is gone. `listed` receives the listing.
 */
function walkFds(
  base: string,
  proc: Proc,
  walk: Walk,
  known: FdListing | readonly string[] | undefined,
  listed: { names: readonly string[]; targets: (string | null)[]; files: (string | null | undefined)[] },
  skip?: ReadonlySet<number>,
): 'ok' | 'gone' | 'denied' | 'relist' | { readonly failed: string } {
  const reuse = known !== undefined && !isNameList(known) ? known : undefined;
  const verifying = known !== undefined && isNameList(known);
  let names: readonly string[];
  if (reuse) names = reuse.names;
  else if (verifying) names = known;
  else {
    try {
      names = procFs.readdirSync(`${base}/fd`);
    } catch (error) {
      const kind = classify(error);
      return kind === 'gone' ? 'gone' : kind === 'denied' ? 'denied' : { failed: reasonOf(error) };
    }
  }
  listed.names = names;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const fd = Number(name);
    if (skip?.has(fd)) {
      listed.files.push(undefined);
      listed.targets.push(null);
      continue;
    }
    const link = `${base}/fd/${name}`;
    let target: string;
    const known = reuse?.targets[i];
    let fresh = known === undefined || known === null;
    if (!fresh && pathMayMatter(known!)) {
      const st = pathStat(walk.pathStats, known!);
      fresh = st === null || fileId(st) !== reuse!.files[i];
    }
    listed.files.push(undefined);
    try {
      target = fresh ? readlinkText(link) : known!;
      listed.targets.push(target);
    } catch (error) {
      listed.targets.push(null);
      const kind = classify(error);
      // A number read from the last listing that is no longer open: another took its place, so list anew.
      if (kind === 'gone' && verifying) return 'relist';
      if (kind === 'gone') continue;
      if (kind === 'denied') {
        proc.fds = [];
        return 'denied';
      }
      // The target cannot be named (ENAMETOOLONG: a path past PATH_MAX): the fd's own stat still says
      // whether it is a FIFO or a locked file, so it keeps its place in the map without a path.
      countFailure(walk, error);
      const own = statOrNull(link);
      if (!own) continue;
      const device = formatDevice(own.dev);
      const why = `target: ${reasonOf(error)}`;
      if (own.isFIFO()) {
        const mode = direction(link, `${proc.pid}:${fd}:${own.ino}`, walk);
        proc.fds.push({ fd, target: '', type: 'file', fifo: true, inode: own.ino, device, unavailable: why, ...(mode ? { mode } : {}) });
      } else if (walk.lockedKeys?.has(`${device}:${own.ino}`) ?? false) {
        proc.fds.push({
          fd,
          target: '',
          type: own.isDirectory() ? 'dir' : 'file',
          inode: own.ino,
          device,
          size: own.size,
          unavailable: why,
        });
      }
      continue;
    }
    const c = target.charCodeAt(0);
    if (c === 112 /* p */ && target.startsWith('pipe:[')) {
      const inode = Number(target.slice(6, -1));
      const mode = direction(link, `${proc.pid}:${fd}:${inode}`, walk);
      proc.fds.push({ fd, target, type: 'pipe', inode, ...(mode ? { mode } : {}) });
    } else if (c === 115 /* s */ && target.startsWith('socket:[')) {
      proc.fds.push({ fd, target, type: 'socket', inode: Number(target.slice(8, -1)) });
    } else if (c === 97 /* a */ && target.startsWith('anon_inode:')) {
      const anonKind = classifyTarget(target).anonKind;
      if (anonKind !== 'eventfd' && anonKind !== 'signalfd' && anonKind !== 'timerfd' && anonKind !== 'eventpoll' && anonKind !== 'inotify')
        continue;
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
        if (entry === 'denied') {
          proc.fds = [];
          return 'denied';
        }
        if (entry) proc.fds.push(entry);
        continue;
      }
      const shm = target.startsWith('/dev/shm/');
      if (!shm && target.startsWith('/dev/')) continue; // terminals, /dev/null: not IPC
      // procfs and sysfs files are never IPC; a sampler keeps thousands of /proc/PID/stat files open.
      if (target.startsWith('/proc/') || target.startsWith('/sys/')) continue;
      const st = pathStat(walk.pathStats, target);
      listed.files[i] = st ? fileId(st) : null;
      const single = target.indexOf('/', 1) === -1;
      const fifo = st?.isFIFO() ?? false;
      const locked = st !== null && walk.lockedKeys !== null && walk.lockedKeys.has(`${formatDevice(st.dev)}:${st.ino}`);
      // Deleted or unreachable paths (and mq_open's `/name`) need the fd's own stat.
      if (!(fifo || shm || locked || single || (st === null && walk.lockedKeys !== null))) continue;
      const own = statOrNull(link);
      if (!own) continue;
      const device = formatDevice(own.dev);
      if (own.isFIFO()) {
        const mode = direction(link, `${proc.pid}:${fd}:${own.ino}`, walk);
        proc.fds.push({ fd, target, type: 'file', fifo: true, inode: own.ino, device, ...(mode ? { mode } : {}) });
      } else if (own.isFile() && single && isMqueueFd(link)) {
        const mode = linkMode(link);
        proc.fds.push({ fd, target, type: 'mqueue', inode: own.ino, device, ...(mode ? { mode } : {}) });
      } else if (shm || (walk.lockedKeys?.has(`${device}:${own.ino}`) ?? false)) {
        const mode = shm ? linkMode(link) : undefined;
        proc.fds.push({
          fd,
          target,
          type: own.isDirectory() ? 'dir' : 'file',
          inode: own.ino,
          device,
          size: own.size,
          ...(mode ? { mode } : {}),
        });
      }
    }
  }
  return 'ok';
}
