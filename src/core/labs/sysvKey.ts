// The SysV IPC keys the labs give their message queue and semaphore set. A key names its creator: the lab's
// pid is in the low 22 bits (pid_max is at most 2^22), the kind in the next two, and a fixed tag in the top
// byte. So a card rule can tell the lab's own semaphore set from any other set on the machine, and the next
// run of a lab killed with SIGKILL can find what it left behind (`/proc/sysvipc` names no creator pid for
// queues and semaphores). labs/ipc.py computes the same keys (`lab_sysv_key`); a unit test checks both agree.

/** Top byte of every lab key: 'P' (ProcScope). */
export const LAB_SYSV_KEY_TAG = 0x50;
const KINDS = ['msg', 'sem'] as const;
export type LabSysvKind = (typeof KINDS)[number];
const PID_BITS = 22;
const PID_MASK = (1 << PID_BITS) - 1;

/** The key a lab process `pid` uses for its object of this kind (a non-negative 32-bit value). */
export function labSysvKey(kind: LabSysvKind, pid: number): number {
  if (!Number.isInteger(pid) || pid <= 0 || pid > PID_MASK) throw new RangeError(`pid out of range: ${pid}`);
  return ((LAB_SYSV_KEY_TAG << 24) | (KINDS.indexOf(kind) << PID_BITS) | pid) >>> 0;
}

/** The kind and creator pid a lab key encodes; null for any key that is not a lab's. Accepts `0x…` or a number. */
export function labSysvKeyOwner(key: string | number): { readonly kind: LabSysvKind; readonly pid: number } | null {
  const value = typeof key === 'number' ? key >>> 0 : /^0x[0-9a-f]{1,8}$/i.test(key) ? Number.parseInt(key.slice(2), 16) : NaN;
  if (!Number.isInteger(value) || value >>> 24 !== LAB_SYSV_KEY_TAG) return null;
  const kind = KINDS[(value >>> PID_BITS) & 0b11];
  const pid = value & PID_MASK;
  return kind && pid > 0 ? { kind, pid } : null;
}
