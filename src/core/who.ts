// Reverse look-ups: which processes use this file, port, lock or shared-memory segment (what `fuser`,
// `lsof FILE` and `lsof -i :PORT` answer). One walk over every process's fds (and, for files and SysV
// segments, its maps, cwd, root and exe), matched by what identifies the object to the kernel: device and
// inode for files (so hard links, bind mounts and paths from another mount namespace match), the socket
// inode for ports, the segment id for SysV memory. Synchronous reads, as the IPC scan does.
import { lookup } from 'node:dns/promises';
import type { Stats } from 'node:fs';
import { realpathSync } from 'node:fs';
import { isIP } from 'node:net';
import { classify, errnoOf, reasonOf } from './errors';
import {
  formatEndpoint,
  formatSysvKey,
  inetStateName,
  parseLocks,
  parseNetInet,
  parseNetUnix,
  parseSysvTable,
  unixStateName,
  type InetSocketRow,
  type LockRow,
  type UnixSocketRow,
} from './ipc/parsers';
import { processKey } from './model';
import { decodeBytes } from './procfs/decode';
import { accessMode, parseFdInfo, readProcText, type AccessMode } from './procfs/fd';
import { namesWithNewline, osPath, procFs, readlinkText } from './procfs/procFs';
import { parseStat } from './procfs/stat';
import { UserNames } from './users';

/** What `procscope who` was asked about, after parsing (see parseWhoTarget). */
export type WhoTarget =
  /** A file, directory, device, FIFO or /dev/shm object; `locksOnly` for `lock:PATH`. */
  | { readonly kind: 'file'; readonly path: string; readonly locksOnly: boolean }
  /** `:PORT` or `HOST:PORT` (`[v6addr]:PORT`); host null = any address. */
  | { readonly kind: 'port'; readonly host: string | null; readonly port: number }
  /** `shmid:N`: a SysV shared-memory segment. */
  | { readonly kind: 'sysv-shm'; readonly shmid: number };

export type WhoTargetProblem = 'empty' | 'badPort' | 'badShmid' | 'badShmName';

/**
 * `lock:PATH`, `shm:NAME` (= /dev/shm/NAME), `shmid:N`, `:PORT`, `HOST:PORT`, `[ADDR]:PORT`, else a path.
 * A relative file whose name looks like `x:80` is written `./x:80`.
 */
export function parseWhoTarget(text: string): WhoTarget | { readonly problem: WhoTargetProblem } {
  if (text === '') return { problem: 'empty' };
  if (text.startsWith('lock:')) {
    const path = text.slice(5);
    return path === '' ? { problem: 'empty' } : { kind: 'file', path, locksOnly: true };
  }
  if (text.startsWith('shm:')) {
    const name = text.slice(4).replace(/^\/+/, '');
    // shm_open names one object in /dev/shm: no directories, and not `.` or `..`.
    if (name === '' || name.includes('/') || name === '.' || name === '..') return { problem: 'badShmName' };
    return { kind: 'file', path: `/dev/shm/${name}`, locksOnly: false };
  }
  if (text.startsWith('shmid:')) {
    const id = text.slice(6);
    return /^\d{1,10}$/.test(id) && Number(id) <= 0x7fffffff ? { kind: 'sysv-shm', shmid: Number(id) } : { problem: 'badShmid' };
  }
  if (!text.startsWith('/') && !text.startsWith('.')) {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]*)):([^:]*)$/.exec(text);
    if (m) {
      const port = m[3]!;
      if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { problem: 'badPort' };
      const host = m[1] ?? m[2] ?? '';
      return { kind: 'port', host: host === '' ? null : host, port: Number(port) };
    }
  }
  return { kind: 'file', path: text, locksOnly: false };
}

