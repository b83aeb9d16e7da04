// Small pure parsers for the system-wide IPC tables: /proc/net/{unix,tcp,tcp6,udp,udp6}, /proc/sysvipc/*,
// /proc/locks, `ss -xan` output and the shared lines of /proc/PID/maps. Own code: no maintained npm package
// parses these tables (@stroncium/procfs covers none of them).
import type { LockClass, UnixSocketType } from './model';

// ---- /proc/net/unix ----

export interface UnixSocketRow {
  readonly inode: number;
  readonly type: UnixSocketType;
  /** SS_* state: 1 unconnected, 2 connecting, 3 connected, 4 disconnecting. */
  readonly st: number;
  /** __SO_ACCEPTCON in flags: a listening socket. */
  readonly listening: boolean;
  /** Path, `@name` for abstract, null when unnamed or when the table cannot say (nameUnknown). */
  readonly path: string | null;
  /**
   * The table listed this inode more than once with different text: some socket's name holds a newline and
   * a line that looks like a row (see parseNetUnix), so which of them is this socket's is unknown.
   */
  readonly nameUnknown?: true;
}

const UNIX_TYPES: Record<number, UnixSocketType> = { 1: 'stream', 2: 'dgram', 5: 'seqpacket' };

const UNIX_ROW = /^[0-9a-fA-F]+: [0-9A-Fa-f]+ [0-9A-Fa-f]+ ([0-9A-Fa-f]+) ([0-9A-Fa-f]+) ([0-9A-Fa-f]+) +(\d+)(?: (.*))?$/;

/**
 * Lines: `Num RefCount Protocol Flags Type St Inode Path`. A path may hold spaces (kept whole).
 *
 * The kernel writes a socket's name as its raw bytes, newlines included, and any user can bind a name. A line
 * that is not a row is the rest of the name before it (joined back with its newline). A name can also hold a
 * line that looks like a row: that forged row names a real socket's inode to give it another name, or the
 * name of nothing. Each socket is listed once, so an inode listed twice with different text means one of the
 * two is forged, and nothing in the text says which: that inode's name is left unknown (nameUnknown) rather
 * than taken from either line. A forged row naming an inode of its own would cut the name before it short
 * (a listener shown under a prefix of its name, such as another service's socket path): for a file-system
 * name, `namesWithNewline` lets the file system say which lines are the name's (linesOfName).
 */
export function parseNetUnix(text: string, namesWithNewline?: (dir: string) => readonly string[]): UnixSocketRow[] {
  const found: { row: UnixSocketRow; text: string }[] = [];
  const lines = text.split('\n');
  // The file ends with a newline: the empty string after it is not a continuation.
  const last = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let i = 1; i < last; i++) {
    const line = lines[i]!;
    const m = UNIX_ROW.exec(line);
    const prevPath = found[found.length - 1]?.row.path;
    // A line that looks like a row after a file-system name may be that name's next line: the file system says.
    const owned = m && prevPath?.startsWith('/') && namesWithNewline ? linesOfName(prevPath, lines, i, last, namesWithNewline) : 0;
    if (owned > 0) {
      const prev = found[found.length - 1]!;
      const rest = lines.slice(i, i + owned).join('\n');
      prev.row = { ...prev.row, path: `${prevPath}\n${rest}` };
      prev.text += `\n${rest}`;
      i += owned - 1;
      continue;
    }
    if (!m) {
      const prev = found[found.length - 1];
      if (prev) {
        const path = `${prev.row.path ?? ''}\n${line}`;
        prev.row = { ...prev.row, path };
        prev.text += `\n${line}`;
      }
      continue;
    }
    const flags = parseInt(m[1]!, 16);
    found.push({
      text: line,
      row: {
        inode: Number(m[4]),
        type: UNIX_TYPES[parseInt(m[2]!, 16)] ?? 'unknown',
        st: parseInt(m[3]!, 16),
        listening: (flags & 0x10000) !== 0,
        path: m[5] !== undefined && m[5] !== '' ? m[5] : null,
      },
    });
  }
  const texts = new Map<number, Set<string>>();
  for (const f of found) {
    const seen = texts.get(f.row.inode) ?? new Set<string>();
    seen.add(f.text);
    texts.set(f.row.inode, seen);
  }
  const rows: UnixSocketRow[] = [];
  const done = new Set<number>();
  for (const f of found) {
    const inode = f.row.inode;
    if (done.has(inode)) continue; // listed twice alike (the table changed while it was read): once is enough
    done.add(inode);
    if (texts.get(inode)!.size === 1) rows.push(f.row);
    else rows.push({ inode, type: 'unknown', st: 0, listening: false, path: null, nameUnknown: true });
  }
  return rows;
}

