// A channel's one-line label and the IPC scan's notes, in the reader's language, built from the structured
// fields of the IPC map rather than from the core's English `label`. The core keeps its English label (JSON
// output is documented and stays as it was); every text display (CLI, panel) renders through here.
// Browser-safe: the webview imports it too. The phrases live here, English and Korean side by side, because
// the CLI catalogue and the webview dictionary are separate bundles and both need exactly these words.
// Paths, names, addresses and keys are OS text: shown through `visible`, never translated.
import type { Channel } from '../core/ipc/model';
import type { WaitHowKey, WaitingFor, WaitWarning } from '../core/waits/model';
import { visible } from './visible';

export type TextLang = 'en' | 'ko';

const PHRASES = {
  en: {
    pipe: 'pipe {inode}',
    fifo: 'FIFO {path}',
    eventfd: 'eventfd {id}',
    anon: '{kind} (pid {pid}, fd {fd})',
    mqueue: 'mqueue {name}',
    sysvShm: 'SysV shm {id} (key {key})',
    sysvMsg: 'SysV msg queue {id} (key {key})',
    sysvSem: 'SysV semaphore set {id} (key {key})',
    memfd: 'memfd {name}',
    posixShm: 'POSIX shm {path}{deleted}',
    sharedFile: 'shared file mapping {path}{deleted}',
    deleted: ' (deleted)',
    posixSem: 'POSIX semaphore {name}',
    unix: '{path} ({type}{peer})',
    unnamed: 'unnamed',
    nameUnknown: 'name unknown: /proc/net/unix is ambiguous (a socket name holds a newline)',
    peerUnknown: ', peer unknown',
    'type.stream': 'stream',
    'type.dgram': 'dgram',
    'type.seqpacket': 'seqpacket',
    'type.unknown': 'unknown',
    inetListen: '{proto} {local} {state}{peers}',
    inetPeers: ' ← {count} peer(s)',
    inetPair: '{proto} {local} ↔ {remote}',
    lock: '{cls} {access} lock on {path}{range}',
    'access.READ': 'READ',
    'access.WRITE': 'WRITE',
    'access.NONE': 'NONE',
    range: ' [{start}-{end}]',
    eof: 'EOF',
    // IPC scan notes (IpcWarning codes)
    'warn.tableUnreadable': '{path} could not be read ({reason}): what it lists is not shown',
    'warn.procsDenied': '{count} process(es) could not be read (permission denied): their fds are not shown',
    'warn.procsFailed': '{count} process(es) could not be read ({reason}): their fds are not shown',
    'warn.fdsFailed': '{count} fd(s) could not be read fully ({reason}): shown without a path, or left out',
    'warn.mapsFailed': 'maps of pid {pid} could not be read ({reason}): its shared mappings are not shown',
    'warn.otherNamespace': 'sockets of {ns} read through pid {pid}; unix peers there are not resolved',
    'warn.ssMissing': 'ss not found: unix socket peers unknown',
    'warn.ssFailed': 'ss failed: unix socket peers unknown',
    'warn.ssNotUsed': 'ss not used: unix socket peers unknown',
    'warn.threadsUnlisted': 'threads of pid {pid} could not be listed ({reason})',
    'warn.statFormat': '{path}: unexpected format',
    'warn.statUnreadable': '{path} could not be read ({reason})',
    // objects of wait facts (WaitObject)
    'obj.socket': 'socket {inode}',
    'obj.child': 'child {pid}',
    'obj.anyChild': 'any child',
    'obj.childGroup': 'any child in process group {pgrp}',
    'obj.childPidfd': 'child by pidfd {fd}',
    'obj.semSet': 'SysV semaphore set {id}',
    'obj.msgQueue': 'SysV msg queue {id}',
    'obj.epoll': 'epoll fd {epfd}',
    'obj.epollFds': 'epoll fd {epfd}: fds {fds}',
    'obj.none': 'none',
  },
  ko: {
    pipe: '파이프 {inode}',
    fifo: 'FIFO {path}',
    eventfd: 'eventfd {id}',
    anon: '{kind} (pid {pid}, fd {fd})',
    mqueue: 'POSIX 메시지 큐 {name}',
    sysvShm: 'SysV 공유 메모리 {id} (키 {key})',
    sysvMsg: 'SysV 메시지 큐 {id} (키 {key})',
    sysvSem: 'SysV 세마포어 집합 {id} (키 {key})',
    memfd: 'memfd {name}',
    posixShm: 'POSIX 공유 메모리 {path}{deleted}',
    sharedFile: '공유 파일 매핑 {path}{deleted}',
    deleted: ' (삭제됨)',
    posixSem: 'POSIX 세마포어 {name}',
    unix: '{path} ({type}{peer})',
    unnamed: '이름 없음',
    nameUnknown: '이름 알 수 없음: /proc/net/unix가 모호함(소켓 이름에 줄바꿈이 있음)',
    peerUnknown: ', 상대 알 수 없음',
    'type.stream': '스트림',
    'type.dgram': '데이터그램',
    'type.seqpacket': '순차 패킷',
    'type.unknown': '알 수 없는 종류',
    inetListen: '{proto} {local} {state}{peers}',
    inetPeers: ' ← 상대 {count}개',
    inetPair: '{proto} {local} ↔ {remote}',
    lock: '{path}의 {cls} {access} 잠금{range}',
    'access.READ': '읽기',
    'access.WRITE': '쓰기',
    'access.NONE': '없음',
    range: ' [{start}-{end}]',
    eof: '끝',
    'warn.tableUnreadable': '{path}을(를) 읽을 수 없습니다 ({reason}): 그 안의 항목은 표시되지 않습니다',
    'warn.procsDenied': '프로세스 {count}개를 읽을 수 없습니다 (권한 거부): 그 fd는 표시되지 않습니다',
    'warn.procsFailed': '프로세스 {count}개를 읽을 수 없습니다 ({reason}): 그 fd는 표시되지 않습니다',
    'warn.fdsFailed': 'fd {count}개를 다 읽을 수 없습니다 ({reason}): 경로 없이 표시되거나 빠집니다',
    'warn.mapsFailed': 'pid {pid}의 maps를 읽을 수 없습니다 ({reason}): 그 공유 매핑은 표시되지 않습니다',
    'warn.otherNamespace': '{ns}의 소켓은 pid {pid}를 통해 읽었습니다. 그곳의 유닉스 소켓 상대는 찾지 않습니다',
    'warn.ssMissing': 'ss가 없습니다: 유닉스 소켓의 상대를 알 수 없습니다',
    'warn.ssFailed': 'ss 실행에 실패했습니다: 유닉스 소켓의 상대를 알 수 없습니다',
    'warn.ssNotUsed': 'ss를 쓰지 않았습니다: 유닉스 소켓의 상대를 알 수 없습니다',
    'warn.threadsUnlisted': 'pid {pid}의 스레드 목록을 읽을 수 없습니다 ({reason})',
    'warn.statFormat': '{path}: 형식이 예상과 다릅니다',
    'warn.statUnreadable': '{path}을(를) 읽을 수 없습니다 ({reason})',
    'obj.socket': '소켓 {inode}',
    'obj.child': '자식 {pid}',
    'obj.anyChild': '아무 자식',
    'obj.childGroup': '프로세스 그룹 {pgrp}의 아무 자식',
    'obj.childPidfd': 'pidfd {fd}로 지정한 자식',
    'obj.semSet': 'SysV 세마포어 집합 {id}',
    'obj.msgQueue': 'SysV 메시지 큐 {id}',
    'obj.epoll': 'epoll fd {epfd}',
    'obj.epollFds': 'epoll fd {epfd}: fds {fds}',
    'obj.none': '없음',
  },
} as const;

