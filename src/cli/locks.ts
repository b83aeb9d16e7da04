// procscope locks [--json] [--proc-root DIR]: file locks with holders and waiters, the wait-for graph, cycles.
import { visible } from '../shared/visible';
import type { IpcMap, LockChannel } from '../core/ipc/model';
import { processLabel } from '../core/ipc/query';
import { scanIpc } from '../core/ipc/scan';
import { parseCliArgs, reportError } from './common';
import { endpointText } from './ipc';
import { EXIT, type CliCommand } from './io';

const USAGE = `usage: procscope locks [--json] [--proc-root DIR]

File locks from /proc/locks (FLOCK, POSIX, OFD, leases) with their holders and waiters, who waits for
whom, and deadlock cycles. --json prints {"locks": [...], "waitFor": [...], "deadlocks": [...]}.
`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, USAGE);
  if (!parsed) return args.includes('--help') || args.includes('-h') ? EXIT.ok : EXIT.usage;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  try {
    // Sockets are not needed here: skip ss and the shared-mapping read.
    const map = await scanIpc({ procRoot: v['proc-root'] ?? '/proc', useSs: false, maps: 'never' });
    const locks = map.channels.filter((c): c is LockChannel => c.kind === 'lock');
    io.out(v.json ? `${JSON.stringify({ locks, waitFor: map.waitFor, deadlocks: map.deadlocks }, null, 2)}\n` : renderLocks(map, locks));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

export function renderLocks(map: IpcMap, locks: readonly LockChannel[]): string {
  const lines: string[] = [];
  lines.push(`${'CLASS'.padEnd(7)} ${'ACCESS'.padEnd(6)} ${'RANGE'.padEnd(13)} FILE`);
  for (const l of locks) {
    const range = `${l.start}-${l.end ?? 'EOF'}`;
    lines.push(`${l.lockClass.padEnd(7)} ${l.access.padEnd(6)} ${range.padEnd(13)} ${visible(l.path ?? `${l.device}:${l.fileInode} (path not found)`)}`);
    for (const e of l.endpoints) lines.push(`${''.padEnd(29)}${e.role === 'waiter' ? 'waiting: ' : 'held by: '}${endpointText(e)}`);
  }
  if (locks.length === 0) lines.push('(no file locks)');
  if (map.waitFor.length > 0) {
    lines.push('', 'wait-for:');
    for (const e of map.waitFor) lines.push(`  ${visible(processLabel(map, e.waiter))} waits for ${visible(processLabel(map, e.holder))}`);
  }
  lines.push('', map.deadlocks.length === 0 ? 'no deadlock cycles' : 'DEADLOCK cycles:');
  for (const d of map.deadlocks) {
    lines.push(`  ${d.pids.map((p) => visible(processLabel(map, p))).join(' -> ')} -> ${visible(processLabel(map, d.pids[0]!))}  files: ${d.files.map(visible).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