/** One way a process uses the object. */
export type WhoUse =
  /** An open fd; `mode` from the fd's open flags (null when fdinfo could not be read). */
  | { readonly how: 'fd'; readonly fd: number; readonly mode: AccessMode | null }
  /** A mapping in /proc/PID/maps (a mapped file, library, executable, shm object, SysV segment). */
  | { readonly how: 'mmap'; readonly range: string; readonly perms: string }
  | { readonly how: 'cwd' | 'root' | 'exe' }
  /**
   * A socket: TCP or unix listening, UDP bound without a peer, or connected; `remote` null when there is no
   * peer or it is not known (a unix socket's peer is unnamed). For `unix`, `local` is the bound path.
   */
  | {
      readonly how: 'listen' | 'bound' | 'connected';
      readonly protocol: 'tcp' | 'udp' | 'unix';
      readonly fd: number;
      readonly local: string;
      readonly remote: string | null;
      readonly state: string;
    }
  /**
   * A lock from /proc/locks. `fd` is the descriptor whose open file owns it (flock and OFD locks, and POSIX
   * locks, are listed in that fd's fdinfo), null when not found. A waiter's `blockedBy` is the pid holding
   * the lock it waits for (null when that owner is an open file description, pid -1, or not visible).
   */
  | {
      readonly how: 'lock-holder' | 'lock-waiter';
      readonly fd: number | null;
      readonly lockClass: string;
      readonly access: string;
      readonly start: number;
      readonly end: number | null;
      readonly blockedBy?: number | null;
    };

export interface WhoProcess {
  readonly pid: number;
  /** `pid@startTicks`; null when the process's stat could not be read. */
  readonly processKey: string | null;
  /** comm, exactly as the kernel holds it ('' when unreadable). */
  readonly name: string;
  readonly uid: number | null;
  readonly user: string | null;
  readonly uses: readonly WhoUse[];
}

/** The object that was looked for, resolved. */
export type WhoObject =
  | { readonly kind: 'file'; readonly path: string; readonly device: string; readonly inode: number; readonly locksOnly: boolean }
  | { readonly kind: 'port'; readonly port: number; readonly host: string | null; readonly addresses: readonly string[] | null }
  | {
      readonly kind: 'sysv-shm';
      readonly shmid: number;
      readonly key: string;
      readonly size: number;
      readonly attachCount: number;
      readonly creatorPid: number;
      readonly lastPid: number;
    };

export interface WhoResult {
  readonly object: WhoObject;
  readonly processes: readonly WhoProcess[];
  /** Processes whose fds or maps could not be read, with the reason (`EACCES`): they may use it unseen. */
  readonly unavailable: readonly { readonly pid: number; readonly reason: string }[];
}

/** The target itself cannot be found: a path that does not exist, a host that does not resolve, no such segment. */
export class WhoTargetError extends Error {
  constructor(
    readonly problem: 'stat' | 'resolve' | 'noSegment',
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
    this.name = 'WhoTargetError';
  }
}

export interface WhoOptions {
  readonly procRoot?: string;
  readonly users?: UserNames;
  /** A pid to leave out: the CLI's own process, whose cwd and libraries would otherwise answer every question. */
  readonly exclude?: number;
}

export async function who(target: WhoTarget, options: WhoOptions = {}): Promise<WhoResult> {
  const procRoot = options.procRoot ?? '/proc';
  const users = options.users ?? new UserNames();
  if (target.kind === 'port') {
    const addresses = target.host === null ? null : await resolveHost(target.host);
    return whoPort(procRoot, target.port, target.host, addresses, users, options.exclude);
  }
  if (target.kind === 'sysv-shm') return whoSysvShm(procRoot, target.shmid, users, options.exclude);
  return whoFile(procRoot, target.path, target.locksOnly, users, options.exclude);
}

// ---- the walk ----

interface Acc {
  readonly uses: Map<number, WhoUse[]>;
  readonly unavailable: Map<number, string>;
}

function add(acc: Acc, pid: number, use: WhoUse): void {
  let list = acc.uses.get(pid);
  if (!list) acc.uses.set(pid, (list = []));
  list.push(use);
}

function pidsOf(procRoot: string, exclude: number | undefined): number[] {
  return procFs
    .readdirSync(procRoot)
    .filter((n) => /^[1-9]\d*$/.test(n))
    .map(Number)
    .filter((p) => p !== exclude)
    .sort((a, b) => a - b);
}