type PhraseKey = keyof (typeof PHRASES)['en'];
// Korean must name every phrase English has.
const _koComplete: Record<PhraseKey, string> = PHRASES.ko;
void _koComplete;

/** TCP/UDP states as the kernel names them (LISTEN, ESTABLISHED, ...) in words; a state not listed is shown raw. */
const STATES: Record<TextLang, Readonly<Record<string, string>>> = {
  en: {
    LISTEN: 'listen',
    ESTABLISHED: 'established',
    UNCONN: 'unconn',
    SYN_SENT: 'syn_sent',
    SYN_RECV: 'syn_recv',
    FIN_WAIT1: 'fin_wait1',
    FIN_WAIT2: 'fin_wait2',
    TIME_WAIT: 'time_wait',
    CLOSE: 'close',
    CLOSE_WAIT: 'close_wait',
    LAST_ACK: 'last_ack',
    CLOSING: 'closing',
    NEW_SYN_RECV: 'new_syn_recv',
  },
  ko: {
    LISTEN: '연결 대기',
    ESTABLISHED: '연결됨',
    UNCONN: '연결 안 됨',
    SYN_SENT: '연결 요청 보냄',
    SYN_RECV: '연결 요청 받음',
    FIN_WAIT1: '종료 대기 1',
    FIN_WAIT2: '종료 대기 2',
    TIME_WAIT: '시간 대기',
    CLOSE: '닫힘',
    CLOSE_WAIT: '닫기 대기',
    LAST_ACK: '마지막 확인 대기',
    CLOSING: '닫는 중',
    NEW_SYN_RECV: '새 연결 요청 받음',
  },
};

