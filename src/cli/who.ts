// procscope who <target> [--json] [--proc-root DIR]: which processes use a file, port, lock or shared memory.
// Exit 0 when some process uses it, 1 when none does (as fuser and lsof: `if procscope who :8080; then`).
import { existsSync } from 'node:fs';
import { ProcScopeError } from '../core/errors';
import { parseWhoTarget, who, WhoTargetError, type WhoObject, type WhoProcess, type WhoResult, type WhoUse } from '../core/who';
import { visible } from '../shared/visible';
import { checkProcRoot, hidingNotes, displayWidth, padColumns, parseCliArgs, reportError, usageError } from './common';
import { EXIT, type CliCommand } from './io';
import { errnoText, t, type MessageKey } from './messages';
import { maxOf } from '../shared/arrays';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, 'who', true);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  const [text, extra] = parsed.positionals;
  if (text === undefined) return usageError(io, 'who', t('error.whoMissing'));
  if (extra !== undefined) return usageError(io, 'who', t('error.unexpectedArgument', { arg: visible(extra) }));
  const target = parseWhoTarget(text);
  if ('problem' in target) return usageError(io, 'who', t(`error.who.${target.problem}` as MessageKey, { target: visible(text) }));
  try {
    const procRoot = v['proc-root'] ?? '/proc';
    if (v['proc-root'] !== undefined) checkProcRoot(procRoot);
    else if (!existsSync(`${procRoot}/self`)) throw new ProcScopeError('NO_PROCFS', t('error.noProcfs', { what: 'who' }));
    const result = await who(target, { procRoot, exclude: v['proc-root'] === undefined ? process.pid : undefined });
    io.out(v.json ? `${JSON.stringify(result, null, 2)}\n` : renderWho(result));
    for (const note of hidingNotes(procRoot)) io.err(`procscope: ${note}\n`);
    if (result.unavailable.length > 0) {
      const reasons = [...new Set(result.unavailable.map((u) => u.reason))].map(visible).join(', ');
      io.err(`procscope: ${t('who.unreadable', { count: result.unavailable.length, reasons })}\n`);
    }
    return result.processes.length > 0 ? EXIT.ok : EXIT.failure;
  } catch (error) {
    if (error instanceof WhoTargetError) {
      io.err(
        `procscope: ${t(`error.whoTarget.${error.problem}` as MessageKey, { target: visible(error.subject), reason: visible(errnoText(error.reason)) })}\n`,
      );
      return EXIT.failure;
    }
    return reportError(error, io);
  }
};

/** A host as it goes before `:PORT`: an IPv6 address in brackets (`[::1]:8080`), as it was asked and as ss prints it. */
function hostText(host: string): string {
  return host.includes(':') ? `[${visible(host)}]` : visible(host);
}

function objectText(o: WhoObject): string {
  switch (o.kind) {
    case 'file':
      return t(o.locksOnly ? 'who.object.lock' : 'who.object.file', { path: visible(o.path), device: o.device, inode: o.inode });
    case 'port':
      return o.host === null
        ? t('who.object.port', { port: o.port })
        : t('who.object.hostPort', { host: hostText(o.host), port: o.port, addresses: (o.addresses ?? []).join(', ') });
    case 'sysv-shm':
      return t('who.object.shm', {
        shmid: o.shmid,
        key: o.key,
        size: o.size,
        attached: o.attachCount,
        cpid: o.creatorPid,
        lpid: o.lastPid,
      });
  }
}

const MODE: Record<string, string> = { read: 'r', write: 'w', readwrite: 'rw' };

function lockRange(u: { start: number; end: number | null }): string {
  return u.start === 0 && u.end === null ? '' : t('who.range', { start: u.start, end: u.end ?? 'EOF' });
}

/** One process's uses as one line: fds, then mappings summed up, then the rest in the order found. */
export function usesText(uses: readonly WhoUse[]): string {
  const parts: string[] = [];
  const maps = uses.filter((u): u is Extract<WhoUse, { how: 'mmap' }> => u.how === 'mmap');
  for (const u of uses) {
    switch (u.how) {
      case 'fd':
        parts.push(t('who.use.fd', { fd: u.fd, mode: u.mode ? MODE[u.mode]! : '?' }));
        break;
      case 'mmap':
        if (u === maps[0]) {
          parts.push(
            maps.length === 1
              ? t('who.use.mmap', { range: u.range, perms: u.perms })
              : t('who.use.mmaps', { count: maps.length, perms: [...new Set(maps.map((m) => m.perms))].join(' ') }),
          );
        }
        break;
      case 'cwd':
      case 'root':
      case 'exe':
        parts.push(t(`who.use.${u.how}`));
        break;
      case 'listen':
      case 'bound':
        parts.push(t(`who.use.${u.how}`, { protocol: u.protocol.toUpperCase(), local: visible(u.local), fd: u.fd }));
        break;
      case 'connected':
        if (u.remote === null) {
          parts.push(t('who.use.connection', { protocol: u.protocol.toUpperCase(), local: visible(u.local), fd: u.fd }));
          break;
        }
        parts.push(
          t('who.use.connected', {
            protocol: u.protocol.toUpperCase(),
            local: visible(u.local),
            remote: visible(u.remote),
            state: visible(u.state),
            fd: u.fd,
          }),
        );
        break;
      case 'lock-holder':
        parts.push(
          t(u.fd === null ? 'who.use.holds' : 'who.use.holdsFd', {
            lockClass: u.lockClass,
            access: u.access,
            range: lockRange(u),
            fd: u.fd ?? '',
          }),
        );
        break;
      case 'lock-waiter':
        parts.push(
          u.blockedBy
            ? t('who.use.waits', { lockClass: u.lockClass, access: u.access, range: lockRange(u), pid: u.blockedBy })
            : t('who.use.waitsUnknown', { lockClass: u.lockClass, access: u.access, range: lockRange(u) }),
        );
        break;
    }
  }
  return parts.join(', ');
}

export function renderWho(result: WhoResult): string {
  const lines = [objectText(result.object)];
  if (result.processes.length === 0) {
    lines.push(t('who.nobody'));
    return `${lines.join('\n')}\n`;
  }
  const rows = result.processes.map((p: WhoProcess) => [String(p.pid), visible(p.user ?? '?'), visible(p.name || '?'), usesText(p.uses)]);
  const header = ['PID', t('who.head.user'), t('who.head.name'), t('who.head.how')];
  const widths = header.map((h, i) =>
    maxOf(
      rows.map((r) => displayWidth(r[i]!)),
      displayWidth(h),
    ),
  );
  for (const r of [header, ...rows]) {
    lines.push(
      r
        .map((c, i) => (i === 0 ? c.padStart(widths[0]!) : i === r.length - 1 ? c : padColumns(c, widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}
