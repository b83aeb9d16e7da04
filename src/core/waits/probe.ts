// Reading one thread's wait: task/TID/stat (state, name), then wchan and syscall only for a thread that
// sleeps (or when asked), since those two cost a ptrace permission check each and most threads run or idle.
import { classify, reasonOf } from '../errors';
import { procFs } from '../procfs/procFs';
import { readProcText } from '../procfs/fd';
import { syscallName } from './syscalls';
import type { ThreadSyscall } from './model';

/** What /proc/PID/task/TID/syscall says: in a call, running, or blocked outside any call (a fault, a stop). */
export type SyscallLine =
  { readonly kind: 'call'; readonly syscall: ThreadSyscall } | { readonly kind: 'running' } | { readonly kind: 'none' };

/** `202 0x55d0c0a4 0x80 0x2 0x0 0x0 0x0 0x7ffc... 0x7f...` (nr, six args, sp, pc), `running`, or `-1 sp pc`. */
export function parseSyscallLine(text: string, arch: string = process.arch): SyscallLine | undefined {
  const f = text.trim().split(/\s+/);
  if (f[0] === 'running') return { kind: 'running' };
  const nr = Number(f[0]);
  if (!Number.isInteger(nr)) return undefined;
  if (nr < 0) return { kind: 'none' };
  if (f.length < 7 || !f.slice(1, 7).every((a) => /^0x[0-9a-f]+$/i.test(a))) return undefined;
  return { kind: 'call', syscall: { nr, name: syscallName(nr, arch) ?? null, args: f.slice(1, 7) } };
}

/** An argument as a number when it fits (fds, ids, addresses below 2^53), else undefined. */
export function argNumber(arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  const n = parseInt(arg, 16);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An argument as the signed C type of `bits` the call received (wait4's pid_t -1 arrives as 0xffffffff). */
export function argSigned(arg: string | undefined, bits = 64): bigint | undefined {
  if (arg === undefined || !/^0x[0-9a-f]+$/i.test(arg)) return undefined;
  return BigInt.asIntN(bits, BigInt(arg));
}

export interface ThreadProbe {
  readonly wchan: string | null;
  readonly line: SyscallLine | null;
  readonly unavailable: Record<string, string>;
}

/** The wait channel: null for `0` or empty (not sleeping, or hidden from this user), 'gone', or the errno. */
export function readWchan(taskDir: string): string | null | 'gone' | { readonly failed: string } {
  try {
    const w = readProcText(`${taskDir}/wchan`).trim();
    return w === '' || w === '0' ? null : w;
  } catch (error) {
    return classify(error) === 'gone' ? 'gone' : { failed: reasonOf(error) };
  }
}

/** The syscall line, 'gone', or why it could not be read. */
export function readSyscall(taskDir: string): SyscallLine | 'gone' | { readonly failed: string } {
  try {
    return parseSyscallLine(readProcText(`${taskDir}/syscall`)) ?? { failed: 'EINVAL: unexpected format' };
  } catch (error) {
    return classify(error) === 'gone' ? 'gone' : { failed: reasonOf(error) };
  }
}

/**
 * wchan and syscall of one thread; 'gone' when the thread exited between the reads (it is dropped, not
 * reported half-read). Permission errors are kept as the reason: /proc hides both from other users'
 * processes (wchan then reads `0`, syscall fails with EACCES), and Yama can hide them from one's own.
 */
export function probeThread(taskDir: string, wchan: ReturnType<typeof readWchan> = readWchan(taskDir)): ThreadProbe | 'gone' {
  if (wchan === 'gone') return 'gone';
  const sc = readSyscall(taskDir);
  if (sc === 'gone') return 'gone';
  const unavailable: Record<string, string> = {};
  if (wchan !== null && typeof wchan === 'object') unavailable['wchan'] = wchan.failed;
  if ('failed' in sc) unavailable['syscall'] = sc.failed;
  return { wchan: typeof wchan === 'string' ? wchan : null, line: 'failed' in sc ? null : sc, unavailable };
}

/** Reads `length` bytes of a process's memory at `address`; a string is the reason it could not. */
export function readMemory(procRoot: string, pid: number, address: number, length: number): Buffer | string {
  let fd: number;
  try {
    fd = procFs.openSync(`${procRoot}/${pid}/mem`, 'r');
  } catch (error) {
    return reasonOf(error);
  }
  try {
    const buf = Buffer.alloc(length);
    const n = procFs.readSync(fd, buf, 0, length, address);
    return n === length ? buf : `EIO: short read (${n} of ${length} bytes)`;
  } catch (error) {
    return reasonOf(error);
  } finally {
    procFs.closeSync(fd);
  }
}