/**
 * How many lines from `lines[i]` are the rest of the socket name `path` (0: none), decided by the file system:
 * a name is a file, so when the folder holding `path`'s last component has an entry that is that component, a
 * newline and these lines (the last of them possibly followed by `/` and deeper components), they are the
 * name's. `namesWithNewline(dir)` gives the entries of `dir` that hold a newline (rare: usually none).
 * An abstract name (`@…`) has no file, and is read by the row rules alone.
 */
function linesOfName(
  path: string,
  lines: readonly string[],
  i: number,
  last: number,
  namesWithNewline: (dir: string) => readonly string[],
): number {
  const slash = path.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : path.slice(0, slash);
  const base = `${path.slice(slash + 1)}\n`;
  for (const entry of namesWithNewline(dir)) {
    if (!entry.startsWith(base)) continue;
    const pieces = entry.slice(base.length).split('\n');
    let k = 0;
    for (; k < pieces.length && i + k < last; k++) {
      const line = lines[i + k]!;
      const piece = pieces[k]!;
      if (k < pieces.length - 1 ? line !== piece : line !== piece && !line.startsWith(`${piece}/`)) break;
    }
    if (k === pieces.length) return k;
  }
  return 0;
}

export function unixStateName(row: UnixSocketRow): string {
  if (row.listening) return 'listening';
  switch (row.st) {
    case 1:
      return 'unconnected';
    case 2:
      return 'connecting';
    case 3:
      return 'connected';
    case 4:
      return 'disconnecting';
    default:
      return String(row.st);
  }
}

// ---- ss -xtuanHe (sock_diag): the peer inode that /proc/net/unix lacks, and TCP/UDP rows with inodes ----

const SS_STATES: Record<string, number> = {
  ESTAB: 1,
  'SYN-SENT': 2,
  'SYN-RECV': 3,
  'FIN-WAIT-1': 4,
  'FIN-WAIT-2': 5,
  'TIME-WAIT': 6,
  UNCONN: 7,
  CLOSE: 7,
  'CLOSE-WAIT': 8,
  'LAST-ACK': 9,
  LISTEN: 10,
  CLOSING: 11,
};

/** `127.0.0.1:80`, `[::1]:80`, `[::ffff:127.0.0.1]:80`, `*:80` (a dual-stack IPv6 socket), `0.0.0.0:*`, `127.0.0.53%lo:53`. */
export function parseSsAddress(text: string): { address: string; port: number; family: 'ipv4' | 'ipv6' } | undefined {
  const cut = text.lastIndexOf(':');
  if (cut < 0) return undefined;
  let host = text.slice(0, cut);
  const portText = text.slice(cut + 1);
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port)) return undefined;
  if (host === '*') return { address: '::', port, family: 'ipv6' };
  const v6 = host.startsWith('[');
  if (v6) host = host.slice(1, host.endsWith(']') ? -1 : undefined);
  const pct = host.indexOf('%');
  if (pct >= 0) host = host.slice(0, pct);
  return { address: host, port, family: v6 ? 'ipv6' : 'ipv4' };
}

