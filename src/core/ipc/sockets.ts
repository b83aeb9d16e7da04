// Sockets: unix, TCP and UDP channels from the socket inodes the fd walk found, joined with the kernel's
// tables. `ss` (sock_diag) is the one source of unix peers and of TCP/UDP rows without walking
// /proc/net/tcp's whole hash table; spawning it is the largest fixed cost of a scan, so its answer is kept
// (by the SsSource its scanner owns) while it still covers every socket.
import { execFileSync } from 'node:child_process';
import { classify } from '../errors';
import { decodeBytes } from '../procfs/decode';
import { namesWithNewline, readlinkText } from '../procfs/procFs';
import type { Channel, Endpoint, EndpointRole, InetChannel, IpcWarning, UnixChannel } from './model';
import {
  formatEndpoint,
  inetStateName,
  parseNetInet,
  parseNetUnix,
  parseSs,
  unixStateName,
  type InetSocketRow,
  type UnixSocketRow,
} from './parsers';
import { endpointOf, pushList, readOptional, sortEndpoints, type Holder } from './holders';
import { pushAll } from '../../shared/arrays';

interface SsData {
  readonly at: number;
  readonly unixPeers: Map<number, number>;
  readonly tcp: InetSocketRow[];
  readonly udp: InetSocketRow[];
  /** Socket inodes this answer speaks for: its TCP/UDP rows, and the non-unix sockets asked about then. */
  readonly covered: Set<number>;
}

/** One scanner's `ss`: its last answer (for ssMaxAgeMs) and whether ss is installed at all. */
export class SsSource {
  /** Only the scanner's own namespace is cached: ss sees nothing else. */
  cached: SsData | undefined;
  /** ENOENT once means no iproute2 here; not spawning again spares a failed fork every scan. */
  missing = false;

