// procscope ps [--json]: every thread in the columns of `ps -eLF`.
import { visible } from '../shared/visible';
import { readFileSync } from 'node:fs';
import { createSampler } from '../core/sampler';
import { parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';
import { psRows, renderPsTable, type PsRow } from './psFormat';

const USAGE = `usage: procscope ps [--json]

One row per thread (LWP), in the columns of \`ps -eLF\`:
UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD
Control characters in CMD print as spaces, as ps prints them (and escaped as \\xNN elsewhere);
--json keeps every value exactly as the kernel holds it.
`;

/** procps prints control characters of a command line as spaces; do the same so the two can be compared. */
function psLikeCommand(row: PsRow): PsRow {
  // eslint-disable-next-line no-control-regex
  return { ...row, CMD: row.CMD.replace(/[\x00-\x1f\x7f]/g, ' ') };
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, { json: { type: 'boolean' } }, io, USAGE);
  if (!parsed) return args.includes('--help') || args.includes('-h') ? EXIT.ok : EXIT.usage;
  const source = createSampler();
  try {
    if (source.backend !== 'procfs') {
      io.err('procscope: ps needs /proc (threads, SZ, PSR are not available from the portable backend)\n');
      return EXIT.noProcfs;
    }
    const snapshot = await source.poll({ threads: 'all' });
    const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
    const rows = psRows(snapshot, uptime);
    io.out(parsed.values.json ? `${JSON.stringify(rows, null, 2)}\n` : renderPsTable(rows.map(psLikeCommand), visible));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  } finally {
    source.dispose();
  }
};
