// Polls the process table on a schedule and turns each poll into one recording line (format.ts): the first
// a full snapshot, then deltas. The same lines feed a file (`procscope record`) or, later, the panel's
// in-memory history.
import { diffSnapshots } from '../diff';
import type { Snapshot } from '../model';
import { ProcSampler } from '../sampler';
import { encodeDelta, encodeLine, RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader, type TickLine } from './format';
import { procFs } from '../procfs/procFs';

/** The kernel's fork counter (`processes` in /proc/stat): every fork and clone since boot; undefined if unreadable. */
export function readForkCount(procRoot = '/proc'): number | undefined {
  try {
    const m = /^processes (\d+)$/m.exec(procFs.readFileSync(`${procRoot}/stat`).toString('latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface RecorderOptions {
  readonly procRoot?: string;
  readonly threads?: boolean;
  readonly intervalMs: number;
  readonly producer?: string;
}

export class Recorder {
  private readonly sampler: ProcSampler;
  private readonly procRoot: string;
  private readonly threads: boolean;
  private previous: Snapshot | undefined;
  private previousForks: number | undefined;
  private index = 0;

  constructor(private readonly options: RecorderOptions) {
    this.procRoot = options.procRoot ?? '/proc';
    this.threads = options.threads === true;
    // An exec changes comm (read every tick) and argv: argv is re-read every tick too, so an exec that keeps
    // its name (a shell running a shell) is still seen at the tick it happened.
    this.sampler = new ProcSampler({ procRoot: this.procRoot, cmdlineRefreshMs: 0 });
  }

  /** The header for a recording whose first tick (the full snapshot) is `first`. */
  header(first: TickLine, startedAt: number): RecordingHeader {
    if (!('full' in first)) throw new Error('a recording header is made from the first tick');
    const system = first.full.system;
    return {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      host: system.hostname,
      bootTime: system.bootTime,
      clockTicks: system.clockTicks,
      intervalMs: this.options.intervalMs,
      startedAt,
      threads: this.threads,
      ...(this.options.producer ? { producer: this.options.producer } : {}),
    };
  }

  /** One poll, as the next line of the recording. */
  next(): TickLine {
    // The counter before the table: a process forked between the two reads is then counted no later than it is
    // seen, so over a recording the forks are never fewer than the births seen.
    const forksNow = readForkCount(this.procRoot);
    const snapshot = this.sampler.pollSync({ threads: this.threads ? 'all' : 'none' });
    const forks = forksNow !== undefined && this.previousForks !== undefined ? Math.max(0, forksNow - this.previousForks) : null;
    const prev = this.previous;
    this.previous = snapshot;
    this.previousForks = forksNow;
    const tick = this.index++;
    if (!prev) return { tick, at: snapshot.timestamp, forks: null, forksSinceBoot: forksNow ?? null, full: snapshot };
    return { tick, at: snapshot.timestamp, forks, delta: encodeDelta(diffSnapshots(prev, snapshot)) };
  }

  dispose(): void {
    this.sampler.dispose();
  }
}

/** Where recording bytes go: a file descriptor, stdout. Each call gets one whole gzip member. */
export type ByteSink = (chunk: Buffer) => void;

/**
 * Writes lines as gzip members and keeps the total under a bound: a line that would pass it is not written
 * (and write() says so), so the file never holds a partial line because of the bound.
 */
export class RecordingWriter {
  private written = 0;

  constructor(
    private readonly sink: ByteSink,
    private readonly maxBytes = Infinity,
  ) {}

  get bytes(): number {
    return this.written;
  }

  /** false when the line would make the recording larger than the bound (nothing is written then). */
  write(value: unknown): boolean {
    return this.writeAll([value]);
  }

  /**
   * Every line, or none when together they would pass the bound: the header and the first tick go together,
   * so a bound too small for both leaves nothing written (and the sink never called, so a file it would open
   * is never opened).
   */
  writeAll(values: readonly unknown[]): boolean {
    const members = values.map(encodeLine);
    const size = members.reduce((sum, m) => sum + m.length, 0);
    if (this.written + size > this.maxBytes) return false;
    for (const member of members) {
      this.sink(member);
      this.written += member.length;
    }
    return true;
  }
}
