// procscope ipc [--json] [--pid PID] [--kind KINDS] [--all-kinds] [--sysv] [--no-ss] [--maps ...] [--proc-root DIR]
// procscope ipcs [--json] [--proc-root DIR]
import { existsSync } from 'node:fs';
import { classify, ProcScopeError } from '../core/errors';
import {
  CHANNEL_KINDS,
  type Channel,
  type ChannelKind,
  type Endpoint,
  type IpcMap,
  type SysvMsgChannel,
  type SysvSemChannel,
  type SysvShmChannel,
} from '../core/ipc/model';
import { narrowToPid, processLabel } from '../core/ipc/query';
import { scanIpc } from '../core/ipc/scan';
import { readProcText } from '../core/procfs/fd';
import { parseStatus } from '../core/procfs/status';
import { UserNames } from '../core/users';
import { channelLabel, inetStateText, ipcWarningText } from '../shared/channelText';
import { visible } from '../shared/visible';
import { checkProcRoot, hidingNotes, displayWidth, padColumns, parseCliArgs, reportError, requireProcess, usageError } from './common';
import { EXIT, type CliCommand, type CliIo } from './io';
import { currentLang, t, tDynamic } from './messages';
import { maxOf } from '../shared/arrays';

/**
 * Kinds that are usually one process's own business (an epoll set, a timer, an anonymous memory file). A
 * channel of these kinds is IPC only when a second process holds it too (an eventfd or memfd inherited or
 * passed over a socket): those are shown; the rest only with --all-kinds or when named with --kind.
 */
export const SOLO_KINDS: ReadonlySet<ChannelKind> = new Set(['epoll', 'eventfd', 'memfd', 'signalfd', 'timerfd', 'inotify']);

export function isSoloChannel(c: Channel): boolean {
  return SOLO_KINDS.has(c.kind) && new Set(c.endpoints.map((e) => e.pid)).size <= 1;
}

/** `pipe,unix,tcp` -> the kinds, or the first word that is not one. */
export function parseKinds(text: string): { kinds: Set<ChannelKind> } | { bad: string } {
  const kinds = new Set<ChannelKind>();
  for (const word of text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)) {
    if (!(CHANNEL_KINDS as readonly string[]).includes(word)) return { bad: word };
    kinds.add(word as ChannelKind);
  }
  return { kinds };
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    {
      json: { type: 'boolean' },
      pid: { type: 'string' },
      kind: { type: 'string' },
      'all-kinds': { type: 'boolean' },
      sysv: { type: 'boolean' },
      'no-ss': { type: 'boolean' },
      maps: { type: 'string' },
      'proc-root': { type: 'string' },
    },
    io,
    'ipc',
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as {
    json?: boolean;
    pid?: string;
    kind?: string;
    'all-kinds'?: boolean;
    sysv?: boolean;
    'no-ss'?: boolean;
    maps?: string;
    'proc-root'?: string;
  };
  if (v.sysv) {
    // The SysV table lists every object of the machine: a narrowing it cannot apply is refused, not ignored.
    const unused = (['pid', 'kind', 'all-kinds', 'no-ss', 'maps'] as const).find((o) => v[o] !== undefined);
    if (unused !== undefined) return usageError(io, 'ipc', t('error.sysvWith', { option: `--${unused}` }));
    return ipcsTable(io, v.json === true, v['proc-root']);
  }
  const maps = v.maps ?? 'auto';
  if (maps !== 'auto' && maps !== 'always' && maps !== 'never') return usageError(io, 'ipc', t('error.badMaps'));
  let kinds: Set<ChannelKind> | undefined;
  if (v.kind !== undefined) {
    const k = parseKinds(v.kind);
    if ('bad' in k) return usageError(io, 'ipc', t('error.badKind', { kind: visible(k.bad), kinds: CHANNEL_KINDS.join(',') }));
    // `--kind ''` or `--kind ,` names no kind: an empty filter would print nothing and look like a machine without IPC.
    if (k.kinds.size === 0) return usageError(io, 'ipc', t('error.noKind', { kinds: CHANNEL_KINDS.join(',') }));
    kinds = k.kinds;
  }
  try {
    const procRoot = v['proc-root'] ?? '/proc';
    if (v['proc-root'] !== undefined) checkProcRoot(procRoot);
    else if (!existsSync(`${procRoot}/self`)) throw new ProcScopeError('NO_PROCFS', t('error.noProcfs', { what: 'procscope ipc' }));
    const pid = v.pid === undefined ? undefined : parsePid(v.pid, procRoot);
    // One-shot: read everything the panel skips for speed (epoll/timerfd/... detail, fresh maps).
    let map = await scanIpc({ procRoot, useSs: !v['no-ss'], maps, anonInfo: true, mapsMaxAgeMs: 0, ssMaxAgeMs: 0 });
    if (pid !== undefined) map = narrowToPid(map, pid);
    const shown = map.channels.filter((c) => (kinds ? kinds.has(c.kind) : v['all-kinds'] || !isSoloChannel(c)));
    const hidden = kinds ? 0 : map.channels.length - shown.length;
    map = { ...map, channels: shown };
    io.out(v.json ? `${JSON.stringify(toJson(map), null, 2)}\n` : renderIpc(map, hidden));
    for (const note of hidingNotes(procRoot)) io.err(`procscope: ${note}\n`);
    if (pid !== undefined && map.unavailablePids.includes(pid)) {
      // What others hold towards it was still shown; its own fds were not.
      io.err(`procscope: ${t('error.fdsDenied', { pid })}\n`);
      return EXIT.permissionDenied;
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

export const runIpcs: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, 'ipcs');
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  return ipcsTable(io, v.json === true, v['proc-root']);
};

