// The IPC map: who talks to whom through which kernel object. Produced by scanIpc (src/core/ipc/scan.ts),
// printed by `procscope ipc` / `procscope locks`, drawn by the webview's IPC graph.
//
// An endpoint is (pid, fd or mapping, role); a channel is the set of endpoints that share one kernel object
// (same inode, key, id or lock). Plain JSON-safe objects with readonly fields; fields may be added, never
// renamed or removed.
import type { ProcessKey } from '../model';

/** Every channel has exactly one of these kinds. */
export const CHANNEL_KINDS = [
  'pipe',
  'fifo',
  'unix',
  'tcp',
  'udp',
  'posix-shm',
  'sysv-shm',
  'sysv-msg',
  'sysv-sem',
  'mqueue',
  'posix-sem',
  'eventfd',
  'signalfd',
  'timerfd',
  'epoll',
  'inotify',
  'memfd',
  'lock',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * What an endpoint does with the object:
 * - pipe/fifo/mqueue/posix-shm/memfd fds: `read`, `write`, `readwrite` (from the open flags);
 * - sockets: `listen`, `connected`, `bound` (bound, not connected), `unconnected`;
 * - locks: `holder`, `waiter`;
 * - SysV objects: `creator`, `attached` (shm mapped), `sender`, `receiver` (last msgsnd/msgrcv pid),
 *   `last-op` (last semop pid);
 * - `map`: the object is mapped into the address space (maps), no fd;
 * - `open`: an fd without a more specific role (eventfd, signalfd, timerfd, epoll, inotify, semaphores).
 */
export type EndpointRole =
  | 'read'
  | 'write'
  | 'readwrite'
  | 'listen'
  | 'connected'
  | 'bound'
  | 'unconnected'
  | 'holder'
  | 'waiter'
  | 'creator'
  | 'attached'
  | 'sender'
  | 'receiver'
  | 'last-op'
  | 'map'
  | 'open';

export interface Endpoint {
  readonly pid: number;
  /** The file descriptor, or null when the process reaches the object without one (a mapping, a SysV id, a lock). */
  readonly fd: number | null;
  /** Address range from /proc/PID/maps (`7f12a000-7f12b000`) when the endpoint is a mapping. */
  readonly mapping?: string;
  readonly role: EndpointRole;
  /** comm of the process, exactly as the kernel holds it; '' when the process was not visible. */
  readonly processName: string;
  /** `${pid}@${startTicks}` when the process was read in this scan. */
  readonly processKey?: ProcessKey;
  /** Extra, kind-specific facts for this endpoint (e.g. `O_NONBLOCK`, a socket's local address). */
  readonly detail?: string;
}

interface ChannelBase {
  readonly kind: ChannelKind;
  /** Stable across scans while the kernel object lives, e.g. `pipe:12345`, `tcp:127.0.0.1:80-127.0.0.1:5123`. */
  readonly id: string;
  /** One short human line: `pipe 12345`, `/tmp/sock (stream)`, `127.0.0.1:80 ↔ 127.0.0.1:5123`. */
  readonly label: string;
  readonly endpoints: readonly Endpoint[];
  /** Inode of the object when it has one (pipes, sockets, FIFOs, memfd, /dev/shm files). */
  readonly inode?: number;
}

export interface PipeChannel extends ChannelBase {
  readonly kind: 'pipe';
}

export interface FifoChannel extends ChannelBase {
  readonly kind: 'fifo';
  readonly path: string;
}

export type UnixSocketType = 'stream' | 'dgram' | 'seqpacket' | 'unknown';

export interface UnixChannel extends ChannelBase {
  readonly kind: 'unix';
  /** Filesystem path, `@name` for an abstract name, null when unnamed. */
  readonly path: string | null;
  readonly abstract: boolean;
  readonly socketType: UnixSocketType;
  /** `listening`, `connected`, `unconnected`, `connecting`, `disconnecting`, or the raw state number. */
  readonly state: string;
  /** Inode of each socket in the channel (a connected pair has two). */
  readonly inodes: readonly number[];
  /** False when the peer could not be found (no `ss`, or the peer is outside the scanned processes). */
  readonly peerKnown: boolean;
  /** /proc/net/unix listed the socket twice with different names (a name holding a forged row): path is null. */
  readonly nameUnknown?: true;
}

export interface InetChannel extends ChannelBase {
  readonly kind: 'tcp' | 'udp';
  readonly family: 'ipv4' | 'ipv6';
  /** TCP state name (`ESTABLISHED`, `LISTEN`, ...); for UDP `UNCONN` or `ESTABLISHED` (connected). */
  readonly state: string;
  /** `address:port` (IPv6 as `[addr]:port`). */
  readonly local: string;
  readonly remote: string;
  /** True when both ends were found on this machine and joined into this one channel. */
  readonly joined: boolean;
  readonly inodes: readonly number[];
}

export interface PosixShmChannel extends ChannelBase {
  readonly kind: 'posix-shm';
  /** Path under /dev/shm. */
  readonly path: string;
  /** Size in bytes when known (from stat of the file). */
  readonly size?: number;
  readonly deleted: boolean;
  /**
   * True for a MAP_SHARED mapping of an ordinary file outside /dev/shm that two or more processes map, one
   * of them writable (shared memory through a file, as shm_open does on tmpfs); the path is that file.
   */
  readonly sharedFile?: boolean;
}

export interface MemfdChannel extends ChannelBase {
  readonly kind: 'memfd';
  /** The name given to memfd_create. */
  readonly name: string;
}

export interface SysvShmChannel extends ChannelBase {
  readonly kind: 'sysv-shm';
  /** Key as printed by ipcs (`0x0000162e`; `0x00000000` is IPC_PRIVATE). */
  readonly key: string;
  readonly shmid: number;
  readonly size: number;
  readonly creatorPid: number;
  readonly lastPid: number;
  readonly attachCount: number;
  readonly perms: string;
  readonly uid: number;
  /** IPC_RMID was called (SHM_DEST, ipcs `dest`): freed when the last process detaches. */
  readonly markedForRemoval: boolean;
}

export interface SysvMsgChannel extends ChannelBase {
  readonly kind: 'sysv-msg';
  readonly key: string;
  readonly msqid: number;
  readonly bytes: number;
  readonly messages: number;
  /** pid of the last msgsnd / msgrcv (0 = none yet). */
  readonly lastSendPid: number;
  readonly lastRecvPid: number;
  readonly perms: string;
  readonly uid: number;
}

export interface SysvSemChannel extends ChannelBase {
  readonly kind: 'sysv-sem';
  readonly key: string;
  readonly semid: number;
  readonly nsems: number;
  readonly perms: string;
  readonly uid: number;
}

export interface MqueueChannel extends ChannelBase {
  readonly kind: 'mqueue';
  /** Queue name as given to mq_open (`/name`). */
  readonly name: string;
  /** From /dev/mqueue/NAME when mqueue is mounted there: bytes queued. */
  readonly queuedBytes?: number;
}

export interface PosixSemChannel extends ChannelBase {
  readonly kind: 'posix-sem';
  /** `/dev/shm/sem.NAME`. */
  readonly path: string;
  /** The name given to sem_open (`/NAME`). */
  readonly name: string;
}

/** eventfd, signalfd, timerfd, epoll, inotify: anonymous-inode objects. */
export interface AnonChannel extends ChannelBase {
  readonly kind: 'eventfd' | 'signalfd' | 'timerfd' | 'epoll' | 'inotify';
  /** Facts from fdinfo: `count 3`, `sigmask 0000000000004000`, `clock 1`, `watches 2`, `fds 4,5`. */
  readonly info?: string;
}

export type LockClass = 'FLOCK' | 'POSIX' | 'OFDLCK' | 'LEASE' | 'DELEG' | 'UNKNOWN';

export interface LockChannel extends ChannelBase {
  readonly kind: 'lock';
  readonly lockClass: LockClass;
  /** ADVISORY or MANDATORY (or BREAKING / ACTIVE for leases). */
  readonly mode: string;
  readonly access: 'READ' | 'WRITE' | 'NONE' | string;
  /** Byte range; end null = to end of file. */
  readonly start: number;
  readonly end: number | null;
  /** Device `major:minor` (hex, as /proc/locks prints it) and inode of the locked file. */
  readonly device: string;
  readonly fileInode: number;
  /** Path of the locked file when a holder or waiter has it open or mapped; null when not found. */
  readonly path: string | null;
}

export type Channel =
  | PipeChannel
  | FifoChannel
  | UnixChannel
  | InetChannel
  | PosixShmChannel
  | MemfdChannel
  | SysvShmChannel
  | SysvMsgChannel
  | SysvSemChannel
  | MqueueChannel
  | PosixSemChannel
  | AnonChannel
  | LockChannel;

/** A cycle in the lock wait-for graph: each pid waits for a lock held by the next (the last for the first). */
export interface Deadlock {
  readonly pids: readonly number[];
  /** Paths (or `dev:inode` when no path was found) of the files whose locks form the cycle. */
  readonly files: readonly string[];
  /** Ids of the lock channels in the cycle. */
  readonly channelIds: readonly string[];
}

/** One edge of the wait-for graph: `waiter` is blocked on a lock that `holder` holds. */
export interface WaitEdge {
  readonly waiter: number;
  readonly holder: number;
  readonly channelId: string;
}

/** What the scan could not do, as a code and its parameters, so each display can say it in its own language. */
export interface IpcWarning {
  readonly code:
    | 'tableUnreadable'
    | 'procsDenied'
    | 'procsFailed'
    | 'fdsFailed'
    | 'mapsFailed'
    | 'otherNamespace'
    | 'ssMissing'
    | 'ssFailed'
    | 'ssNotUsed';
  /** OS text (paths, errno names, namespaces) and counts; shown through visible(). */
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface IpcMap {
  /** When the scan finished, ms since the epoch. */
  readonly timestamp: number;
  readonly channels: readonly Channel[];
  readonly waitFor: readonly WaitEdge[];
  readonly deadlocks: readonly Deadlock[];
  /** Things the scan could not do, in words (`ss not found: unix socket peers unknown`). */
  readonly warnings: readonly string[];
  /** The same notes, one for one, as codes (src/shared/channelText.ts renders them in English or Korean). */
  readonly warningCodes?: readonly IpcWarning[];
  /** Processes whose fds could not be read (another user's process without privilege). */
  readonly unavailablePids: readonly number[];
  /** The network namespace whose /proc/net tables were read (`net:[4026531840]`). */
  readonly netNamespace: string | null;
  /** How long the scan took, milliseconds. */
  readonly durationMs: number;
}
