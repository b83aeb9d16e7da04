// procscope show PID [--json] [--env] [--proc-root DIR]: the PCB detail of one process.
import { existsSync } from 'node:fs';
import { readProcessDetail, REASON, type ProcessDetail, type DecodedSignals } from '../core/detail';
import { ProcScopeError } from '../core/errors';
import { hidingMountOption } from '../core/procRoot';
import { CAPABILITY_NAMES } from '../core/procfs/capabilities';
import type { FdEntry } from '../core/procfs/fd';
import { REGION_KINDS } from '../core/procfs/maps';
import { visible } from '../shared/visible';
import { formatBytes, type ByteUnit } from '../shared/format';
import { checkProcRoot, helpText, padColumns, reportError, usageError } from './common';
import { EXIT, type CliCommand } from './io';
import { threadGroupOf } from './ipc';
import { currentLang, t, tDynamic, type MessageKey } from './messages';
import { maxOf } from '../shared/arrays';

export const run: CliCommand = async (args, io) => {
  let json = false;
  let includeEnv = false;
  let procRoot: string | undefined;
  let pidText: string | undefined;
  // As the other commands parse (node's parseArgs): `--` ends the options and `--proc-root=DIR` is one word; a
  // negative number is a (wrong) process id, not an option.
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const option = !optionsEnded && arg.startsWith('-') && !/^-\d/.test(arg);
    if (option && arg === '--') optionsEnded = true;
    else if (option && arg === '--json') json = true;
    else if (option && arg === '--env') includeEnv = true;
    else if (option && (arg === '--proc-root' || arg.startsWith('--proc-root='))) {
      procRoot = arg === '--proc-root' ? args[++i] : arg.slice('--proc-root='.length);
      if (procRoot === undefined || procRoot === '') return usageError(io, 'show', t('error.procRootNeedsDir'));
    } else if (option && (arg === '--help' || arg === '-h')) {
      io.out(helpText('show'));
      return EXIT.ok;
    } else if (option && /^--(json|env|help)=/.test(arg)) {
      return usageError(io, 'show', t('error.takesNoValue', { option: visible(arg.slice(0, arg.indexOf('='))) }));
    } else if (option) return usageError(io, 'show', t('error.unknownOption', { option: visible(arg) }));
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
  } catch (error) {
    return reportError(error, io); // in the catalogue's words already
  }
  try {
    detail = readProcessDetail(pid, { ...(procRoot !== undefined ? { procRoot } : {}), includeEnv });
  } catch (error) {
    // Under hidepid another user's process is not listed at all: "no such process" then says why it may be.
    if (error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS' && process.geteuid?.() !== 0) {
      const root = procRoot ?? '/proc';
      const option = hidingMountOption(root);
      const tgid = threadGroupOf(root, pid);
      if (option !== null && tgid === undefined) {
        const message = currentLang() === 'en' ? error.message : t('error.noSuchPid', { pid });
        return reportError(
          new ProcScopeError(error.code, t('note.hidepidShow', { message, root: visible(root), option: visible(option) })),
          io,
        );
      }
    }
    // The core's own words are English and name the case exactly; other languages get the catalogue's.
    if (error instanceof ProcScopeError && currentLang() !== 'en' && error.code === 'NO_SUCH_PROCESS') {
      // A thread id is refused with the process it belongs to, in every language.
      const tgid = threadGroupOf(procRoot ?? '/proc', pid);
      const message = tgid !== undefined && tgid !== pid ? t('error.threadShow', { tid: pid, pid: tgid }) : t('error.noSuchPid', { pid });
      return reportError(new ProcScopeError(error.code, message), io);
    }
    // A procfs that is there but whose stat is not a stat line (a copied tree): the file is named.
    const statPath = `${procRoot ?? '/proc'}/${pid}/stat`;
    if (error instanceof ProcScopeError && currentLang() !== 'en' && error.code === 'NO_PROCFS' && existsSync(statPath)) {
      return reportError(new ProcScopeError(error.code, t('error.statUnexpected', { path: visible(statPath) })), io);
    }
    if (error instanceof ProcScopeError && currentLang() !== 'en' && error.code === 'PERMISSION_DENIED') {
      return reportError(new ProcScopeError(error.code, t('error.permission', { message: `/proc/${pid}` })), io);
    }
    return reportError(error, io);
  }
  io.out(json ? `${JSON.stringify(detail, null, 2)}\n` : formatDetail(detail));
  return EXIT.ok;
};