/** A line that starts a row of `ss -xtuanH`: its kind, its state and its two queue sizes. */
const SS_ROW_START = /^(?:u_str|u_dgr|u_seq|tcp|udp)\s+[A-Z][A-Z0-9-]*\s+\d+\s+\d+(?:\s|$)/;

/** What one `ss -xtuanHe` run says: unix inode -> peer inode (0 = none), and the TCP and UDP rows. */
export interface SsTables {
  readonly unixPeers: Map<number, number>;
  readonly tcp: InetSocketRow[];
  readonly udp: InetSocketRow[];
}

/**
 * The rows of `ss -xtuanHe`. ss prints a unix socket's name as its raw bytes, newlines included, and any user
 * can bind a name. A line that does not start a row is the rest of the name before it, joined back with its
 * newline; a unix row is read from its end (`<local inode> <peer name> <peer inode>`), where the name cannot
 * reach. A name can also hold text that starts a row of its own, a forged row naming some socket's inode to
 * give it another peer or address:
 * - each socket is listed once, so an inode that two rows name is left out of both (its peer or address
 *   unknown) rather than taken from either;
 * - a TCP or UDP row holds nothing of anybody's choosing, so one that runs over lines, or that holds anything
 *   but its addresses, `key:value` details and a shutdown marker (as the real row's end would be, carried onto
 *   a forged line), is not one;
 * - a forged unix row may still name a socket ss did not list (one closed before ss ran, or not made yet): the
 *   caller keeps only the peers of sockets the unix table listed when ss ran.
 */
export function parseSs(text: string): SsTables {
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    if (SS_ROW_START.test(line)) rows.push(line);
    else if (rows.length > 0 && line !== '') rows[rows.length - 1] += `\n${line}`;
  }
  const unix: { inode: number; peer: number }[] = [];
  const inet: { kind: 'tcp' | 'udp'; row: InetSocketRow }[] = [];
  const named = new Map<number, number>();
  for (const row of rows) {
    const parsed = row.startsWith('u_') ? ssUnixRow(row) : ssInetRow(row);
    if (!parsed) continue;
    const inode = 'kind' in parsed ? parsed.row.inode : parsed.inode;
    named.set(inode, (named.get(inode) ?? 0) + 1);
    if ('kind' in parsed) inet.push(parsed);
    else unix.push(parsed);
  }
  const once = (inode: number): boolean => named.get(inode) === 1;
  const out: SsTables = { unixPeers: new Map(), tcp: [], udp: [] };
  for (const u of unix) if (once(u.inode)) out.unixPeers.set(u.inode, u.peer);
  for (const i of inet) if (i.row.inode === 0 || once(i.row.inode)) out[i.kind].push(i.row);
  return out;
}

/** Unix peers of `ss -xanH` output: inode -> peer inode (0 = none). See parseSs. */
export function parseSsUnixPeers(text: string): Map<number, number> {
  return parseSs(text).unixPeers;
}

/** TCP and UDP rows of `ss -tuanHe` output. See parseSs. */
export function parseSsInet(text: string): { tcp: InetSocketRow[]; udp: InetSocketRow[] } {
  const { tcp, udp } = parseSs(text);
  return { tcp, udp };
}

/** A unix row, read from its end; undefined when its end is not two inodes around a peer name. */
function ssUnixRow(row: string): { inode: number; peer: number } | undefined {
  // With -e the peer inode is followed by the shutdown state (`<->`, `-->`, `<--`, `---`) and extras; the
  // last such marker is ss's own (a name before it may hold one).
  let cut = -1;
  for (const m of row.matchAll(/\s(?:<->|-->|<--|---)(?=\s|$)/g)) cut = m.index;
  const line = cut >= 0 ? row.slice(0, cut) : row;
  const m = /\s(\d+)\s+\S+\s+(\d+)\s*$/.exec(line);
  if (!m) return undefined;
  const inode = Number(m[1]);
  return inode > 0 ? { inode, peer: Number(m[2]) } : undefined;
}

