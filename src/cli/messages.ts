// Every word the CLI prints, in English and Korean. Commands call `t(key, values)`; nothing user-facing is
// written as a literal anywhere else (test/unit/cliMessages.test.ts checks the sources).
// The language: `--lang en|ko`, else PROCSCOPE_LANG, else the first set of LC_ALL, LC_MESSAGES, LANG
// (ko* is Korean), as the labs choose theirs. Column headers that name a kernel or procps field (PID, TID,
// LWP, NLWP, the `ps -eLF` columns) stay as ps prints them in both languages, so output can be compared.

export type Lang = 'en' | 'ko';

const en = {
  // cli.ts
  'usage.main': 'usage: procscope <command> [options]\n       procscope help <command>\n       procscope --version\n\ncommands:\n{commands}\n\noptions for every command:\n  --lang en|ko   the language of the output (default: LC_ALL, LC_MESSAGES, LANG)\n  --help, -h     the command\'s own help\n\n{exitCodes}',
  'exitCodes': 'Exit codes: 0 ok (also when the reader of the output went away, as in `procscope ps | head`), 1 failure, 2 usage, 3 no such process, 4 permission denied, 5 no usable /proc.',
  'summary.snapshot': 'every process and thread now (--json for machines)',
  'summary.ps': 'every thread in the columns of ps -eLF',
  'summary.show': 'the PCB detail of one process',
  'summary.ipc': 'IPC channels between processes (--json, --pid PID, --kind KINDS)',
  'summary.ipcs': 'SysV shared memory, message queues and semaphores as a table (like ipcs)',
  'summary.locks': 'file locks: holders, waiters, deadlock cycles',
  'summary.help': 'the detailed help of a command',
  'error.unknownCommand': "unknown command '{name}'",
  'error.unexpected': '{message}',
  'error.badLang': "--lang must be en or ko, got '{value}'",
  'error.badOption': '{message}',
  'error.unknownOption': "unknown option '{option}'",
  'error.missingValue': "option '{option}' needs a value",
  'error.unexpectedArgument': "unexpected argument '{arg}'",
  'error.permission': 'permission denied: {message}',
  'error.noProcRoot': 'no procfs at {root}: it does not exist',
  'error.procRootNotDir': 'no procfs at {root}: it is not a directory',
  'error.procRootEmpty': 'no procfs at {root}: it holds neither a stat file nor any process',
  'error.procRootUnreadable': 'no procfs at {root}: {reason}',
  'error.noProcfs': 'this platform has no /proc: {what} needs Linux',
  'error.badBackend': '--backend must be auto, procfs or portable',
  'error.psPortable': 'ps needs /proc (threads, SZ, PSR are not available from the portable backend)',
  'error.badMaps': '--maps must be auto, always or never',
  'error.badPid': "--pid must be a positive integer, got '{value}'",
  'error.noSuchPid': 'no process {pid}',
  'error.fdsDenied': 'permission denied: the fds of process {pid} could not be read',
  'error.badKind': "--kind: unknown kind '{kind}' (kinds: {kinds})",
  'error.missingPid': 'missing PID',
  'error.notPid': "not a process id: '{value}' (expected a positive integer)",
  'error.procRootNeedsDir': '--proc-root needs a directory',
  'help.seeHelp': "Run 'procscope help {command}' for its options.",

  // per-command help
  'help.snapshot': `usage: procscope snapshot [--json] [--no-threads] [--backend auto|procfs|portable] [--proc-root DIR]

Every process and every thread (LWP) right now. --json prints {"processes": [...]} with the fields
documented in the README; without it, the process tree.

  --json         one JSON document: every value exactly as the kernel holds it
  --no-threads   leave out the thread (LWP) rows
  --backend      procfs (Linux /proc), portable (ps-list + pidtree, as on macOS and Windows) or auto
  --proc-root    read another procfs mount or a copied tree (default /proc)
  --lang         en or ko
`,
  'help.ps': `usage: procscope ps [--json] [--proc-root DIR]

One row per thread (LWP), in the columns of \`ps -eLF\`:
UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD
Control characters in CMD print as spaces, as ps prints them (invisible and direction-changing characters
are escaped as \\uXXXX); --json keeps every value exactly as the kernel holds it.

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
  'help.help': `usage: procscope help [COMMAND]

Without a command, the list of commands; with one, its options.
`,

  // snapshot
  'snapshot.header': '{pid} S {nlwp} {user} NAME / COMMAND',
  'snapshot.user': 'USER',
  'snapshot.depth': '[depth {depth}] ',

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
  'role.read': 'read', 'role.write': 'write', 'role.readwrite': 'readwrite', 'role.listen': 'listen',
  'role.connected': 'connected', 'role.bound': 'bound', 'role.unconnected': 'unconnected', 'role.holder': 'holder',
  'role.waiter': 'waiter', 'role.creator': 'creator', 'role.attached': 'attached', 'role.sender': 'sender',
  'role.receiver': 'receiver', 'role.last-op': 'last-op', 'role.map': 'map', 'role.open': 'open',

  // ipcs
  'ipcs.title.shm': '------ Shared Memory Segments --------',
  'ipcs.title.msg': '------ Message Queues --------',
  'ipcs.title.sem': '------ Semaphore Arrays --------',
  'ipcs.head.key': 'KEY', 'ipcs.head.id': 'ID', 'ipcs.head.owner': 'OWNER', 'ipcs.head.perms': 'PERMS',
  'ipcs.head.size': 'BYTES', 'ipcs.head.nattch': 'NATTCH', 'ipcs.head.messages': 'MESSAGES', 'ipcs.head.nsems': 'NSEMS',
  'ipcs.head.users': 'USERS',
  'ipcs.dest': 'dest',
  'ipcs.none': '(none)',
  'ipcs.usersUnknown': '(not visible in /proc)',

  // locks
  'locks.header': '{cls} {access} {range} FILE',
  'locks.class': 'CLASS', 'locks.access': 'ACCESS', 'locks.range': 'RANGE',
  'locks.pathNotFound': '{device}:{inode} (path not found)',
  'locks.waiting': 'waiting: ', 'locks.heldBy': 'held by: ',
  'locks.none': '(no file locks)',
  'locks.waitFor': 'wait-for:',
  'locks.waits': '  {waiter} waits for {holder}',
  'locks.noCycles': 'no deadlock cycles',
  'locks.cycles': 'DEADLOCK cycles:',
  'locks.cycle': '  {cycle}  files: {files}',

  // show
  'show.title': 'Process {pid} ({name})  state {state}: {meaning}{kthread}',
  'show.kthread': '  [kernel thread]',
  'show.unavailable': '(unavailable: {reason})',
  'show.unknown': 'unknown',
  'show.none': '(none)', 'show.noneWord': 'none', 'show.empty': '(empty)',
  'show.identity': 'identity', 'show.command': 'command', 'show.executable': 'executable',
  'show.cwd': 'working directory', 'show.root': 'root directory', 'show.parent': 'parent',
  'show.parentValue': 'ppid {ppid}, process group {pgid}, session {sid}',
  'show.terminal': 'terminal', 'show.terminalValue': '{tty} (foreground group {tpgid})',
  'show.started': 'started', 'show.tracedBy': 'traced by', 'show.nobody': 'nobody', 'show.pid': 'pid {pid}',
  'show.umask': 'umask',
  'section.credentials': 'Credentials', 'show.ids': 'ids', 'show.uid': 'uid', 'show.gid': 'gid', 'show.groups': 'groups',
  'show.idsValue': 'real {real} ({realName})  effective {eff} ({effName})  saved {saved} ({savedName})  filesystem {fs} ({fsName})',
  'show.capabilities': 'capabilities', 'show.capsMany': '{count} of {total}{allBut} (CapEff {hex})', 'show.allBut': ', all but {names}',
  'show.seccomp': 'seccomp', 'seccomp.0': 'disabled', 'seccomp.1': 'strict', 'seccomp.2': 'filter',
  'show.noNewPrivs': 'no_new_privs', 'show.yes': 'yes', 'show.no': 'no',
  'section.scheduling': 'Scheduling', 'show.policy': 'policy',
  'show.policyValue': '{policy}  nice {nice}  priority {priority}  real-time priority {rt}',
  'show.threads': 'threads', 'show.lastCpu': 'last CPU', 'show.affinity': 'CPU affinity',
  'show.ctxt': 'context switches', 'show.ctxtValue': 'voluntary {v}  involuntary {i}',
  'show.wchan': 'wait channel', 'show.oom': 'OOM score', 'show.oomValue': '{score}  (adjustment {adj})',
  'section.signals': 'Signals', 'show.masks': 'masks', 'show.pendingThread': 'pending (thread)',
  'show.pendingShared': 'pending (shared)', 'show.blocked': 'blocked', 'show.ignored': 'ignored',
  'show.caught': 'caught (handler)', 'show.queued': 'queued', 'show.queuedValue': '{queued} of {limit}',
  'section.namespaces': 'Namespaces', 'show.ns': 'ns',
  'section.cgroups': 'Control groups', 'show.cgroup': 'cgroup', 'show.cgroupV2': 'v2 (unified)',
  'section.memory': 'Memory', 'show.vsize': 'virtual size', 'show.vsizeValue': '{size} (peak {peak})',
  'show.resident': 'resident', 'show.residentValue': '{rss} = anonymous {anon} + file {file} + shmem {shmem}',
  'show.swap': 'swap', 'show.status': 'status', 'show.rollup': 'RSS / PSS / USS',
  'show.shared': 'shared', 'show.private': 'private', 'show.cleanDirty': 'clean {clean}  dirty {dirty}',
  'show.swapPss': 'swap / swap PSS', 'show.smapsRollup': 'smaps_rollup',
  'show.regions': 'regions', 'show.regionsValue': '{count}, {size} of address space',
  'show.regionKind': '{size} in {count} regions', 'show.regionKind1': '{size} in 1 region', 'show.libraries': 'shared libraries', 'show.maps': 'maps',
  'region.code': 'code', 'region.data': 'data', 'region.heap': 'heap', 'region.stack': 'stack', 'region.library': 'library',
  'region.file': 'file', 'region.anonymous': 'anonymous', 'region.shared': 'shared', 'region.special': 'special',
  'section.openFiles': 'Open files', 'section.openFilesCount': 'Open files ({count})', 'show.fds': 'fds',
  'section.limits': 'Limits (soft / hard)', 'show.limits': 'limits',
  'section.io': 'I/O', 'show.io': 'io', 'show.read': 'read', 'show.written': 'written',
  'show.readValue': '{bytes} in {calls} calls ({storage} from storage)',
  'show.writtenValue': '{bytes} in {calls} calls ({storage} to storage, {cancelled} cancelled)',
  'section.environment': 'Environment', 'show.environ': 'environ',
  'state.R': 'running or runnable (on a CPU or in the run queue)', 'state.S': 'interruptible sleep (waiting for an event)',
  'state.D': 'uninterruptible sleep (usually waiting for I/O)', 'state.T': 'stopped by a job-control signal',
  'state.Z': 'zombie (exited, not yet reaped by its parent)', 'state.X': 'dead (should never be seen)', 'state.I': 'idle kernel thread',
  'state.t': 'stopped by a debugger (ptrace)', 'state.W': 'paging (obsolete) or waking', 'state.P': 'parked', 'state.K': 'wakekill',
  'state.x': 'dead', 'state.?': 'unknown state',
  'unit.B': 'B', 'unit.KiB': 'KiB', 'unit.MiB': 'MiB', 'unit.GiB': 'GiB', 'unit.TiB': 'TiB',
} as const;

export type MessageKey = keyof typeof en;

const ko: Record<MessageKey, string> = {
  'usage.main': '사용법: procscope <명령> [옵션]\n       procscope help <명령>\n       procscope --version\n\n명령:\n{commands}\n\n모든 명령의 옵션:\n  --lang en|ko   출력 언어 (기본값: LC_ALL, LC_MESSAGES, LANG)\n  --help, -h     명령별 도움말\n\n{exitCodes}',
  'exitCodes': '종료 코드: 0 성공 (`procscope ps | head`처럼 출력을 읽는 쪽이 먼저 끝난 경우 포함), 1 실패, 2 사용법 오류, 3 해당 프로세스 없음, 4 권한 거부, 5 쓸 수 있는 /proc 없음.',
  'summary.snapshot': '지금 이 순간의 모든 프로세스와 스레드 (기계용은 --json)',
  'summary.ps': '모든 스레드를 ps -eLF 열 형식으로',
  'summary.show': '프로세스 하나의 PCB 상세 정보',
  'summary.ipc': '프로세스 사이의 IPC 채널 (--json, --pid PID, --kind 종류)',
  'summary.ipcs': 'SysV 공유 메모리, 메시지 큐, 세마포어를 표로 (ipcs처럼)',
  'summary.locks': '파일 잠금: 보유자, 대기자, 교착 상태 순환',
  'summary.help': '명령의 자세한 도움말',
  'error.unknownCommand': "알 수 없는 명령 '{name}'",
  'error.unexpected': '{message}',
  'error.badLang': "--lang 값은 en 또는 ko여야 합니다: '{value}'",
  'error.badOption': '{message}',
  'error.unknownOption': "알 수 없는 옵션 '{option}'",
  'error.missingValue': "옵션 '{option}'에 값이 필요합니다",
  'error.unexpectedArgument': "예상하지 못한 인수 '{arg}'",
  'error.permission': '권한 거부: {message}',
  'error.noProcRoot': '{root}에 procfs가 없습니다: 존재하지 않는 경로입니다',
  'error.procRootNotDir': '{root}에 procfs가 없습니다: 디렉터리가 아닙니다',
  'error.procRootEmpty': '{root}에 procfs가 없습니다: stat 파일도 프로세스도 없습니다',
  'error.procRootUnreadable': '{root}에 procfs가 없습니다: {reason}',
  'error.noProcfs': '이 플랫폼에는 /proc이 없습니다: {what}에는 리눅스가 필요합니다',
  'error.badBackend': '--backend 값은 auto, procfs, portable 중 하나여야 합니다',
  'error.psPortable': 'ps에는 /proc이 필요합니다 (portable 백엔드는 스레드, SZ, PSR을 제공하지 않습니다)',
  'error.badMaps': '--maps 값은 auto, always, never 중 하나여야 합니다',
  'error.badPid': "--pid 값은 양의 정수여야 합니다: '{value}'",
  'error.noSuchPid': '프로세스 {pid} 없음',
  'error.fdsDenied': '권한 거부: 프로세스 {pid}의 fd를 읽을 수 없습니다',
  'error.badKind': "--kind: 알 수 없는 종류 '{kind}' (종류: {kinds})",
  'error.missingPid': 'PID가 없습니다',
  'error.notPid': "프로세스 ID가 아닙니다: '{value}' (양의 정수가 필요합니다)",
  'error.procRootNeedsDir': '--proc-root에는 디렉터리가 필요합니다',
  'help.seeHelp': "옵션은 'procscope help {command}'로 볼 수 있습니다.",

  'help.snapshot': `사용법: procscope snapshot [--json] [--no-threads] [--backend auto|procfs|portable] [--proc-root 디렉터리]

지금 이 순간의 모든 프로세스와 모든 스레드(LWP). --json은 README에 설명된 필드로 {"processes": [...]}를
출력하고, 없으면 프로세스 트리를 출력합니다.

  --json         JSON 문서 하나: 모든 값을 커널이 가진 그대로
  --no-threads   스레드(LWP) 행을 빼고 출력
  --backend      procfs (리눅스 /proc), portable (ps-list + pidtree, macOS와 윈도우에서처럼) 또는 auto
  --proc-root    다른 procfs 마운트나 복사한 트리를 읽음 (기본값 /proc)
  --lang         en 또는 ko
`,
  'help.ps': `사용법: procscope ps [--json] [--proc-root 디렉터리]

스레드(LWP)마다 한 행, \`ps -eLF\`의 열 형식:
UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD
CMD의 제어 문자는 ps처럼 공백으로 출력합니다 (보이지 않거나 글자 방향을 바꾸는 문자는 \\uXXXX로
이스케이프). --json은 모든 값을 커널이 가진 그대로 유지합니다.

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
  'help.help': `사용법: procscope help [명령]

명령 없이 쓰면 명령 목록을, 명령을 주면 그 명령의 옵션을 보여 줍니다.
`,

  'snapshot.header': '{pid} S {nlwp} {user} 이름 / 명령',
  'snapshot.user': '사용자',
  'snapshot.depth': '[깊이 {depth}] ',

  'ipc.header': '{kind} 채널 / 끝점',
  'ipc.kind': '종류',
  'ipc.none': '(채널 없음)',
  'ipc.deadlock': '교착 상태: {cycle}, 파일 {files}',
  'ipc.note': '참고: {text}',
  'ipc.summary': '채널 {channels}개, 교착 상태 {deadlocks}개; 조사 {ms} ms',
  'ipc.hiddenKinds': '참고: 프로세스 하나만 쓰는 객체 {count}개 (epoll, eventfd, memfd 등)는 숨겼습니다; --all-kinds로 볼 수 있습니다',
  'ipc.fd': 'fd {fd}',
  'ipc.map': '매핑 {range}',
  'ipc.facts.shm': '크기 {size}, 연결 {attached}, 생성 pid {cpid}, 마지막 pid {lpid}',
  'ipc.facts.msg': '메시지 {messages}개, {bytes} B, 마지막 송신 {send}, 마지막 수신 {recv}',
  'ipc.facts.sem': '세마포어 {nsems}개 (사용자는 /proc에서 보이지 않음)',
  'ipc.facts.peerUnknown': ', 상대편 모름',
  'role.read': '읽기', 'role.write': '쓰기', 'role.readwrite': '읽기쓰기', 'role.listen': '대기(listen)',
  'role.connected': '연결됨', 'role.bound': '바인드됨', 'role.unconnected': '연결 안 됨', 'role.holder': '보유',
  'role.waiter': '대기', 'role.creator': '생성자', 'role.attached': '연결됨', 'role.sender': '송신자',
  'role.receiver': '수신자', 'role.last-op': '마지막 연산', 'role.map': '매핑', 'role.open': '열림',

  'ipcs.title.shm': '------ 공유 메모리 세그먼트 --------',
  'ipcs.title.msg': '------ 메시지 큐 --------',
  'ipcs.title.sem': '------ 세마포어 배열 --------',
  'ipcs.head.key': '키', 'ipcs.head.id': 'ID', 'ipcs.head.owner': '소유자', 'ipcs.head.perms': '권한',
  'ipcs.head.size': '바이트', 'ipcs.head.nattch': '연결수', 'ipcs.head.messages': '메시지', 'ipcs.head.nsems': '세마포어수',
  'ipcs.head.users': '사용 프로세스',
  'ipcs.dest': '삭제예정',
  'ipcs.none': '(없음)',
  'ipcs.usersUnknown': '(/proc에서 보이지 않음)',

  'locks.header': '{cls} {access} {range} 파일',
  'locks.class': '종류', 'locks.access': '접근', 'locks.range': '범위',
  'locks.pathNotFound': '{device}:{inode} (경로를 찾지 못함)',
  'locks.waiting': '대기 중: ', 'locks.heldBy': '보유: ',
  'locks.none': '(파일 잠금 없음)',
  'locks.waitFor': '대기 관계:',
  'locks.waits': '  {waiter}이(가) {holder}을(를) 기다림',
  'locks.noCycles': '교착 상태 순환 없음',
  'locks.cycles': '교착 상태 순환:',
  'locks.cycle': '  {cycle}  파일: {files}',

  'show.title': '프로세스 {pid} ({name})  상태 {state}: {meaning}{kthread}',
  'show.kthread': '  [커널 스레드]',
  'show.unavailable': '(볼 수 없음: {reason})',
  'show.unknown': '알 수 없음',
  'show.none': '(없음)', 'show.noneWord': '없음', 'show.empty': '(비어 있음)',
  'show.identity': '식별자', 'show.command': '명령', 'show.executable': '실행 파일',
  'show.cwd': '작업 디렉터리', 'show.root': '루트 디렉터리', 'show.parent': '부모',
  'show.parentValue': 'ppid {ppid}, 프로세스 그룹 {pgid}, 세션 {sid}',
  'show.terminal': '터미널', 'show.terminalValue': '{tty} (포그라운드 그룹 {tpgid})',
  'show.started': '시작 시각', 'show.tracedBy': '추적자', 'show.nobody': '없음', 'show.pid': 'pid {pid}',
  'show.umask': 'umask',
  'section.credentials': '자격 증명', 'show.ids': 'ID', 'show.uid': 'uid', 'show.gid': 'gid', 'show.groups': '그룹',
  'show.idsValue': '실제 {real} ({realName})  유효 {eff} ({effName})  저장 {saved} ({savedName})  파일 시스템 {fs} ({fsName})',
  'show.capabilities': '권한(capability)', 'show.capsMany': '{total}개 중 {count}개{allBut} (CapEff {hex})', 'show.allBut': ', 빠진 것: {names}',
  'show.seccomp': 'seccomp', 'seccomp.0': '꺼짐', 'seccomp.1': '엄격', 'seccomp.2': '필터',
  'show.noNewPrivs': 'no_new_privs', 'show.yes': '예', 'show.no': '아니요',
  'section.scheduling': '스케줄링', 'show.policy': '정책',
  'show.policyValue': '{policy}  nice {nice}  우선순위 {priority}  실시간 우선순위 {rt}',
  'show.threads': '스레드', 'show.lastCpu': '마지막 CPU', 'show.affinity': 'CPU 친화도',
  'show.ctxt': '문맥 교환', 'show.ctxtValue': '자발적 {v}  비자발적 {i}',
  'show.wchan': '대기 채널', 'show.oom': 'OOM 점수', 'show.oomValue': '{score}  (조정값 {adj})',
  'section.signals': '시그널', 'show.masks': '마스크', 'show.pendingThread': '보류 (스레드)',
  'show.pendingShared': '보류 (공유)', 'show.blocked': '차단', 'show.ignored': '무시',
  'show.caught': '처리기 있음', 'show.queued': '큐에 쌓임', 'show.queuedValue': '{limit}개 중 {queued}개',
  'section.namespaces': '네임스페이스', 'show.ns': 'ns',
  'section.cgroups': '컨트롤 그룹', 'show.cgroup': 'cgroup', 'show.cgroupV2': 'v2 (통합)',
  'section.memory': '메모리', 'show.vsize': '가상 크기', 'show.vsizeValue': '{size} (최대 {peak})',
  'show.resident': '상주', 'show.residentValue': '{rss} = 익명 {anon} + 파일 {file} + 공유 메모리 {shmem}',
  'show.swap': '스왑', 'show.status': '상태 파일', 'show.rollup': 'RSS / PSS / USS',
  'show.shared': '공유', 'show.private': '전용', 'show.cleanDirty': '깨끗함 {clean}  더러움 {dirty}',
  'show.swapPss': '스왑 / 스왑 PSS', 'show.smapsRollup': 'smaps_rollup',
  'show.regions': '영역', 'show.regionsValue': '{count}개, 주소 공간 {size}',
  'show.regionKind': '영역 {count}개에 {size}', 'show.regionKind1': '영역 1개에 {size}', 'show.libraries': '공유 라이브러리', 'show.maps': 'maps',
  'region.code': '코드', 'region.data': '데이터', 'region.heap': '힙', 'region.stack': '스택', 'region.library': '라이브러리',
  'region.file': '파일', 'region.anonymous': '익명', 'region.shared': '공유', 'region.special': '특수',
  'section.openFiles': '열린 파일', 'section.openFilesCount': '열린 파일 ({count})', 'show.fds': 'fd',
  'section.limits': '자원 한도 (soft / hard)', 'show.limits': '한도',
  'section.io': '입출력', 'show.io': 'io', 'show.read': '읽기', 'show.written': '쓰기',
  'show.readValue': '{calls}번 호출로 {bytes} (저장 장치에서 {storage})',
  'show.writtenValue': '{calls}번 호출로 {bytes} (저장 장치로 {storage}, 취소 {cancelled})',
  'section.environment': '환경 변수', 'show.environ': '환경',
  'state.R': '실행 중 또는 실행 가능', 'state.S': '인터럽트 가능한 수면 (사건을 기다림)',
  'state.D': '인터럽트 불가능한 수면 (보통 입출력)', 'state.T': '시그널로 정지됨',
  'state.Z': '좀비 (종료했지만 부모가 아직 거두지 않음)', 'state.X': '죽음 (보일 일이 없어야 함)', 'state.I': '유휴 커널 스레드',
  'state.t': '디버거가 정지시킴 (ptrace)', 'state.W': '페이징 (옛 상태) 또는 깨어나는 중', 'state.P': '파킹됨', 'state.K': '깨우면 종료',
  'state.x': '죽음', 'state.?': '알 수 없는 상태',
  'unit.B': 'B', 'unit.KiB': 'KiB', 'unit.MiB': 'MiB', 'unit.GiB': 'GiB', 'unit.TiB': 'TiB',
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
