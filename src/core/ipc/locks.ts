// File locks: /proc/locks rows joined with the fds of locked files (for the path and for the holders the
// table does not name), waiters matched to the fd they block on, and the wait-for edges the deadlock
// search needs. Read before the fd walk (lockedKeys), because the walk stats regular files only to find
// the locked ones.
import { classify } from '../errors';
import { readProcText } from '../procfs/fd';
import type { Channel, Endpoint, IpcWarning, LockChannel } from './model';
import { parseLocks, type LockRow } from './parsers';
import type { WaitEdgeInput } from './deadlock';
import { endpointOf, pushList, readOptional, sortEndpoints, type Holder } from './holders';

/** The lock table, and the dev:inode of every locked file (null when there are none: the walk stats nothing). */
export function readLocks(procRoot: string, warnings: IpcWarning[]): { rows: LockRow[]; lockedKeys: Set<string> | null } {
  const rows = parseLocks(readOptional(`${procRoot}/locks`, warnings) ?? '');
  return { rows, lockedKeys: rows.length > 0 ? new Set(rows.map((r) => `${r.device}:${r.inode}`)) : null };
}

export function buildLockChannels(
  procRoot: string,
  rows: LockRow[],
  filesByDevIno: Map<string, Holder[]>,
  channels: Channel[],
  waitEdges: WaitEdgeInput[],
): void {
  // fdinfo `lock:` lines name the open file descriptions that own each lock (needed for OFD locks, pid -1,
  // and for flock locks inherited across fork); read them only for fds of locked files.
  const fdLocks = new Map<string, { holder: Holder; lines: string[] }[]>();
  const lockedFiles = new Set(rows.map((r) => `${r.device}:${r.inode}`));
  for (const key of lockedFiles) {
    for (const h of filesByDevIno.get(key) ?? []) {
      let lines: string[];
      try {
        lines = readProcText(`${procRoot}/${h.proc.pid}/fdinfo/${h.fd.fd}`)
          .split('\n')
          .filter((l) => l.startsWith('lock:'));
      } catch (error) {
        classify(error); // this holder's fd is not matched to the lock; the lock itself is still shown
        continue;
      }
      if (lines.length > 0) pushList(fdLocks, key, { holder: h, lines });
    }
  }

  let current: { channel: { endpoints: Endpoint[] }; id: string; holders: number[] } | undefined;
  const stack: { id: string; holders: number[] }[] = [];
  const built: { row: LockRow; endpoints: Endpoint[]; id: string; path: string | null }[] = [];
  const usedIds = new Set<string>();
  for (const row of rows) {
    const fileKey = `${row.device}:${row.inode}`;
    const files = filesByDevIno.get(fileKey) ?? [];
    // A holder whose link could not be read (a path past PATH_MAX) has target '': name the file by another.
    const pathOf = files.find((h) => h.fd.target !== '')?.fd.target.replace(/ \(deleted\)$/, '') ?? null;
    const fdOf = (pid: number): number | null => files.find((h) => h.proc.pid === pid)?.fd.fd ?? null;
    if (row.depth === 0) {
      const endpoints: Endpoint[] = [];
      const holders = new Set<number>();
      if (row.pid > 0) {
        holders.add(row.pid);
        endpoints.push(endpointOf(row.pid, fdOf(row.pid), 'holder'));
      }
      if (row.lockClass !== 'POSIX') {
        for (const { holder, lines } of fdLocks.get(fileKey) ?? []) {
          if (!lines.some((l) => matchesFdLock(l, row))) continue;
          if (holders.has(holder.proc.pid)) continue;
          holders.add(holder.proc.pid);
          endpoints.push(endpointOf(holder.proc.pid, holder.fd.fd, 'holder'));
        }
      }
      const end = row.end === null ? 'EOF' : String(row.end);
      const owner = row.pid > 0 ? row.pid : ([...holders][0] ?? 'ofd');
      const baseId = `lock:${fileKey}:${row.lockClass}:${row.start}-${end}:${owner}`;
      // Two locks can look alike (shared OFD read locks whose owners were not found): keep ids unique.
      let id = baseId;
      for (let n = 2; usedIds.has(id); n++) id = `${baseId}#${n}`;
      usedIds.add(id);
      const entry = { row, endpoints, id, path: pathOf };
      built.push(entry);
      current = { channel: entry, id, holders: [...holders] };
      stack.length = 0;
      stack.push({ id, holders: [...holders] });
    } else if (current) {
      // An OFD waiter shows pid -1: find it among the processes with the file open, blocked in
      // fcntl(fd, F_OFD_SETLKW) on that very fd (from /proc/PID/syscall).
      const waiters: { pid: number; fd: number | null }[] =
        row.pid > 0
          ? [{ pid: row.pid, fd: blockedFd(procRoot, row.pid)?.fd ?? fdOf(row.pid) }]
          : files
              .filter((h) => {
                const b = blockedFd(procRoot, h.proc.pid);
                return b !== null && b.fd === h.fd.fd && b.cmd === F_OFD_SETLKW;
              })
              .map((h) => ({ pid: h.proc.pid, fd: h.fd.fd }));
      const blocker = stack[Math.min(row.depth - 1, stack.length - 1)]!;
      for (const w of waiters) {
        if (current.channel.endpoints.some((e) => e.pid === w.pid && e.fd === w.fd && e.role === 'waiter')) continue;
        current.channel.endpoints.push(endpointOf(w.pid, w.fd, 'waiter'));
        // A waiter at depth d blocks on the entry at depth d-1 above it.
        for (const holder of blocker.holders) if (holder !== w.pid) waitEdges.push({ waiter: w.pid, holder, channelId: blocker.id });
      }
      stack.length = row.depth;
      stack.push({ id: blocker.id, holders: waiters.map((w) => w.pid) });
    }
  }
  for (const { row, endpoints, id, path } of built) {
    const c: LockChannel = {
      kind: 'lock',
      id,
      label: `${row.lockClass} ${row.access} lock on ${path ?? `${row.device}:${row.inode}`}${row.start !== 0 || row.end !== null ? ` [${row.start}-${row.end ?? 'EOF'}]` : ''}`,
      lockClass: row.lockClass,
      mode: row.mode,
      access: row.access,
      start: row.start,
      end: row.end,
      device: row.device,
      fileInode: row.inode,
      path,
      endpoints: sortEndpoints(endpoints),
    };
    channels.push(c);
  }
}