/** What follows the addresses in a TCP or UDP row of `ss -e`: `ino:N`, `sk:…`, `timer:(…)`, …, and `<->`. */
const SS_DETAIL = /^(?:[a-z][a-z0-9_]*:\S*|<->|-->|<--|---)$/;

/** A TCP or UDP row (`tcp ESTAB 0 0 local remote ino:N uid:N ...`); undefined when it is not one. */
function ssInetRow(row: string): { kind: 'tcp' | 'udp'; row: InetSocketRow } | undefined {
  // An inet row holds no name of anybody's: one that runs over lines is not one.
  if (row.includes('\n')) return undefined;
  const f = row.trim().split(/\s+/);
  const kind = f[0];
  if ((kind !== 'tcp' && kind !== 'udp') || f.length < 6) return undefined;
  for (let i = 6; i < f.length; i++) if (!SS_DETAIL.test(f[i]!)) return undefined;
  const local = parseSsAddress(f[4]!);
  const remote = parseSsAddress(f[5]!);
  const st = SS_STATES[f[1]!];
  if (!local || !remote || st === undefined) return undefined;
  let inode = 0;
  let uid = 0;
  for (let i = 6; i < f.length; i++) {
    if (f[i]!.startsWith('ino:')) inode = Number(f[i]!.slice(4));
    else if (f[i]!.startsWith('uid:')) uid = Number(f[i]!.slice(4));
  }
  return {
    kind,
    row: {
      family: local.family,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      st,
      uid,
      inode,
    },
  };
}

// ---- /proc/net/tcp, tcp6, udp, udp6 ----

export interface InetSocketRow {
  readonly family: 'ipv4' | 'ipv6';
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Kernel TCP state number (1 ESTABLISHED ... 10 LISTEN); UDP uses 1 (connected) and 7 (unconnected). */
  readonly st: number;
  readonly uid: number;
  readonly inode: number;
}

export const TCP_STATES: Record<number, string> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

export function inetStateName(kind: 'tcp' | 'udp', st: number): string {
  if (kind === 'udp') return st === 1 ? 'ESTABLISHED' : st === 7 ? 'UNCONN' : (TCP_STATES[st] ?? String(st));
  return TCP_STATES[st] ?? String(st);
}

/** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
export function decodeInetAddress(hex: string): string {
  if (hex.length === 8) {
    const v = parseInt(hex, 16);
    return `${v & 0xff}.${(v >>> 8) & 0xff}.${(v >>> 16) & 0xff}.${(v >>> 24) & 0xff}`;
  }
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const v = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  // IPv4-mapped (::ffff:a.b.c.d): print as the IPv4 address so it joins with the IPv4 tables' peers.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export function formatEndpoint(address: string, port: number, family: 'ipv4' | 'ipv6'): string {
  return family === 'ipv6' ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Rows of /proc/net/tcp(6) or udp(6): `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`. */
