// Is this process's Node inspector listening? Answered from /proc, not by connecting: a connection to
// 127.0.0.1:9229 may reach some other process's inspector, while a LISTEN socket whose inode is one of the
// process's own fds is certainly its own.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Inodes of TCP sockets in LISTEN state on `port`, from /proc/net/tcp and tcp6 (as seen by `pid`'s network namespace). */
export function listeningInodes(pid: number, port: number, procRoot = '/proc'): Set<string> {
  const out = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/${pid}/net/${table}`, 'latin1');
    } catch {
      continue; // no IPv6, or the process is gone
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode: local "0100007F:2411", st "0A" = LISTEN, inode is field 9.
      if (f.length < 10 || f[3] !== '0A') continue;
      const localPort = Number.parseInt(f[1]!.slice(f[1]!.lastIndexOf(':') + 1), 16);
      if (localPort === port) out.add(f[9]!);
    }
  }
  return out;
}

/** Socket inodes among the process's open files; empty when it is gone or not ours to read. */
export function socketInodes(pid: number, procRoot = '/proc'): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${procRoot}/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      continue; // closed while we looked
    }
  }
  return out;
}

export function ownsListeningPort(pid: number, port: number, procRoot = '/proc'): boolean {
  const listening = listeningInodes(pid, port, procRoot);
  if (listening.size === 0) return false;
  for (const inode of socketInodes(pid, procRoot)) if (listening.has(inode)) return true;
  return false;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `pid` listens on `port` itself; false after `timeoutMs`. */
export async function waitForOwnListener(pid: number, port: number, timeoutMs = 3000, procRoot = '/proc'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ownsListeningPort(pid, port, procRoot)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

/**
 * Which of these processes owns the LISTEN socket on `port` (in this network namespace). Reads the fds of the
 * candidates only, newest first (an attach target is usually recent), and stops at the first owner.
 */
export function listeningPortOwner(
  port: number,
  candidates: readonly { pid: number; startTime: number }[],
  procRoot = '/proc',
): number | undefined {
  const listening = listeningInodes(process.pid, port, procRoot);
  if (listening.size === 0) return undefined;
  for (const c of [...candidates].sort((a, b) => b.startTime - a.startTime)) {
    for (const inode of socketInodes(c.pid, procRoot)) if (listening.has(inode)) return c.pid;
  }
  return undefined;
}