function fill(lang: TextLang, key: PhraseKey, values: Readonly<Record<string, string | number>> = {}): string {
  return PHRASES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A TCP/UDP state name (`LISTEN`) in words. */
export function inetStateText(state: string, lang: TextLang): string {
  return STATES[lang][state] ?? visible(state);
}

/** A lock's access (`READ`, `WRITE`) in words; an access this table lacks is shown as the kernel wrote it. */
export function lockAccessText(access: string, lang: TextLang): string {
  const key = `access.${access}`;
  return key in PHRASES.en ? fill(lang, key as PhraseKey) : visible(access);
}

/** The channel's one-line label in `lang`; every OS string in it already made visible. */
export function channelLabel(c: Channel, lang: TextLang): string {
  switch (c.kind) {
    case 'pipe':
      return fill(lang, 'pipe', { inode: c.inode ?? '?' });
    case 'fifo':
      return fill(lang, 'fifo', { path: visible(c.path) });
    // The id after `eventfd:` is the kernel's eventfd-id, or `pid:fd` on kernels without one.
    case 'eventfd':
      return fill(lang, 'eventfd', { id: visible(c.id.slice(c.id.indexOf(':') + 1)) });
    case 'signalfd':
    case 'timerfd':
    case 'epoll':
    case 'inotify':
      return anonLabel(c, lang);
    case 'mqueue':
      return fill(lang, 'mqueue', { name: visible(c.name) });
    case 'sysv-shm':
      return fill(lang, 'sysvShm', { id: c.shmid, key: visible(c.key) });
    case 'sysv-msg':
      return fill(lang, 'sysvMsg', { id: c.msqid, key: visible(c.key) });
    case 'sysv-sem':
      return fill(lang, 'sysvSem', { id: c.semid, key: visible(c.key) });
    case 'memfd':
      return fill(lang, 'memfd', { name: visible(c.name) });
    case 'posix-shm':
      return fill(lang, c.sharedFile ? 'sharedFile' : 'posixShm', {
        path: visible(c.path),
        deleted: c.deleted ? fill(lang, 'deleted') : '',
      });
    case 'posix-sem':
      return fill(lang, 'posixSem', { name: visible(c.name) });
    case 'unix': {
      // "peer unknown" only matters for a connected socket: a listener or an unconnected one has no peer.
      const connected = c.state === 'connected' || c.endpoints.some((e) => e.role === 'connected');
      const typeKey = `type.${c.socketType}`;
      return fill(lang, 'unix', {
        path: c.path === null ? fill(lang, c.nameUnknown ? 'nameUnknown' : 'unnamed') : visible(c.path),
        type: typeKey in PHRASES.en ? fill(lang, typeKey as PhraseKey) : visible(c.socketType),
        peer: connected && !c.peerKnown ? fill(lang, 'peerUnknown') : '',
      });
    }
    case 'tcp':
    case 'udp': {
      const proto = c.kind.toUpperCase();
      // No remote port: a listener or an unconnected UDP socket, with the peers that came to it.
      if (/:0$/.test(c.remote)) {
        const peers = c.joined ? c.inodes.length - 1 : 0;
        return fill(lang, 'inetListen', {
          proto,
          local: visible(c.local),
          state: inetStateText(c.state, lang),
          peers: peers > 0 ? fill(lang, 'inetPeers', { count: peers }) : '',
        });
      }
      return fill(lang, 'inetPair', { proto, local: visible(c.local), remote: visible(c.remote) });
    }
    case 'lock': {
      const whole = c.start === 0 && c.end === null;
      return fill(lang, 'lock', {
        cls: visible(c.lockClass),
        access: lockAccessText(c.access, lang),
        path: c.path !== null && c.path !== undefined ? visible(c.path) : `${visible(c.device)}:${c.fileInode}`,
        range: whole ? '' : fill(lang, 'range', { start: c.start, end: c.end ?? fill(lang, 'eof') }),
      });
    }
  }
}

function anonLabel(c: Channel, lang: TextLang): string {
  const e = c.endpoints[0];
  return fill(lang, 'anon', { kind: c.kind, pid: e?.pid ?? '?', fd: e?.fd ?? '?' });
}

/** One note of the IPC scan or the wait collector in `lang`; the parameters (paths, reasons, namespaces) made visible. */
export function ipcWarningText(w: WaitWarning, lang: TextLang): string {
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(w.params ?? {})) values[k] = typeof v === 'number' ? v : visible(v);
  return fill(lang, `warn.${w.code}`, values);
}

