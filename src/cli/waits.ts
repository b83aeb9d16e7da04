// procscope waits [--pid PID] [--json] [--all] [--proc-root DIR]: what each blocked thread waits for, who
// can wake it, and the cycles of that wait-for graph.
import { ProcScopeError } from '../core/errors';
import { collectWaits } from '../core/waits/collect';
import type { TaskRef, ThreadWait, WaitReport } from '../core/waits/model';
import { ipcWarningText, waitObjectText } from '../shared/channelText';
import { STATE_WORDS, type StateLetter } from '../shared/stateText';
import { visible } from '../shared/visible';
import { checkProcRoot, hidingNotes, parseCliArgs, reportError, requireProcess } from './common';
import { EXIT, type CliCommand } from './io';
import { refuseThreadId } from './ipc';
import { currentLang, t, type MessageKey } from './messages';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    {
      json: { type: 'boolean' },
      pid: { type: 'string' },
      all: { type: 'boolean' },
      'proc-root': { type: 'string' },
    },
    io,
    'waits',
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; pid?: string; all?: boolean; 'proc-root'?: string };
  try {
    let pid: number | undefined;
    if (v.pid !== undefined) {
      if (!/^[1-9]\d{0,9}$/.test(v.pid)) throw new ProcScopeError('BAD_REQUEST', t('error.badPid', { value: visible(v.pid) }));
      pid = Number(v.pid);
    }
    const procRoot = v['proc-root'] ?? '/proc';
    checkProcRoot(procRoot);
    if (pid !== undefined) refuseThreadId(procRoot, pid, 'error.threadPid');
    let report: WaitReport;
    try {
      report = collectWaits({ procRoot, ...(pid !== undefined ? { pid } : {}), all: v.all === true });
    } catch (error) {
      if (error instanceof ProcScopeError && error.code === 'NO_SUCH_PROCESS' && pid !== undefined) {
        requireProcess(procRoot, pid); // refused rather than gone: says so
        throw new ProcScopeError('NO_SUCH_PROCESS', t('error.noSuchPid', { pid }));
      }
      throw error;
    }
    const notes = report.warningCodes ? report.warningCodes.map((w) => ipcWarningText(w, currentLang())) : report.warnings.map(visible);
    for (const message of notes) io.err(`procscope: ${t('waits.warning', { message })}\n`);
    for (const note of hidingNotes(procRoot)) io.err(`procscope: ${note}\n`);
    io.out(v.json ? `${JSON.stringify({ threads: report.threads, cycles: report.cycles }, null, 2)}\n` : renderWaits(report));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

function nameOf(report: WaitReport, ref: TaskRef): string {
  return report.names.get(ref.tid === null ? String(ref.pid) : `${ref.pid}/${ref.tid}`) ?? '';
}

function holderText(report: WaitReport, ref: TaskRef): string {
  const name = visible(nameOf(report, ref));
  return ref.tid === null ? t('waits.process', { pid: ref.pid, name }) : t('waits.thread', { tid: ref.tid, name });
}

const HELD = new Set(['mutex', 'flock', 'posix-lock', 'ofd-lock']);

/** One line per blocked thread: who it is, what it waits for, who can wake it, the cycle it is in. */
export function renderWaits(report: WaitReport): string {
  const lines: string[] = [];
  const inCycle = new Map<string, string>();
  for (const c of report.cycles) {
    const text = [...c, c[0]!].map((n) => String(n.tid)).join(' → ');
    for (const n of c) if (!inCycle.has(`${n.pid}/${n.tid}`)) inCycle.set(`${n.pid}/${n.tid}`, text);
  }
  const groups = new Map<string, number>();
  const groupKey = (th: ThreadWait): string | undefined => {
    const w = th.waitingFor;
    return w && (w.kind === 'mutex' || w.kind === 'futex') && w.object !== '' ? `${th.pid}|${w.object}` : undefined;
  };
  for (const th of report.threads) {
    const k = groupKey(th);
    if (k) groups.set(k, (groups.get(k) ?? 0) + 1);
  }
  for (const th of report.threads) {
    const parts: string[] = [`${th.pid}/${th.tid} ${visible(th.name)}  `];
    const w = th.waitingFor;
    // A stopped thread waits for SIGCONT before anything else: said first, then what its call will wait for.
    const stopped = th.state === 'T' || th.state === 't';
    if (stopped && w) parts.push(`${stateWords(th.state)}; `);
    if (!w) {
      // No wait found: running, or a state that is its own answer (a zombie, a dead or stopped thread). A
      // sleeping state here was read before its system call said "running": it runs.
      parts.push(OWN_ANSWER.has(th.state) ? stateWords(th.state) : t('waits.running'));
    } else if (th.kernelThread) {
      // No system call to name: what it is, and the kernel function it sleeps in (or its disk wait).
      const wchan = th.wchan === null ? '' : visible(th.wchan);
      parts.push(
        w.kind === 'io'
          ? t('waits.kernelThreadIo', { object: wchan }).trimEnd()
          : wchan
            ? t('waits.kernelThreadIn', { wchan })
            : t('waits.kernelThread'),
      );
    } else if (w.kind === 'unknown' && th.syscall === null) {
      const reason = th.unavailable?.['syscall'];
      if (reason === 'EACCES' || reason === 'EPERM') {
        parts.push(t('waits.denied', { reason }));
        if (report.ptraceScope !== null && report.ptraceScope > 0) parts.push(`; ${t('waits.yama', { scope: report.ptraceScope })}`);
      } else if (reason !== undefined) {
        parts.push(t('waits.unreadable', { reason: visible(reason) }));
      } else {
        parts.push(t('waits.notInSyscall'));
      }
    } else {
      const named = waitObjectText(w, currentLang());
      const object = w.kind === 'unknown' || w.kind === 'io' || w.kind === 'poll' ? (named ? `(${named})` : '') : named;
      const syscall = th.syscall ? (th.syscall.name ?? `syscall ${th.syscall.nr}`) : '';
      parts.push(t(`waits.kind.${w.kind}` as MessageKey, { object, syscall }).trimEnd());
      const holders = w.holders ?? [];
      if (holders.length > 0) {
        parts.push(
          ` ${t(HELD.has(w.kind) ? 'waits.heldBy' : 'waits.wokenBy', { holders: holders.map((h) => holderText(report, h)).join(', ') })}`,
        );
      } else if (w.kind === 'pipe') {
        parts.push(` (${t('waits.noneFound')})`);
      }
      const k = groupKey(th);
      const count = k ? groups.get(k)! : 1;
      if (count > 1) parts.push(` ${t('waits.group', { count })}`);
    }
    const cycle = inCycle.get(`${th.pid}/${th.tid}`);
    if (cycle) parts.push(` ${t('waits.deadlock', { cycle })}`);
    lines.push(parts.join(''));
  }
  if (report.threads.length === 0) lines.push(t('waits.none'));
  lines.push('', report.cycles.length === 0 ? t('waits.noCycles') : t('waits.cycles'));
  for (const c of report.cycles) {
    lines.push(t('waits.cycle', { cycle: [...c, c[0]!].map((n) => `${n.tid} ${visible(nameOf(report, n))}`).join(' → ') }));
  }
  return `${lines.join('\n')}\n`;
}

/** States that say all there is to say of a thread that waits for nothing. */
const OWN_ANSWER = new Set(['Z', 'X', 'x', 'T', 't']);

/** A state letter's meaning in the output's language ("zombie (exited, not yet reaped by its parent)"). */
function stateWords(state: string): string {
  return STATE_WORDS[currentLang()][state as StateLetter].meaning;
}