/** fdinfo `lock:\t1: FLOCK  ADVISORY  WRITE 1234 fe:00:2147111 0 EOF` against a /proc/locks row. */
function matchesFdLock(line: string, row: LockRow): boolean {
  const parsed = parseLocks(line.slice(5).trim())[0];
  return (
    parsed !== undefined &&
    parsed.depth === 0 &&
    parsed.lockClass === row.lockClass &&
    parsed.access === row.access &&
    parsed.start === row.start &&
    parsed.end === row.end &&
    parsed.inode === row.inode &&
    parsed.device === row.device
  );
}

/** flock(2) and fcntl(2) syscall numbers: a waiter blocked in one of them names its fd as the first argument. */
const LOCK_SYSCALLS: Partial<Record<string, readonly number[]>> = { x64: [72, 73], arm64: [25, 32] };

/** fcntl command for an OFD lock wait (include/uapi/asm-generic/fcntl.h). */
const F_OFD_SETLKW = 38;

/** The fd (and command) a lock waiter is blocked on, from /proc/PID/syscall (`73 0x6 0x2 ...`); null when unknown. */
function blockedFd(procRoot: string, pid: number): { fd: number; cmd: number } | null {
  const numbers = LOCK_SYSCALLS[process.arch];
  if (!numbers) return null;
  let text: string;
  try {
    text = readProcText(`${procRoot}/${pid}/syscall`);
  } catch (error) {
    classify(error);
    return null;
  }
  const f = text.trim().split(' ');
  if (!numbers.includes(Number(f[0])) || f[1] === undefined) return null;
  const fd = parseInt(f[1], 16);
  const cmd = f[2] === undefined ? -1 : parseInt(f[2], 16);
  return Number.isSafeInteger(fd) && fd >= 0 ? { fd, cmd } : null;
}