export function parsePid(text: string, procRoot: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new ProcScopeError('BAD_REQUEST', t('error.badPid', { value: visible(text) }));
  const pid = Number(text);
  requireProcess(procRoot, pid);
  refuseThreadId(procRoot, pid, 'error.threadPid');
  return pid;
}

/**
 * The process a task id belongs to (Tgid of its status); undefined when that cannot be read (gone, refused,
 * another procfs without the line). /proc/TID answers for every thread though readdir lists only processes.
 */
export function threadGroupOf(procRoot: string, pid: number): number | undefined {
  try {
    return parseStatus(readProcText(`${procRoot}/${pid}/status`))?.tgid ?? undefined;
  } catch (error) {
    // Unreadable here: whoever reads the process next reports why, in its own words.
    classify(error);
    return undefined;
  }
}

/**
 * A thread id given where a process id is meant is refused as `show` refuses it (exit 3, naming the
 * process): taken as is it would list the process's threads under the thread's id, or find no channels.
 */
export function refuseThreadId(procRoot: string, pid: number, key: 'error.threadPid' | 'error.threadShow'): void {
  const tgid = threadGroupOf(procRoot, pid);
  if (tgid !== undefined && tgid !== pid) throw new ProcScopeError('NO_SUCH_PROCESS', t(key, { tid: pid, pid: tgid }));
}

export function toJson(map: IpcMap): unknown {
  return {
    timestamp: new Date(map.timestamp).toISOString(),
    netNamespace: map.netNamespace,
    warnings: map.warnings,
    unavailablePids: map.unavailablePids,
    channels: map.channels,
    waitFor: map.waitFor,
    deadlocks: map.deadlocks,
  };
}

export function endpointText(e: Endpoint): string {
  const where = e.fd !== null ? t('ipc.fd', { fd: e.fd }) : e.mapping ? t('ipc.map', { range: e.mapping }) : '-';
  return `${visible(e.processName || '?')}(${e.pid}) ${where} ${tDynamic(`role.${e.role}`) ?? e.role}`;
}

function channelFacts(c: Channel): string {
  switch (c.kind) {
    case 'sysv-shm':
      return t('ipc.facts.shm', { size: c.size, attached: c.attachCount, cpid: c.creatorPid, lpid: c.lastPid });
    case 'sysv-msg':
      return t('ipc.facts.msg', { messages: c.messages, bytes: c.bytes, send: c.lastSendPid || '-', recv: c.lastRecvPid || '-' });
    case 'sysv-sem':
      return t('ipc.facts.sem', { nsems: c.nsems });
    // English shows the kernel's state names (LISTEN, ESTABLISHED) as ss does; other languages say them in words.
    case 'tcp':
    case 'udp':
      return currentLang() === 'en' ? visible(c.state) : inetStateText(c.state, currentLang());
    case 'unix':
      return `${tDynamic(`ipc.unixState.${c.state}`) ?? visible(c.state)}${c.peerKnown ? '' : t('ipc.facts.peerUnknown')}`;
    case 'eventfd':
    case 'signalfd':
    case 'timerfd':
    case 'epoll':
    case 'inotify':
      return visible(c.info ?? '');
    case 'lock':
      return tDynamic(`ipc.lockMode.${c.mode}`) ?? visible(c.mode);
    default:
      return '';
  }
}

/** The scan's notes in the CLI's language (a map without codes, from an older producer, keeps its English). */
export function ipcNotes(map: IpcMap): string[] {
  return map.warningCodes ? map.warningCodes.map((w) => ipcWarningText(w, currentLang())) : map.warnings.map(visible);
}

export function renderIpc(map: IpcMap, hiddenSolo = 0): string {
  const lines: string[] = [];
  const kindWidth = 10;
  lines.push(t('ipc.header', { kind: padColumns(t('ipc.kind'), kindWidth) }));
  for (const c of map.channels) {
    const facts = channelFacts(c);
    lines.push(`${c.kind.padEnd(kindWidth)} ${channelLabel(c, currentLang())}${facts ? `  [${facts}]` : ''}`);
    for (const e of c.endpoints) lines.push(`${''.padEnd(kindWidth)}   ${endpointText(e)}`);
  }
  if (map.channels.length === 0) lines.push(t('ipc.none'));
  for (const d of map.deadlocks) {
    const cycle = `${d.pids.map((p) => visible(processLabel(map, p))).join(' -> ')} -> ${visible(processLabel(map, d.pids[0]!))}`;
    lines.push(t('ipc.deadlock', { cycle, files: d.files.map(visible).join(', ') }));
  }
  for (const text of ipcNotes(map)) lines.push(t('ipc.note', { text }));
  if (hiddenSolo > 0) lines.push(t('ipc.hiddenKinds', { count: hiddenSolo }));
  lines.push(t('ipc.summary', { channels: map.channels.length, deadlocks: map.deadlocks.length, ms: map.durationMs }));
  return `${lines.join('\n')}\n`;
}

