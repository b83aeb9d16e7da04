// What `procscope waits` (and later the panel) says about each blocked thread: the system call it is in,
// the object it waits on, the party that can wake it, and how that was found out. Plain JSON-safe values;
// fields may be added, never renamed or removed.

import type { Channel, IpcWarning } from '../ipc/model';

export const WAIT_KINDS = [
  'mutex',
  'futex',
  'pipe',
  'socket',
  'flock',
  'posix-lock',
  'ofd-lock',
  'child',
  'semaphore',
  'msgqueue',
  'sleep',
  'poll',
  'signal',
  'io',
  'unknown',
] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** A thread (`tid` set) or a whole process (`tid` null: any of its threads can act, as for a pipe's writer). */
export interface TaskRef {
  readonly pid: number;
  readonly tid: number | null;
}

/**
 * The object waited on as data, so each display can name it in its own language (src/shared/channelText.ts).
 * Absent when `object` is already language-free (a futex address, a kernel function, an address, fd numbers).
 */
export type WaitObject =
  | { readonly type: 'channel'; readonly channel: Channel }
  | { readonly type: 'pipe'; readonly inode: string }
  | { readonly type: 'fifo'; readonly path: string }
  | { readonly type: 'socket'; readonly inode: number }
  | { readonly type: 'child'; readonly pid: string }
  | { readonly type: 'anyChild' }
  | { readonly type: 'childGroup'; readonly pgrp: string }
  | { readonly type: 'childPidfd'; readonly fd: number }
  | { readonly type: 'semSet'; readonly semid: number | null }
  | { readonly type: 'msgQueue'; readonly msqid: number | null }
  | { readonly type: 'epoll'; readonly epfd: number | null; readonly fds: readonly string[] | null };

/** A note of the wait collector: its own (a thread list or stat file it could not read) or the IPC scan's. */
export interface WaitWarning {
  readonly code: IpcWarning['code'] | 'threadsUnlisted' | 'statFormat' | 'statUnreadable';
  readonly params?: Readonly<Record<string, string | number>>;
}

export const WAIT_HOW_KEYS = [
  'io',
  'ioIn',
  'notInSyscall',
  'glibcMutex',
  'futexNotMutex',
  'pipeNotFoundWriting',
  'pipeNotFoundReading',
  'pipeFull',
  'pipeEmpty',
  'pipeFullNone',
  'pipeEmptyNone',
  'pipeFullNonePartial',
  'pipeEmptyNonePartial',
  'socketNotFound',
  'socketAccept',
  'socketConnect',
  'socketSendPeers',
  'socketRecvPeers',
  'socketSendRemote',
  'socketRecvRemote',
  'socketSendNoPeer',
  'socketRecvNoPeer',
  'lockNoHolder',
  'lockBehind',
  'childNone',
  'child',
  'childZombies',
  'semop',
  'msgrcv',
  'msgsnd',
  'sleep',
  'signal',
  'epoll',
  'pollSets',
  'syscallUnreadable',
  'syscallDenied',
  'syscallDeniedYama1',
  'syscallDeniedYama2',
  'syscallDeniedYama3',
  'tableUnknown',
  'callError',
  'futexWaitv',
  'aio',
  'uninterpreted',
  'uninterpretedIn',
  'futexArgs',
  'piUnreadable',
  'piOwner',
  'piNoOwner',
  'futexOp',
  'futexMemUnreadable',
  'fdArg',
  'notPipeOrSocket',
  'msgNotFound',
  'epollUnreadable',
  'pollFds',
  'pollFdsUnreadable',
  'kernelThread',
  'kernelThreadIn',
  'kernelThreadIo',
  'kernelThreadIoIn',
] as const;
export type WaitHowKey = (typeof WAIT_HOW_KEYS)[number];

export interface WaitingFor {
  readonly kind: WaitKind;
  /** The one party that can wake the thread; null when there is none known, or several (see `holders`). */
  readonly holder: TaskRef | null;
  /** Every party that can wake it, when any is known (a pipe with two writers, a wait for any child). */
  readonly holders?: readonly TaskRef[];
  /** The object waited on: a futex address, `pipe 12345`, a socket address, a lock, a SysV id, a wait channel. */
  readonly object: string;
  /** `object` as data, for displays in other languages; `object` stays the English text. */
  readonly objectRef?: WaitObject;
  /** `how` as a key of src/shared/channelText.ts's table and its parameters; absent where only English exists. */
  readonly howKey?: WaitHowKey;
  readonly howParams?: Readonly<Record<string, string | number>>;
  /** How the fact was derived, or why no more could be said (permission, Yama, an unknown libc). English. */
  readonly how: string;
}

export interface ThreadSyscall {
  readonly nr: number;
  /** Name from the machine's system call table; null for a number not in it. */
  readonly name: string | null;
  /** The six argument registers exactly as the kernel prints them (hex), as strings: they are 64-bit. */
  readonly args: readonly string[];
}

export interface ThreadWait {
  readonly pid: number;
  readonly tid: number;
  /** The thread's comm, exactly as the kernel holds it. */
  readonly name: string;
  /** State letter from task/TID/stat (S, D, ...). */
  readonly state: string;
  /** Kernel function the thread sleeps in (task/TID/wchan); null when not sleeping or not shown to this user. */
  readonly wchan: string | null;
  /**
   * Set for a kernel thread (PF_KTHREAD): it makes no system calls, so `syscall` is null and `waitingFor`
   * says so (with the kernel function it sleeps in as the object) instead of naming a call.
   */
  readonly kernelThread?: true;
  /** The system call it is blocked in; null when running, not in a system call, unreadable, or a kernel thread. */
  readonly syscall: ThreadSyscall | null;
  /** null for a thread that is running (only listed with --all). */
  readonly waitingFor: WaitingFor | null;
  /** Files that could not be read, with the reason (`syscall`: `EACCES`, ...). */
  readonly unavailable?: Readonly<Record<string, string>>;
}

export interface WaitReport {
  readonly threads: readonly ThreadWait[];
  /** Each cycle of the wait-for graph: every thread waits for the next, the last for the first. */
  readonly cycles: readonly (readonly { readonly pid: number; readonly tid: number }[])[];
  /** Things that could not be done, in words (e.g. the IPC scan's own warnings). */
  readonly warnings: readonly string[];
  /** The same notes, one for one, as codes (src/shared/channelText.ts renders them in English or Korean). */
  readonly warningCodes?: readonly WaitWarning[];
  /** comm of every process and thread seen, keyed by `pid` or `pid/tid`, to name holders. */
  readonly names: ReadonlyMap<string, string>;
  /** /proc/sys/kernel/yama/ptrace_scope, or null when Yama is absent or unreadable. */
  readonly ptraceScope: number | null;
}
