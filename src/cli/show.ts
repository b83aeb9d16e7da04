// procscope show PID [--json] [--env] [--proc-root DIR]: the PCB detail of one process.
import { readProcessDetail, type ProcessDetail, type DecodedSignals } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { CAPABILITY_NAMES } from '../core/procfs/capabilities';
import { REGION_KINDS } from '../core/procfs/maps';
import { visible } from '../shared/visible';
import { checkProcRoot, reportError, usageError, helpText } from './common';
import { EXIT, type CliCommand } from './io';
import { currentLang, t, tDynamic, type MessageKey } from './messages';

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
      if (procRoot === undefined) return usageError(io, 'show', t('error.procRootNeedsDir'));
    } else if (arg === '--help' || arg === '-h') {
      io.out(helpText('show'));
      return EXIT.ok;
    } else if (arg.startsWith('-')) return usageError(io, 'show', t('error.unknownOption', { option: visible(arg) }));
    else if (pidText === undefined) pidText = arg;
    else return usageError(io, 'show', t('error.unexpectedArgument', { arg: visible(arg) }));
  }
  if (pidText === undefined) return usageError(io, 'show', t('error.missingPid'));
  if (!/^[1-9]\d*$/.test(pidText) || !Number.isSafeInteger(Number(pidText))) {
    return usageError(io, 'show', t('error.notPid', { value: visible(pidText) }));
  }
  const pid = Number(pidText);

  let detail: ProcessDetail;
  try {
    if (procRoot !== undefined) checkProcRoot(procRoot);
    detail = readProcessDetail(pid, { ...(procRoot !== undefined ? { procRoot } : {}), includeEnv });
  } catch (error) {
    // The core's own words are English and name the case exactly; other languages get the catalogue's.
    if (error instanceof ProcScopeError && currentLang() !== 'en' && error.code === 'NO_SUCH_PROCESS') {
      return reportError(new ProcScopeError(error.code, t('error.noSuchPid', { pid })), io);
    }
    if (error instanceof ProcScopeError && currentLang() !== 'en' && error.code === 'PERMISSION_DENIED') {
      return reportError(new ProcScopeError(error.code, t('error.permission', { message: `/proc/${pid}` })), io);
    }
    return reportError(error, io);
  }
  io.out(json ? `${JSON.stringify(detail, null, 2)}\n` : formatDetail(detail));
  return EXIT.ok;
};

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const name = t(`unit.${units[unit]!}` as MessageKey);
  return unit === 0 ? `${bytes} ${name}` : `${value.toFixed(value < 10 ? 1 : 0)} ${name}`;
}