  /** One `ss` run for the whole scan: unix peers (-x) and TCP/UDP rows with inodes (-tu -e), numeric, no header. */
  run(): string | undefined {
    if (this.missing) return undefined;
    try {
      // Bytes, decoded like every other OS string: socket paths need not be UTF-8. Run from / so that a
      // relative entry in PATH (".") cannot pick an `ss` from whatever folder the caller was started in.
      return decodeBytes(
        execFileSync('ss', ['-xtuanHe'], { cwd: '/', timeout: 5000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.missing = true;
      return undefined;
    }
  }
}

/**
 * `listedUnix`: the inodes of the unix table read just before ss ran. Only their peers are kept: a row naming
 * another inode is a socket closed since, or a forged row (parseSs) naming one not made yet, which the answer,
 * reused for ssMaxAgeMs, would otherwise give to the socket that gets that inode.
 */
function parseSsData(text: string, at: number, asked: readonly number[], listedUnix: ReadonlySet<number>): SsData {
  const { unixPeers: all, tcp, udp } = parseSs(text);
  const unixPeers = new Map<number, number>();
  for (const [inode, peer] of all) if (listedUnix.has(inode)) unixPeers.set(inode, peer);
  const covered = new Set(asked);
  for (const r of tcp) covered.add(r.inode);
  for (const r of udp) covered.add(r.inode);
  return { at, unixPeers, tcp, udp, covered };
}

/**
 * Every socket channel: first the scanner's own namespace's tables, then, for sockets not found there, each
 * other namespace's tables read through one of its processes. Returns the scanner's network namespace (null
 * when unknown: every namespace's sockets are then read through their processes).
 */
export function buildAllSocketChannels(
  ss: SsSource,
  procRoot: string,
  sockets: Map<number, Holder[]>,
  useSs: boolean,
  ssMaxAgeMs: number,
  warnings: IpcWarning[],
  channels: Channel[],
): string | null {
  let netNamespace: string | null = null;
  try {
    netNamespace = readlinkText(`${procRoot}/self/ns/net`);
  } catch (error) {
    classify(error);
  }
  if (sockets.size === 0) return netNamespace;
  const unresolved = buildSocketChannels(ss, `${procRoot}/net`, sockets, useSs, warnings, channels, '', undefined, ssMaxAgeMs);
  if (unresolved.size === 0) return netNamespace;
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
    buildSocketChannels(ss, `${procRoot}/${e.pid}/net`, e.inodes, false, warnings, channels, ns);
    warnings.push({ code: 'otherNamespace', params: { ns, pid: e.pid } });
  }
  return netNamespace;
}

/**
 * Builds unix/tcp/udp channels for the sockets found in one namespace's tables (netDir = a /proc/net
 * directory); returns the socket inodes not found there. `ssText` replaces running `ss -xanH` (fixtures).
 */
export function buildSocketChannels(
  ssSource: SsSource,
  netDir: string,
  sockets: Map<number, Holder[]>,
  useSs: boolean,
  warnings: IpcWarning[],
  channels: Channel[],
  nsTag: string,
  ssText?: string,
  ssMaxAgeMs = 0,
): Map<number, Holder[]> {
  const found = new Set<number>();
  const idPrefix = nsTag ? `${nsTag}/` : '';

  // unix
  const allUnixRows = parseNetUnix(readOptional(`${netDir}/unix`) ?? '', namesWithNewline());
  const listedUnix = new Set(allUnixRows.map((r) => r.inode));
  const unixRows = allUnixRows.filter((r) => sockets.has(r.inode));
  const unixInodes = new Set(unixRows.map((r) => r.inode));
  const restInodes = [...sockets.keys()].filter((i) => !unixInodes.has(i));
  const connectedUnix = unixRows.filter((r) => r.st === 3).map((r) => r.inode);

  // One ss run serves the whole scan; its answer is reused while it still covers every socket (a socket's
  // peer and addresses never change; only TCP state may lag, by at most ssMaxAgeMs).
  let data: SsData | null | undefined = ssText !== undefined ? parseSsData(ssText, 0, restInodes, listedUnix) : undefined;
  const ss = (): SsData | undefined => {
    if (data === undefined && useSs) {
      const cached = nsTag === '' ? ssSource.cached : undefined;
      if (
        cached &&
        Date.now() - cached.at < ssMaxAgeMs &&
        connectedUnix.every((i) => cached.unixPeers.has(i)) &&
        restInodes.every((i) => cached.covered.has(i))
      ) {
        data = cached;
      } else {
        const out = ssSource.run();
        data = out !== undefined ? parseSsData(out, Date.now(), restInodes, listedUnix) : null;
        if (data && nsTag === '' && ssMaxAgeMs > 0) ssSource.cached = data;
      }
    }
    return data ?? undefined;
  };
  if (unixRows.length > 0) {
    let peers: Map<number, number> | undefined;
    if (useSs && unixRows.some((r) => r.st === 3)) {
      const out = ss();
      if (out !== undefined) peers = out.unixPeers;
      else warnings.push({ code: ssSource.missing ? 'ssMissing' : 'ssFailed' });
    } else if (!useSs && unixRows.some((r) => r.st === 3) && nsTag === '') {
      warnings.push({ code: 'ssNotUsed' });
    }
    for (const r of unixRows) found.add(r.inode);
    buildUnixChannels(unixRows, peers, sockets, idPrefix, channels);
  }

  // tcp and udp: /proc/net/tcp costs ~5 ms even when nearly empty (the kernel walks its whole hash table),
  // so the inet tables are read only when some socket was not a unix socket.
  let rest = 0;
  for (const inode of sockets.keys()) if (!found.has(inode)) rest++;
  const fromSs = rest > 0 && useSs ? ss() : undefined;
  for (const kind of rest > 0 ? (['tcp', 'udp'] as const) : []) {
    const rows: InetSocketRow[] = fromSs ? fromSs[kind] : [];
    if (!fromSs) {
      for (const [file, family] of [
        [kind, 'ipv4'],
        [`${kind}6`, 'ipv6'],
      ] as const) {
        const text = readOptional(`${netDir}/${file}`);
        if (text) pushAll(rows, parseNetInet(text, family));
      }
    }
    buildInetChannels(kind, rows, sockets, found, idPrefix, channels);
  }

  const unresolved = new Map<number, Holder[]>();
  for (const [inode, holders] of sockets) if (!found.has(inode)) unresolved.set(inode, holders);
  return unresolved;
}

function buildUnixChannels(
  unixRows: UnixSocketRow[],
  peers: Map<number, number> | undefined,
  sockets: Map<number, Holder[]>,
  idPrefix: string,
  channels: Channel[],
): void {
  const byInode = new Map<number, UnixSocketRow>(unixRows.map((r) => [r.inode, r]));
  const uf = new UnionFind();
  for (const r of unixRows) {
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
    const peerKnown =
      peers !== undefined &&
      connected.every((r) => {
        const p = peers.get(r.inode);
        return p !== undefined && (p === 0 || byInode.has(p));
      });
    const state = rows.length > 1 && connected.length === rows.length ? 'connected' : unixStateName(named);
    const c: UnixChannel = {
      kind: 'unix',
      id: `unix:${idPrefix}${root}`,
      label: `${path ?? (named.nameUnknown ? 'name unknown' : 'unnamed')} (${named.type}${connected.length > 0 && !peerKnown ? ', peer unknown' : ''})`,
      path,
      ...(named.nameUnknown ? { nameUnknown: true as const } : {}),
      abstract,
      socketType: named.type,
      state,
      inodes: rows.map((r) => r.inode),
      peerKnown,
      inode: root,
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
}

function buildInetChannels(
  kind: 'tcp' | 'udp',
  rows: InetSocketRow[],
  sockets: Map<number, Holder[]>,
  found: Set<number>,
  idPrefix: string,
  channels: Channel[],
): void {
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
    // A peer not held by any scanned process (e.g. another user's) still shows its end.
    if (peer) {
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
      kind,
      id,
      label,
      family: first.family,
      state: inetStateName(kind, first.st),
      local: la,
      remote: ra,
      joined,
      inodes: members.map((r) => r.inode),
      inode: first.inode,
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
}

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
    const ra = this.find(a),
      rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
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
