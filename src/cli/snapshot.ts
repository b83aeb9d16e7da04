// procscope snapshot [--json] [--no-threads] [--backend procfs|portable] [--proc-root DIR]
import { visible } from '../shared/visible';
import { createSampler, ProcSampler, type ProcessSource } from '../core/sampler';
import type { ProcessInfo, Snapshot } from '../core/model';
import { buildTree, walkPreorder } from '../core/tree';
import { checkProcRoot, hiddenNotes, padColumns, parseCliArgs, reportError, usageError } from './common';
import { EXIT, type CliCommand } from './io';
import { t } from './messages';

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(
    args,
    {
      json: { type: 'boolean' },
      'no-threads': { type: 'boolean' },
      backend: { type: 'string' },
      'proc-root': { type: 'string' },
    },
    io,
    'snapshot',
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as { json?: boolean; 'no-threads'?: boolean; backend?: string; 'proc-root'?: string };
  const backend = v.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'procfs' && backend !== 'portable') return usageError(io, 'snapshot', t('error.badBackend'));
  let source: ProcessSource | undefined;
  try {
    if (v['proc-root'] !== undefined) checkProcRoot(v['proc-root']);
    source = v['proc-root'] !== undefined ? new ProcSampler({ procRoot: v['proc-root'] }) : createSampler({ backend });
    const snapshot = await source.poll({ threads: v['no-threads'] ? 'none' : 'all' });
    io.out(v.json ? `${JSON.stringify(toJson(snapshot), null, 2)}\n` : renderTree(snapshot));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  } finally {
    source?.dispose();
  }
};

function toJson(snapshot: Snapshot): unknown {
  return {
    backend: snapshot.backend,
    timestamp: new Date(snapshot.timestamp).toISOString(),
    system: snapshot.system,
    unavailableFields: snapshot.unavailableFields,
    ...(snapshot.hidden ? { hidden: snapshot.hidden } : {}),
    processes: snapshot.processes,
  };
}

/**
 * Tree lines drawn for at most this many levels: a fork chain thousands deep would otherwise print lines
 * thousands of columns wide (and output growing with the square of the depth). Deeper lines show their
 * depth as a number and the last levels of the drawing.
 */
export const MAX_DRAWN_DEPTH = 40;

export function renderTree(snapshot: Snapshot): string {
  const tree = buildTree(snapshot.processes);
  const lines: string[] = [
    t('snapshot.header', { pid: 'PID'.padStart(7), nlwp: 'NLWP'.padStart(4), user: padColumns(t('snapshot.user'), 9) }),
  ];
  // continuation[d]: what a line below the node at depth d draws in that node's column.
  const continuation: string[] = [];
  const indent = (depth: number): string => {
    if (depth <= MAX_DRAWN_DEPTH) return continuation.slice(1, depth).join('');
    return t('snapshot.depth', { depth }) + continuation.slice(depth - MAX_DRAWN_DEPTH + 1, depth).join('');
  };
  walkPreorder<ProcessInfo>(tree.roots, ({ node: p, depth, last }) => {
    const prefix = indent(depth);
    const branch = depth === 0 ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const cmd = p.cmdline && p.cmdline.length ? p.cmdline.join(' ') : `[${p.name}]`;
    lines.push(
      `${String(p.pid).padStart(7)} ${p.state} ${String(p.numThreads).padStart(4)} ${visible(p.user ?? '?').padEnd(9)} ${branch}${visible(cmd)}${p.leaderZombie ? t('snapshot.leaderZombie') : ''}`,
    );
    continuation[depth] = last ? '   ' : '│  ';
    continuation.length = depth + 1;
    if (p.threads && p.threads.length > 1) {
      const under = depth === 0 ? '' : prefix + continuation[depth];
      for (const th of p.threads) {
        lines.push(`${''.padStart(7)} ${th.state} ${''.padStart(4)} ${''.padEnd(9)} ${under}  · LWP ${th.tid} ${visible(th.name)}`);
      }
    }
    return tree.children.get(p.pid);
  });
  lines.push(...hiddenNotes(snapshot.hidden));
  return `${lines.join('\n')}\n`;
}
