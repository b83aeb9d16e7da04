// procscope ps [--json] [--proc-root DIR]: every thread in the columns of `ps -eLF`.
import { visible } from '../shared/visible';
import { readFileSync } from 'node:fs';
import { createSampler, type ProcessSource } from '../core/sampler';
import { checkProcRoot, parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';
import { t } from './messages';
import { psRows, renderPsTable, type PsRow } from '../core/psFormat';
import { hiddenNotes } from './snapshot';

/** procps prints control characters of a command line as spaces; do the same so the two can be compared. */
function psLikeCommand(cmd: string): string {
  // eslint-disable-next-line no-control-regex
  return cmd.replace(/[\x00-\x1f\x7f]/g, ' ');
}

/** The rows with psLikeCommand applied to CMD, once per distinct command line (every LWP repeats its process's). */
function psLikeRows(rows: PsRow[]): PsRow[] {
  const spaced = remembered(psLikeCommand);
  for (const row of rows) row.CMD = spaced(row.CMD);
  return rows;
}

/**
 * visible() once per distinct string: every thread of a process repeats its command line and user, and at
 * thousands of threads the escaping regexp over the same text was a visible part of the command's time.
 */
function remembered(printable: (s: string) => string): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let shown = seen.get(s);
    if (shown === undefined) {
      shown = printable(s);
      seen.set(s, shown);
    }
    return shown;
  };
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' }, 'proc-root': { type: 'string' } }, io, 'ps');
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'proc-root'?: string };
  let source: ProcessSource | undefined;
  try {
    const procRoot = v['proc-root'];
    if (procRoot !== undefined) checkProcRoot(procRoot);
    // ps prints no executable path: the sampler skips each process's exe link.
    source = createSampler(procRoot !== undefined ? { backend: 'procfs', procRoot, exe: false } : { exe: false });
    if (source.backend !== 'procfs') {
      io.err(`procscope: ${t('error.psPortable')}\n`);
      return EXIT.noProcfs;
    }
    const snapshot = await source.poll({ threads: 'all' });
    const uptime = readUptime(procRoot ?? '/proc') ?? (snapshot.timestamp - snapshot.system.bootTime) / 1000;
    const rows = psRows(snapshot, uptime);
    io.out(v.json ? `${JSON.stringify(rows, null, 2)}\n` : renderPsTable(psLikeRows(rows), remembered(visible)));
    // On stderr: stdout stays row for row what procps prints (it says nothing of what it could not see).
    for (const note of hiddenNotes(snapshot.hidden)) io.err(`procscope: ${note}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  } finally {
    source?.dispose();
  }
};

/** Seconds since boot from uptime (the clock procps computes C from), undefined where a copied tree lacks it. */
function readUptime(procRoot: string): number | undefined {
  try {
    const value = Number(readFileSync(`${procRoot}/uptime`, 'latin1').split(' ')[0]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
