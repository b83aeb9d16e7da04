// procscope ipc [--json] [--pid PID] [--no-ss] [--maps auto|always|never] [--proc-root DIR]
import { visible } from '../shared/visible';
import { existsSync } from 'node:fs';
import { ProcScopeError } from '../core/errors';
import type { Channel, Endpoint, IpcMap } from '../core/ipc/model';
import { narrowToPid, processLabel } from '../core/ipc/query';
import { scanIpc } from '../core/ipc/scan';
import { parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';

const USAGE = `usage: procscope ipc [--json] [--pid PID] [--no-ss] [--maps auto|always|never] [--proc-root DIR]

Every IPC channel between processes: pipes, FIFOs, unix/TCP/UDP sockets, POSIX and SysV shared memory,
message queues and semaphores, memfd, eventfd/signalfd/timerfd/epoll/inotify, file locks, and lock
deadlock cycles. --json prints {"channels": [...], "deadlocks": [...], ...}; --pid narrows to the channels
of one process (with their other ends).
`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, {
    json: { type: 'boolean' },
    pid: { type: 'string' },
    'no-ss': { type: 'boolean' },
    maps: { type: 'string' },
    'proc-root': { type: 'string' },
  }, io, USAGE);
  if (!parsed) return args.includes('--help') || args.includes('-h') ? EXIT.ok : EXIT.usage;
  const v = parsed.values as { json?: boolean; pid?: string; 'no-ss'?: boolean; maps?: string; 'proc-root'?: string };
  const maps = v.maps ?? 'auto';
  if (maps !== 'auto' && maps !== 'always' && maps !== 'never') {
    io.err('procscope: --maps must be auto, always or never\n');
    return EXIT.usage;
  }
  try {
    const procRoot = v['proc-root'] ?? '/proc';
    const pid = v.pid === undefined ? undefined : parsePid(v.pid, procRoot);
    if (!existsSync(`${procRoot}/self`) && !v['proc-root']) throw new ProcScopeError('NO_PROCFS', 'this platform has no /proc: the IPC map needs Linux');
    // One-shot: read everything the panel skips for speed (epoll/timerfd/... detail, fresh maps).
    let map = await scanIpc({ procRoot, useSs: !v['no-ss'], maps, anonInfo: true, mapsMaxAgeMs: 0, ssMaxAgeMs: 0 });
    if (pid !== undefined) map = narrowToPid(map, pid);
    io.out(v.json ? `${JSON.stringify(toJson(map), null, 2)}\n` : renderIpc(map));
    if (pid !== undefined && map.unavailablePids.includes(pid)) {
      // What others hold towards it was still shown; its own fds were not.
      io.err(`procscope: permission denied: the fds of process ${pid} could not be read\n`);
      return EXIT.permissionDenied;
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

export function parsePid(text: string, procRoot: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new ProcScopeError('BAD_REQUEST', `--pid must be a positive integer, got '${visible(text)}'`);
  const pid = Number(text);
  if (!existsSync(`${procRoot}/${pid}`)) throw new ProcScopeError('NO_SUCH_PROCESS', `no process ${pid}`);
  return pid;
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
  const where = e.fd !== null ? `fd ${e.fd}` : e.mapping ? `map ${e.mapping}` : '-';
  return `${visible(e.processName || '?')}(${e.pid}) ${where} ${e.role}`;
}

function channelFacts(c: Channel): string {
  switch (c.kind) {
    case 'sysv-shm': return `size ${c.size}, nattch ${c.attachCount}, cpid ${c.creatorPid}, lpid ${c.lastPid}`;
    case 'sysv-msg': return `${c.messages} msg, ${c.bytes} B, last send ${c.lastSendPid || '-'}, last recv ${c.lastRecvPid || '-'}`;
    case 'sysv-sem': return `${c.nsems} semaphores (users not visible in /proc)`;
    case 'tcp': case 'udp': return c.state;
    case 'unix': return `${c.state}${c.peerKnown ? '' : ', peer unknown'}`;
    case 'eventfd': case 'signalfd': case 'timerfd': case 'epoll': case 'inotify': return c.info ?? '';
    case 'lock': return `${c.mode}`;
    default: return '';
  }
}

export function renderIpc(map: IpcMap): string {
  const lines: string[] = [];
  const kindWidth = 10;
  lines.push(`${'KIND'.padEnd(kindWidth)} CHANNEL / ENDPOINTS`);
  for (const c of map.channels) {
    const facts = channelFacts(c);
    lines.push(`${c.kind.padEnd(kindWidth)} ${visible(c.label)}${facts ? `  [${facts}]` : ''}`);
    for (const e of c.endpoints) lines.push(`${''.padEnd(kindWidth)}   ${endpointText(e)}`);
  }
  if (map.channels.length === 0) lines.push('(no channels)');
  for (const d of map.deadlocks) {
    lines.push(`DEADLOCK: ${d.pids.map((p) => visible(processLabel(map, p))).join(' -> ')} -> ${visible(processLabel(map, d.pids[0]!))} on ${d.files.map(visible).join(', ')}`);
  }
  for (const w of map.warnings) lines.push(`note: ${w}`);
  lines.push(`${map.channels.length} channel(s), ${map.deadlocks.length} deadlock(s); scan ${map.durationMs} ms`);
  return `${lines.join('\n')}\n`;
}