/** A per-process read failed: gone is silent, anything else is remembered for that pid (first reason wins). */
function note(acc: Acc, pid: number, error: unknown): 'gone' | 'failed' {
  if (classify(error) === 'gone') return 'gone';
  if (!acc.unavailable.has(pid)) acc.unavailable.set(pid, reasonOf(error));
  return 'failed';
}

/** Each fd of one process: its number and link target. Undefined when the list could not be read. */
function fdsOf(procRoot: string, pid: number, acc: Acc): { fd: number; target: string | null }[] | undefined {
  let names: string[];
  try {
    names = procFs.readdirSync(`${procRoot}/${pid}/fd`);
  } catch (error) {
    note(acc, pid, error);
    return undefined;
  }
  const out: { fd: number; target: string | null }[] = [];
  for (const name of names) {
    try {
      out.push({ fd: Number(name), target: readlinkText(`${procRoot}/${pid}/fd/${name}`) });
    } catch (error) {
      // A target that cannot be named (ENAMETOOLONG) may still be the file: stat through the link decides.
      if (classify(error) === 'other') out.push({ fd: Number(name), target: null });
      else if (classify(error) === 'denied') {
        note(acc, pid, error);
        return undefined;
      }
    }
  }
  return out.sort((a, b) => a.fd - b.fd);
}

function statQuiet(path: string): Stats | null {
  try {
    return procFs.statSync(path);
  } catch (error) {
    classify(error);
    return null;
  }
}

function modeOf(procRoot: string, pid: number, fd: number): AccessMode | null {
  try {
    const flags = parseFdInfo(readProcText(`${procRoot}/${pid}/fdinfo/${fd}`)).flags;
    return flags === undefined ? null : accessMode(flags);
  } catch (error) {
    classify(error);
    return null;
  }
}

/** `fe:01` (hex, as maps and /proc/locks print it) -> [major, minor]. */
function parseDevice(text: string): [number, number] | undefined {
  const m = /^([0-9a-f]+):([0-9a-f]+)$/i.exec(text);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16)] : undefined;
}

/** glibc's major()/minor() of a Node dev number. */
function splitDevice(dev: number): [number, number] {
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return [major, minor];
}

function sameDevice(text: string, dev: [number, number]): boolean {
  const d = parseDevice(text);
  return d !== undefined && d[0] === dev[0] && d[1] === dev[1];
}

// ---- files ----

