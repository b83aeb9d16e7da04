// Facts about the procfs root itself, as opposed to one process in it: is it a procfs at all, and does
// its mount hide tasks from us. Every core entry point (sampler, detail, IPC scan, locks) starts here, so any
// caller gets the same clear error for a root that is missing, not a directory, or empty.
import { realpathSync } from 'node:fs';
import { errnoOf, ProcScopeError } from './errors';
import { procFs } from './procfs/procFs';
import type { HiddenTasks } from './model';

/**
 * Throws ProcScopeError('NO_PROCFS') unless `root` looks like a procfs: an existing directory holding a `stat`
 * file or at least one numeric (process) entry. Cheap in the usual case (two stats, no listing).
 */
export function checkProcRoot(root: string): void {
  let isDir: boolean;
  try {
    isDir = procFs.statSync(root).isDirectory();
  } catch (error) {
    const code = errnoOf(error);
    if (code === undefined) throw error;
    throw new ProcScopeError(
      'NO_PROCFS',
      code === 'ENOENT'
        ? `${root} does not exist: no procfs there (this platform may have none)`
        : `${root} cannot be used as a procfs (${code})`,
    );
  }
  if (!isDir) throw new ProcScopeError('NO_PROCFS', `${root} is not a directory, so not a procfs`);
  try {
    if (procFs.statSync(`${root}/stat`).isFile()) return;
  } catch (error) {
    if (errnoOf(error) === undefined) throw error;
  }
  let names: string[];
  try {
    names = procFs.readdirSync(root);
  } catch (error) {
    const code = errnoOf(error);
    if (code === undefined) throw error;
    throw new ProcScopeError('NO_PROCFS', `${root} cannot be listed (${code})`);
  }
  if (!names.some((n) => /^\d+$/.test(n))) {
    throw new ProcScopeError('NO_PROCFS', `${root} is not a procfs: it has no process directories and no stat file`);
  }
}

/**
 * The mount option by which the procfs at `root` hides other users' processes (`hidepid=invisible`,
 * `hidepid=2`, `subset=pid` is not hiding), or null: from mountinfo, the line whose mount point is `root`.
 */
export function hidingMountOption(root: string): string | null {
  let real: string;
  let text: string;
  try {
    real = realpathSync(root);
    text = procFs.readFileSync(`${root}/self/mountinfo`).toString('latin1');
  } catch (error) {
    if (errnoOf(error) === undefined) throw error;
    return null; // a fixture tree: nothing is hidden by a mount
  }
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 0 || fields[dash + 1] !== 'proc' || unescapeMountPath(fields[4] ?? '') !== real) continue;
    const option = (fields[dash + 3] ?? '').split(',').find((o) => o.startsWith('hidepid='));
    // hidepid=0 / off shows everything.
    if (option && option !== 'hidepid=0' && option !== 'hidepid=off') return option;
  }
  return null;
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Every task (process or thread) the kernel has, from the 4th field of loadavg (`running/total`). */
export function countAllTasks(root: string): number | undefined {
  try {
    const m = /^\S+ \S+ \S+ \d+\/(\d+) /.exec(procFs.readFileSync(`${root}/loadavg`).toString('latin1'));
    return m ? Number(m[1]) : undefined;
  } catch (error) {
    if (errnoOf(error) === undefined) throw error;
    return undefined;
  }
}

/**
 * What a reading of every process left out, as the sampler, `snapshot` and `ps` all report it: the processes
 * whose stat could not be read, by reason (`failures`); and under hidepid=2 (invisible), which does not even
 * list other users' processes, the tasks counted rather than found: the kernel's task count (loadavg) minus
 * the tasks seen (`tasksSeen`, asked only then). Only when the mount hides something, and not for root (ptrace
 * access sees through hidepid): outside that case loadavg counts tasks of other pid namespaces too.
 */
export function hiddenTasks(
  root: string,
  failures: Iterable<readonly [string, number]>,
  tasksSeen: () => number,
  hiding: string | null = hidingMountOption(root),
): HiddenTasks[] {
  const out: HiddenTasks[] = [];
  // hidepid=1 (noaccess) lists other users' processes but refuses their files: those are the refused ones.
  const listsHidden = hiding === 'hidepid=1' || hiding === 'hidepid=noaccess';
  for (const [reason, count] of failures) {
    out.push({
      count,
      unit: 'processes',
      reason: listsHidden && (reason === 'EACCES' || reason === 'EPERM') ? `${hiding} (${reason})` : reason,
    });
  }
  if (hiding !== null && !listsHidden && process.geteuid?.() !== 0) {
    const total = countAllTasks(root);
    if (total !== undefined) {
      const seen = tasksSeen();
      if (total > seen) out.push({ count: total - seen, unit: 'tasks', reason: hiding });
    }
  }
  return out;
}
