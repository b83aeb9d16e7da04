// One IPC scan: every process's fds (and, when needed, shared mappings) joined with the system tables into
// channels. Synchronous on purpose (sync reads of tiny procfs files measured 4-9x faster than fs/promises here).
// An IpcScanner owns what it remembers between scans (pipe directions, shared mappings, the last ss answer),
// so two callers with different lifetimes or procRoots never see each other's state; each stage lives in its
// own file and hands the next one plain values.
import { classify } from '../errors';
import { processKey } from '../model';
import { checkProcRoot } from '../procRoot';
import { procFs } from '../procfs/procFs';
import { parseStat } from '../procfs/stat';
import type { AccessMode } from '../procfs/fd';
import type { Channel, IpcMap, IpcWarning } from './model';
import { ipcWarningEnglish } from '../../shared/channelText';
import { findDeadlocks, type WaitEdgeInput } from './deadlock';
import { walkProcesses } from './fdWalk';
import { DEFAULT_RECHECK_SCANS, FdTableCache } from './fdTables';
import { buildFdChannels, groupFds } from './fdChannels';
import { buildSharedMemoryChannels, type MapsCache, type MapsCount } from './sharedMemory';
import { buildAllSocketChannels, SsSource } from './sockets';
import { buildLockChannels, readLocks } from './locks';
import type { KnownProcess } from './holders';

export type { KnownProcess } from './holders';

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
   * part of a scan. New processes (and a pid now held by another process) are read at once, and a SysV attach
   * count that disagrees with the cache forces a full re-read; a POSIX mapping made or dropped by a known
   * process may show up to this late. Past this age, a process whose mappings cannot have changed (its leader
   * has not run, its size in `knownProcesses` is the same, its mapped files are still there) keeps them up to
   * MAPS_UNCHANGED_FACTOR times as long (sharedMemory.ts).
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
  readonly knownProcesses?: ReadonlyMap<number, KnownProcess>;
  /**
   * Reuse a process's fd listing from an earlier scan while its leader has not run and its fd count is the
   * same (fdTables.ts), reading every table in full at least every this many scans (default 8; 1 = read every
   * table every scan). The bound on how late a change made by another thread of a sleeping leader can show.
   */
  readonly fdRecheckScans?: number;
}

export class IpcScanner {
  /** Pipe/FIFO directions from the previous scan of each procRoot (see FdWalkResult.directions). */
  private readonly directions = new Map<string, Map<string, AccessMode>>();
  /** Shared mappings per pid from earlier scans of each procRoot (see ScanOptions.mapsMaxAgeMs). */
  private readonly maps: MapsCache = new Map();
  /** The last ss answer and whether ss exists (see ScanOptions.ssMaxAgeMs). */
  private readonly ss = new SsSource();
  /** fd listings from earlier scans and their change signals, per procRoot and recheck setting. */
  private readonly fdTables = new Map<string, FdTableCache>();
  /** Scratch for stat reads: one per scanner, so two scanners never write into each other's bytes. */
  private readonly statBuffer = Buffer.allocUnsafe(4096);

  /**
   * How the last scan got each process's fd table: read anew (`sameNumbers` of them by the fd numbers listed
   * before, without listing the directory), or reused from an earlier scan.
   */
  lastFdListing: { readonly listed: number; readonly reused: number; readonly sameNumbers: number } = {
    listed: 0,
    reused: 0,
    sameNumbers: 0,
  };

  /** How the last scan got each process's shared mappings: read, or kept (young, or unchanged past that age). */
  lastMaps: MapsCount = { read: 0, young: 0, unchanged: 0 };

  scan(options: ScanOptions = {}): IpcMap {
    const started = performance.now();
    const procRoot = options.procRoot ?? '/proc';
    const warnings: IpcWarning[] = [];
    checkProcRoot(procRoot);

    const locks = readLocks(procRoot, warnings);
    const walked = walkProcesses(
      procRoot,
      options.pids,
      locks.lockedKeys,
      this.directions.get(procRoot),
      options.anonInfo ?? false,
      warnings,
      this.tablesFor(procRoot, options.fdRecheckScans ?? DEFAULT_RECHECK_SCANS),
    );
    this.directions.set(procRoot, walked.directions);
    this.lastFdListing = walked.fdListing;

    const channels: Channel[] = [];
    const groups = groupFds(walked.procs.values());
    buildFdChannels(groups, channels);
    const mapsSettings = { mode: options.maps ?? 'auto', maxAgeMs: options.mapsMaxAgeMs ?? 5000 } as const;
    this.lastMaps = buildSharedMemoryChannels(
      procRoot,
      walked.procs,
      groups,
      mapsSettings,
      this.maps,
      warnings,
      channels,
      options.knownProcesses,
      walked.pathStats,
    );
    const netNamespace = buildAllSocketChannels(
      this.ss,
      procRoot,
      groups.sockets,
      (options.useSs ?? true) && procRoot === '/proc',
      options.ssMaxAgeMs ?? 5000,
      warnings,
      channels,
    );
    const waitEdges: WaitEdgeInput[] = [];
    if (locks.rows.length > 0) buildLockChannels(procRoot, locks.rows, groups.filesByDevIno, channels, waitEdges);
    const { edges, deadlocks } = findDeadlocks(waitEdges, channels);

    channels.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind.localeCompare(b.kind)));
    return {
      timestamp: Date.now(),
      channels: this.identify(procRoot, channels, options.knownProcesses),
      waitFor: edges,
      deadlocks,
      warnings: warnings.map(ipcWarningEnglish),
      warningCodes: warnings,
      unavailablePids: walked.unavailablePids.sort((a, b) => a - b),
      netNamespace,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  /** Closes the files the scanner keeps open (schedstat of each process) and forgets its fd listings. */
  dispose(): void {
    for (const cache of this.fdTables.values()) cache.dispose();
    this.fdTables.clear();
  }

  private tablesFor(procRoot: string, recheckScans: number): FdTableCache | undefined {
    if (!(recheckScans > 1)) return undefined;
    const key = `${recheckScans}\0${procRoot}`;
    let cache = this.fdTables.get(key);
    if (!cache) this.fdTables.set(key, (cache = new FdTableCache(procRoot, recheckScans)));
    return cache;
  }

  /** Fills each endpoint's process name and key, reading /proc/PID/stat once per endpoint process. */
  private identify(procRoot: string, channels: Channel[], given?: ScanOptions['knownProcesses']): Channel[] {
    const known = new Map<number, { readonly name: string; readonly key: string } | null>();
    const lookup = (pid: number): { readonly name: string; readonly key: string } | null => {
      const cached = known.get(pid);
      if (cached !== undefined) return cached;
      const fromSampler = given?.get(pid);
      if (fromSampler) return fromSampler;
      let id: { readonly name: string; readonly key: string } | null = null;
      try {
        const stat = this.readStat(`${procRoot}/${pid}/stat`);
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

  private readStat(path: string): ReturnType<typeof parseStat> {
    const fd = procFs.openSync(path, 'r');
    try {
      const n = procFs.readSync(fd, this.statBuffer, 0, this.statBuffer.length, 0);
      return parseStat(this.statBuffer, n);
    } finally {
      procFs.closeSync(fd);
    }
  }
}