function quoteArg(arg: string): string {
  const v = visible(arg);
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The readable, sectioned text of `procscope show`. */
export function formatDetail(d: ProcessDetail): string {
  const out: string[] = [];
  const why = (field: string): string => t('show.unavailable', { reason: visible(d.unavailable[field] ?? t('show.unknown')) });
  const row = (label: MessageKey | '', value: string): void => { out.push(`  ${(label === '' ? '' : t(label)).padEnd(18)} ${value}`); };
  const rawRow = (label: string, value: string): void => { out.push(`  ${label.padEnd(18)} ${value}`); };
  const section = (title: string): void => { out.push('', title); };
  const orWhy = <T>(value: T | null, field: string, show: (v: T) => string): string => (value === null ? why(field) : show(value));
  const unknown = t('show.unknown');

  out.push(t('show.title', {
    pid: d.pid, name: visible(d.name), state: d.state,
    meaning: tDynamic(`state.${d.state}`) ?? d.stateMeaning, kthread: d.kernelThread ? t('show.kthread') : '',
  }));
  row('show.identity', d.key);
  row('show.command', orWhy(d.cmdline, 'cmdline', (c) => (c.length === 0 ? t('show.none') : c.map(quoteArg).join(' '))));
  row('show.executable', orWhy(d.exe, 'exe', visible));
  row('show.cwd', orWhy(d.cwd, 'cwd', visible));
  row('show.root', orWhy(d.root, 'root', visible));
  row('show.parent', t('show.parentValue', { ppid: d.ppid, pgid: d.pgid, sid: d.sid }));
  row('show.terminal', d.tty === null ? t('show.noneWord') : t('show.terminalValue', { tty: visible(d.tty), tpgid: d.tpgid }));
  row('show.started', d.startTime === null ? why('startTime') : new Date(d.startTime).toISOString());
  row('show.tracedBy', d.tracerPid === null ? unknown : d.tracerPid === 0 ? t('show.nobody') : t('show.pid', { pid: d.tracerPid }));
  if (d.umask !== null) row('show.umask', d.umask);

  section(t('section.credentials'));
  if (d.credentials === null) row('show.ids', why('credentials'));
  else {
    const c = d.credentials;
    const ids = (q: typeof c.uid, n: typeof c.user): string => t('show.idsValue', {
      real: q.real, realName: visible(String(n.real)), eff: q.effective, effName: visible(String(n.effective)),
      saved: q.saved, savedName: visible(String(n.saved)), fs: q.filesystem, fsName: visible(String(n.filesystem)),
    });
    row('show.uid', ids(c.uid, c.user));
    row('show.gid', ids(c.gid, c.group));
    row('show.groups', c.groups.length === 0 ? t('show.none') : c.groups.map((g) => `${g.gid} (${visible(String(g.name))})`).join(', '));
  }
  if (d.capabilities?.effective) {
    const eff = d.capabilities.effective;
    const missing = CAPABILITY_NAMES.filter((n) => !eff.names.includes(n));
    // A root process holds (nearly) every capability: name the few it lacks rather than list forty.
    row('show.capabilities', eff.names.length === 0 ? t('show.noneWord')
      : eff.names.length > 20 ? t('show.capsMany', { count: eff.names.length, total: CAPABILITY_NAMES.length, allBut: missing.length ? t('show.allBut', { names: missing.join(' ') }) : '', hex: eff.hex })
        : eff.names.join(' '));
  }
  if (d.seccomp !== null) row('show.seccomp', tDynamic(`seccomp.${d.seccomp}`) ?? String(d.seccomp));
  if (d.noNewPrivs !== null) row('show.noNewPrivs', d.noNewPrivs ? t('show.yes') : t('show.no'));

  section(t('section.scheduling'));
  const s = d.scheduling;
  row('show.policy', t('show.policyValue', { policy: s.policy, nice: s.nice, priority: s.priority, rt: s.rtPriority }));
  row('show.threads', String(s.threads));
  row('show.lastCpu', String(s.lastCpu));
  row('show.affinity', s.cpusAllowedList ?? unknown);
  row('show.ctxt', t('show.ctxtValue', { v: s.voluntaryCtxtSwitches ?? '?', i: s.nonvoluntaryCtxtSwitches ?? '?' }));
  row('show.wchan', d.wchan !== null ? visible(d.wchan) : `(${visible(d.unavailable.wchan ?? unknown)})`);
  row('show.oom', t('show.oomValue', { score: d.oomScore ?? why('oomScore'), adj: d.oomScoreAdj ?? '?' }));

  section(t('section.signals'));
  if (d.signals === null) row('show.masks', why('signals'));
  else {
    const names = (set: DecodedSignals | null): string => (set === null ? unknown : set.names.length === 0 ? t('show.none') : set.names.join(' '));
    row('show.pendingThread', names(d.signals.pending));
    row('show.pendingShared', names(d.signals.sharedPending));
    row('show.blocked', names(d.signals.blocked));
    row('show.ignored', names(d.signals.ignored));
    row('show.caught', names(d.signals.caught));
    if (d.signals.queued !== null) row('show.queued', t('show.queuedValue', { queued: d.signals.queued, limit: d.signals.queueLimit ?? '?' }));
  }

  section(t('section.namespaces'));
  if (d.namespaces === null) row('show.ns', why('namespaces'));
  else for (const ns of d.namespaces) rawRow(ns.name, `${ns.type}:[${ns.inode}]`);
  if (d.pidNamespaceIds?.nsPid) rawRow('NSpid', d.pidNamespaceIds.nsPid.join(' '));

  section(t('section.cgroups'));
  if (d.cgroups === null) row('show.cgroup', why('cgroups'));
  else for (const g of d.cgroups) rawRow(g.hierarchyId === 0 ? t('show.cgroupV2') : g.controllers.join(','), visible(g.path));

  section(t('section.memory'));
  const b = (v: number | null): string => (v === null ? '?' : formatBytes(v));
  if (d.memoryStatus !== null) {
    const m = d.memoryStatus;
    row('show.vsize', t('show.vsizeValue', { size: b(m.vmSize), peak: b(m.vmPeak) }));
    row('show.resident', t('show.residentValue', { rss: b(m.vmRSS), anon: b(m.rssAnon), file: b(m.rssFile), shmem: b(m.rssShmem) }));
    row('show.swap', b(m.vmSwap));
  } else row('show.status', why('memoryStatus'));
  if (d.memoryRollup !== null) {
    const r = d.memoryRollup;
    row('show.rollup', `${b(r.rss)} / ${b(r.pss)} / ${b(r.uss)}`);
    row('show.shared', t('show.cleanDirty', { clean: b(r.sharedClean), dirty: b(r.sharedDirty) }));
    row('show.private', t('show.cleanDirty', { clean: b(r.privateClean), dirty: b(r.privateDirty) }));
    row('show.swapPss', `${b(r.swap)} / ${b(r.swapPss)}`);
  } else row('show.smapsRollup', why('memoryRollup'));
  if (d.memoryMap !== null) {
    const map = d.memoryMap;
    row('show.regions', t('show.regionsValue', { count: map.regions.length, size: formatBytes(map.totalSize) }));
    for (const kind of REGION_KINDS) {
      const k = map.byKind[kind];
      if (k.count > 0) rawRow(`  ${tDynamic(`region.${kind}`) ?? kind}`, k.count === 1 ? t('show.regionKind1', { size: formatBytes(k.size) }) : t('show.regionKind', { size: formatBytes(k.size), count: k.count }));
    }
    if (map.libraries.length > 0) {
      row('show.libraries', String(map.libraries.length));
      for (const lib of map.libraries) row('', `${formatBytes(lib.size).padStart(9)}  ${visible(lib.path)}`);
    }
  } else row('show.maps', why('memoryMap'));

  section(d.fds === null ? t('section.openFiles') : t('section.openFilesCount', { count: d.fds.length }));
  if (d.fds === null) row('show.fds', why('fds'));
  else for (const f of d.fds) rawRow(String(f.fd), `${f.type.padEnd(10)} ${f.mode ? f.mode.padEnd(9) : ''.padEnd(9)} ${visible(f.target)}`);

  section(t('section.limits'));
  if (d.limits === null) row('show.limits', why('limits'));
  else for (const l of d.limits) out.push(`  ${l.name.padEnd(24)} ${String(l.soft).padStart(20)} ${String(l.hard).padStart(20)}  ${l.units ?? ''}`.trimEnd());

  section(t('section.io'));
  if (d.io === null) row('show.io', why('io'));
  else {
    row('show.read', t('show.readValue', { bytes: formatBytes(d.io.rchar), calls: d.io.syscr, storage: formatBytes(d.io.readBytes) }));
    row('show.written', t('show.writtenValue', { bytes: formatBytes(d.io.wchar), calls: d.io.syscw, storage: formatBytes(d.io.writeBytes), cancelled: formatBytes(d.io.cancelledWriteBytes) }));
  }

  section(t('section.environment'));
  if (d.environ === null) row('show.environ', why('environ'));
  else if (d.environ.length === 0) row('show.environ', t('show.empty'));
  else for (const e of d.environ) out.push(`  ${visible(e.name)}=${visible(e.value)}`);

  return `${out.join('\n')}\n`;
}