function whoFile(procRoot: string, given: string, locksOnly: boolean, users: UserNames, exclude?: number): WhoResult {
  // stat through the path (following links) decides what the object is. Only then the canonical path, for
  // display and for matching a unix socket's bound path: a magic link /proc/PID/fd/N to a deleted file, or
  // to a path longer than PATH_MAX, has no path that resolves (ENOENT, ENAMETOOLONG) though stat -L works.
  let st: Stats;
  try {
    st = procFs.statSync(osPath(given));
  } catch (error) {
    throw new WhoTargetError('stat', given, errnoOf(error) ? reasonOf(error) : String(error));
  }
  let path = given;
  try {
    path = decodeBytes(realpathSync(osPath(given), { encoding: 'buffer' }));
  } catch (error) {
    classify(error); // no resolvable path: the object is still the one stat found, named as asked
  }
  const dev = splitDevice(st.dev);
  const device = `${dev[0].toString(16).padStart(2, '0')}:${dev[1].toString(16).padStart(2, '0')}`;
  const same = (s: Stats | null): boolean => s !== null && s.dev === st.dev && s.ino === st.ino;
  const acc: Acc = { uses: new Map(), unavailable: new Map() };
  // A unix socket file: processes hold the socket's own inode, not the file's. /proc/net/unix names the
  // bound path of the listening socket and of the connections it accepted (clients are unnamed).
  const unixByInode = new Map<number, UnixSocketRow>();
  if (st.isSocket() && !locksOnly) {
    try {
      for (const row of parseNetUnix(readProcText(`${procRoot}/net/unix`), namesWithNewline()))
        if (row.path === path || row.path === given) unixByInode.set(row.inode, row);
    } catch (error) {
      classify(error); // no table: the socket's users cannot be named, the file's other users still are
    }
  }
  // Fds that have the file open, by pid: lock owners are found in their fdinfo.
  const openFds = new Map<number, number[]>();
  for (const pid of pidsOf(procRoot, exclude)) {
    const base = `${procRoot}/${pid}`;
    if (!locksOnly) {
      for (const place of ['cwd', 'root', 'exe'] as const) {
        try {
          if (same(procFs.statSync(`${base}/${place}`))) add(acc, pid, { how: place });
        } catch (error) {
          // A kernel thread has no exe; another user's cwd is refused: neither makes the process unreadable.
          classify(error);
        }
      }
    }
    const fds = fdsOf(procRoot, pid, acc);
    for (const { fd, target } of fds ?? []) {
      const unix = target?.startsWith('socket:[') ? unixByInode.get(Number(target.slice(8, -1))) : undefined;
      if (unix) {
        const how = unix.listening ? 'listen' : unix.st === 3 ? 'connected' : 'bound';
        add(acc, pid, { how, protocol: 'unix', fd, local: unix.path ?? path, remote: null, state: unixStateName(unix) });
        continue;
      }
      // Pipes, sockets and anonymous inodes are never a path's inode (a FIFO or device shows as its path).
      if (target !== null && !target.startsWith('/')) continue;
      if (!same(statQuiet(`${base}/fd/${fd}`))) continue;
      let list = openFds.get(pid);
      if (!list) openFds.set(pid, (list = []));
      list.push(fd);
      if (!locksOnly) add(acc, pid, { how: 'fd', fd, mode: modeOf(procRoot, pid, fd) });
    }
    if (!locksOnly) {
      let maps: string;
      try {
        maps = readProcText(`${base}/maps`);
      } catch (error) {
        note(acc, pid, error);
        continue;
      }
      for (const line of maps.split('\n')) {
        const f = line.split(/\s+/, 5);
        if (f.length < 5 || Number(f[4]) !== st.ino || !sameDevice(f[3]!, dev)) continue;
        add(acc, pid, { how: 'mmap', range: f[0]!, perms: f[1]! });
      }
    }
  }
  addLocks(procRoot, acc, (row) => row.inode === st.ino && sameDevice(row.device, dev), openFds);
  return finish(procRoot, { kind: 'file', path, device, inode: st.ino, locksOnly }, acc, users);
}

/** Holders (from the fdinfo of the fds that have the file open, else /proc/locks' pid) and waiters. */
function addLocks(procRoot: string, acc: Acc, matches: (row: LockRow) => boolean, openFds: Map<number, number[]>): void {
  let rows: LockRow[];
  try {
    rows = parseLocks(readProcText(`${procRoot}/locks`));
  } catch (error) {
    classify(error); // no /proc/locks (a copied tree): there are no locks to show
    return;
  }
  const mine = rows.filter(matches);
  if (mine.length === 0) return;
  const held = new Set<string>();
  const rangeKey = (r: LockRow): string => `${r.lockClass}|${r.access}|${r.start}|${r.end}`;
  for (const [pid, fds] of openFds) {
    for (const fd of fds) {
      let lines: string[];
      try {
        lines = readProcText(`${procRoot}/${pid}/fdinfo/${fd}`)
          .split('\n')
          .filter((l) => l.startsWith('lock:'));
      } catch (error) {
        classify(error);
        continue;
      }
      for (const row of parseLocks(lines.map((l) => l.slice(5)).join('\n'))) {
        if (!matches(row)) continue;
        held.add(`${row.pid}|${rangeKey(row)}`);
        held.add(`${pid}|${rangeKey(row)}`);
        add(acc, pid, { how: 'lock-holder', fd, lockClass: row.lockClass, access: row.access, start: row.start, end: row.end });
      }
    }
  }
  // /proc/locks lists each blocker followed by the waiters blocked on it (`->`).
  let blocker: LockRow | undefined;
  for (const row of rows) {
    if (row.depth === 0) blocker = row;
    if (!matches(row)) continue;
    if (row.depth === 0) {
      if (row.pid > 0 && !held.has(`${row.pid}|${rangeKey(row)}`)) {
        add(acc, row.pid, {
          how: 'lock-holder',
          fd: openFds.get(row.pid)?.[0] ?? null,
          lockClass: row.lockClass,
          access: row.access,
          start: row.start,
          end: row.end,
        });
      }
    } else if (row.pid > 0) {
      add(acc, row.pid, {
        how: 'lock-waiter',
        fd: openFds.get(row.pid)?.[0] ?? null,
        lockClass: row.lockClass,
        access: row.access,
        start: row.start,
        end: row.end,
        blockedBy: blocker && blocker.pid > 0 ? blocker.pid : null,
      });
    }
  }
}