// ---- ipcs ----

export interface IpcsRow {
  readonly kind: 'sysv-shm' | 'sysv-msg' | 'sysv-sem';
  readonly key: string;
  readonly id: number;
  readonly owner: string;
  readonly uid: number;
  readonly perms: string;
  /** shm: segment bytes; msg: bytes queued; sem: number of semaphores. */
  readonly size: number;
  /** shm: attach count; msg: messages queued; sem: null. */
  readonly count: number | null;
  readonly markedForRemoval: boolean;
  readonly users: readonly { pid: number; name: string; role: string }[];
}

type SysvChannel = SysvShmChannel | SysvMsgChannel | SysvSemChannel;

export function ipcsRows(map: IpcMap, users: UserNames = new UserNames()): IpcsRow[] {
  const rows: IpcsRow[] = [];
  for (const c of map.channels) {
    if (c.kind !== 'sysv-shm' && c.kind !== 'sysv-msg' && c.kind !== 'sysv-sem') continue;
    const s = c as SysvChannel;
    const id = s.kind === 'sysv-shm' ? s.shmid : s.kind === 'sysv-msg' ? s.msqid : s.semid;
    rows.push({
      kind: s.kind,
      key: s.key,
      id,
      owner: users.name(s.uid),
      uid: s.uid,
      perms: s.perms,
      size: s.kind === 'sysv-shm' ? s.size : s.kind === 'sysv-msg' ? s.bytes : s.nsems,
      count: s.kind === 'sysv-shm' ? s.attachCount : s.kind === 'sysv-msg' ? s.messages : null,
      markedForRemoval: s.kind === 'sysv-shm' && s.markedForRemoval,
      users: s.endpoints.map((e) => ({ pid: e.pid, name: e.processName, role: e.role })),
    });
  }
  return rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.id - b.id);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) =>
    maxOf(
      rows.map((r) => displayWidth(r[i]!)),
      displayWidth(h),
    ),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padColumns(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function renderIpcs(rows: readonly IpcsRow[]): string {
  const out: string[] = [];
  const usersText = (r: IpcsRow): string =>
    r.users.length === 0
      ? r.kind === 'sysv-sem'
        ? t('ipcs.usersUnknown')
        : '-'
      : r.users.map((u) => `${visible(u.name || '?')}(${u.pid}) ${tDynamic(`role.${u.role}`) ?? u.role}`).join(', ');
  const sections: [IpcsRow['kind'], 'ipcs.title.shm' | 'ipcs.title.msg' | 'ipcs.title.sem', string[]][] = [
    ['sysv-shm', 'ipcs.title.shm', [t('ipcs.head.size'), t('ipcs.head.nattch')]],
    ['sysv-msg', 'ipcs.title.msg', [t('ipcs.head.size'), t('ipcs.head.messages')]],
    ['sysv-sem', 'ipcs.title.sem', [t('ipcs.head.nsems')]],
  ];
  for (const [kind, title, extra] of sections) {
    if (out.length > 0) out.push('');
    out.push(t(title));
    const mine = rows.filter((r) => r.kind === kind);
    if (mine.length === 0) {
      out.push(t('ipcs.none'));
      continue;
    }
    const header = [t('ipcs.head.key'), t('ipcs.head.id'), t('ipcs.head.owner'), t('ipcs.head.perms'), ...extra, t('ipcs.head.users')];
    out.push(
      ...table(
        header,
        mine.map((r) => [
          r.key,
          String(r.id),
          visible(r.owner),
          r.perms,
          ...(kind === 'sysv-sem' ? [String(r.size)] : [String(r.size), `${r.count}${r.markedForRemoval ? ` ${t('ipcs.dest')}` : ''}`]),
          usersText(r),
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

async function ipcsTable(io: CliIo, json: boolean, procRootOption: string | undefined): Promise<number> {
  try {
    const procRoot = procRootOption ?? '/proc';
    if (procRootOption !== undefined) checkProcRoot(procRoot);
    else if (!existsSync(`${procRoot}/self`)) throw new ProcScopeError('NO_PROCFS', t('error.noProcfs', { what: 'procscope ipcs' }));
    // SysV objects and their users come from /proc/sysvipc and the maps of attached processes; no sockets.
    const map = await scanIpc({ procRoot, useSs: false, maps: 'always', mapsMaxAgeMs: 0 });
    const rows = ipcsRows(map);
    io.out(json ? `${JSON.stringify(rows, null, 2)}\n` : renderIpcs(rows));
    for (const note of hidingNotes(procRoot)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