/** The English note exactly as the core has always written it into `IpcMap.warnings` (no escaping: raw text). */
export function ipcWarningEnglish(w: WaitWarning): string {
  const values: Record<string, string | number> = { ...(w.params ?? {}) };
  return fill('en', `warn.${w.code}`, values);
}

/** What a blocked thread waits on, in `lang`: from `objectRef` when the core gave one, else `object` as it is. */
export function waitObjectText(w: WaitingFor, lang: TextLang): string {
  const r = w.objectRef;
  if (!r) return visible(w.object);
  switch (r.type) {
    case 'channel':
      return channelLabel(r.channel, lang);
    case 'pipe':
      return fill(lang, 'pipe', { inode: visible(r.inode) });
    case 'fifo':
      return fill(lang, 'fifo', { path: visible(r.path) });
    case 'socket':
      return fill(lang, 'obj.socket', { inode: r.inode });
    case 'child':
      return fill(lang, 'obj.child', { pid: visible(r.pid) });
    case 'anyChild':
      return fill(lang, 'obj.anyChild');
    case 'childGroup':
      return fill(lang, 'obj.childGroup', { pgrp: visible(r.pgrp) });
    case 'childPidfd':
      return fill(lang, 'obj.childPidfd', { fd: r.fd });
    case 'semSet':
      return fill(lang, 'obj.semSet', { id: r.semid ?? '?' });
    case 'msgQueue':
      return fill(lang, 'obj.msgQueue', { id: r.msqid ?? '?' });
    case 'epoll':
      return r.fds === null
        ? fill(lang, 'obj.epoll', { epfd: r.epfd ?? '?' })
        : fill(lang, 'obj.epollFds', { epfd: r.epfd ?? '?', fds: r.fds.length > 0 ? visible(r.fds.join(',')) : fill(lang, 'obj.none') });
  }
}