// ---- ports ----

async function resolveHost(host: string): Promise<string[]> {
  if (isIP(host)) return [normAddress(host)];
  try {
    return [...new Set((await lookup(host, { all: true })).map((a) => normAddress(a.address)))];
  } catch (error) {
    throw new WhoTargetError('resolve', host, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** IPv4-mapped IPv6 is the IPv4 address; IPv6 text in the compressed lower-case form the tables print. */
function normAddress(a: string): string {
  const lower = a.toLowerCase();
  if (lower.startsWith('::ffff:') && lower.includes('.')) return lower.slice(7);
  if (!lower.includes(':')) return lower;
  try {
    return new URL(`http://[${lower}]/`).hostname.slice(1, -1);
  } catch {
    return lower;
  }
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

interface SocketTables {
  readonly byInode: Map<number, { row: InetSocketRow; protocol: 'tcp' | 'udp' }>;
}

function readSocketTables(netDir: string): SocketTables {
  const byInode = new Map<number, { row: InetSocketRow; protocol: 'tcp' | 'udp' }>();
  for (const [file, protocol, family] of [
    ['tcp', 'tcp', 'ipv4'],
    ['tcp6', 'tcp', 'ipv6'],
    ['udp', 'udp', 'ipv4'],
    ['udp6', 'udp', 'ipv6'],
  ] as const) {
    let text: string;
    try {
      text = readProcText(`${netDir}/${file}`);
    } catch (error) {
      classify(error); // no IPv6 (or no such table here): nothing of it to match
      continue;
    }
    for (const row of parseNetInet(text, family)) if (row.inode > 0) byInode.set(row.inode, { row, protocol });
  }
  return { byInode };
}

function whoPort(
  procRoot: string,
  port: number,
  host: string | null,
  addresses: readonly string[] | null,
  users: UserNames,
  exclude?: number,
): WhoResult {
  const acc: Acc = { uses: new Map(), unavailable: new Map() };
  const wanted = addresses === null ? null : new Set(addresses);
  const localMatches = (r: InetSocketRow): boolean => {
    if (r.localPort !== port) return false;
    const a = normAddress(r.localAddress);
    // A socket bound to the wildcard address answers on every address, the asked one too.
    return wanted === null || wanted.has(a) || (r.remotePort === 0 && WILDCARDS.has(a));
  };
  const remoteMatches = (r: InetSocketRow): boolean =>
    r.remotePort === port && (wanted === null || wanted.has(normAddress(r.remoteAddress)));
  // /proc/net shows the tables of the reader's network namespace; a process in another one is read
  // through its own /proc/PID/net, once per namespace.
  const tables = new Map<string, SocketTables>();
  const ownNs = nsOf(`${procRoot}/self`) ?? '';
  tables.set(ownNs, readSocketTables(`${procRoot}/net`));
  for (const pid of pidsOf(procRoot, exclude)) {
    const fds = fdsOf(procRoot, pid, acc);
    if (!fds) continue;
    let table: SocketTables | undefined;
    for (const { fd, target } of fds) {
      let inode: number;
      if (target === null) {
        // The link could not be read: a socket's own stat still gives its inode.
        const own = statQuiet(`${procRoot}/${pid}/fd/${fd}`);
        if (!own?.isSocket()) continue;
        inode = own.ino;
      } else if (target.startsWith('socket:[')) inode = Number(target.slice(8, -1));
      else continue;
      if (!table) {
        const ns = nsOf(`${procRoot}/${pid}`) ?? ownNs;
        table = tables.get(ns);
        if (!table) tables.set(ns, (table = readSocketTables(`${procRoot}/${pid}/net`)));
      }
      const hit = table.byInode.get(inode);
      if (!hit) continue;
      const r = hit.row;
      if (!localMatches(r) && !remoteMatches(r)) continue;
      const how = hit.protocol === 'tcp' && r.st === 10 ? 'listen' : r.remotePort === 0 ? 'bound' : 'connected';
      add(acc, pid, {
        how,
        protocol: hit.protocol,
        fd,
        local: formatEndpoint(r.localAddress, r.localPort, r.family),
        remote: r.remotePort === 0 ? null : formatEndpoint(r.remoteAddress, r.remotePort, r.family),
        state: inetStateName(hit.protocol, r.st),
      });
    }
  }
  return finish(procRoot, { kind: 'port', port, host, addresses }, acc, users);
}

function nsOf(base: string): string | undefined {
  try {
    return readlinkText(`${base}/ns/net`);
  } catch (error) {
    classify(error);
    return undefined;
  }
}

// ---- SysV shared memory ----

function whoSysvShm(procRoot: string, shmid: number, users: UserNames, exclude?: number): WhoResult {
  let rows: Record<string, string>[] = [];
  try {
    rows = parseSysvTable(readProcText(`${procRoot}/sysvipc/shm`));
  } catch (error) {
    throw new WhoTargetError('noSegment', `shmid:${shmid}`, reasonOf(error));
  }
  const row = rows.find((r) => Number(r['shmid']) === shmid);
  if (!row) throw new WhoTargetError('noSegment', `shmid:${shmid}`, 'ENOENT');
  const acc: Acc = { uses: new Map(), unavailable: new Map() };
  for (const pid of pidsOf(procRoot, exclude)) {
    let maps: string;
    try {
      maps = readProcText(`${procRoot}/${pid}/maps`);
    } catch (error) {
      note(acc, pid, error);
      continue;
    }
    if (!maps.includes('/SYSV')) continue;
    // A SysV segment maps as `/SYSV<key> (deleted)` whose inode number is the shmid.
    for (const line of maps.split('\n')) {
      const f = line.split(/\s+/, 6);
      if (f.length < 6 || !f[5]!.startsWith('/SYSV') || Number(f[4]) !== shmid) continue;
      add(acc, pid, { how: 'mmap', range: f[0]!, perms: f[1]! });
    }
  }
  return finish(
    procRoot,
    {
      kind: 'sysv-shm',
      shmid,
      key: formatSysvKey(row['key'] ?? '0'),
      size: Number(row['size']),
      attachCount: Number(row['nattch']),
      creatorPid: Number(row['cpid']),
      lastPid: Number(row['lpid']),
    },
    acc,
    users,
  );
}

// ---- naming the processes ----

const statBuffer = Buffer.allocUnsafe(4096);

function finish(procRoot: string, object: WhoObject, acc: Acc, users: UserNames): WhoResult {
  const processes: WhoProcess[] = [];
  for (const pid of [...acc.uses.keys()].sort((a, b) => a - b)) {
    let name = '';
    let key: string | null = null;
    let uid: number | null = null;
    try {
      const fd = procFs.openSync(`${procRoot}/${pid}/stat`, 'r');
      try {
        const st = parseStat(statBuffer, procFs.readSync(fd, statBuffer, 0, statBuffer.length, 0));
        if (st) {
          name = st.comm;
          key = processKey(pid, st.starttime);
        }
      } finally {
        procFs.closeSync(fd);
      }
      // The owner of /proc/PID is the process's effective uid (root for a non-dumpable one).
      uid = procFs.statSync(`${procRoot}/${pid}`).uid;
    } catch (error) {
      classify(error); // exited since: its use was real a moment ago, shown without a name
    }
    processes.push({ pid, processKey: key, name, uid, user: uid === null ? null : users.name(uid), uses: acc.uses.get(pid)! });
  }
  const unavailable = [...acc.unavailable].map(([pid, reason]) => ({ pid, reason })).sort((a, b) => a.pid - b.pid);
  return { object, processes, unavailable };
}
