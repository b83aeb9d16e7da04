// procscope show PID [--json] [--env] [--proc-root DIR]: the PCB detail of one process.
import { readProcessDetail, type ProcessDetail, type DecodedSignals } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { CAPABILITY_NAMES } from '../core/procfs/capabilities';
import { REGION_KINDS } from '../core/procfs/maps';
import { visible } from '../shared/visible';
import { EXIT, type CliCommand } from './io';

const USAGE = `usage: procscope show PID [--json] [--env] [--proc-root DIR]

  PID          the process to describe (a positive integer)
  --json       print the detail as JSON (every field; memory regions in full)
  --env        include the environment variables (left out by default: they can hold secrets)
  --proc-root  read another procfs mount or a copied tree (default /proc)

Exit codes: 0 ok, 2 usage, 3 no such process, 4 permission denied, 5 no /proc on this platform.
`;

export const run: CliCommand = async (args, io) => {
  let json = false;
  let includeEnv = false;
  let procRoot: string | undefined;
  let pidText: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--env') includeEnv = true;
    else if (arg === '--proc-root') {
      procRoot = args[++i];
      if (procRoot === undefined) return usageError(io, '--proc-root needs a directory');
    } else if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return EXIT.ok;
    } else if (arg.startsWith('-')) return usageError(io, `unknown option '${arg}'`);
    else if (pidText === undefined) pidText = arg;
    else return usageError(io, `unexpected argument '${arg}'`);
  }
  if (pidText === undefined) return usageError(io, 'missing PID');
  if (!/^[1-9]\d*$/.test(pidText) || !Number.isSafeInteger(Number(pidText))) {
    return usageError(io, `not a process id: '${pidText}' (expected a positive integer)`);
  }

  let detail: ProcessDetail;
  try {
    detail = readProcessDetail(Number(pidText), { ...(procRoot !== undefined ? { procRoot } : {}), includeEnv });
  } catch (error) {
    if (error instanceof ProcScopeError) {
      io.err(`procscope show: ${error.message}\n`);
      return EXIT_FOR[error.code];
    }
    throw error;
  }
  io.out(json ? `${JSON.stringify(detail, null, 2)}\n` : formatDetail(detail));
  return EXIT.ok;
};

const EXIT_FOR: Record<ProcScopeError['code'], number> = {
  NO_SUCH_PROCESS: EXIT.noSuchProcess,
  PERMISSION_DENIED: EXIT.permissionDenied,
  NO_PROCFS: EXIT.noProcfs,
  BAD_REQUEST: EXIT.usage,
};

