// What the labs' rules read beyond a snapshot: the wait facts of the lab's own blocked threads (the waits
// core, with its probe cache) and the exit status of a lab zombie. Runs in the panel's worker (a `labFacts`
// request), never on the extension host's main thread; synchronous like the waits core itself.
import { classify, reasonOf } from '../core/errors';
import { procFs } from '../core/procfs/procFs';
import { WaitProbeCache } from '../core/waits/cache';
import { collectWaits } from '../core/waits/collect';
import type { WaitReport } from '../core/waits/model';
import type { LabFacts } from './protocol';

/** stat field 52 (exit_code, since Linux 3.5), counted from field 3 (state) after the name's last `)`. */
const EXIT_CODE_INDEX = 52 - 3;

export class LabWaitReader {
  private readonly cache = new WaitProbeCache();

  constructor(private readonly procRoot = '/proc') {}

  /**
   * Wait facts of the threads of `pids` only. Threads of other processes are left out of the look (the
   * probe treats them as gone), which keeps the lab's tick from reading the syscall file of every blocked
   * thread on the machine. Leaving nodes out can only remove cycles, never make one: a lab thread whose
   * waker is outside is not stuck in this look, so a cycle found here is one of the whole graph too.
   */
  read(pids: readonly number[]): Pick<WaitReport, 'threads' | 'cycles'> {
    const only = new Set(pids);
    // The look starts from the lab's processes (no other process is read), and probes only their threads.
    const report = collectWaits({
      procRoot: this.procRoot,
      from: pids,
      probe: (dir, tid, stat) => (only.has(pidOfTaskDir(dir)) ? this.cache.lookup(dir, tid, stat) : 'gone'),
    });
    this.cache.sweep();
    return { threads: report.threads, cycles: report.cycles };
  }
}

function pidOfTaskDir(dir: string): number {
  const m = /\/(\d+)\/task\/\d+$/.exec(dir);
  return m ? Number(m[1]) : -1;
}

/**
 * The exit status a zombie's parent will collect (as waitpid reports it: 0 = exited with status 0), or why
 * it could not be read. Without ptrace access the kernel prints 0 instead of the real value; the lab's
 * processes are the learner's own, where that access holds.
 */
export function readExitStatus(pid: number, procRoot = '/proc'): number | { readonly failed: string } {
  let text: string;
  try {
    text = procFs.readFileSync(`${procRoot}/${pid}/stat`).toString('latin1');
  } catch (error) {
    return { failed: classify(error) === 'gone' ? 'gone' : reasonOf(error) };
  }
  const close = text.lastIndexOf(')');
  const value =
    close < 0
      ? undefined
      : text
          .slice(close + 2)
          .trim()
          .split(' ')[EXIT_CODE_INDEX];
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) ? n : { failed: 'EINVAL: no exit_code field in stat' };
}

/**
 * One reader of what a lab's rules read beyond the snapshot, keeping its wait probe cache between calls: the
 * wait facts of `waitPids` (null: none asked) and the exit status of each of `exitPids` that can be read.
 */
export function labFactsReader(procRoot = '/proc'): (waitPids: readonly number[] | null, exitPids: readonly number[]) => LabFacts {
  const waits = new LabWaitReader(procRoot);
  return (waitPids, exitPids) => {
    let read: LabFacts['waits'] = null;
    if (waitPids) {
      try {
        read = waits.read(waitPids);
      } catch {
        // No readable /proc at all: the lab is judged without wait facts this tick.
      }
    }
    const exitStatus: Record<number, number> = {};
    for (const pid of exitPids) {
      const status = readExitStatus(pid, procRoot);
      if (typeof status === 'number') exitStatus[pid] = status;
    }
    return { waits: read, exitStatus };
  };
}