export function parseNetInet(text: string, family: 'ipv4' | 'ipv6'): InetSocketRow[] {
  const rows: InetSocketRow[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [la, lp] = f[1]!.split(':');
    const [ra, rp] = f[2]!.split(':');
    if (!la || !lp || !ra || !rp) continue;
    rows.push({
      family,
      localAddress: decodeInetAddress(la),
      localPort: parseInt(lp, 16),
      remoteAddress: decodeInetAddress(ra),
      remotePort: parseInt(rp, 16),
      st: parseInt(f[3]!, 16),
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return rows;
}

// ---- /proc/sysvipc/{shm,msg,sem} ----

/** /proc/sysvipc prints keys as signed decimal; ipcs prints them as 0x%08x. */
export function formatSysvKey(decimal: string): string {
  return `0x${(Number(decimal) >>> 0).toString(16).padStart(8, '0')}`;
}

/** Rows of a /proc/sysvipc table as name -> value maps, keyed by the header line's column names. */
export function parseSysvTable(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < header.length || f[0] === '') continue;
    const row: Record<string, string> = {};
    header.forEach((name, j) => {
      row[name] = f[j]!;
    });
    rows.push(row);
  }
  return rows;
}

// ---- /proc/locks ----

export interface LockRow {
  /** The lock's number in /proc/locks (its blocker's number for waiters). */
  readonly number: number;
  /** 0 for a held lock; 1 for a waiter blocked on it; 2 for a waiter blocked on that waiter, ... */
  readonly depth: number;
  readonly lockClass: LockClass;
  readonly mode: string;
  readonly access: string;
  /** -1 for OFD locks (owned by an open file description, not a process); 0 when the owner is not visible. */
  readonly pid: number;
  /** `major:minor` in hex, as printed. */
  readonly device: string;
  readonly inode: number;
  readonly start: number;
  readonly end: number | null;
}

const LOCK_CLASSES = new Set(['FLOCK', 'POSIX', 'OFDLCK', 'LEASE', 'DELEG']);

/** `1: POSIX  ADVISORY  WRITE 1234 fe:00:2147112 5 14` and waiters `1: -> FLOCK ...` (nested: `-> ->`). */
export function parseLocks(text: string): LockRow[] {
  const rows: LockRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^\d+:$/.test(f[0]!)) continue;
    let i = 1;
    let depth = 0;
    while (f[i] === '->') {
      depth++;
      i++;
    }
    if (f.length - i < 7) continue;
    const cls = f[i]!;
    const devIno = f[i + 4]!;
    const cut = devIno.lastIndexOf(':');
    const endText = f[i + 6]!;
    rows.push({
      number: Number(f[0]!.slice(0, -1)),
      depth,
      lockClass: (LOCK_CLASSES.has(cls) ? cls : 'UNKNOWN') as LockClass,
      mode: f[i + 1]!,
      access: f[i + 2]!,
      pid: Number(f[i + 3]),
      device: cut > 0 ? devIno.slice(0, cut) : devIno,
      inode: cut > 0 ? Number(devIno.slice(cut + 1)) : 0,
      start: Number(f[i + 5]),
      end: endText === 'EOF' ? null : Number(endText),
    });
  }
  return rows;
}

// ---- /proc/PID/maps, shared lines only ----

const SHARED_PERMS = /^\S+ [r-][w-][x-]s /m;

export interface SharedMapping {
  readonly range: string;
  readonly perms: string;
  readonly device: string;
  readonly inode: number;
  /** Path without ` (deleted)`. */
  readonly path: string;
  readonly deleted: boolean;
}

/**
 * The mappings that can be IPC: /dev/shm files, SysV segments (`/SYSV<key>`), memfd, and MAP_SHARED
 * mappings of other files. A maps file without any of them (most: libraries are private) is not split.
 */
export function parseSharedMappings(text: string): SharedMapping[] {
  const out: SharedMapping[] = [];
  if (text.indexOf('/dev/shm/') < 0 && text.indexOf('/SYSV') < 0 && text.indexOf('/memfd:') < 0 && !SHARED_PERMS.test(text)) return out;
  for (const line of text.split('\n')) {
    const slash = line.indexOf(' /');
    if (slash < 0) continue;
    let path = line.slice(slash + 1).trimStart();
    const f = line.slice(0, slash).trim().split(/\s+/);
    if (f.length < 5) continue;
    const special = path.startsWith('/dev/shm/') || path.startsWith('/SYSV') || path.startsWith('/memfd:');
    // Other MAP_SHARED file mappings (perms `...s`): shared memory through an ordinary file; /dev/zero and
    // other devices are not files two processes share.
    if (!special && (f[1]![3] !== 's' || path.startsWith('/dev/'))) continue;
    const deleted = path.endsWith(' (deleted)');
    if (deleted) path = path.slice(0, -10);
    out.push({ range: f[0]!, perms: f[1]!, device: f[3]!, inode: Number(f[4]), path, deleted });
  }
  return out;
}
