// System call numbers → names for the calls a blocked thread is usually inside, per architecture
// (arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h for arm64). Only the calls the
// wait-for analysis interprets or a reader meets often; any other number is shown as `syscall N`.

const X64: Readonly<Record<number, string>> = {
  0: 'read',
  1: 'write',
  2: 'open',
  7: 'poll',
  17: 'pread64',
  18: 'pwrite64',
  19: 'readv',
  20: 'writev',
  23: 'select',
  34: 'pause',
  35: 'nanosleep',
  42: 'connect',
  43: 'accept',
  44: 'sendto',
  45: 'recvfrom',
  46: 'sendmsg',
  47: 'recvmsg',
  61: 'wait4',
  64: 'semget',
  65: 'semop',
  69: 'msgsnd',
  70: 'msgrcv',
  72: 'fcntl',
  73: 'flock',
  74: 'fsync',
  128: 'rt_sigtimedwait',
  130: 'rt_sigsuspend',
  202: 'futex',
  208: 'io_getevents',
  220: 'semtimedop',
  230: 'clock_nanosleep',
  232: 'epoll_wait',
  247: 'waitid',
  257: 'openat',
  270: 'pselect6',
  271: 'ppoll',
  275: 'splice',
  281: 'epoll_pwait',
  288: 'accept4',
  295: 'preadv',
  296: 'pwritev',
  299: 'recvmmsg',
  307: 'sendmmsg',
  333: 'io_pgetevents',
  426: 'io_uring_enter',
  441: 'epoll_pwait2',
  449: 'futex_waitv',
};

const ARM64: Readonly<Record<number, string>> = {
  4: 'io_getevents',
  22: 'epoll_pwait',
  25: 'fcntl',
  32: 'flock',
  56: 'openat',
  63: 'read',
  64: 'write',
  65: 'readv',
  66: 'writev',
  67: 'pread64',
  68: 'pwrite64',
  72: 'pselect6',
  73: 'ppoll',
  76: 'splice',
  82: 'fsync',
  95: 'waitid',
  98: 'futex',
  101: 'nanosleep',
  115: 'clock_nanosleep',
  133: 'rt_sigsuspend',
  137: 'rt_sigtimedwait',
  188: 'msgrcv',
  189: 'msgsnd',
  192: 'semtimedop',
  193: 'semop',
  202: 'accept',
  203: 'connect',
  206: 'sendto',
  207: 'recvfrom',
  211: 'sendmsg',
  212: 'recvmsg',
  242: 'accept4',
  243: 'recvmmsg',
  260: 'wait4',
  269: 'sendmmsg',
  292: 'io_pgetevents',
  426: 'io_uring_enter',
  441: 'epoll_pwait2',
  449: 'futex_waitv',
};

const TABLES: Readonly<Record<string, Readonly<Record<number, string>>>> = { x64: X64, arm64: ARM64 };

/** True when this machine's system call numbers are known (x86_64 and arm64). */
export function syscallTableKnown(arch: string = process.arch): boolean {
  return TABLES[arch] !== undefined;
}

/** The name of system call `nr` on `arch` (Node's process.arch naming); undefined when not in the table. */
export function syscallName(nr: number, arch: string = process.arch): string | undefined {
  return TABLES[arch]?.[nr];
}
