// procscope snapshot [--json] [--no-threads] [--backend procfs|portable] [--proc-root DIR]
import { visible } from '../core/text';
import { createSampler, ProcSampler, type ProcessSource } from '../core/sampler';
import type { ProcessInfo, Snapshot } from '../core/model';
import { buildTree } from '../core/tree';
import { parseCliArgs, reportError } from './common';
import { EXIT, type CliCommand } from './io';

const USAGE = `usage: procscope snapshot [--json] [--no-threads] [--backend auto|procfs|portable] [--proc-root DIR]

Every process and every thread (LWP) right now. --json prints {"processes": [...]} with the fields
documented in the README; without it, the process tree.
`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseCliArgs(args, {
    json: { type: 'boolean' },
    'no-threads': { type: 'boolean' },
    backend: { type: 'string' },
    'proc-root': { type: 'string' },
  }, io, USAGE);
  if (!parsed) return args.includes('--help') || args.includes('-h') ? EXIT.ok : EXIT.usage;
  const v = parsed.values as { json?: boolean; 'no-threads'?: boolean; backend?: string; 'proc-root'?: string };
  const backend = v.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'procfs' && backend !== 'portable') {
    io.err(`procscope: --backend must be auto, procfs or portable\n`);
    return EXIT.usage;
  }
  let source: ProcessSource | undefined;
  try {
    source = v['proc-root'] ? new ProcSampler({ procRoot: v['proc-root'] }) : createSampler({ backend });
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


function renderTree(snapshot: Snapshot): string {
  const tree = buildTree(snapshot.processes);
  const lines: string[] = [`${'PID'.padStart(7)} S ${'NLWP'.padStart(4)} ${'USER'.padEnd(9)} NAME / COMMAND`];
  const walk = (p: ProcessInfo, prefix: string, last: boolean, depth: number): void => {
    const branch = depth === 0 ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const cmd = p.cmdline && p.cmdline.length ? p.cmdline.join(' ') : `[${p.name}]`;
    lines.push(`${String(p.pid).padStart(7)} ${p.state} ${String(p.numThreads).padStart(4)} ${visible(p.user ?? '?').padEnd(9)} ${branch}${visible(cmd)}`);
    if (p.threads && p.threads.length > 1) {
      for (const t of p.threads) {
        lines.push(`${''.padStart(7)} ${t.state} ${''.padStart(4)} ${''.padEnd(9)} ${depth === 0 ? '' : prefix + (last ? '   ' : '│  ')}  · LWP ${t.tid} ${visible(t.name)}`);
      }
    }
    const kids = tree.children.get(p.pid) ?? [];
    kids.forEach((c, i) => walk(c, depth === 0 ? '' : prefix + (last ? '   ' : '│  '), i === kids.length - 1, depth + 1));
  };
  for (const r of tree.roots) walk(r, '', true, 0);
  return `${lines.join('\n')}\n`;
}
