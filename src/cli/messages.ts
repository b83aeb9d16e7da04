// Every word the CLI prints, in English and Korean. Commands call `t(key, values)`; nothing user-facing is
// written as a literal anywhere else (test/unit/cliMessages.test.ts checks the sources).
// The language: `--lang en|ko`, else PROCSCOPE_LANG, else the first set of LC_ALL, LC_MESSAGES, LANG
// (ko* is Korean), as the labs choose theirs. Column headers that name a kernel or procps field (PID, TID,
// LWP, NLWP, the `ps -eLF` columns) stay as ps prints them in both languages, so output can be compared.

import { stateEntries, STATE_LETTERS } from '../shared/stateText';

export type Lang = 'en' | 'ko';

const en = {
  // cli.ts
  'usage.main':
    "usage: procscope <command> [options]\n       procscope help <command>\n       procscope --version\n\ncommands:\n{commands}\n\noptions for every command:\n  --lang en|ko   the language of the output (default: PROCSCOPE_LANG, else LC_ALL, LC_MESSAGES, LANG)\n  --help, -h     the command's own help\n\n{exitCodes}",
  exitCodes:
    'Exit codes: 0 ok (also when the reader of the output went away, as in `procscope ps | head`), 1 failure, 2 usage, 3 no such process, 4 permission denied, 5 no usable /proc.',
  'summary.snapshot': 'every process and thread now (--json for machines)',
  'summary.ps': 'every thread in the columns of ps -eLF',
  'summary.show': 'the PCB detail of one process',
  'summary.ipc': 'IPC channels between processes (--json, --pid PID, --kind KINDS)',
  'summary.ipcs': 'SysV shared memory, message queues and semaphores as a table (like ipcs)',
  'summary.locks': 'file locks: holders, waiters, deadlock cycles',
  'summary.waits': 'why each blocked thread waits, who can wake it, deadlock cycles',
  'summary.who': 'which processes use a file, port, lock or shared memory (like fuser and lsof)',
  'summary.sys': 'the machine at a glance: CPU per core, load, tasks, memory as free shows it, pressure',
  'summary.record': 'record the process table over time to a file (Ctrl-C stops; stays readable)',
  'summary.replay': 'what a recording holds, and the process table at one moment of it',
  'summary.help': 'the detailed help of a command',
  'error.unknownCommand': "unknown command '{name}'",
  'error.unexpected': '{message}',
  'error.badLang': "--lang must be en or ko, got '{value}'",
  'error.snapshotHeader': "internal error: the snapshot's JSON header has an unexpected shape",
  'error.badOption': '{message}',
  'error.unknownOption': "unknown option '{option}'",
  'error.missingValue': "option '{option}' needs a value",
  'error.repeatedOption': "option '{option}' is given more than once: give it once",
  'error.outputNeedsFile': "-o needs a file name (or '-' for standard output)",
  'error.sysvWith': "--sysv prints every SysV object as ipcs does: '{option}' does not apply to it",
  'error.takesNoValue': "option '{option}' takes no value",
  'error.unexpectedArgument': "unexpected argument '{arg}'",
  'error.permission': 'permission denied: {message}',
  'error.portableList': 'the portable backend could not list processes: {message}',
  'error.noProcRoot': 'no procfs at {root}: it does not exist',
  'error.procRootNotDir': 'no procfs at {root}: it is not a directory',
  'error.procRootEmpty': 'no procfs at {root}: it holds neither a stat file nor any process',
  'error.procRootUnreadable': 'no procfs at {root}: {reason}',
  'error.noProcfs': 'this platform has no /proc: {what} needs Linux',
  'error.badBackend': '--backend must be auto, procfs or portable',
  'error.psPortable': 'ps needs /proc (threads, SZ, PSR are not available from the portable backend)',
  'error.outputFailed': 'writing the output failed: {reason}',
  'ps.secondReader': 'the second reading thread read {w} of {runs} runs of 32 processes (PROCSCOPE_PS_READERS=2)',
  'error.badMaps': '--maps must be auto, always or never',
  'error.badPid': "--pid must be a positive integer, got '{value}'",
  'error.noSuchPid': 'no process {pid}',
  'error.statUnexpected': 'unexpected content in {path}: not what the kernel writes there',
  'error.pidRefused': 'process {pid} is there but this user may not look at it ({path} refused)',
  'error.fdsDenied': 'permission denied: the fds of process {pid} could not be read',
  'error.badKind': "--kind: unknown kind '{kind}' (kinds: {kinds})",
  'error.noKind': '--kind needs at least one kind (kinds: {kinds})',
  'error.threadPid': '{tid} is a thread (LWP) of process {pid}, not a process; pass --pid {pid} instead',
  'error.threadShow': '{tid} is a thread (LWP) of process {pid}, not a process; show {pid} instead',
  'error.missingPid': 'missing PID',
  'error.notPid': "not a process id: '{value}' (expected a positive integer)",
  'error.procRootNeedsDir': '--proc-root needs a directory',
  'help.seeHelp': "Run 'procscope help {command}' for its options.",

  // per-command help
  'help.snapshot': `usage: procscope snapshot [--json] [--no-threads] [--backend auto|procfs|portable] [--proc-root DIR]

Every process and every thread (LWP) right now. --json prints {"processes": [...]} with the fields
documented in the README; without it, the process tree. What /proc did not let this user see (hidepid) is
counted, with the reason: a note under the tree, "hidden" in the JSON.

  --json         one JSON document: every value exactly as the kernel holds it
  --no-threads   leave out the thread (LWP) rows
  --backend      procfs (Linux /proc), portable (ps-list + pidtree, as on macOS and Windows) or auto
  --proc-root    read another procfs mount or a copied tree (default /proc)
  --lang         en or ko
`,
  'help.ps': `usage: procscope ps [--json] [--proc-root DIR]

One row per thread (LWP), in the columns of \`ps -eLF\`:
UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD
CMD is built as ps builds it: the arguments joined by spaces (a newline in one as a space too), without
the NULs at the end of the command line, ? for a command line of only NULs; control characters print as ?,
as ps prints them (invisible and direction-changing characters are escaped as \\uXXXX, bytes that are not
UTF-8 as \\xNN). --json gives the same cells without turning control characters into ? or escaping anything.
When /proc hides processes from this user (hidepid), a note on stderr says how many and why: the table on
stdout stays comparable with ps, which says nothing of them.

  --json         one JSON array of rows
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.show': `usage: procscope show PID [--json] [--env] [--proc-root DIR]

The PCB detail of one process: identity, credentials, scheduling, signals, namespaces, control groups,
memory, open files, limits, I/O.

  PID          the process to describe (a positive integer)
  --json       print the detail as JSON (every field; memory regions in full)
  --env        include the environment variables (left out by default: they can hold secrets)
  --proc-root  read another procfs mount or a copied tree (default /proc)
  --lang       en or ko

Exit codes: 0 ok, 2 usage, 3 no such process, 4 permission denied, 5 no usable /proc.
`,
  'help.ipc': `usage: procscope ipc [--json] [--pid PID] [--kind KINDS] [--all-kinds] [--sysv] [--no-ss] [--maps auto|always|never] [--proc-root DIR]

Every IPC channel between processes: pipes, FIFOs, unix/TCP/UDP sockets, POSIX and SysV shared memory,
message queues and semaphores, file locks, and lock deadlock cycles. --json prints
{"channels": [...], "deadlocks": [...], ...}.

  --pid PID      only the channels of one process (with their other ends)
  --kind KINDS   only these kinds, comma-separated: {kinds}
  --all-kinds    also the objects one process holds alone (epoll, eventfd, memfd, signalfd, timerfd,
                 inotify), hidden by default because they connect no two processes
  --sysv         the SysV objects as a table, like ipcs (same as procscope ipcs)
  --no-ss        do not ask ss for socket peers
  --maps         read /proc/PID/maps for shared memory: auto, always or never
  --proc-root    read another procfs mount (default /proc)
  --json         every channel of the chosen kinds as JSON
  --lang         en or ko
`,
  'help.ipcs': `usage: procscope ipcs [--json] [--proc-root DIR]

The SysV IPC objects (shared memory segments, message queues, semaphore sets) as a table, like ipcs:
KEY, ID, OWNER, PERMS and who uses each one.

  --json         the same rows as JSON
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.locks': `usage: procscope locks [--json] [--proc-root DIR]

File locks from /proc/locks (FLOCK, POSIX, OFD, leases) with their holders and waiters, who waits for
whom, and deadlock cycles. --json prints {"locks": [...], "waitFor": [...], "deadlocks": [...]}.

  --json         the locks, the wait-for edges and the cycles as JSON
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.waits': `usage: procscope waits [--pid PID] [--json] [--all] [--proc-root DIR]

What each blocked thread (state S or D) waits for and who can wake it: the mutex owner, the other end of a
pipe or socket, the holder of a file lock, the children it waits for, the SysV semaphore or queue, a timer,
a signal, polled fds, disk I/O. Read from /proc/PID/task/TID/syscall, wchan and /proc/PID/mem, which need
ptrace-read permission (your own processes, unless Yama restricts it). Then the cycles of that wait-for
graph across every kind of wait: threads that wait for each other forever.
--json prints {"threads": [...], "cycles": [[{"pid", "tid"}, ...]]} with the fields documented in the README.

  --pid PID      only the threads of this process (cycles through it are still found across processes)
  --all          every thread, also running ones and kernel threads
  --json         one JSON document
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.who': `usage: procscope who TARGET [--json] [--proc-root DIR]

Which processes use an object, and how (fuser and lsof answer the same questions):
  PATH             a file, directory, device or FIFO: open fds (with r/w), mappings (libraries, mapped
                   files), working directory, root directory, executable, and locks on it. Matched by
                   device and inode, so hard links, bind mounts and other mount namespaces match too.
                   A unix socket file: its listener and the connections it accepted.
  lock:PATH        only the locks on the file: holders (with the fd that owns the lock) and waiters
  :PORT            TCP and UDP sockets listening on, bound to or connected to/from the port (IPv4 and IPv6)
  HOST:PORT        the same, only for that address ([ADDR]:PORT for IPv6; a name is resolved); a socket on
                   the wildcard address counts as listening on every address
  shm:NAME         the POSIX shared-memory object /dev/shm/NAME (open fds and mappings)
  shmid:N          the SysV shared-memory segment N (the processes that attached it)
A relative path that looks like HOST:PORT is written ./NAME. This process itself is left out.
Exit 0 when some process uses it, 1 when none does (as fuser and lsof), 2 for a malformed target; a target
that does not exist (no such file, a host that does not resolve, no such segment) is reported, exit 1.
Processes whose fds could not be read (another user's, without privilege) are counted on stderr.

  --json         {"object", "processes": [{"pid", "processKey", "name", "uid", "user", "uses": [...]}],
                 "unavailable": [{"pid", "reason"}]} (fields documented in the README)
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.sys': `usage: procscope sys [--json] [--interval MS] [--proc-root DIR]

The machine at a glance: CPU per core (user, nice, system, iowait, irq, softirq, steal, idle as % of the
time between two reads of /proc/stat), the load average, tasks by state, memory as free -b shows it
(used = total - available, as procps-ng 4; the older total - free - buff/cache is shown too), and pressure
stall information (/proc/pressure; marked unavailable with the reason where the kernel has none).

  --interval MS  milliseconds between the two reads of /proc/stat (1 to 60000, default 1000)
  --json         one JSON document, every number exact (bytes, percentages)
  --proc-root    read another procfs mount (default /proc)
  --lang         en or ko
`,
  'help.help': `usage: procscope help [COMMAND]

Without a command, the list of commands; with one, its options.
`,

  // snapshot
  'snapshot.header': '{pid} S {nlwp} {user} NAME / COMMAND',
  'snapshot.user': 'USER',
  'snapshot.depth': '[depth {depth}] ',
  'snapshot.leaderZombie': '  (main thread exited; other threads run)',
  'snapshot.unavailable': 'The {backend} backend cannot read: {fields}. They show as ?.',
  'note.hiddenProcesses': 'note: {count} process(es) could not be seen: {reason}',
  'note.hidepid':
    "note: {root} is mounted with {option}: other users' processes are hidden from this user, so this answer covers only what it may see",
  'note.hidepidShow':
    "{message} (or it is another user's: {root} is mounted with {option}, which hides other users' processes from this user)",
  'note.hiddenTasks': 'note: {count} task(s) (processes and threads) could not be seen: {reason}',

  // ipc
  'ipc.header': '{kind} CHANNEL / ENDPOINTS',
  'ipc.kind': 'KIND',
  'ipc.none': '(no channels)',
  'ipc.deadlock': 'DEADLOCK: {cycle} on {files}',
  'ipc.note': 'note: {text}',
  'ipc.summary': '{channels} channel(s), {deadlocks} deadlock(s); scan {ms} ms',
  'ipc.hiddenKinds': 'note: {count} single-process object(s) (epoll, eventfd, memfd, ...) not shown; --all-kinds shows them',
  'ipc.fd': 'fd {fd}',
  'ipc.map': 'map {range}',
  'ipc.facts.shm': 'size {size}, nattch {attached}, cpid {cpid}, lpid {lpid}',
  'ipc.facts.msg': '{messages} msg, {bytes} B, last send {send}, last recv {recv}',
  'ipc.facts.sem': '{nsems} semaphores (users not visible in /proc)',
  'ipc.facts.peerUnknown': ', peer unknown',
  'ipc.unixState.listening': 'listening',
  'ipc.unixState.connected': 'connected',
  'ipc.unixState.unconnected': 'unconnected',
  'ipc.unixState.connecting': 'connecting',
  'ipc.unixState.disconnecting': 'disconnecting',
  'ipc.lockMode.ADVISORY': 'ADVISORY',
  'ipc.lockMode.MANDATORY': 'MANDATORY',
  'ipc.lockMode.BREAKING': 'BREAKING',
  'ipc.lockMode.ACTIVE': 'ACTIVE',
  'role.read': 'read',
  'role.write': 'write',
  'role.readwrite': 'readwrite',
  'role.listen': 'listen',
  'role.connected': 'connected',
  'role.bound': 'bound',
  'role.unconnected': 'unconnected',
  'role.holder': 'holder',
  'role.waiter': 'waiter',
  'role.creator': 'creator',
  'role.attached': 'attached',
  'role.sender': 'sender',
  'role.receiver': 'receiver',
  'role.last-op': 'last-op',
  'role.map': 'map',
  'role.open': 'open',

  // ipcs
  'ipcs.title.shm': '------ Shared Memory Segments --------',
  'ipcs.title.msg': '------ Message Queues --------',
  'ipcs.title.sem': '------ Semaphore Arrays --------',
  'ipcs.head.key': 'KEY',
  'ipcs.head.id': 'ID',
  'ipcs.head.owner': 'OWNER',
  'ipcs.head.perms': 'PERMS',
  'ipcs.head.size': 'BYTES',
  'ipcs.head.nattch': 'NATTCH',
  'ipcs.head.messages': 'MESSAGES',
  'ipcs.head.nsems': 'NSEMS',
  'ipcs.head.users': 'USERS',
  'ipcs.dest': 'dest',
  'ipcs.none': '(none)',
  'ipcs.usersUnknown': '(not visible in /proc)',

  // locks
  'locks.header': '{cls} {access} {range} FILE',
  'locks.class': 'CLASS',
  'locks.access': 'ACCESS',
  'locks.range': 'RANGE',
  'locks.pathNotFound': '{device}:{inode} (path not found)',
  'locks.waiting': 'waiting: ',
  'locks.heldBy': 'held by: ',
  'locks.none': '(no file locks)',
  'locks.waitFor': 'wait-for:',
  'locks.waits': '  {waiter} waits for {holder}',
  'locks.noCycles': 'no deadlock cycles',
  'locks.cycles': 'DEADLOCK cycles:',
  'locks.cycle': '  {cycle}  files: {files}',

  // waits
  'waits.kind.mutex': 'waits for mutex {object}',
  'waits.kind.futex': 'waits on futex {object} (who will wake it cannot be known)',
  'waits.kind.pipe': 'waits on {object}',
  'waits.kind.socket': 'waits on socket {object}',
  'waits.kind.flock': 'waits for a flock lock: {object}',
  'waits.kind.posix-lock': 'waits for a POSIX lock: {object}',
  'waits.kind.ofd-lock': 'waits for an OFD lock: {object}',
  'waits.kind.child': 'waits for a child to exit',
  'waits.kind.semaphore': 'waits on {object} (who will wake it cannot be known)',
  'waits.kind.msgqueue': 'waits on {object}',
  'waits.kind.sleep': 'sleeps until its timer expires',
  'waits.kind.poll': 'waits for fds to become ready {object}',
  'waits.kind.signal': 'waits for a signal',
  'waits.kind.io': 'in disk or other kernel I/O (D) {object}',
  'waits.kind.unknown': 'in {syscall} {object}',
  'waits.notInSyscall': 'blocked outside a system call',
  'waits.kernelThread': 'kernel thread (makes no system calls)',
  'waits.kernelThreadIn': 'kernel thread (makes no system calls), sleeps in kernel function {wchan}',
  'waits.kernelThreadIo': 'kernel thread (makes no system calls), in disk or other kernel I/O (D) {object}',
  'waits.heldBy': 'held by {holders}',
  'waits.wokenBy': 'can be woken by {holders}',
  'waits.noneFound': 'no process found that can wake it',
  'waits.thread': '{tid} {name}',
  'waits.process': 'process {pid} {name}',
  'waits.group': '({count} threads wait on it)',
  'waits.deadlock': '(deadlock: {cycle})',
  'waits.denied':
    'what it waits for cannot be read: permission denied ({reason}); /proc/PID/task/TID/syscall needs ptrace-read permission over the process (the same user, or CAP_SYS_PTRACE)',
  'waits.yama': 'Yama ptrace_scope is {scope}',
  'waits.unreadable': 'what it waits for cannot be read: {reason}',
  'waits.running': 'running',
  'waits.none': '(no blocked threads)',
  'waits.noCycles': 'no deadlock cycles',
  'waits.cycles': 'DEADLOCK cycles:',
  'waits.cycle': '  {cycle}',
  'waits.warning': 'warning: {message}',

  // record, replay
  'help.record': `usage: procscope record [--seconds N] [--interval MS] [-o FILE] [--max-size BYTES] [--threads] [--proc-root DIR]

Records the process table over time, headless, to a compact append-only file: births (with their parent),
exits, execs, CPU and RSS at every tick (and every thread's state with --threads). The file is gzip'd
NDJSON, one gzip member per tick, so stopping at any moment (Ctrl-C, SIGTERM, a lost ssh session, a full
disk) leaves a file readable up to its last tick. Open it with 'procscope replay FILE'.
Processes that live less than one tick cannot be seen by polling: each tick also records how much the
kernel's fork counter grew, so a reader can count what was missed.

  --seconds N       stop after N seconds (default: until Ctrl-C or SIGTERM)
  --interval MS     milliseconds between ticks (default 1000, from 10 to 86400000: a day)
  -o, --output FILE where to write (default procscope-DATE-TIME.ndjson.gz here; - for stdout)
  --max-size BYTES  stop before the file would grow past this size (suffixes k, M, G: powers of 1024)
  --threads         also record every thread (LWP): state strips per thread; larger files
  --proc-root DIR   read another procfs mount (default /proc)
  --lang            en or ko
`,
  'help.replay': `usage: procscope replay FILE [--at SECONDS | --tick N] [--events] [--json]

What a recording made by 'procscope record' holds: when and where it was made, how long it ran, how many
processes were born, exited and exec'd, how many short-lived processes it could not see, and the process
tree at one moment (the last tick unless asked). A file cut off while it was written is read up to the cut,
with a warning; a file that is not a recording, or is newer than this ProcScope, is refused with exit 1.

  FILE         the recording (gzip'd or already gunzipped)
  --at SECONDS the table at this many seconds after the first tick (the last tick at or before it)
  --tick N     the table at tick N (0 is the first)
  --events     list every birth, exec and exit with its time
  --json       one JSON document: header, summary, every process's lifetime, the table at that tick
  --lang       en or ko
`,
  'error.badSeconds': "--seconds must be a positive number, got '{value}'",
  'error.badRecordInterval': "--interval must be a whole number of milliseconds from 10 to 86400000 (a day), got '{value}'",
  'error.badMaxSize': "--max-size must be a positive size in bytes (suffixes k, M, G), got '{value}'",
  'error.recordToTerminal': 'refusing to write a compressed recording to a terminal: give -o FILE, or pipe -o - into a file or ssh',
  'error.cannotWrite': 'cannot write {file}: {reason}',
  'error.cannotRead': 'cannot read {file}: {reason}',
  'error.missingFile': 'missing FILE (the recording to read)',
  'error.atAndTick': '--at and --tick cannot both be given',
  'error.badAt': "--at must be a number of seconds, got '{value}'",
  'error.badTick': "--tick must be a tick number (0 or more), got '{value}'",
  'error.tickOutOfRange': 'there is no tick {tick}: the recording has ticks 0 to {last}',
  'record.started': 'recording every {interval} ms to {file}; Ctrl-C stops (what is written stays readable)',
  'record.waitingForReader': '{file} is a FIFO: waiting for a reader to open it (Ctrl-C stops)',
  'record.stoppedWaiting': 'stopped while waiting for a reader of {file}: nothing recorded',
  'record.done': 'recorded {ticks} ticks over {seconds} s, {bytes} bytes, to {file}',
  'record.maxSize': 'stopped: the next tick would have made the file larger than --max-size ({max} bytes)',
  'record.tooSmall': '--max-size ({max} bytes) is smaller than the header and the first full snapshot: nothing recorded',
  'record.writeFailed': 'stopped: writing to {file} failed ({reason}) after {ticks} whole ticks; the file reads up to the last of them',
  'record.writeFailedNone': 'stopped: writing to {file} failed ({reason}) before any tick was written',
  'record.stdoutFailed':
    'stopped: writing to standard output failed ({reason}) after {ticks} ticks had been handed to it; what reached the file reads up to the last whole tick in it',
  'error.diskFull': 'no space left on the device',
  'replay.notRecording': '{file} is not a ProcScope recording: {why}',
  'replay.why.empty': 'the file is empty',
  'replay.why.cutInHeader': 'its first line (the header) is cut off or damaged',
  'replay.why.notJson': 'its first line is not JSON',
  'replay.why.notHeader': 'its first line is not a ProcScope recording header',
  'replay.why.badVersion': 'its header has no valid format version',
  'replay.why.badHeader': 'its header lacks a field every recording has',
  'replay.why.notFile': 'it is not a regular file (a FIFO, a device, a socket or a directory)',
  'replay.tooNew': '{file}: recording format version {version} is newer than this ProcScope understands; update ProcScope to read it',
  'replay.cutOff': 'warning: the recording is cut off after tick {tick}: the rest is unreadable ({why}{detail})',
  'replay.cutOffBeforeFirst': 'warning: the recording is cut off before its first tick: the rest is unreadable ({why}{detail})',
  'replay.limited': 'warning: {file} holds more than {max} bytes: only its start was read, up to tick {tick}',
  'replay.limitedNoTick': 'warning: {file} holds more than {max} bytes: only its start was read, and it holds no whole tick',
  'replay.tooLarge': '{file} is larger than {max} bytes once decompressed (damaged, or a gzip bomb): not read',
  'replay.cut.incomplete': 'the file ends in the middle of a tick',
  'replay.cut.notJson': 'a line is not JSON',
  'replay.cut.notTick': 'a line is not the next tick',
  'replay.cut.gzip': 'damaged gzip data: ',
  'replay.line': ', line {line}',
  'replay.header': 'recording of {host}, started {started} (format version {version}, made by {producer})',
  'replay.span': '{ticks} ticks over {seconds} s, every {interval} ms; threads {threads}',
  'replay.threadsYes': 'recorded',
  'replay.threadsNo': 'not recorded',
  'replay.processes': 'processes: {start} at the start, {born} born, {exited} exited, {execs} execs, {end} at the end',
  'replay.notSeen': 'the kernel counted {forks} forks (threads too, whole machine): +{count} short-lived processes not seen, at most',
  'replay.forksUnknown': "short-lived processes not seen: unknown (the kernel's fork counter could not be read)",
  'replay.noTicks': 'the recording holds no ticks',
  'replay.events': 'events:',
  'replay.noEvents': "  (none: no process was born, exec'd or exited)",
  'replay.born': 'born    {pid} {name} (parent {ppid})',
  'replay.exec': 'exec    {pid} {name}: {argv}',
  'replay.exited': 'exited  {pid} {name}',
  'replay.at': 'process table at tick {tick} (+{seconds} s, {time}):',

  // show
  'show.title': 'Process {pid} ({name})  state {state}: {meaning}{kthread}',
  'show.kthread': '  [kernel thread]',
  'show.unavailable': '(unavailable: {reason})',
  'show.fdTargetUnavailable': '(target unavailable: {reason})',
  'show.fdInfoUnavailable': '(fdinfo unavailable: {reason})',
  'show.unknown': 'unknown',
  'show.none': '(none)',
  'show.noneWord': 'none',
  'show.empty': '(empty)',
  'show.envNoEquals': "(no '=': the entry is not NAME=value)",
  'show.identity': 'identity',
  'show.command': 'command',
  'show.executable': 'executable',
  'show.cwd': 'working directory',
  'show.root': 'root directory',
  'show.parent': 'parent',
  'show.parentValue': 'ppid {ppid}, process group {pgid}, session {sid}',
  'show.terminal': 'terminal',
  'show.terminalValue': '{tty} (foreground group {tpgid})',
  'show.started': 'started',
  'show.tracedBy': 'traced by',
  'show.nobody': 'nobody',
  'show.pid': 'pid {pid}',
  'show.umask': 'umask',
  'section.credentials': 'Credentials',
  'show.ids': 'ids',
  'show.uid': 'uid',
  'show.gid': 'gid',
  'show.groups': 'groups',
  'show.idsValue': 'real {real} ({realName})  effective {eff} ({effName})  saved {saved} ({savedName})  filesystem {fs} ({fsName})',
  'show.capabilities': 'capabilities',
  'show.capsMany': '{count} of {total}{allBut} (CapEff {hex})',
  'show.allBut': ', all but {names}',
  'show.seccomp': 'seccomp',
  'seccomp.0': 'disabled',
  'seccomp.1': 'strict',
  'seccomp.2': 'filter',
  'show.noNewPrivs': 'no_new_privs',
  'show.yes': 'yes',
  'show.no': 'no',
  'section.scheduling': 'Scheduling',
  'show.policy': 'policy',
  'show.policyValue': '{policy}  nice {nice}  priority {priority}  real-time priority {rt}',
  'show.threads': 'threads',
  'show.lastCpu': 'last CPU',
  'show.affinity': 'CPU affinity',
  'show.ctxt': 'context switches',
  'show.ctxtValue': 'voluntary {v}  involuntary {i}',
  'show.ctxtSumValue': 'voluntary {v}  involuntary {i}  (sum over {count} threads)',
  'show.wchanOfThreads': "{wchan}  (over its threads; each thread's own below)",
  'show.note': 'note',
  'show.leaderZombie': 'main thread exited (pthread_exit); {count} other thread(s) run',
  'section.threads': 'Threads ({count})',
  'section.threadsNone': 'Threads',
  'show.threadList': 'threads',
  'show.threadName': 'NAME',
  'show.threadVol': 'VOLUNTARY',
  'show.threadInvol': 'INVOLUNTARY',
  'show.threadWchan': 'WAIT CHANNEL',
  'show.running': '(running)',
  'show.wchan': 'wait channel',
  'show.oom': 'OOM score',
  'show.oomValue': '{score}  (adjustment {adj})',
  'section.signals': 'Signals',
  'show.masks': 'masks',
  'show.pendingThread': 'pending (thread)',
  'show.pendingShared': 'pending (shared)',
  'show.blocked': 'blocked',
  'show.ignored': 'ignored',
  'show.caught': 'caught (handler)',
  'show.queued': 'queued',
  'show.queuedValue': '{queued} of {limit}',
  'section.namespaces': 'Namespaces',
  'show.ns': 'ns',
  'section.cgroups': 'Control groups',
  'show.cgroup': 'cgroup',
  'show.cgroupV2': 'v2 (unified)',
  'section.memory': 'Memory',
  'show.vsize': 'virtual size',
  'show.vsizeValue': '{size} (peak {peak})',
  'show.resident': 'resident',
  'show.residentValue': '{rss} = anonymous {anon} + file {file} + shmem {shmem}',
  'show.swap': 'swap',
  'show.status': 'status',
  'show.rollup': 'RSS / PSS / USS',
  'show.shared': 'shared',
  'show.private': 'private',
  'show.cleanDirty': 'clean {clean}  dirty {dirty}',
  'show.swapPss': 'swap / swap PSS',
  'show.smapsRollup': 'smaps_rollup',
  'show.regions': 'regions',
  'show.regionsValue': '{count}, {size} of address space',
  'show.regionKind': '{size} in {count} regions',
  'show.regionKind1': '{size} in 1 region',
  'show.libraries': 'shared libraries',
  'show.maps': 'maps',
  'region.code': 'code',
  'region.data': 'data',
  'region.heap': 'heap',
  'region.stack': 'stack',
  'region.library': 'library',
  'region.file': 'file',
  'region.anonymous': 'anonymous',
  'region.shared': 'shared',
  'region.special': 'special',
  'section.openFiles': 'Open files',
  'section.openFilesCount': 'Open files ({count})',
  'show.fds': 'fds',
  'section.limits': 'Limits (soft / hard)',
  'show.limits': 'limits',
  'section.io': 'I/O',
  'show.io': 'io',
  'show.read': 'read',
  'show.written': 'written',
  'show.readValue': '{bytes} in {calls} calls ({storage} from storage)',
  'show.writtenValue': '{bytes} in {calls} calls ({storage} to storage, {cancelled} cancelled)',
  'section.environment': 'Environment',
  'show.environ': 'environ',
  ...stateEntries('en', 'state.', STATE_LETTERS, 'meaning'),
  'unit.B': 'B',
  'unit.KiB': 'KiB',
  'unit.MiB': 'MiB',
  'unit.GiB': 'GiB',
  'unit.TiB': 'TiB',
  // Why a field is unavailable: the core's reasons (src/core/detail.ts REASON), by name.
  'reason.denied': "permission denied (EACCES): another user's process, or ptrace rules",
  'reason.kernelThread': 'kernel thread: no user address space',
  'reason.zombie': 'zombie: the process has exited and released its resources',
  'reason.notRequested': 'not requested (pass --env)',
  'reason.running': 'not waiting: running or runnable',
  'reason.noWchan': "not shown: the kernel printed 0 (no symbol for it, or another user's process)",
  'reason.unparsable': 'unexpected content',
  'reason.errno': 'not available ({code})',
  // who
  'error.whoMissing': 'missing target: a path, :PORT, HOST:PORT, lock:PATH, shm:NAME or shmid:N',
  'error.who.empty': "empty target '{target}'",
  'error.who.badPort': "'{target}': the port must be a number from 1 to 65535",
  'error.who.badShmid': "'{target}': shmid: needs a SysV shared-memory id (a non-negative integer)",
  'error.who.badShmName': "'{target}': shm: needs one name in /dev/shm, without a slash",
  'error.whoTarget.stat': 'cannot find {target}: {reason}',
  'error.whoTarget.resolve': 'cannot resolve host {target}: {reason}',
  'error.whoTarget.noSegment': 'no SysV shared-memory segment {target} ({reason})',
  'who.unreadable': '{count} process(es) could not be read ({reasons}): they may use it too unseen',
  'who.object.file': '{path}  (device {device}, inode {inode})',
  'who.object.lock': 'locks on {path}  (device {device}, inode {inode})',
  'who.object.port': 'port {port}  (TCP and UDP, every address)',
  'who.object.hostPort': '{host}:{port}  (addresses {addresses})',
  'who.object.shm':
    'SysV shared memory {shmid}  key {key}, {size} bytes, {attached} attached, created by pid {cpid}, last attach/detach by pid {lpid}',
  'who.nobody': 'no process uses it',
  'who.head.user': 'USER',
  'who.head.name': 'NAME',
  'who.head.how': 'HOW',
  'who.range': ' on bytes {start}-{end}',
  'who.use.fd': 'fd {fd}{mode}',
  'who.use.mmap': 'mapped {range} {perms}',
  'who.use.mmaps': 'mapped {count} times ({perms})',
  'who.use.cwd': 'working directory',
  'who.use.root': 'root directory',
  'who.use.exe': 'executable',
  'who.use.listen': 'listening on {protocol} {local} (fd {fd})',
  'who.use.bound': '{protocol} bound to {local} (fd {fd})',
  'who.use.connected': '{protocol} {local} connected to {remote} ({state}, fd {fd})',
  'who.use.connection': '{protocol} {local}: an accepted connection (fd {fd})',
  'who.use.holds': 'holds {lockClass} {access} lock{range}',
  'who.use.holdsFd': 'holds {lockClass} {access} lock{range} (fd {fd})',
  'who.use.waits': 'waits for {lockClass} {access} lock{range} held by pid {pid}',
  'who.use.waitsUnknown': 'waits for {lockClass} {access} lock{range}',

  // sys
  'error.badInterval': "--interval must be a whole number of milliseconds from 1 to 60000, got '{value}'",
  'sys.unavailable': '{what}: unavailable ({reason})',
  'sys.cpu.title': 'CPU, % of the {ms} ms between two reads of /proc/stat',
  'sys.cpu.all': 'all',
  'sys.load': 'load average  {load1} {load5} {load15}  ({running} runnable of {total} tasks)',
  'sys.tasks': 'tasks         {processes} processes ({pstates}); {threads} threads ({tstates})',
  'sys.memory.title': 'memory, as free -b shows it (used = total - available; total - free - buff/cache = {legacy})',
  'sys.memory.columns': 'total used free shared buff/cache available',
  'sys.memory.mem': 'Mem:',
  'sys.memory.swap': 'Swap:',
  'sys.pressure.title': 'pressure stall information, % of time stalled over 10 s, 60 s, 300 s',
} as const;

export type MessageKey = keyof typeof en;

const ko: Record<MessageKey, string> = {
  'usage.main':
    '사용법: procscope <명령> [옵션]\n       procscope help <명령>\n       procscope --version\n\n명령:\n{commands}\n\n모든 명령의 옵션:\n  --lang en|ko   출력 언어 (기본값: PROCSCOPE_LANG, 없으면 LC_ALL, LC_MESSAGES, LANG)\n  --help, -h     명령별 도움말\n\n{exitCodes}',
  exitCodes:
    '종료 코드: 0 성공 (`procscope ps | head`처럼 출력을 읽는 쪽이 먼저 끝난 경우 포함), 1 실패, 2 사용법 오류, 3 해당 프로세스 없음, 4 권한 거부, 5 쓸 수 있는 /proc 없음.',
  'summary.snapshot': '지금 이 순간의 모든 프로세스와 스레드 (기계용은 --json)',
  'summary.ps': '모든 스레드를 ps -eLF 열 형식으로',
  'summary.show': '프로세스 하나의 PCB 상세 정보',
  'summary.ipc': '프로세스 사이의 IPC 채널 (--json, --pid PID, --kind 종류)',
  'summary.ipcs': 'SysV 공유 메모리, 메시지 큐, 세마포어를 표로 (ipcs처럼)',
  'summary.locks': '파일 잠금: 보유자, 대기자, 교착 상태 순환',
  'summary.waits': '막힌 스레드마다 무엇을 기다리는지, 누가 깨울 수 있는지, 교착 상태 순환',
  'summary.who': '파일, 포트, 잠금, 공유 메모리를 어느 프로세스가 쓰는지 (`fuser`, `lsof`처럼)',
  'summary.sys': '머신 한눈에 보기: 코어별 CPU, 부하, 상태별 태스크, `free`와 같은 메모리, 압력 정체 정보',
  'summary.record': '프로세스 표를 시간에 따라 파일에 기록 (`Ctrl-C`로 멈춤; 읽을 수 있게 남음)',
  'summary.replay': '기록에 담긴 것과 그 한 순간의 프로세스 표',
  'summary.help': '명령의 자세한 도움말',
  'error.unknownCommand': "알 수 없는 명령 '{name}'",
  'error.unexpected': '{message}',
  'error.badLang': "--lang 값은 en 또는 ko여야 합니다: '{value}'",
  'error.snapshotHeader': '내부 오류: 스냅샷 JSON 머리 부분의 모양이 예상과 다릅니다',
  'error.badOption': '{message}',
  'error.unknownOption': "알 수 없는 옵션 '{option}'",
  'error.missingValue': "옵션 '{option}'에 값이 필요합니다",
  'error.repeatedOption': "옵션 '{option}'이(가) 여러 번 주어졌습니다: 한 번만 주세요",
  'error.outputNeedsFile': "-o에는 파일 이름이 필요합니다 (표준 출력은 '-')",
  'error.sysvWith': "--sysv는 ipcs처럼 모든 SysV 객체를 출력합니다: '{option}'은(는) 적용되지 않습니다",
  'error.takesNoValue': "옵션 '{option}'에는 값을 붙일 수 없습니다",
  'error.unexpectedArgument': "예상하지 못한 인수 '{arg}'",
  'error.permission': '권한 거부: {message}',
  'error.portableList': '이식형 백엔드가 프로세스 목록을 읽지 못했습니다: {message}',
  'error.noProcRoot': '{root}에 procfs가 없습니다: 존재하지 않는 경로입니다',
  'error.procRootNotDir': '{root}에 procfs가 없습니다: 디렉터리가 아닙니다',
  'error.procRootEmpty': '{root}에 procfs가 없습니다: stat 파일도 프로세스도 없습니다',
  'error.procRootUnreadable': '{root}에 procfs가 없습니다: {reason}',
  'error.noProcfs': '이 플랫폼에는 /proc이 없습니다: {what}에는 리눅스가 필요합니다',
  'error.badBackend': '--backend 값은 auto, procfs, portable 중 하나여야 합니다',
  'error.psPortable': 'ps에는 /proc이 필요합니다 (portable 백엔드는 스레드, SZ, PSR을 제공하지 않습니다)',
  'error.outputFailed': '출력 쓰기 실패: {reason}',
  'ps.secondReader': '두 번째 읽기 스레드가 프로세스 32개 단위 {runs}개 중 {w}개를 읽었습니다 (PROCSCOPE_PS_READERS=2)',
  'error.badMaps': '--maps 값은 auto, always, never 중 하나여야 합니다',
  'error.badPid': "--pid 값은 양의 정수여야 합니다: '{value}'",
  'error.noSuchPid': '프로세스 {pid} 없음',
  'error.statUnexpected': '{path}의 내용이 예상과 다름: 커널이 쓰는 형식이 아님',
  'error.pidRefused': '프로세스 {pid}은(는) 있지만 이 사용자는 볼 수 없음 ({path} 거부됨)',
  'error.fdsDenied': '권한 거부: 프로세스 {pid}의 fd를 읽을 수 없습니다',
  'error.badKind': "--kind: 알 수 없는 종류 '{kind}' (종류: {kinds})",
  'error.noKind': '--kind에는 종류가 하나 이상 필요합니다 (종류: {kinds})',
  'error.threadPid': '{tid}은(는) 프로세스 {pid}의 스레드(LWP)이며 프로세스가 아닙니다; 대신 --pid {pid}을(를) 주세요',
  'error.threadShow': '{tid}은(는) 프로세스 {pid}의 스레드(LWP)이며 프로세스가 아닙니다; 대신 show {pid}을(를) 쓰세요',
  'error.missingPid': 'PID가 없습니다',
  'error.notPid': "프로세스 ID가 아닙니다: '{value}' (양의 정수가 필요합니다)",
  'error.procRootNeedsDir': '--proc-root에는 디렉터리가 필요합니다',
  'help.seeHelp': "옵션은 'procscope help {command}'로 볼 수 있습니다.",

  'help.snapshot': `사용법: procscope snapshot [--json] [--no-threads] [--backend auto|procfs|portable] [--proc-root 디렉터리]

지금 이 순간의 모든 프로세스와 모든 스레드(LWP). --json은 README에 설명된 필드로 {"processes": [...]}를
출력하고, 없으면 프로세스 트리를 출력합니다. /proc이 이 사용자에게 보여 주지 않은 것(hidepid)은 개수와
이유를 알립니다: 트리 아래의 참고 줄, JSON의 "hidden".

  --json         JSON 문서 하나: 모든 값을 커널이 가진 그대로
  --no-threads   스레드(LWP) 행을 빼고 출력
  --backend      procfs (리눅스 /proc), portable (ps-list + pidtree, macOS와 윈도우에서처럼) 또는 auto
  --proc-root    다른 procfs 마운트나 복사한 트리를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.ps': `사용법: procscope ps [--json] [--proc-root 디렉터리]

스레드(LWP)마다 한 행, \`ps -eLF\`의 열 형식:
UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD
CMD는 ps와 같은 방식으로 만듭니다: 인수를 공백으로 잇고 (인수 안의 줄바꿈도 공백으로), 명령줄 끝의 \`NUL\`은
빼며, \`NUL\`뿐인 명령줄은 ?로 씁니다. 제어 문자는 ps처럼 ?로 출력합니다 (보이지 않거나 글자 방향을 바꾸는
문자는 \`\\uXXXX\`로, \`UTF-8\`이 아닌 바이트는 \`\\xNN\`으로 이스케이프). --json은 같은 칸을 제어 문자를 ?로
바꾸지도, 이스케이프하지도 않고 줍니다.
/proc이 이 사용자에게 프로세스를 숨기면 (hidepid) 몇 개를 왜 못 봤는지 표준 오류에 알립니다: 표준 출력의
표는 아무 말도 하지 않는 ps와 그대로 비교할 수 있습니다.

  --json         행들의 JSON 배열 하나
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.show': `사용법: procscope show PID [--json] [--env] [--proc-root 디렉터리]

프로세스 하나의 PCB 상세 정보: 식별, 자격 증명, 스케줄링, 시그널, 네임스페이스, 컨트롤 그룹, 메모리,
열린 파일, 자원 한도, 입출력.

  PID          설명할 프로세스 (양의 정수)
  --json       상세 정보를 JSON으로 출력 (모든 필드, 메모리 영역 전체)
  --env        환경 변수 포함 (비밀이 들어 있을 수 있어 기본으로는 뺌)
  --proc-root  다른 procfs 마운트나 복사한 트리를 읽음 (기본값 /proc)
  --lang       en 또는 ko

종료 코드: 0 성공, 2 사용법 오류, 3 해당 프로세스 없음, 4 권한 거부, 5 쓸 수 있는 /proc 없음.
`,
  'help.ipc': `사용법: procscope ipc [--json] [--pid PID] [--kind 종류] [--all-kinds] [--sysv] [--no-ss] [--maps auto|always|never] [--proc-root 디렉터리]

프로세스 사이의 모든 IPC 채널: 파이프, FIFO, 유닉스/TCP/UDP 소켓, POSIX와 SysV 공유 메모리, 메시지 큐,
세마포어, 파일 잠금, 잠금 교착 상태 순환. --json은 {"channels": [...], "deadlocks": [...], ...}를 출력합니다.

  --pid PID      프로세스 하나의 채널만 (상대편 끝과 함께)
  --kind 종류    쉼표로 구분한 종류만: {kinds}
  --all-kinds    프로세스 하나가 혼자 가진 객체 (epoll, eventfd, memfd, signalfd, timerfd, inotify)도 표시;
                 두 프로세스를 잇지 않으므로 기본으로는 숨김
  --sysv         SysV 객체를 ipcs처럼 표로 (procscope ipcs와 같음)
  --no-ss        소켓 상대편을 ss에 묻지 않음
  --maps         공유 메모리를 찾으려고 /proc/PID/maps를 읽을지: auto, always, never
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --json         선택한 종류의 모든 채널을 JSON으로
  --lang         en 또는 ko
`,
  'help.ipcs': `사용법: procscope ipcs [--json] [--proc-root 디렉터리]

SysV IPC 객체 (공유 메모리 세그먼트, 메시지 큐, 세마포어 집합)를 ipcs처럼 표로 보여 줍니다:
키, ID, 소유자, 권한, 그리고 각 객체를 쓰는 프로세스.

  --json         같은 행을 JSON으로
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.locks': `사용법: procscope locks [--json] [--proc-root 디렉터리]

/proc/locks의 파일 잠금 (FLOCK, POSIX, OFD, 임대)과 그 보유자, 대기자, 누가 누구를 기다리는지, 교착 상태
순환. --json은 {"locks": [...], "waitFor": [...], "deadlocks": [...]}를 출력합니다.

  --json         잠금, 대기 관계, 순환을 JSON으로
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.waits': `사용법: procscope waits [--pid PID] [--json] [--all] [--proc-root 디렉터리]

막힌 스레드 (상태 S 또는 D)마다 무엇을 기다리는지, 누가 깨울 수 있는지 보여 줍니다: 뮤텍스의 소유자,
파이프나 소켓의 반대쪽 끝, 파일 잠금의 보유자, 기다리는 자식, SysV 세마포어나 메시지 큐, 타이머, 시그널,
poll 중인 fd, 디스크 입출력. /proc/PID/task/TID/syscall, wchan, /proc/PID/mem에서 읽으며, 여기에는 ptrace
읽기 권한이 필요합니다 (Yama가 제한하지 않는 한 자기 프로세스). 그다음 모든 종류의 대기를 가로지르는
대기 그래프의 순환, 곧 서로를 영원히 기다리는 스레드들을 찾습니다.
--json은 {"threads": [...], "cycles": [[{"pid", "tid"}, ...]]}를 출력합니다 (필드는 README에 설명).

  --pid PID      이 프로세스의 스레드만 (그 프로세스를 지나는 순환은 여전히 프로세스를 가로질러 찾음)
  --all          실행 중인 스레드와 커널 스레드까지 모든 스레드
  --json         JSON 문서 하나로
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.who': `사용법: procscope who 대상 [--json] [--proc-root 디렉터리]

어떤 프로세스가 객체를 어떻게 쓰는지 보여 줍니다 (\`fuser\`와 \`lsof\`가 답하는 질문):
  경로             파일, 디렉터리, 장치, FIFO: 열린 fd (r/w와 함께), 매핑 (라이브러리, 매핑된 파일), 작업
                   디렉터리, 루트 디렉터리, 실행 파일, 그 파일의 잠금. 장치와 아이노드로 비교하므로 하드
                   링크, 바인드 마운트, 다른 마운트 네임스페이스도 맞춰 봅니다.
                   유닉스 소켓 파일: 듣는 소켓과 그것이 받아들인 연결.
  \`lock:경로\`      파일의 잠금만: 보유자 (잠금을 소유한 fd와 함께)와 대기자
  :포트            그 포트에서 듣는, 묶인, 그 포트로/에서 연결된 TCP와 UDP 소켓 (\`IPv4\`와 \`IPv6\`)
  호스트:포트      같지만 그 주소만 ([주소]:포트는 \`IPv6\`; 이름은 해석함); 와일드카드 주소의 소켓은 모든
                   주소에서 듣는 것으로 셈
  \`shm:이름\`       POSIX 공유 메모리 객체 \`/dev/shm/이름\` (열린 fd와 매핑)
  \`shmid:N\`        SysV 공유 메모리 세그먼트 N (붙인 프로세스)
호스트:포트처럼 보이는 상대 경로는 ./이름으로 씁니다. 이 프로세스 자신은 뺍니다.
어떤 프로세스가 쓰면 종료 코드 0, 아무도 안 쓰면 1 (\`fuser\`, \`lsof\`처럼), 잘못된 대상은 2; 없는 대상 (없는
파일, 해석되지 않는 호스트, 없는 세그먼트)은 알리고 1.
fd를 읽을 수 없던 프로세스 (권한 없는 다른 사용자의 것)는 표준 오류에 개수를 알립니다.

  --json         JSON 문서 하나 (필드는 README에 설명)
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.sys': `사용법: procscope sys [--json] [--interval 밀리초] [--proc-root 디렉터리]

머신 한눈에 보기: 코어별 CPU (\`user nice system iowait irq softirq steal idle\`을 /proc/stat 두 번 읽는
사이 시간의 %로), 부하 평균, 상태별 태스크, \`free -b\`와 같은 메모리 (\`used = total - available\`, \`procps-ng 4\`처럼;
예전의 \`total - free - buff/cache\`도 함께 표시), 압력 정체 정보 (\`/proc/pressure\`; 커널에 없으면 이유와 함께
쓸 수 없음으로 표시).

  --interval 밀리초  /proc/stat을 두 번 읽는 사이의 밀리초 (1부터 60000, 기본값 1000)
  --json         JSON 문서 하나, 모든 수는 정확하게 (바이트, 백분율)
  --proc-root    다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.help': `사용법: procscope help [명령]

명령 없이 쓰면 명령 목록을, 명령을 주면 그 명령의 옵션을 보여 줍니다.
`,

  'snapshot.header': '{pid} S {nlwp} {user} 이름 / 명령',
  'snapshot.user': '사용자',
  'snapshot.depth': '[깊이 {depth}] ',
  'snapshot.leaderZombie': '  (메인 스레드 종료; 다른 스레드는 실행 중)',
  'snapshot.unavailable': '{backend} 백엔드는 다음을 읽을 수 없습니다: {fields}. ?로 표시합니다.',
  'note.hiddenProcesses': '참고: 프로세스 {count}개를 볼 수 없었습니다: {reason}',
  'note.hidepid':
    '참고: {root}이(가) {option}(으)로 마운트되어 다른 사용자의 프로세스가 이 사용자에게 숨겨져 있습니다. 이 답은 볼 수 있는 것만 다룹니다',
  'note.hidepidShow':
    '{message} (또는 다른 사용자의 프로세스일 수 있음: {root}이(가) {option}(으)로 마운트되어 다른 사용자의 프로세스는 이 사용자에게 숨겨져 있습니다)',
  'note.hiddenTasks': '참고: 태스크(프로세스와 스레드) {count}개를 볼 수 없었습니다: {reason}',

  'ipc.header': '{kind} 채널 / 끝점',
  'ipc.kind': '종류',
  'ipc.none': '(채널 없음)',
  'ipc.deadlock': '교착 상태: {cycle}, 파일 {files}',
  'ipc.note': '참고: {text}',
  'ipc.summary': '채널 {channels}개, 교착 상태 {deadlocks}개; 조사 {ms} ms',
  'ipc.hiddenKinds': '참고: 프로세스 하나만 쓰는 객체 {count}개 (epoll, eventfd, memfd 등)는 숨겼습니다; --all-kinds로 볼 수 있습니다',
  'ipc.fd': 'fd {fd}',
  'ipc.map': '매핑 {range}',
  'ipc.facts.shm': '크기 {size}, 붙은 수 {attached}, 생성 pid {cpid}, 마지막 pid {lpid}',
  'ipc.facts.msg': '메시지 {messages}개, {bytes} B, 마지막 송신 {send}, 마지막 수신 {recv}',
  'ipc.facts.sem': '세마포어 {nsems}개 (사용자는 /proc에서 보이지 않음)',
  'ipc.facts.peerUnknown': ', 상대편 모름',
  'ipc.unixState.listening': '연결 대기',
  'ipc.unixState.connected': '연결됨',
  'ipc.unixState.unconnected': '연결 안 됨',
  'ipc.unixState.connecting': '연결 중',
  'ipc.unixState.disconnecting': '연결 끊는 중',
  'ipc.lockMode.ADVISORY': '권고',
  'ipc.lockMode.MANDATORY': '강제',
  'ipc.lockMode.BREAKING': '해제 중',
  'ipc.lockMode.ACTIVE': '활성',
  'role.read': '읽기',
  'role.write': '쓰기',
  'role.readwrite': '읽기쓰기',
  'role.listen': '연결 대기',
  'role.connected': '연결됨',
  'role.bound': '바인드됨',
  'role.unconnected': '연결 안 됨',
  'role.holder': '보유',
  'role.waiter': '대기자',
  'role.creator': '생성자',
  'role.attached': '붙음',
  'role.sender': '송신자',
  'role.receiver': '수신자',
  'role.last-op': '마지막 연산',
  'role.map': '매핑',
  'role.open': '열림',

  'ipcs.title.shm': '------ 공유 메모리 세그먼트 --------',
  'ipcs.title.msg': '------ 메시지 큐 --------',
  'ipcs.title.sem': '------ 세마포어 배열 --------',
  'ipcs.head.key': '키',
  'ipcs.head.id': 'ID',
  'ipcs.head.owner': '소유자',
  'ipcs.head.perms': '권한',
  'ipcs.head.size': '바이트',
  'ipcs.head.nattch': '연결수',
  'ipcs.head.messages': '메시지',
  'ipcs.head.nsems': '세마포어수',
  'ipcs.head.users': '사용 프로세스',
  'ipcs.dest': '삭제예정',
  'ipcs.none': '(없음)',
  'ipcs.usersUnknown': '(/proc에서 보이지 않음)',

  'locks.header': '{cls} {access} {range} 파일',
  'locks.class': '종류',
  'locks.access': '접근',
  'locks.range': '범위',
  'locks.pathNotFound': '{device}:{inode} (경로를 찾지 못함)',
  'locks.waiting': '기다리는 중: ',
  'locks.heldBy': '보유: ',
  'locks.none': '(파일 잠금 없음)',
  'locks.waitFor': '대기 관계:',
  'locks.waits': '  {waiter}이(가) {holder}을(를) 기다림',
  'locks.noCycles': '교착 상태 순환 없음',
  'locks.cycles': '교착 상태 순환:',
  'locks.cycle': '  {cycle}  파일: {files}',

  'waits.kind.mutex': '뮤텍스 {object}을(를) 기다림',
  'waits.kind.futex': 'futex {object}에서 기다림 (누가 깨울지는 알 수 없음)',
  'waits.kind.pipe': '{object}에서 기다림',
  'waits.kind.socket': '소켓 {object}에서 기다림',
  'waits.kind.flock': 'flock 잠금을 기다림: {object}',
  'waits.kind.posix-lock': 'POSIX 잠금을 기다림: {object}',
  'waits.kind.ofd-lock': 'OFD 잠금을 기다림: {object}',
  'waits.kind.child': '자식이 끝나기를 기다림',
  'waits.kind.semaphore': '{object}에서 기다림 (누가 깨울지는 알 수 없음)',
  'waits.kind.msgqueue': '{object}에서 기다림',
  'waits.kind.sleep': '타이머가 끝날 때까지 잠듦',
  'waits.kind.poll': 'fd가 준비되기를 기다림 {object}',
  'waits.kind.signal': '시그널을 기다림',
  'waits.kind.io': '디스크 또는 다른 커널 입출력 중 (D) {object}',
  'waits.kind.unknown': '{syscall} 안에 있음 {object}',
  'waits.notInSyscall': '시스템 호출 밖에서 막혀 있음',
  'waits.kernelThread': '커널 스레드 (시스템 호출을 하지 않음)',
  'waits.kernelThreadIn': '커널 스레드 (시스템 호출을 하지 않음), 커널 함수 {wchan}에서 잠듦',
  'waits.kernelThreadIo': '커널 스레드 (시스템 호출을 하지 않음), 디스크 또는 다른 커널 입출력 중 (D) {object}',
  'waits.heldBy': '보유: {holders}',
  'waits.wokenBy': '깨울 수 있는 쪽: {holders}',
  'waits.noneFound': '깨울 수 있는 프로세스를 찾지 못함',
  'waits.thread': '{tid} {name}',
  'waits.process': '프로세스 {pid} {name}',
  'waits.group': '(스레드 {count}개가 기다림)',
  'waits.deadlock': '(교착 상태: {cycle})',
  'waits.denied':
    '무엇을 기다리는지 읽을 수 없음: 권한 거부 ({reason}); /proc/PID/task/TID/syscall에는 그 프로세스에 대한 ptrace 읽기 권한이 필요함 (같은 사용자 또는 CAP_SYS_PTRACE)',
  'waits.yama': 'Yama ptrace_scope 값은 {scope}',
  'waits.unreadable': '무엇을 기다리는지 읽을 수 없음: {reason}',
  'waits.running': '실행 중',
  'waits.none': '(막힌 스레드 없음)',
  'waits.noCycles': '교착 상태 순환 없음',
  'waits.cycles': '교착 상태 순환:',
  'waits.cycle': '  {cycle}',
  'waits.warning': '경고: {message}',

  'show.title': '프로세스 {pid} ({name})  상태 {state}: {meaning}{kthread}',
  'show.kthread': '  [커널 스레드]',
  'show.unavailable': '(볼 수 없음: {reason})',
  'show.fdTargetUnavailable': '(대상 볼 수 없음: {reason})',
  'show.fdInfoUnavailable': '(fdinfo 볼 수 없음: {reason})',
  'show.unknown': '알 수 없음',
  'show.none': '(없음)',
  'show.noneWord': '없음',
  'show.empty': '(비어 있음)',
  'show.envNoEquals': "('=' 없음: NAME=value 형식이 아닌 항목)",
  'show.identity': '식별자',
  'show.command': '명령',
  'show.executable': '실행 파일',
  'show.cwd': '작업 디렉터리',
  'show.root': '루트 디렉터리',
  'show.parent': '부모',
  'show.parentValue': 'ppid {ppid}, 프로세스 그룹 {pgid}, 세션 {sid}',
  'show.terminal': '터미널',
  'show.terminalValue': '{tty} (포그라운드 그룹 {tpgid})',
  'show.started': '시작 시각',
  'show.tracedBy': '추적자',
  'show.nobody': '없음',
  'show.pid': 'pid {pid}',
  'show.umask': 'umask',
  'section.credentials': '자격 증명',
  'show.ids': 'ID',
  'show.uid': 'uid',
  'show.gid': 'gid',
  'show.groups': '그룹',
  'show.idsValue': '실제 {real} ({realName})  유효 {eff} ({effName})  저장 {saved} ({savedName})  파일 시스템 {fs} ({fsName})',
  'show.capabilities': '케이퍼빌리티',
  'show.capsMany': '{total}개 중 {count}개{allBut} (CapEff {hex})',
  'show.allBut': ', 빠진 것: {names}',
  'show.seccomp': 'seccomp',
  'seccomp.0': '꺼짐',
  'seccomp.1': '엄격',
  'seccomp.2': '필터',
  'show.noNewPrivs': 'no_new_privs',
  'show.yes': '예',
  'show.no': '아니요',
  'section.scheduling': '스케줄링',
  'show.policy': '정책',
  'show.policyValue': '{policy}  nice {nice}  우선순위 {priority}  실시간 우선순위 {rt}',
  'show.threads': '스레드',
  'show.lastCpu': '마지막 CPU',
  'show.affinity': 'CPU 친화성',
  'show.ctxt': '컨텍스트 스위칭',
  'show.ctxtValue': '자발적 {v}  비자발적 {i}',
  'show.ctxtSumValue': '자발적 {v}  비자발적 {i}  (스레드 {count}개의 합)',
  'show.wchanOfThreads': '{wchan}  (스레드들의 요약; 스레드마다의 값은 아래)',
  'show.note': '참고',
  'show.leaderZombie': '메인 스레드가 종료함 (pthread_exit); 다른 스레드 {count}개가 실행 중',
  'section.threads': '스레드 ({count})',
  'section.threadsNone': '스레드',
  'show.threadList': '스레드',
  'show.threadName': '이름',
  'show.threadVol': '자발적',
  'show.threadInvol': '비자발적',
  'show.threadWchan': '대기 채널',
  'show.running': '(실행 중)',
  'show.wchan': '대기 채널',
  'show.oom': 'OOM 점수',
  'show.oomValue': '{score}  (조정값 {adj})',
  'section.signals': '시그널',
  'show.masks': '마스크',
  'show.pendingThread': '보류 (스레드)',
  'show.pendingShared': '보류 (공유)',
  'show.blocked': '차단',
  'show.ignored': '무시',
  'show.caught': '처리기 있음',
  'show.queued': '큐에 쌓임',
  'show.queuedValue': '{limit}개 중 {queued}개',
  'section.namespaces': '네임스페이스',
  'show.ns': 'ns',
  'section.cgroups': '컨트롤 그룹',
  'show.cgroup': 'cgroup',
  'show.cgroupV2': 'v2 (통합)',
  'section.memory': '메모리',
  'show.vsize': '가상 크기',
  'show.vsizeValue': '{size} (최대 {peak})',
  'show.resident': '상주',
  'show.residentValue': '{rss} = 익명 {anon} + 파일 {file} + 공유 메모리 {shmem}',
  'show.swap': '스왑',
  'show.status': '상태 파일',
  'show.rollup': 'RSS / PSS / USS',
  'show.shared': '공유',
  'show.private': '전용',
  'show.cleanDirty': '깨끗함 {clean}  더러움 {dirty}',
  'show.swapPss': '스왑 / 스왑 PSS',
  'show.smapsRollup': 'smaps_rollup',
  'show.regions': '영역',
  'show.regionsValue': '{count}개, 주소 공간 {size}',
  'show.regionKind': '영역 {count}개에 {size}',
  'show.regionKind1': '영역 1개에 {size}',
  'show.libraries': '공유 라이브러리',
  'show.maps': 'maps',
  'region.code': '코드',
  'region.data': '데이터',
  'region.heap': '힙',
  'region.stack': '스택',
  'region.library': '라이브러리',
  'region.file': '파일',
  'region.anonymous': '익명',
  'region.shared': '공유',
  'region.special': '특수',
  'section.openFiles': '열린 파일',
  'section.openFilesCount': '열린 파일 ({count})',
  'show.fds': 'fd',
  'section.limits': '자원 한도 (soft / hard)',
  'show.limits': '한도',
  'section.io': '입출력',
  'show.io': 'io',
  'show.read': '읽기',
  'show.written': '쓰기',
  'show.readValue': '{calls}번 호출로 {bytes} (저장 장치에서 {storage})',
  'show.writtenValue': '{calls}번 호출로 {bytes} (저장 장치로 {storage}, 취소 {cancelled})',
  'section.environment': '환경 변수',
  'show.environ': '환경',
  ...stateEntries('ko', 'state.', STATE_LETTERS, 'meaning'),
  'unit.B': 'B',
  'unit.KiB': 'KiB',
  'unit.MiB': 'MiB',
  'unit.GiB': 'GiB',
  'unit.TiB': 'TiB',
  'help.record': `사용법: procscope record [--seconds 초] [--interval 밀리초] [-o 파일] [--max-size 바이트] [--threads] [--proc-root 디렉터리]

화면 없이 프로세스 표를 시간에 따라 기록하여, 덧붙이기만 하는 작은 파일에 씁니다: 틱마다 생성(부모 포함),
종료, \`exec\`, CPU와 RSS (--threads를 주면 스레드마다의 상태도). 파일은 \`gzip\`으로 압축한 \`NDJSON\`이고
틱마다 \`gzip\` 멤버 하나이므로, 언제 멈추더라도 (\`Ctrl-C\`, \`SIGTERM\`, 끊긴 \`ssh\` 세션, 가득 찬 디스크)
마지막 틱까지 읽을 수 있습니다. \`procscope replay 파일\`로 엽니다.
한 틱보다 짧게 산 프로세스는 폴링으로 볼 수 없습니다: 틱마다 커널의 \`fork\` 카운터가 얼마나 늘었는지도
기록하므로, 읽는 쪽에서 놓친 수를 셀 수 있습니다.

  --seconds 초        이만큼 초가 지나면 멈춤 (기본값: \`Ctrl-C\`나 \`SIGTERM\`까지)
  --interval 밀리초   틱 사이의 밀리초 (기본값 1000, 10부터 86400000(하루)까지)
  -o, --output 파일   쓸 곳 (기본값: 현재 폴더의 \`procscope-날짜-시각.ndjson.gz\`; \`-\`는 표준 출력)
  --max-size 바이트   파일이 이 크기를 넘기기 전에 멈춤 (접미사 \`k\`, \`M\`, \`G\`: 1024의 거듭제곱)
  --threads           모든 스레드(LWP)도 기록: 스레드별 상태 띠; 파일이 커짐
  --proc-root 디렉터리  다른 procfs 마운트를 읽음 (기본값 /proc)
  --lang              en 또는 ko
`,
  'help.replay': `사용법: procscope replay 파일 [--at 초 | --tick 번호] [--events] [--json]

\`procscope record\`로 만든 기록에 담긴 것: 언제 어디서 만들었는지, 얼마 동안 기록했는지, 생성·종료·\`exec\`한
프로세스 수, 보지 못한 짧게 산 프로세스 수, 그리고 한 순간의 프로세스 트리 (따로 묻지 않으면 마지막 틱).
쓰는 도중 잘린 파일은 잘린 곳까지 읽고 경고를 냅니다. 기록이 아닌 파일이나 이 프로그램보다 새 형식의
파일은 종료 코드 1로 거부합니다.

  파일         기록 파일 (\`gzip\` 그대로 또는 압축을 푼 것)
  --at 초      첫 틱에서 이만큼 초가 지난 때의 표 (그 시각이나 그 전의 마지막 틱)
  --tick 번호  그 번호의 틱의 표 (0이 첫 틱)
  --events     모든 생성, \`exec\`, 종료를 시각과 함께 나열
  --json       JSON 문서 하나: 헤더, 요약, 프로세스마다의 수명, 그 틱의 표
  --lang       en 또는 ko
`,
  'error.badSeconds': "--seconds는 양수여야 합니다. 받은 값: '{value}'",
  'error.badRecordInterval': "--interval은 10부터 86400000(하루)까지의 정수 밀리초여야 합니다. 받은 값: '{value}'",
  'error.badMaxSize': "--max-size는 양의 바이트 크기여야 합니다 (접미사 k, M, G). 받은 값: '{value}'",
  'error.recordToTerminal': '압축된 기록을 터미널에 쓰지 않습니다: -o FILE을 주거나, -o -를 파일이나 ssh로 파이프하세요',
  'error.cannotWrite': '{file}에 쓸 수 없음: {reason}',
  'error.cannotRead': '{file}을(를) 읽을 수 없음: {reason}',
  'error.missingFile': 'FILE(읽을 기록)이 없습니다',
  'error.atAndTick': '--at과 --tick은 함께 줄 수 없습니다',
  'error.badAt': "--at은 초 단위 수여야 합니다. 받은 값: '{value}'",
  'error.badTick': "--tick은 틱 번호(0 이상)여야 합니다. 받은 값: '{value}'",
  'error.tickOutOfRange': '{tick}번 틱은 없습니다: 이 기록의 틱은 0부터 {last}까지입니다',
  'record.started': '{interval} ms마다 {file}에 기록 중; Ctrl-C로 멈춤 (쓴 내용은 읽을 수 있게 남음)',
  'record.waitingForReader': '{file}은(는) FIFO임: 읽는 쪽이 열기를 기다리는 중 (Ctrl-C로 멈춤)',
  'record.stoppedWaiting': '{file}을(를) 읽을 쪽을 기다리다 멈춤: 아무것도 기록하지 않음',
  'record.done': '{seconds}초 동안 틱 {ticks}개, {bytes}바이트를 {file}에 기록함',
  'record.maxSize': '멈춤: 다음 틱을 쓰면 파일이 --max-size ({max}바이트)보다 커짐',
  'record.tooSmall': '--max-size ({max}바이트)가 헤더와 첫 전체 스냅샷보다 작음: 아무것도 기록하지 않음',
  'record.writeFailed': '멈춤: {file}에 쓰기 실패 ({reason}); 그 전에 온전한 틱 {ticks}개를 썼고, 파일은 그 마지막 틱까지 읽힘',
  'record.writeFailedNone': '멈춤: {file}에 쓰기 실패 ({reason}); 틱을 하나도 쓰지 못함',
  'record.stdoutFailed':
    '멈춤: 표준 출력에 쓰기 실패 ({reason}); 그 전에 틱 {ticks}개를 넘겼고, 파일에 닿은 부분은 그 안의 마지막 온전한 틱까지 읽힘',
  'error.diskFull': '장치에 남은 공간이 없음',
  'replay.notRecording': '{file}은(는) ProcScope 기록이 아닙니다: {why}',
  'replay.why.empty': '빈 파일',
  'replay.why.cutInHeader': '첫 줄(헤더)이 잘렸거나 손상됨',
  'replay.why.notJson': '첫 줄이 JSON이 아님',
  'replay.why.notHeader': '첫 줄이 ProcScope 기록 헤더가 아님',
  'replay.why.badVersion': '헤더에 올바른 형식 버전이 없음',
  'replay.why.badHeader': '헤더에 모든 기록이 갖는 필드가 빠짐',
  'replay.why.notFile': '일반 파일이 아님(FIFO, 장치, 소켓 또는 디렉터리)',
  'replay.tooNew':
    '{file}: 기록 형식 버전 {version}은(는) 이 ProcScope가 이해하는 것보다 새 버전입니다. 읽으려면 ProcScope를 업데이트하세요',
  'replay.cutOff': '경고: 기록이 {tick}번 틱 뒤에서 잘렸습니다: 나머지는 읽을 수 없음 ({why}{detail})',
  'replay.cutOffBeforeFirst': '경고: 기록이 첫 틱 전에 잘렸습니다: 나머지는 읽을 수 없음 ({why}{detail})',
  'replay.limited': '경고: {file}이(가) {max}바이트보다 큽니다: 앞부분만 {tick}번 틱까지 읽음',
  'replay.limitedNoTick': '경고: {file}이(가) {max}바이트보다 큽니다: 앞부분만 읽었고, 거기에 온전한 틱이 없음',
  'replay.tooLarge': '{file}은(는) 압축을 풀면 {max}바이트보다 큽니다(손상된 파일이거나 gzip 폭탄): 읽지 않음',
  'replay.cut.incomplete': '틱 중간에서 파일이 끝남',
  'replay.cut.notJson': 'JSON이 아닌 줄',
  'replay.cut.notTick': '다음 틱이 아닌 줄',
  'replay.cut.gzip': '손상된 gzip 데이터: ',
  'replay.line': ', {line}번째 줄',
  'replay.header': '{host}의 기록, 시작 {started} (형식 버전 {version}, 만든 것: {producer})',
  'replay.span': '{seconds}초 동안 틱 {ticks}개, {interval} ms마다; 스레드 {threads}',
  'replay.threadsYes': '기록함',
  'replay.threadsNo': '기록 안 함',
  'replay.processes': '프로세스: 시작 때 {start}개, 생성 {born}, 종료 {exited}, exec {execs}, 끝날 때 {end}개',
  'replay.notSeen': '커널이 센 fork {forks}번 (스레드 포함, 머신 전체): 보지 못한 짧게 산 프로세스 최대 +{count}개',
  'replay.forksUnknown': '보지 못한 짧게 산 프로세스: 알 수 없음 (커널의 fork 카운터를 읽을 수 없었음)',
  'replay.noTicks': '기록에 틱이 없습니다',
  'replay.events': '사건:',
  'replay.noEvents': '  (없음: 생성, exec, 종료한 프로세스가 없음)',
  'replay.born': '생성    {pid} {name} (부모 {ppid})',
  'replay.exec': 'exec    {pid} {name}: {argv}',
  'replay.exited': '종료    {pid} {name}',
  'replay.at': '{tick}번 틱의 프로세스 표 (+{seconds}초, {time}):',
  'reason.denied': '권한 거부 (EACCES): 다른 사용자의 프로세스이거나 ptrace 규칙',
  'reason.kernelThread': '커널 스레드: 사용자 주소 공간이 없음',
  'reason.zombie': '좀비: 프로세스가 종료하여 자원을 돌려줌',
  'reason.notRequested': '요청하지 않음 (--env로 요청)',
  'reason.running': '기다리지 않음: 실행 중 또는 실행 가능',
  'reason.noWchan': '표시 안 됨: 커널이 0을 출력 (해당 심볼이 없거나 다른 사용자의 프로세스)',
  'reason.unparsable': '예상하지 못한 내용',
  'reason.errno': '볼 수 없음 ({code})',
  'error.whoMissing': '대상이 없습니다: 경로, :포트, 호스트:포트, `lock:경로`, `shm:이름`, `shmid:N`',
  'error.who.empty': "빈 대상 '{target}'",
  'error.who.badPort': "'{target}': 포트는 1부터 65535까지의 수여야 합니다",
  'error.who.badShmid': "'{target}': `shmid:`에는 SysV 공유 메모리 ID (음이 아닌 정수)가 필요합니다",
  'error.who.badShmName': "'{target}': `shm:`에는 `/dev/shm` 안의 이름 하나 (슬래시 없이)가 필요합니다",
  'error.whoTarget.stat': '{target}을(를) 찾을 수 없습니다: {reason}',
  'error.whoTarget.resolve': '호스트 {target}을(를) 해석할 수 없습니다: {reason}',
  'error.whoTarget.noSegment': 'SysV 공유 메모리 세그먼트 {target} 없음 ({reason})',
  'who.unreadable': '프로세스 {count}개를 읽을 수 없었습니다 ({reasons}): 보이지 않게 쓰고 있을 수 있습니다',
  'who.object.file': '{path}  (장치 {device}, 아이노드 {inode})',
  'who.object.lock': '{path}의 잠금  (장치 {device}, 아이노드 {inode})',
  'who.object.port': '포트 {port}  (TCP와 UDP, 모든 주소)',
  'who.object.hostPort': '{host}:{port}  (주소 {addresses})',
  'who.object.shm': 'SysV 공유 메모리 {shmid}  키 {key}, {size}바이트, {attached}개 붙음, 만든 pid {cpid}, 마지막 붙이기/떼기 pid {lpid}',
  'who.nobody': '쓰는 프로세스 없음',
  'who.head.user': '사용자',
  'who.head.name': '이름',
  'who.head.how': '방법',
  'who.range': ' (바이트 {start}-{end})',
  'who.use.fd': 'fd {fd}{mode}',
  'who.use.mmap': '매핑 {range} {perms}',
  'who.use.mmaps': '매핑 {count}개 ({perms})',
  'who.use.cwd': '작업 디렉터리',
  'who.use.root': '루트 디렉터리',
  'who.use.exe': '실행 파일',
  'who.use.listen': '{protocol} {local}에서 듣는 중 (fd {fd})',
  'who.use.bound': '{protocol} {local}에 묶임 (fd {fd})',
  'who.use.connected': '{protocol} {local}이(가) {remote}에 연결됨 ({state}, fd {fd})',
  'who.use.connection': '{protocol} {local}: 받아들인 연결 (fd {fd})',
  'who.use.holds': '{lockClass} {access} 잠금{range} 보유',
  'who.use.holdsFd': '{lockClass} {access} 잠금{range} 보유 (fd {fd})',
  'who.use.waits': 'pid {pid}이(가) 가진 {lockClass} {access} 잠금{range}을 기다림',
  'who.use.waitsUnknown': '{lockClass} {access} 잠금{range}을 기다림',

  'error.badInterval': "--interval은 1부터 60000까지의 정수 밀리초여야 합니다: '{value}'",
  'sys.unavailable': '{what}: 쓸 수 없음 ({reason})',
  'sys.cpu.title': 'CPU, /proc/stat을 두 번 읽은 사이 {ms}ms 중 %',
  'sys.cpu.all': '전체',
  'sys.load': '부하 평균  {load1} {load5} {load15}  (태스크 {total}개 중 {running}개 실행 가능)',
  'sys.tasks': '태스크      프로세스 {processes}개 ({pstates}); 스레드 {threads}개 ({tstates})',
  'sys.memory.title': '메모리, `free -b`와 같이 (사용 = 전체 - 가용; 전체 - 여유 - 버퍼/캐시 = {legacy})',
  'sys.memory.columns': '전체 사용 여유 공유 버퍼/캐시 가용',
  'sys.memory.mem': '메모리:',
  'sys.memory.swap': '스왑:',
  'sys.pressure.title': '압력 정체 정보, 10초, 60초, 300초 동안 멈춘 시간의 %',
};

export const CATALOGUE: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ko };

let current: Lang = 'en';

export function setLang(lang: Lang): void {
  current = lang;
}

export function currentLang(): Lang {
  return current;
}

/** The language the environment asks for: PROCSCOPE_LANG, then LC_ALL, LC_MESSAGES, LANG (ko* is Korean). */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  for (const name of ['PROCSCOPE_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name]?.trim();
    if (value) return value.toLowerCase().startsWith('ko') ? 'ko' : 'en';
  }
  return 'en';
}

/** The message in the current language with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  const text = CATALOGUE[current][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A message key built at run time (a state letter, a role); undefined when the catalogue has no such key. */
export function tDynamic(key: string, values: Readonly<Record<string, string | number>> = {}): string | undefined {
  return key in en ? t(key as MessageKey, values) : undefined;
}

/**
 * The kernel's words for the errors a user meets naming files, in Korean. Node gives them in English
 * ("ENOENT: no such file or directory"); the code stays, so the line can still be searched for.
 */
const ERRNO_KO: Readonly<Record<string, string>> = {
  ENOENT: '그런 파일이나 디렉터리가 없음',
  EACCES: '권한 거부',
  EPERM: '허용되지 않는 작업',
  EISDIR: '디렉터리임',
  ENOTDIR: '디렉터리가 아님',
  ENAMETOOLONG: '이름이 너무 김',
  ELOOP: '심볼릭 링크가 너무 많이 이어짐',
  EROFS: '읽기 전용 파일 시스템',
  ENOSPC: '장치에 남은 공간이 없음',
  EEXIST: '이미 있음',
  EBUSY: '장치나 자원이 사용 중',
  EIO: '입출력 오류',
  ENXIO: '그런 장치나 주소가 없음',
  EMFILE: '열린 파일이 너무 많음',
  ENFILE: '시스템에 열린 파일이 너무 많음',
  EINVAL: '잘못된 인자',
  ETXTBSY: '실행 중인 파일이라 쓸 수 없음',
  EFBIG: '파일이 너무 큼',
  EPIPE: '파이프가 끊김',
};

/** `CODE: description` (as reasonOf and errorWords give it) in the output's language. */
export function errnoText(text: string): string {
  if (current === 'en') return text;
  const m = /^([A-Z][A-Z0-9]+)(?:: .*)?$/s.exec(text);
  const ko = m ? ERRNO_KO[m[1]!] : undefined;
  return ko === undefined ? text : `${m![1]}: ${ko}`;
}
