// procscope sys [--json] [--interval MS] [--proc-root DIR]: the machine at a glance. Two reads of /proc/stat
// --interval apart give CPU% per core; one full snapshot gives tasks by state.
import { existsSync } from 'node:fs';
import { ProcScopeError } from '../core/errors';
import type { StateLetter } from '../core/model';
import { CPU_FIELDS, type CpuPercent } from '../core/procfs/cpuStat';
import { PRESSURE_RESOURCES, type PressureLine } from '../core/procfs/pressure';
import { ProcSampler } from '../core/sampler';
import { readMachineSample, summarize, type MachineSummary } from '../core/summary';
import { visible } from '../shared/visible';
import { checkProcRoot, displayWidth, hiddenNotes, padColumns, parseCliArgs, reportError, usageError } from './common';
import { EXIT, type CliCommand } from './io';
import { t } from './messages';
import { formatBytes } from '../shared/format';
import { unitName } from './show';
import { pushAll, maxOf } from '../shared/arrays';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    { json: { type: 'boolean' }, interval: { type: 'string' }, 'proc-root': { type: 'string' } },
    io,
    'sys',
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; interval?: string; 'proc-root'?: string };
  const intervalText = v.interval ?? '1000';
  if (!/^\d{1,5}$/.test(intervalText) || Number(intervalText) < 1 || Number(intervalText) > 60000) {
    return usageError(io, 'sys', t('error.badInterval', { value: visible(intervalText) }));
  }
  const procRoot = v['proc-root'] ?? '/proc';
  let sampler: ProcSampler | undefined;
  try {
    if (v['proc-root'] !== undefined) checkProcRoot(procRoot);
    else if (!existsSync(`${procRoot}/self`)) throw new ProcScopeError('NO_PROCFS', t('error.noProcfs', { what: 'sys' }));
    const before = readMachineSample(procRoot);
    await new Promise((resolve) => setTimeout(resolve, Number(intervalText)));
    // The second read right after the wait, before the snapshot: CPU% is over the time asked for.
    const after = readMachineSample(procRoot);
    sampler = new ProcSampler({ procRoot });
    const snapshot = await sampler.poll({ threads: 'all' });
    const summary = summarize(after, before, snapshot);
    // Tasks /proc kept from this reader (hidepid, refused stat files): the counts above leave them out.
    const hidden = snapshot.hidden ?? [];
    io.out(v.json ? `${JSON.stringify({ ...summary, hidden }, null, 2)}\n` : renderSys(summary));
    if (!v.json) for (const note of hiddenNotes(hidden)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  } finally {
    sampler?.dispose();
  }
};

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => maxOf(rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((c, i) => (i === 0 ? padColumns(c, widths[0]!) : ' '.repeat(widths[i]! - displayWidth(c)) + c))
      .join('  ')
      .trimEnd(),
  );
}

function states(counts: Readonly<Partial<Record<StateLetter, number>>>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

function unavailable(s: MachineSummary, part: string, what: string): string {
  return t('sys.unavailable', { what, reason: visible(s.unavailable[part] ?? '?') });
}

export function renderSys(s: MachineSummary): string {
  const lines: string[] = [];
  const pct = (p: CpuPercent): string[] => [...CPU_FIELDS.map((f) => p[f].toFixed(1)), p.busy.toFixed(1)];
  if (s.cpu) {
    lines.push(t('sys.cpu.title', { ms: s.intervalMs ?? 0 }));
    lines.push(
      ...table([
        ['CPU', ...CPU_FIELDS, 'busy'],
        [t('sys.cpu.all'), ...pct(s.cpu.total)],
        ...s.cpu.cores.map((c) => [`cpu${c.cpu}`, ...pct(c.percent)]),
      ]),
    );
  } else lines.push(unavailable(s, 'cpu', 'CPU'));
  lines.push('');
  lines.push(
    s.load
      ? t('sys.load', {
          load1: s.load.load1.toFixed(2),
          load5: s.load.load5.toFixed(2),
          load15: s.load.load15.toFixed(2),
          running: s.load.running,
          total: s.load.total,
        })
      : unavailable(s, 'load', 'loadavg'),
  );
  if (s.tasks) {
    lines.push(
      t('sys.tasks', {
        processes: s.tasks.processCount,
        pstates: states(s.tasks.processes),
        threads: s.tasks.threadCount,
        tstates: states(s.tasks.threads),
      }),
    );
  }
  lines.push('');
  const m = s.memory;
  if (m) {
    lines.push(t('sys.memory.title', { legacy: formatBytes(m.usedExcludingCache, unitName) }));
    const b = (n: number): string => formatBytes(n, unitName);
    lines.push(
      ...table([
        ['', ...t('sys.memory.columns').split(' ')],
        [t('sys.memory.mem'), b(m.total), b(m.used), b(m.free), b(m.shared), b(m.buffCache), b(m.available)],
        [t('sys.memory.swap'), b(m.swapTotal), b(m.swapUsed), b(m.swapFree)],
      ]),
    );
  } else lines.push(unavailable(s, 'memory', 'meminfo'));
  lines.push('');
  lines.push(t('sys.pressure.title'));
  const avg = (l: PressureLine | null): string[] => (l ? [l.avg10.toFixed(2), l.avg60.toFixed(2), l.avg300.toFixed(2)] : ['-', '-', '-']);
  const rows: string[][] = [['', 'some avg10', 'avg60', 'avg300', 'full avg10', 'avg60', 'avg300']];
  const missing: string[] = [];
  for (const r of PRESSURE_RESOURCES) {
    const p = s.pressure[r];
    if (p) rows.push([r, ...avg(p.some), ...avg(p.full)]);
    else missing.push(unavailable(s, `pressure.${r}`, r));
  }
  if (rows.length > 1) pushAll(lines, table(rows));
  pushAll(lines, missing);
  return `${lines.join('\n')}\n`;
}