/** A unit's name in the CLI's language, for the shared formatBytes. */
export function unitName(unit: ByteUnit): string {
  return t(`unit.${unit}` as MessageKey);
}

function quoteArg(arg: string): string {
  const v = visible(arg);
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * Why a field is unavailable, in the output's language: the core's reasons are English constants (and
 * `not available (ERRNO)` or `not available (ERRNO: the system's description)`, whose frame is translated
 * and whose errno and description, the OS's own words, are kept); a reason not known here is shown as the
 * core wrote it.
 */
export function reasonText(reason: string): string {
  for (const [name, text] of Object.entries(REASON)) if (reason === text) return tDynamic(`reason.${name}`) ?? reason;
  const errno = /^not available \((E[A-Z0-9]+(?::[^]*)?)\)$/.exec(reason);
  return errno ? t('reason.errno', { code: errno[1]! }) : reason;
}

/**
 * One fd's row: a FIFO is labelled as one (its type is a path's, `file`), and a part that could not be read
 * (`target: ENAMETOOLONG: ...`, `fdinfo: ...`, as the core words it) is said, the target itself being ''.
 */
export function fdRowText(f: FdEntry): string {
  const type = f.fifo ? 'fifo' : f.type;
  const parts = f.unavailable === undefined ? [] : f.unavailable.split('; ').map(fdReasonText);
  const target = [visible(f.target), ...parts].filter((p) => p !== '').join(' ');
  return `${type.padEnd(10)} ${(f.mode ?? '').padEnd(9)} ${target}`.trimEnd();
}

function fdReasonText(part: string): string {
  const m = /^(target|fdinfo): ([^]*)$/.exec(part);
  const reason = visible(m ? m[2]! : part);
  return m?.[1] === 'target'
    ? t('show.fdTargetUnavailable', { reason })
    : m?.[1] === 'fdinfo'
      ? t('show.fdInfoUnavailable', { reason })
      : t('show.unavailable', { reason });
}

/** The readable, sectioned text of `procscope show`. */
export function formatDetail(d: ProcessDetail): string {
  const out: string[] = [];
  const why = (field: string): string =>
    t('show.unavailable', { reason: visible(d.unavailable[field] !== undefined ? reasonText(d.unavailable[field]) : t('show.unknown')) });
  const row = (label: MessageKey | '', value: string): void => {
    out.push(`  ${padColumns(label === '' ? '' : t(label), 18)} ${value}`);
  };
  const rawRow = (label: string, value: string): void => {
    out.push(`  ${padColumns(label, 18)} ${value}`);
  };
  const section = (title: string): void => {
    out.push('', title);
  };
  const orWhy = <T>(value: T | null, field: string, show: (v: T) => string): string => (value === null ? why(field) : show(value));
  const unknown = t('show.unknown');

  out.push(
    t('show.title', {
      pid: d.pid,
      name: visible(d.name),
      state: d.state,
      meaning: tDynamic(`state.${d.state}`) ?? d.stateMeaning,
      kthread: d.kernelThread ? t('show.kthread') : '',
    }),
  );
  if (d.leaderZombie) row('show.note', t('show.leaderZombie', { count: otherLiveThreads(d) }));
  row('show.identity', d.key);
  row(
    'show.command',
    orWhy(d.cmdline, 'cmdline', (c) => (c.length === 0 ? t('show.none') : c.map(quoteArg).join(' '))),
  );
  row('show.executable', orWhy(d.exe, 'exe', visible));
  row('show.cwd', orWhy(d.cwd, 'cwd', visible));
  row('show.root', orWhy(d.root, 'root', visible));
  row('show.parent', t('show.parentValue', { ppid: d.ppid, pgid: d.pgid, sid: d.sid }));
  row('show.terminal', d.tty === null ? t('show.noneWord') : t('show.terminalValue', { tty: visible(d.tty), tpgid: d.tpgid }));
  row(
    'show.started',
    d.startTime === null || Number.isNaN(new Date(d.startTime).getTime()) ? why('startTime') : new Date(d.startTime).toISOString(),
  );
  row('show.tracedBy', d.tracerPid === null ? unknown : d.tracerPid === 0 ? t('show.nobody') : t('show.pid', { pid: d.tracerPid }));
  if (d.umask !== null) row('show.umask', d.umask);

  section(t('section.credentials'));
  if (d.credentials === null) row('show.ids', why('credentials'));
  else {
    const c = d.credentials;
    const ids = (q: typeof c.uid, n: typeof c.user): string =>
      t('show.idsValue', {
        real: q.real,
        realName: visible(String(n.real)),
        eff: q.effective,
        effName: visible(String(n.effective)),
        saved: q.saved,
        savedName: visible(String(n.saved)),
        fs: q.filesystem,
        fsName: visible(String(n.filesystem)),
      });
    row('show.uid', ids(c.uid, c.user));
    row('show.gid', ids(c.gid, c.group));
    row('show.groups', c.groups.length === 0 ? t('show.none') : c.groups.map((g) => `${g.gid} (${visible(String(g.name))})`).join(', '));
  }
  if (d.capabilities?.effective) {
    const eff = d.capabilities.effective;
    const missing = CAPABILITY_NAMES.filter((n) => !eff.names.includes(n));
    // A root process holds (nearly) every capability: name the few it lacks rather than list forty.
    row(
      'show.capabilities',
      eff.names.length === 0
        ? t('show.noneWord')
        : eff.names.length > 20
          ? t('show.capsMany', {
              count: eff.names.length,
              total: CAPABILITY_NAMES.length,
              allBut: missing.length ? t('show.allBut', { names: missing.join(' ') }) : '',
              hex: eff.hex,
            })
          : eff.names.join(' '),
    );
  }
  if (d.seccomp !== null) row('show.seccomp', tDynamic(`seccomp.${d.seccomp}`) ?? String(d.seccomp));
  if (d.noNewPrivs !== null) row('show.noNewPrivs', d.noNewPrivs ? t('show.yes') : t('show.no'));

  section(t('section.scheduling'));
  const s = d.scheduling;
  row('show.policy', t('show.policyValue', { policy: s.policy, nice: s.nice, priority: s.priority, rt: s.rtPriority }));
  row('show.threads', String(s.threads));
  row('show.lastCpu', String(s.lastCpu));
  row('show.affinity', s.cpusAllowedList ?? unknown);
  // The process's switches are the sum over its threads and its wait channel a summary of theirs: say so,
  // so a reader does not take them for one thread's (the main thread's, as status alone would give).
  const many = d.threads !== null && d.threads.length > 1;
  const ctxt = { v: s.voluntaryCtxtSwitches ?? '?', i: s.nonvoluntaryCtxtSwitches ?? '?', count: d.threads?.length ?? 0 };
  row(
    'show.ctxt',
    s.voluntaryCtxtSwitches === null
      ? `${t('show.ctxtValue', ctxt)}  ${why('voluntaryCtxtSwitches')}`
      : many
        ? t('show.ctxtSumValue', ctxt)
        : t('show.ctxtValue', ctxt),
  );
  row(
    'show.wchan',
    d.wchan === null
      ? `(${visible(d.unavailable.wchan !== undefined ? reasonText(d.unavailable.wchan) : unknown)})`
      : many
        ? t('show.wchanOfThreads', { wchan: visible(d.wchan) })
        : visible(d.wchan),
  );
  row('show.oom', t('show.oomValue', { score: d.oomScore ?? why('oomScore'), adj: d.oomScoreAdj ?? '?' }));
  formatThreads(d, out, why);

  section(t('section.signals'));
  if (d.signals === null) row('show.masks', why('signals'));
  else {
    const names = (set: DecodedSignals | null): string =>
      set === null ? unknown : set.names.length === 0 ? t('show.none') : set.names.join(' ');
    row('show.pendingThread', names(d.signals.pending));
    row('show.pendingShared', names(d.signals.sharedPending));
    row('show.blocked', names(d.signals.blocked));
    row('show.ignored', names(d.signals.ignored));
    row('show.caught', names(d.signals.caught));
    if (d.signals.queued !== null)
      row('show.queued', t('show.queuedValue', { queued: d.signals.queued, limit: d.signals.queueLimit ?? '?' }));
  }

  section(t('section.namespaces'));
  if (d.namespaces === null) row('show.ns', why('namespaces'));
  else for (const ns of d.namespaces) rawRow(ns.name, `${ns.type}:[${ns.inode}]`);
  if (d.pidNamespaceIds?.nsPid) rawRow('NSpid', d.pidNamespaceIds.nsPid.join(' '));

  section(t('section.cgroups'));
  if (d.cgroups === null) row('show.cgroup', why('cgroups'));
  else for (const g of d.cgroups) rawRow(g.hierarchyId === 0 ? t('show.cgroupV2') : g.controllers.join(','), visible(g.path));

  section(t('section.memory'));
  const b = (v: number | null): string => (v === null ? '?' : formatBytes(v, unitName));
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
    row('show.regions', t('show.regionsValue', { count: map.regions.length, size: formatBytes(map.totalSize, unitName) }));
    for (const kind of REGION_KINDS) {
      const k = map.byKind[kind];
      if (k.count > 0)
        rawRow(
          `  ${tDynamic(`region.${kind}`) ?? kind}`,
          k.count === 1
            ? t('show.regionKind1', { size: formatBytes(k.size, unitName) })
            : t('show.regionKind', { size: formatBytes(k.size, unitName), count: k.count }),
        );
    }
    if (map.libraries.length > 0) {
      row('show.libraries', String(map.libraries.length));
      for (const lib of map.libraries) row('', `${formatBytes(lib.size, unitName).padStart(9)}  ${visible(lib.path)}`);
    }
  } else row('show.maps', why('memoryMap'));

  section(d.fds === null ? t('section.openFiles') : t('section.openFilesCount', { count: d.fds.length }));
  if (d.fds === null) row('show.fds', why('fds'));
  else for (const f of d.fds) rawRow(String(f.fd), fdRowText(f));

  section(t('section.limits'));
  if (d.limits === null) row('show.limits', why('limits'));
  else
    for (const l of d.limits)
      out.push(`  ${l.name.padEnd(24)} ${String(l.soft).padStart(20)} ${String(l.hard).padStart(20)}  ${l.units ?? ''}`.trimEnd());

  section(t('section.io'));
  if (d.io === null) row('show.io', why('io'));
  else {
    row(
      'show.read',
      t('show.readValue', { bytes: formatBytes(d.io.rchar, unitName), calls: d.io.syscr, storage: formatBytes(d.io.readBytes, unitName) }),
    );
    row(
      'show.written',
      t('show.writtenValue', {
        bytes: formatBytes(d.io.wchar, unitName),
        calls: d.io.syscw,
        storage: formatBytes(d.io.writeBytes, unitName),
        cancelled: formatBytes(d.io.cancelledWriteBytes, unitName),
      }),
    );
  }

  section(t('section.environment'));
  if (d.environ === null) row('show.environ', why('environ'));
  else if (d.environ.length === 0) row('show.environ', t('show.empty'));
  else
    for (const e of d.environ)
      out.push(e.noEquals ? `  ${visible(e.name)}  ${t('show.envNoEquals')}` : `  ${visible(e.name)}=${visible(e.value)}`);

  return `${out.join('\n')}\n`;
}

/** Threads other than the exited main thread that still run (or sleep): what keeps a leader-zombie process alive. */
function otherLiveThreads(d: ProcessDetail): number {
  if (d.threads === null) return Math.max(d.scheduling.threads - 1, 0);
  return d.threads.filter((th) => th.tid !== d.pid && th.state !== 'Z' && th.state !== 'X').length;
}

/** Each thread's own state, context switches and wait channel: the values the process rows sum or summarise. */
function formatThreads(d: ProcessDetail, out: string[], why: (field: string) => string): void {
  out.push('', d.threads === null ? t('section.threadsNone') : t('section.threads', { count: d.threads.length }));
  if (d.threads === null) {
    out.push(`  ${t('show.threadList').padEnd(18)} ${why('threads')}`);
    return;
  }
  const num = (n: number | null): string => (n === null ? '?' : String(n));
  const cells = d.threads.map((th) => [
    String(th.tid),
    visible(th.name),
    th.state,
    num(th.voluntaryCtxtSwitches),
    num(th.nonvoluntaryCtxtSwitches),
    th.wchan !== null ? visible(th.wchan) : th.state === 'R' ? t('show.running') : '-',
  ]);
  const head = ['TID', t('show.threadName'), 'S', t('show.threadVol'), t('show.threadInvol'), t('show.threadWchan')];
  const widths = head.map((h, i) =>
    maxOf(
      cells.map((c) => columns(c[i]!)),
      columns(h),
    ),
  );
  const pad = (v: string, i: number): string => ' '.repeat(widths[i]! - columns(v));
  const line = (c: readonly string[]): string =>
    `  ${c.map((v, i) => (i === 0 || i === 3 || i === 4 ? pad(v, i) + v : v + pad(v, i))).join('  ')}`.trimEnd();
  out.push(line(head));
  for (const c of cells) out.push(line(c));
}

/** Terminal columns of a header or cell: Hangul and other wide CJK characters take two, so Korean headers align. */
function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}