/**
 * How each wait fact was found, in Korean. English is the core's own `how` (kept word for word in JSON), so
 * only the other languages need a table; a key missing here falls back to that English text.
 */
const HOW_KO: Readonly<Record<WaitHowKey, string>> = {
  io: 'D 상태(중단, 인터럽트 불가): 디스크나 다른 커널 I/O를 기다리며, 커널이 깨웁니다',
  ioIn: 'D 상태(중단, 인터럽트 불가), 커널 함수 {wchan}: 디스크나 다른 커널 I/O를 기다리며, 커널이 깨웁니다',
  notInSyscall: '시스템 호출 안이 아닙니다 (페이지 폴트에서 막혔거나 멈춤)',
  glibcMutex:
    '{address}의 futex 대기, 잠금 워드 {word}. glibc pthread_mutex_t로 보면 __owner 필드({address}+{offset})가 {owner}이며, 이 프로세스의 살아 있는 스레드입니다',
  futexNotMutex:
    '{address}의 futex 대기 (워드 {word}): 살아 있는 소유자가 있는 잠긴 glibc 뮤텍스가 아닙니다 (조건 변수, 세마포어, 스레드 join, 또는 다른 라이브러리). 그래서 누가 깨울지는 알 수 없습니다',
  pipeNotFoundWriting: '{call}, fd {fd}: IPC 조사에서 찾지 못해 읽는 끝을 가진 프로세스를 알 수 없습니다',
  pipeNotFoundReading: '{call}, fd {fd}: IPC 조사에서 찾지 못해 쓰는 끝을 가진 프로세스를 알 수 없습니다',
  pipeFull:
    '{call}, fd {fd}: 가득 찬 파이프에 씁니다. 읽는 쪽이 비워야 합니다. 읽는 끝을 가진 프로세스(/proc/PID/fd의 fd)가 깨울 수 있습니다',
  pipeEmpty:
    '{call}, fd {fd}: 빈 파이프를 읽습니다. 쓰는 쪽이 써야(또는 모든 쓰는 끝이 닫혀야) 합니다. 쓰는 끝을 가진 프로세스(/proc/PID/fd의 fd)가 깨울 수 있습니다',
  pipeFullNone: '{call}, fd {fd}: 가득 찬 파이프에 씁니다. 이 조사에서 읽는 끝을 가진 프로세스가 없습니다',
  pipeEmptyNone: '{call}, fd {fd}: 빈 파이프를 읽습니다. 이 조사에서 쓰는 끝을 가진 프로세스가 없습니다',
  pipeFullNonePartial:
    '{call}, fd {fd}: 가득 찬 파이프에 씁니다. 이 조사에서 읽는 끝을 가진 프로세스가 없습니다 (읽을 수 없는 프로세스가 있었습니다)',
  pipeEmptyNonePartial:
    '{call}, fd {fd}: 빈 파이프를 읽습니다. 이 조사에서 쓰는 끝을 가진 프로세스가 없습니다 (읽을 수 없는 프로세스가 있었습니다)',
  socketNotFound: '{call}, fd {fd}, 소켓 {inode}: IPC 조사에서 찾지 못했습니다',
  socketAccept: '연결 대기 소켓에서 {call}: 연결하는 아무 프로세스나 깨웁니다',
  socketConnect: 'connect: 상대가 응답하면 깨어납니다',
  socketSendPeers: '{call}: 보내는 중입니다. 다른 끝을 가진 프로세스(소켓 inode로 찾음)가 깨울 수 있습니다',
  socketRecvPeers: '{call}: 받는 중입니다. 다른 끝을 가진 프로세스(소켓 inode로 찾음)가 깨울 수 있습니다',
  socketSendRemote: '{call}: 보내는 중입니다. 상대 {remote}은(는) 이 컴퓨터의 프로세스가 아닙니다',
  socketRecvRemote: '{call}: 받는 중입니다. 상대 {remote}은(는) 이 컴퓨터의 프로세스가 아닙니다',
  socketSendNoPeer: '{call}: 보내는 중입니다. 이 컴퓨터에서 상대 프로세스를 찾지 못했습니다',
  socketRecvNoPeer: '{call}: 받는 중입니다. 이 컴퓨터에서 상대 프로세스를 찾지 못했습니다',
  lockNoHolder: '{call}, fd {fd}: /proc/locks에 이 파일의 충돌하는 잠금을 가진 쪽이 없습니다 (막 얻었을 수 있습니다)',
  lockBehind: '{call}, fd {fd}: /proc/locks에 이 프로세스가 충돌하는 잠금의 보유자 뒤에서 기다린다고 나옵니다',
  childNone: '{call}: 이 프로세스의 맞는 자식을 찾지 못했습니다 (자식은 부모가 {parent}인 프로세스입니다)',
  child: '{call}: 이 자식들(/proc/PID/stat의 부모 {parent}) 중 하나가 끝나거나 멈추면 깨어납니다',
  childZombies:
    '{call}: 이 자식들(/proc/PID/stat의 부모 {parent}) 중 하나가 끝나거나 멈추면 깨어납니다. {zombies}개는 이미 끝나 회수를 기다립니다',
  semop:
    '집합 {semid}에서 semop: 다른 프로세스가 값을 바꾸면 깨어납니다. /proc/sysvipc/sem은 프로세스를 알려 주지 않으므로 (마지막 연산자 sempid는 semctl(GETPID)가 필요) 누가 깨울지는 알 수 없습니다',
  msgrcv:
    '{call}: 메시지를 기다립니다 ({messages}개 대기 중). 접근 권한이 있는 아무 프로세스나 깨울 수 있습니다. 마지막 msgsnd pid {send}, 마지막 msgrcv pid {recv} (/proc/sysvipc/msg)',
  msgsnd:
    '{call}: 큐에 빈 자리를 기다립니다 ({bytes}바이트 대기 중). 접근 권한이 있는 아무 프로세스나 깨울 수 있습니다. 마지막 msgsnd pid {send}, 마지막 msgrcv pid {recv} (/proc/sysvipc/msg)',
  sleep: '{call}: 자신의 타이머가 깨웁니다',
  signal: '{call}: 시그널이 깨웁니다',
  epoll:
    'epoll fd {epfd}에서 {call}. 지켜보는 fd는 /proc/{pid}/fdinfo/{epfd}의 tfd 줄입니다. 그중 하나가 준비되거나 제한 시간이 지나면 깨어납니다',
  pollSets: '{call}: 지켜보는 fd가 준비되거나 제한 시간이 지나면 깨어납니다 (fd 집합은 읽지 않습니다)',
  syscallUnreadable: '{path}을(를) 읽을 수 없습니다 ({reason})',
  syscallDenied:
    '{path}을(를) 읽을 수 없습니다 ({reason}): 읽으려면 그 프로세스에 대한 ptrace 읽기 권한(같은 사용자, 또는 CAP_SYS_PTRACE)이 필요합니다',
  syscallDeniedYama1:
    '{path}을(를) 읽을 수 없습니다 ({reason}): 읽으려면 그 프로세스에 대한 ptrace 읽기 권한(같은 사용자, 또는 CAP_SYS_PTRACE)이 필요합니다. Yama ptrace_scope가 {scope}입니다 (자손만 살펴볼 수 있음)',
  syscallDeniedYama2:
    '{path}을(를) 읽을 수 없습니다 ({reason}): 읽으려면 그 프로세스에 대한 ptrace 읽기 권한(같은 사용자, 또는 CAP_SYS_PTRACE)이 필요합니다. Yama ptrace_scope가 {scope}입니다 (CAP_SYS_PTRACE만 살펴볼 수 있음)',
  syscallDeniedYama3:
    '{path}을(를) 읽을 수 없습니다 ({reason}): 읽으려면 그 프로세스에 대한 ptrace 읽기 권한(같은 사용자, 또는 CAP_SYS_PTRACE)이 필요합니다. Yama ptrace_scope가 {scope}입니다 (어떤 프로세스도 살펴볼 수 없음)',
  tableUnknown: '시스템 호출 {nr}: 이 컴퓨터의 시스템 호출 표({arch})를 ProcScope가 모릅니다 (x86_64와 arm64는 압니다)',
  callError: '{call}: {reason}',
  futexWaitv: 'futex_waitv: 여러 futex를 한꺼번에 기다립니다. 그 소유자는 알 수 없습니다',
  aio: '{call}: 비동기 I/O가 끝나기를 기다립니다',
  uninterpreted: '{call} 안: ProcScope가 이 호출을 해석하지 않습니다',
  uninterpretedIn: '{call} 안, 커널 함수 {wchan}: ProcScope가 이 호출을 해석하지 않습니다',
  futexArgs: 'futex: 인자를 읽을 수 없습니다',
  piUnreadable: '{address}의 FUTEX_LOCK_PI: /proc/{pid}/mem에서 futex 워드를 읽을 수 없습니다 ({reason})',
  piOwner:
    '{address}의 우선순위 상속 futex: futex 워드에 소유자 스레드 ID {owner}(하위 30비트)가 있으며, 이 프로세스의 살아 있는 스레드입니다',
  piNoOwner: '{address}의 우선순위 상속 futex: futex 워드({word})가 이 프로세스의 살아 있는 스레드를 가리키지 않습니다',
  futexOp: '{address}의 futex 연산 {op}: 누가 깨울지는 알 수 없습니다',
  futexMemUnreadable: '{address}의 futex 대기: /proc/{pid}/mem을 읽을 수 없어 ({reason}) 소유자를 알 수 없습니다',
  fdArg: '{call}: fd 인자를 읽을 수 없습니다',
  notPipeOrSocket: '{call}, fd {fd} ({target}): 파이프나 소켓이 아니어서 끝내 줄 쪽을 알 수 없습니다',
  msgNotFound: '큐 {msqid}에서 {call}: /proc/sysvipc/msg에 없습니다',
  epollUnreadable: 'epoll fd {epfd}에서 {call}: 그 fdinfo를 읽을 수 없습니다 ({reason})',
  pollFds: 'fd {nfds}개에서 {call} (/proc/{pid}/mem에서 읽은 struct pollfd 배열): 하나가 준비되거나 제한 시간이 지나면 깨어납니다',
  pollFdsUnreadable: 'fd {nfds}개에서 {call}: fd 배열을 읽을 수 없습니다 ({reason})',
  kernelThread: '커널 스레드: 커널 안에서만 실행되며 시스템 호출을 하지 않습니다',
  kernelThreadIn: '커널 스레드: 커널 안에서만 실행되며 시스템 호출을 하지 않습니다. 커널 함수 {wchan}에서 잠들어 있습니다',
  kernelThreadIo: '커널 스레드(시스템 호출을 하지 않음), D 상태(인터럽트 불가): 디스크나 다른 커널 I/O를 기다리며, 커널이 깨웁니다',
  kernelThreadIoIn:
    '커널 스레드(시스템 호출을 하지 않음), D 상태(인터럽트 불가), 커널 함수 {wchan}: 디스크나 다른 커널 I/O를 기다리며, 커널이 깨웁니다',
};

/** How a wait fact was found, in `lang`: the core's English `how`, or its key rendered from the table. */
export function waitHowText(w: WaitingFor, lang: TextLang): string {
  if (lang === 'en' || w.howKey === undefined || !(w.howKey in HOW_KO)) return visible(w.how);
  return HOW_KO[w.howKey].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = w.howParams?.[name];
    return v === undefined ? whole : typeof v === 'number' ? String(v) : visible(v);
  });
}