function usageError(io: { err: (text: string) => void }, message: string): number {
  io.err(`procscope show: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function quoteArg(arg: string): string {
  const v = visible(arg);
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The readable, sectioned text of `procscope show`. */
export function formatDetail(d: ProcessDetail): string {
  const out: string[] = [];
  const why = (field: string): string => `(unavailable: ${d.unavailable[field] ?? 'unknown'})`;
  const row = (label: string, value: string): void => { out.push(`  ${label.padEnd(18)} ${value}`); };
  const section = (title: string): void => { out.push('', title); };
  const orWhy = <T>(value: T | null, field: string, show: (v: T) => string): string => (value === null ? why(field) : show(value));

  out.push(`Process ${d.pid} (${visible(d.name)})  state ${d.state}: ${d.stateMeaning}${d.kernelThread ? '  [kernel thread]' : ''}`);
  row('identity', d.key);
  row('command', orWhy(d.cmdline, 'cmdline', (c) => (c.length === 0 ? '(none)' : c.map(quoteArg).join(' '))));
  row('executable', orWhy(d.exe, 'exe', visible));
  row('working directory', orWhy(d.cwd, 'cwd', visible));
  row('root directory', orWhy(d.root, 'root', visible));
  row('parent', `ppid ${d.ppid}, process group ${d.pgid}, session ${d.sid}`);
  row('terminal', d.tty === null ? 'none' : `${d.tty} (foreground group ${d.tpgid})`);
  row('started', d.startTime === null ? why('startTime') : new Date(d.startTime).toISOString());
  row('traced by', d.tracerPid === null ? 'unknown' : d.tracerPid === 0 ? 'nobody' : `pid ${d.tracerPid}`);
  if (d.umask !== null) row('umask', d.umask);

  section('Credentials');
  if (d.credentials === null) row('ids', why('credentials'));
  else {
    const c = d.credentials;
    const ids = (q: typeof c.uid, n: typeof c.user): string =>
      `real ${q.real} (${n.real})  effective ${q.effective} (${n.effective})  saved ${q.saved} (${n.saved})  filesystem ${q.filesystem} (${n.filesystem})`;
    row('uid', ids(c.uid, c.user));
    row('gid', ids(c.gid, c.group));
    row('groups', c.groups.length === 0 ? '(none)' : c.groups.map((g) => `${g.gid} (${g.name})`).join(', '));
  }
  if (d.capabilities?.effective) {
    const eff = d.capabilities.effective;
    const missing = CAPABILITY_NAMES.filter((n) => !eff.names.includes(n));
    // A root process holds (nearly) every capability: name the few it lacks rather than list forty.
    row('capabilities', eff.names.length === 0 ? 'none'
      : eff.names.length > 20 ? `${eff.names.length} of ${CAPABILITY_NAMES.length}${missing.length ? `, all but ${missing.join(' ')}` : ''} (CapEff ${eff.hex})`
        : eff.names.join(' '));
  }
  if (d.seccomp !== null) row('seccomp', ['disabled', 'strict', 'filter'][d.seccomp] ?? String(d.seccomp));
  if (d.noNewPrivs !== null) row('no_new_privs', d.noNewPrivs ? 'yes' : 'no');

  section('Scheduling');
  const s = d.scheduling;
  row('policy', `${s.policy}  nice ${s.nice}  priority ${s.priority}  real-time priority ${s.rtPriority}`);
  row('threads', String(s.threads));
  row('last CPU', String(s.lastCpu));
  row('CPU affinity', s.cpusAllowedList ?? 'unknown');
  row('context switches', `voluntary ${s.voluntaryCtxtSwitches ?? '?'}  involuntary ${s.nonvoluntaryCtxtSwitches ?? '?'}`);
  row('wait channel', d.wchan ?? `(${d.unavailable.wchan ?? 'unknown'})`);
  row('OOM score', `${d.oomScore ?? why('oomScore')}  (adjustment ${d.oomScoreAdj ?? '?'})`);

  section('Signals');
  if (d.signals === null) row('masks', why('signals'));
  else {
    const names = (set: DecodedSignals | null): string => (set === null ? 'unknown' : set.names.length === 0 ? '(none)' : set.names.join(' '));
    row('pending (thread)', names(d.signals.pending));
    row('pending (shared)', names(d.signals.sharedPending));
    row('blocked', names(d.signals.blocked));
    row('ignored', names(d.signals.ignored));
    row('caught (handler)', names(d.signals.caught));
    if (d.signals.queued !== null) row('queued', `${d.signals.queued} of ${d.signals.queueLimit}`);
  }

  section('Namespaces');
  if (d.namespaces === null) row('ns', why('namespaces'));
  else for (const ns of d.namespaces) row(ns.name, `${ns.type}:[${ns.inode}]`);
  if (d.pidNamespaceIds?.nsPid) row('NSpid', d.pidNamespaceIds.nsPid.join(' '));

  section('Control groups');
  if (d.cgroups === null) row('cgroup', why('cgroups'));
  else for (const g of d.cgroups) row(g.hierarchyId === 0 ? 'v2 (unified)' : g.controllers.join(','), visible(g.path));

  section('Memory');
  if (d.memoryStatus !== null) {
    const m = d.memoryStatus;
    const b = (v: number | null): string => (v === null ? '?' : formatBytes(v));
    row('virtual size', `${b(m.vmSize)} (peak ${b(m.vmPeak)})`);
    row('resident', `${b(m.vmRSS)} = anonymous ${b(m.rssAnon)} + file ${b(m.rssFile)} + shmem ${b(m.rssShmem)}`);
    row('swap', b(m.vmSwap));
  } else row('status', why('memoryStatus'));
  if (d.memoryRollup !== null) {
    const r = d.memoryRollup;
    const b = (v: number | null): string => (v === null ? '?' : formatBytes(v));
    row('RSS / PSS / USS', `${b(r.rss)} / ${b(r.pss)} / ${b(r.uss)}`);
    row('shared', `clean ${b(r.sharedClean)}  dirty ${b(r.sharedDirty)}`);
    row('private', `clean ${b(r.privateClean)}  dirty ${b(r.privateDirty)}`);
    row('swap / swap PSS', `${b(r.swap)} / ${b(r.swapPss)}`);
  } else row('smaps_rollup', why('memoryRollup'));
  if (d.memoryMap !== null) {
    const map = d.memoryMap;
    row('regions', `${map.regions.length}, ${formatBytes(map.totalSize)} of address space`);
    for (const kind of REGION_KINDS) {
      const t = map.byKind[kind];
      if (t.count > 0) row(`  ${kind}`, `${formatBytes(t.size)} in ${t.count} region${t.count === 1 ? '' : 's'}`);
    }
    if (map.libraries.length > 0) {
      row('shared libraries', String(map.libraries.length));
      for (const lib of map.libraries) row('', `${formatBytes(lib.size).padStart(9)}  ${visible(lib.path)}`);
    }
  } else row('maps', why('memoryMap'));

  section(`Open files${d.fds === null ? '' : ` (${d.fds.length})`}`);
  if (d.fds === null) row('fds', why('fds'));
  else for (const f of d.fds) row(String(f.fd), `${f.type.padEnd(10)} ${f.mode ? f.mode.padEnd(9) : ''.padEnd(9)} ${visible(f.target)}`);

  section('Limits (soft / hard)');
  if (d.limits === null) row('limits', why('limits'));
  else for (const l of d.limits) out.push(`  ${l.name.padEnd(24)} ${String(l.soft).padStart(20)} ${String(l.hard).padStart(20)}  ${l.units ?? ''}`.trimEnd());

  section('I/O');
  if (d.io === null) row('io', why('io'));
  else {
    row('read', `${formatBytes(d.io.rchar)} in ${d.io.syscr} calls (${formatBytes(d.io.readBytes)} from storage)`);
    row('written', `${formatBytes(d.io.wchar)} in ${d.io.syscw} calls (${formatBytes(d.io.writeBytes)} to storage, ${formatBytes(d.io.cancelledWriteBytes)} cancelled)`);
  }

  section('Environment');
  if (d.environ === null) row('environ', why('environ'));
  else if (d.environ.length === 0) row('environ', '(empty)');
  else for (const e of d.environ) out.push(`  ${visible(e.name)}=${visible(e.value)}`);

  return `${out.join('\n')}\n`;
}
