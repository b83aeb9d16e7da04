// procscope snapshot [--json] [--no-threads] [--backend procfs|portable] [--proc-root DIR]
import { visible } from '../shared/visible';
import { createSampler } from '../core/sampler';
import { readSnapshot, readSnapshotSystem, type SnapshotReadEnd } from '../core/snapshotRead';
import type { ProcessInfo, Snapshot, SystemInfo } from '../core/model';
import { buildTree, walkPreorder } from '../core/tree';
import { checkProcRoot, hiddenNotes, padColumns, parseCliArgs, reportError, usageError } from './common';
import { EXIT, type CliCommand, type CliIo } from './io';
import { t } from './messages';
import { pushAll } from '../shared/arrays';

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
  try {
    if (v['proc-root'] !== undefined) checkProcRoot(v['proc-root']);
    const root = v['proc-root'] ?? (backend === 'procfs' || (backend === 'auto' && process.platform === 'linux') ? '/proc' : undefined);
    if (root !== undefined) {
      // A one-shot reading of procfs: the same values as a first poll of the panel's sampler (see
      // src/core/snapshotRead.ts), written as each process is read.
      const system = readSnapshotSystem(root);
      const threads = !v['no-threads'];
      if (v.json) {
        const writer = new JsonProcesses(io);
        const end = readSnapshot(root, system, { threads }, (p) => writer.add(p));
        writer.finish(end, system);
      } else {
        const processes: ProcessInfo[] = [];
        const end = readSnapshot(root, system, { threads }, (p) => processes.push(p));
        io.out(renderTree(procfsSnapshot(end, system, processes)));
      }
      return EXIT.ok;
    }
    const source = createSampler({ backend });
    try {
      const snapshot = await source.poll({ threads: v['no-threads'] ? 'none' : 'all' });
      io.out(v.json ? `${JSON.stringify(toJson(snapshot), null, 2)}\n` : renderTree(snapshot));
    } finally {
      source.dispose();
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
};

export function toJson(snapshot: Snapshot): unknown {
  return {
    backend: snapshot.backend,
    timestamp: new Date(snapshot.timestamp).toISOString(),
    system: snapshot.system,
    unavailableFields: snapshot.unavailableFields,
    ...(snapshot.inexactFields ? { inexactFields: snapshot.inexactFields } : {}),
    ...(snapshot.hidden ? { hidden: snapshot.hidden } : {}),
    processes: snapshot.processes,
  };
}

/** The Snapshot a sampler's poll would have returned for this reading. */
function procfsSnapshot(end: SnapshotReadEnd, system: SystemInfo, processes: readonly ProcessInfo[]): Snapshot {
  return {
    backend: 'procfs',
    timestamp: end.timestamp,
    intervalMs: null,
    system,
    processes,
    unavailableFields: [],
    ...(end.hidden.length > 0 ? { hidden: end.hidden } : {}),
  };
}

/** Text encoded and written at a time: a few large writes rather than one string of the whole answer. */
const CHUNK_CHARS = 1 << 20;
/** `[\n  [\n` and `\n  ]\n]` around a process in JSON.stringify([[p]], null, 2). */
const WRAP_HEAD = 6;
const WRAP_TAIL = 6;

/**
 * `JSON.stringify(toJson(snapshot), null, 2)` written piece by piece: each process is turned into its text
 * (at the depth it has in the whole) as it is read, so the objects die young, and the text goes out in
 * chunks. The header (backend, timestamp, hidden) is known only at the end, so the pieces wait for it.
 */
class JsonProcesses {
  private readonly pieces: Buffer[] = [];
  private chunk = '';
  private count = 0;

  constructor(private readonly io: CliIo) {}

  add(p: ProcessInfo): void {
    // Wrapped twice, the process is stringified at the depth it has in the whole (an element of `processes`
    // in the top object): its text is the wrapper's minus the first two lines and the last two.
    const wrapped = JSON.stringify([[p]], null, 2);
    const text = wrapped.slice(WRAP_HEAD, wrapped.length - WRAP_TAIL);
    this.chunk += this.count === 0 ? text : `,\n${text}`;
    this.count++;
    if (this.chunk.length >= CHUNK_CHARS) {
      // Encoded at once: the bytes live outside V8's heap, so the collector never copies them.
      this.pieces.push(Buffer.from(this.chunk, 'utf8'));
      this.chunk = '';
    }
  }

  finish(end: SnapshotReadEnd, system: SystemInfo): void {
    const top = JSON.stringify(toJson(procfsSnapshot(end, system, [])), null, 2);
    // `"processes": []` closes the top object: open the array instead and put the pieces in it.
    const emptyTail = '"processes": []\n}';
    if (!top.endsWith(emptyTail)) throw new Error(t('error.snapshotHeader'));
    if (this.count === 0) {
      this.io.out(`${top}\n`);
      return;
    }
    this.io.out(`${top.slice(0, -emptyTail.length)}"processes": [\n`);
    for (const piece of this.pieces) (this.io.outBytes ?? ((b: Buffer) => this.io.out(b.toString('utf8'))))(piece);
    this.io.out(`${this.chunk}\n  ]\n}\n`);
  }
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
  // A backend that cannot read a column (the portable one: no state, no thread count) shows ? there, not 0.
  const noThreads = snapshot.unavailableFields.includes('numThreads');
  walkPreorder<ProcessInfo>(tree.roots, ({ node: p, depth, last }) => {
    const prefix = indent(depth);
    const branch = depth === 0 ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const cmd = p.cmdline && p.cmdline.length ? p.cmdline.join(' ') : `[${p.name}]`;
    lines.push(
      `${visible(String(p.pid)).padStart(7)} ${visible(String(p.state))} ${(noThreads ? '?' : visible(String(p.numThreads))).padStart(4)} ${visible(p.user ?? '?').padEnd(9)} ${branch}${visible(cmd)}${p.leaderZombie ? t('snapshot.leaderZombie') : ''}`,
    );
    continuation[depth] = last ? '   ' : '│  ';
    continuation.length = depth + 1;
    if (p.threads && p.threads.length > 1) {
      const under = depth === 0 ? '' : prefix + continuation[depth];
      for (const th of p.threads) {
        lines.push(
          `${''.padStart(7)} ${visible(String(th.state))} ${''.padStart(4)} ${''.padEnd(9)} ${under}  · LWP ${visible(String(th.tid))} ${visible(th.name)}`,
        );
      }
    }
    return tree.children.get(p.pid);
  });
  pushAll(lines, hiddenNotes(snapshot.hidden));
  if (snapshot.unavailableFields.length > 0) {
    // A replayed snapshot comes from a file: these are shown escaped like every other string from outside.
    lines.push(
      t('snapshot.unavailable', { backend: visible(String(snapshot.backend)), fields: visible(snapshot.unavailableFields.join(', ')) }),
    );
  }
  return `${lines.join('\n')}\n`;
}
