// Acting on a process by its identity (pid + start time), never by a bare pid: between the moment the user
// picked a row (and the modal that confirmed it) and the moment the host acts, the process may have exited
// and its pid been handed to an unrelated process. No vscode import: unit-tested on real processes.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { AllowedSignal } from '../protocol';
import { splitProcessKey } from '../shared/processKey';

export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks after boot), as text: it can exceed 2^53 in theory. */
  readonly startTicks: string;
}

/**
 * The identity a process key names. The `+N` suffix (see src/shared/processKey.ts) only keeps apart the
 * histories of two processes that got the same pid within one clock tick; /proc cannot tell those two apart
 * after the fact, so acting compares pid and start time only.
 */
export function identityFromKey(key: string): ProcessIdentity | undefined {
  const parts = splitProcessKey(key);
  return parts && { pid: parts.pid, startTicks: parts.startText };
}

/** The start time of whatever holds this pid now, or undefined when nothing does (or /proc cannot say). */
export function currentStartTicks(pid: number, procRoot = '/proc'): string | undefined {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The name may hold spaces and parentheses: fields are counted after the last ')'. starttime is field 22,
  // the 20th after the name (state is field 3).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^[0-9]+$/.test(start) ? start : undefined;
}

export type IdentityState = 'same' | 'exited' | 'reused';

export function checkIdentity(id: ProcessIdentity, procRoot = '/proc'): IdentityState {
  const now = currentStartTicks(id.pid, procRoot);
  if (now === undefined) return 'exited';
  return now === id.startTicks ? 'same' : 'reused';
}

export type SignalOutcome =
  | { readonly kind: 'sent'; readonly via: 'pidfd' | 'kill' }
  | { readonly kind: 'exited' }
  | { readonly kind: 'reused' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Node has no pidfd API, so a fixed Python script does it: pidfd_open first, THEN compare the start time, then
 * pidfd_send_signal on that same descriptor. A pidfd names one process, not a pid: if the process exits after
 * the check, the signal fails with ESRCH instead of reaching whoever took the pid. Exit codes are the protocol.
 */
const PIDFD_SCRIPT = `
import os, signal, sys
pid, start, sig = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
try:
    fd = os.pidfd_open(pid)
except ProcessLookupError:
    sys.exit(3)
except PermissionError:
    sys.exit(5)
try:
    with open('/proc/%d/stat' % pid, 'rb') as f:
        data = f.read()
except (FileNotFoundError, ProcessLookupError):
    sys.exit(3)
fields = data[data.rindex(b')') + 2:].split(b' ')
if fields[19].decode() != start:
    sys.exit(4)
try:
    signal.pidfd_send_signal(fd, sig)
except ProcessLookupError:
    sys.exit(3)
except PermissionError:
    sys.exit(5)
sys.exit(0)
`;

const PYTHON_CANDIDATES = ['/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'];

/**
 * How the helper runs: `-I` (isolated: neither the working directory nor PYTHON* variables nor the user's
 * site-packages reach the module path) and `-S` (no site module), from `/`. Without them a `signal.py` in the
 * extension host's working directory, which is the folder VS Code was started in (an untrusted repository
 * after `code .`), would be imported and run by `import signal`.
 */
const PYTHON_FLAGS = ['-I', '-S'] as const;
const PYTHON_OPTIONS = { timeout: 5000, cwd: '/' } as const;

/** A python3 with os.pidfd_open (3.9+ on Linux 5.3+), found once; null when there is none. */
let pidfdPython: string | null | undefined;

function probePython(): Promise<string | null> {
  if (pidfdPython !== undefined) return Promise.resolve(pidfdPython);
  if (process.platform !== 'linux') return Promise.resolve((pidfdPython = null));
  const candidate = PYTHON_CANDIDATES.find((p) => existsSync(p));
  if (!candidate) return Promise.resolve((pidfdPython = null));
  return new Promise((resolve) => {
    // pidfd_open on our own pid proves both the Python API and the kernel call exist.
    execFile(
      candidate,
      [...PYTHON_FLAGS, '-c', 'import os, signal; os.close(os.pidfd_open(os.getpid())); signal.pidfd_send_signal'],
      PYTHON_OPTIONS,
      (error) => {
        pidfdPython = error ? null : candidate;
        resolve(pidfdPython);
      },
    );
  });
}

export interface SignalOptions {
  /** Skip the pidfd helper (tests of the fallback; platforms without it take that path anyway). */
  readonly noPidfd?: boolean;
  readonly procRoot?: string;
}

/** Sends `signal` to the process with this identity, or to nothing at all when it has changed. */
export async function signalIdentity(id: ProcessIdentity, signal: AllowedSignal, options: SignalOptions = {}): Promise<SignalOutcome> {
  const procRoot = options.procRoot ?? '/proc';
  const python = options.noPidfd || procRoot !== '/proc' ? null : await probePython();
  if (python) {
    const number = constants.signals[signal];
    const outcome = await new Promise<SignalOutcome | undefined>((resolve) => {
      execFile(
        python,
        [...PYTHON_FLAGS, '-c', PIDFD_SCRIPT, String(id.pid), id.startTicks, String(number)],
        PYTHON_OPTIONS,
        (error, _stdout, stderr) => {
          const code = error ? (error as { code?: unknown }).code : 0;
          switch (code) {
            case 0:
              resolve({ kind: 'sent', via: 'pidfd' });
              return;
            case 3:
              resolve({ kind: 'exited' });
              return;
            case 4:
              resolve({ kind: 'reused' });
              return;
            case 5:
              resolve({ kind: 'denied' });
              return;
            // ENOSYS and friends (a kernel without pidfd under a Python that has it): take the fallback below.
            default:
              resolve(
                stderr.includes('OSError') ? undefined : { kind: 'failed', message: stderr.trim().split('\n').pop() ?? String(error) },
              );
          }
        },
      );
    });
    if (outcome) return outcome;
  }
  // Check, then kill: the pid can change hands between the two calls, a window of a few microseconds (one
  // stat read) in which the old process must exit and a new one be created with the same pid.
  const state = checkIdentity(id, procRoot);
  if (state !== 'same') return { kind: state };
  try {
    process.kill(id.pid, signal);
    return { kind: 'sent', via: 'kill' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { kind: 'exited' };
    if (code === 'EPERM') return { kind: 'denied' };
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
