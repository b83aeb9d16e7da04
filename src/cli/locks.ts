// procscope locks [--json] [--proc-root DIR]: file locks with holders and waiters, the wait-for graph, cycles.
import { lockAccessText } from '../shared/channelText';
import { visible } from '../shared/visible';
import type { IpcMap, LockChannel } from '../core/ipc/model';
import { processLabel } from '../core/ipc/query';
import { scanIpc } from '../core/ipc/scan';
import { checkProcRoot, hidingNotes, padColumns, parseCliArgs, reportError } from './common';
import { endpointText } from './ipc';
import { EXIT, type CliCommand } from './io';
import { currentLang, t } from './messages';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, 'locks');
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  try {
    if (v['proc-root'] !== undefined) checkProcRoot(v['proc-root']);
    // Sockets are not needed here: skip ss and the shared-mapping read.
    const procRoot = v['proc-root'] ?? '/proc';
    const map = await scanIpc({ procRoot, useSs: false, maps: 'never' });
    const locks = map.channels.filter((c): c is LockChannel => c.kind === 'lock');
    io.out(v.json ? `${JSON.stringify({ locks, waitFor: map.waitFor, deadlocks: map.deadlocks }, null, 2)}\n` : renderLocks(map, locks));
    for (const note of hidingNotes(procRoot)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

export function renderLocks(map: IpcMap, locks: readonly LockChannel[]): string {
  const lines: string[] = [];
  lines.push(
    t('locks.header', {
      cls: padColumns(t('locks.class'), 7),
      access: padColumns(t('locks.access'), 6),
      range: padColumns(t('locks.range'), 13),
    }),
  );
  for (const l of locks) {
    const range = `${l.start}-${l.end ?? 'EOF'}`;
    const path =
      l.path !== null && l.path !== undefined ? visible(l.path) : t('locks.pathNotFound', { device: l.device, inode: l.fileInode });
    lines.push(`${visible(l.lockClass).padEnd(7)} ${padColumns(lockAccessText(l.access, currentLang()), 6)} ${range.padEnd(13)} ${path}`);
    for (const e of l.endpoints)
      lines.push(`${''.padEnd(29)}${e.role === 'waiter' ? t('locks.waiting') : t('locks.heldBy')}${endpointText(e)}`);
  }
  if (locks.length === 0) lines.push(t('locks.none'));
  if (map.waitFor.length > 0) {
    lines.push('', t('locks.waitFor'));
    for (const e of map.waitFor)
      lines.push(t('locks.waits', { waiter: visible(processLabel(map, e.waiter)), holder: visible(processLabel(map, e.holder)) }));
  }
  lines.push('', map.deadlocks.length === 0 ? t('locks.noCycles') : t('locks.cycles'));
  for (const d of map.deadlocks) {
    const cycle = `${d.pids.map((p) => visible(processLabel(map, p))).join(' -> ')} -> ${visible(processLabel(map, d.pids[0]!))}`;
    lines.push(t('locks.cycle', { cycle, files: d.files.map(visible).join(', ') }));
  }
  return `${lines.join('\n')}\n`;
}
