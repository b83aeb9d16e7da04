// The lab cards: for each lab, its title and the things to look for, in English and Korean. Each item is
// ticked by the matching rule in observe.ts when ProcScope's own readers (sampler, detail, IPC scan) see it.
// The process names below are the names the lab programs in labs/ give their processes (prctl PR_SET_NAME).

export const LAB_IDS = [
  'pcb_states',
  'fork_cow',
  'threads',
  'ipc',
  'locks',
  'deadlock',
  'counter',
  'semaphore',
  'signals',
  'multiprocess',
  'gil',
  'vscode_itself',
] as const;
export type LabId = (typeof LAB_IDS)[number];

export interface Bilingual {
  readonly en: string;
  readonly ko: string;
}

export interface LabItemDef extends Bilingual {
  readonly id: string;
}

export interface LabDef {
  readonly id: LabId;
  readonly title: Bilingual;
  /** The lab program under labs/ (null for the VS Code step, which runs no program). */
  readonly script: string | null;
  readonly items: readonly LabItemDef[];
}

export function isLabId(value: unknown): value is LabId {
  return typeof value === 'string' && (LAB_IDS as readonly string[]).includes(value);
}

const MiB = 'MiB';

export const LABS: Readonly<Record<LabId, LabDef>> = {
  pcb_states: {
    id: 'pcb_states',
    title: { en: 'Processes and the PCB', ko: '프로세스와 PCB' },
    script: 'pcb_states.py',
    items: [
      { id: 'state-R', en: 'pcb-running is in state R (running or ready)', ko: 'pcb-running이 R 상태(실행 또는 대기)' },
      {
        id: 'state-S',
        en: 'pcb-sleeping is in state S (blocked, interruptible: waiting for an event)',
        ko: 'pcb-sleeping이 S 상태(중단, 인터럽트 가능: 이벤트를 기다림)',
      },
      {
        id: 'state-D',
        en: 'pcb-vfork-wait is in state D (blocked, uninterruptible: waiting in the kernel)',
        ko: 'pcb-vfork-wait이 D 상태(중단, 인터럽트 불가: 커널 안에서 기다림)',
      },
      { id: 'state-T', en: 'pcb-stopped is in state T (stopped by SIGSTOP)', ko: 'pcb-stopped가 T 상태(SIGSTOP으로 정지)' },
      {
        id: 'state-Z',
        en: 'pcb-zombie is in state Z (zombie: terminated, not yet reaped)',
        ko: 'pcb-zombie가 Z 상태(좀비: 종료했지만 아직 회수되지 않음)',
      },
      {
        id: 'layout',
        en: `pcb-layout's memory regions show code, data, heap (≥ 8 ${MiB}) and stack`,
        ko: `pcb-layout의 메모리 영역에 코드, 데이터, 힙(8 ${MiB} 이상), 스택이 보임`,
      },
      {
        id: 'pcb',
        en: 'You selected a pcb-… process: its PCB is open in the detail pane (ids, credentials, scheduling, signals)',
        ko: 'pcb-… 프로세스를 직접 선택해 세부 정보 창에서 PCB를 열어 봄(ID, 자격 증명, 스케줄링, 시그널)',
      },
    ],
  },
  fork_cow: {
    id: 'fork_cow',
    title: { en: 'fork, exec and copy-on-write', ko: 'fork, exec, 카피 온 라이트' },
    script: 'fork_cow.py',
    items: [
      { id: 'forked', en: 'fork-parent has 4 fork-child children', ko: 'fork-parent에 fork-child 자식이 4개' },
      {
        id: 'cow-shared',
        en: `After fork, cow-child's Resident (RSS) is ≥ 90 ${MiB} but its Unique (USS) is < 10 ${MiB} (pages shared)`,
        ko: `fork 직후 cow-child의 상주 메모리(RSS)는 90 ${MiB} 이상이지만 고유 메모리(USS)는 10 ${MiB} 미만(페이지 공유)`,
      },
      {
        id: 'cow-private',
        en: `After writing, cow-child's Unique (USS) is ≥ 90 ${MiB} (pages copied)`,
        ko: `쓰기 후 cow-child의 고유 메모리(USS)가 90 ${MiB} 이상(페이지 복사됨)`,
      },
      {
        id: 'cow-faults',
        en: 'cow-child took ≥ 23000 minor page faults (one per 4 KiB page copied)',
        ko: 'cow-child의 마이너 페이지 폴트가 23000번 이상(복사한 4 KiB 페이지마다 한 번)',
      },
      {
        id: 'demand-paging',
        en: `paging-demo (after exec) has ≥ 32 ${MiB} mapped but not yet resident (demand paging)`,
        ko: `paging-demo(exec 후)가 매핑했지만 아직 메모리에 올라오지 않은 영역이 32 ${MiB} 이상(디맨드 페이징)`,
      },
    ],
  },
  threads: {
    id: 'threads',
    title: { en: 'Threads vs processes', ko: '스레드와 프로세스' },
    script: 'threads.py',
    items: [
      { id: 'nlwp', en: 'thr-named has NLWP 5: five threads in one process', ko: 'thr-named의 NLWP가 5: 프로세스 하나에 스레드 다섯' },
      { id: 'thread-names', en: 'Its threads are named worker-1 … worker-4', ko: '스레드 이름이 worker-1 … worker-4' },
      { id: 'main-lwp', en: "The main thread's LWP equals the PID", ko: '메인 스레드의 LWP가 PID와 같음' },
      {
        id: 'kernel-threads',
        en: 'You showed kernel threads and selected one: a child of kthreadd (PID 2)',
        ko: '커널 스레드를 표시하고 하나를 선택함: kthreadd(PID 2)의 자식',
      },
      {
        id: 'asyncio-one-lwp',
        en: 'asyncio-demo runs three coroutines on one LWP (NLWP 1)',
        ko: 'asyncio-demo는 코루틴 셋을 LWP 하나에서 실행(NLWP 1)',
      },
      {
        id: 'gil',
        en: "The lab's measurement showed the GIL: threads about one core, processes ≥ 1.5× their work (gil-shown appears)",
        ko: '실습의 측정이 GIL을 보여줌: 스레드는 코어 하나 정도, 프로세스는 그 1.5배 이상의 일(gil-shown이 나타남)',
      },
      {
        id: 'multiprocessing',
        en: 'mp-worker processes run in parallel: together > 110% CPU',
        ko: 'mp-worker 프로세스들이 병렬로 실행: 합쳐서 CPU 110% 초과',
      },
    ],
  },
  ipc: {
    id: 'ipc',
    title: { en: 'Talking between processes', ko: '프로세스 간 통신' },
    script: 'ipc.py',
    items: [
      {
        id: 'pipe',
        en: 'An anonymous pipe joins two lab processes (write end → read end)',
        ko: '익명 파이프가 실습 프로세스 둘을 연결(쓰기 끝 → 읽기 끝)',
      },
      {
        id: 'fifo',
        en: 'A named pipe (FIFO) joins fifo-writer and fifo-reader',
        ko: '이름 있는 파이프(FIFO)가 fifo-writer와 fifo-reader를 연결',
      },
      {
        id: 'msgqueue',
        en: "A SysV message queue's last sender is mq-sender and last receiver is mq-receiver",
        ko: 'SysV 메시지 큐의 마지막 송신자가 mq-sender, 마지막 수신자가 mq-receiver',
      },
      {
        id: 'shared-memory',
        en: 'Two lab processes map the same /dev/shm shared memory',
        ko: '실습 프로세스 둘이 같은 /dev/shm 공유 메모리를 매핑',
      },
      {
        id: 'semaphore',
        en: "The lab's own SysV semaphore set exists while two sem-worker processes take turns",
        ko: 'sem-worker 프로세스 둘이 번갈아 실행되는 동안 실습이 만든 SysV 세마포어 집합이 존재',
      },
      {
        id: 'unix-socket',
        en: 'A unix-domain socket connects unix-client and unix-server',
        ko: '유닉스 도메인 소켓이 unix-client와 unix-server를 연결',
      },
      {
        id: 'tcp',
        en: 'A TCP connection on 127.0.0.1 joins tcp-client and tcp-server',
        ko: '127.0.0.1의 TCP 연결이 tcp-client와 tcp-server를 연결',
      },
      {
        id: 'signal-handler',
        en: "sig-handler's caught-signal mask includes SIGUSR1 (its own handler)",
        ko: 'sig-handler가 잡는 시그널 마스크에 SIGUSR1이 있음(자기 핸들러)',
      },
    ],
  },
  locks: {
    id: 'locks',
    title: { en: 'Races, locks and deadlock', ko: '경쟁 상태, 락, 교착 상태' },
    script: 'locks.py',
    items: [
      {
        id: 'race-workers',
        en: 'At least 5 race workers run at once on the same counter file',
        ko: '경쟁 작업자 5개 이상이 같은 카운터 파일에서 동시에 실행',
      },
      {
        id: 'holder-waiters',
        en: 'lock-holder holds a flock while lock-waiter processes wait for it',
        ko: 'lock-holder가 flock을 보유하고 lock-waiter 프로세스들이 기다림',
      },
      {
        id: 'deadlock',
        en: 'ProcScope reports a deadlock cycle: deadlock-A ⇄ deadlock-B',
        ko: 'ProcScope가 교착 상태 순환을 보고: deadlock-A ⇄ deadlock-B',
      },
      {
        id: 'starvation',
        en: 'starved-writer waits while reader processes hold the lock',
        ko: '읽기 프로세스들이 락을 쥔 동안 starved-writer가 기다림',
      },
    ],
  },
  deadlock: {
    id: 'deadlock',
    title: { en: 'Threads that wait for each other', ko: '서로를 기다리는 스레드' },
    script: 'deadlock.py',
    items: [
      {
        id: 'blocked',
        en: "dl-deadlock's threads dl-left and dl-right are both blocked (S), each waiting for a mutex",
        ko: 'dl-deadlock의 스레드 dl-left와 dl-right가 둘 다 중단(S) 상태로 각자 뮤텍스를 기다림',
      },
      {
        id: 'owners',
        en: "ProcScope names each mutex's owner: dl-left waits for one held by dl-right, dl-right for one held by dl-left",
        ko: 'ProcScope가 각 뮤텍스의 보유자를 밝힘: dl-left는 dl-right가 가진 뮤텍스를, dl-right는 dl-left가 가진 뮤텍스를 기다림',
      },
      {
        id: 'cycle',
        en: 'ProcScope finds the cycle of waits (circular wait): dl-left → dl-right → dl-left, a deadlock',
        ko: 'ProcScope가 대기의 순환(환형 대기)을 찾음: dl-left → dl-right → dl-left, 교착 상태',
      },
      {
        id: 'ordered',
        en: 'With one lock order (A before B), dl-ordered finishes: it exits with status 0',
        ko: '락 순서를 하나로 정하면(A 다음 B) dl-ordered가 끝남: 종료 상태 0으로 종료',
      },
    ],
  },
  counter: {
    id: 'counter',
    title: { en: 'Threads racing on a counter', ko: '카운터를 두고 경쟁하는 스레드' },
    script: 'counter.py',
    items: [
      {
        id: 'groups',
        en: 'Each counter program shows its thread group: nolock-1 … 4, mutex-1 … 4, cas-1 … 4',
        ko: '카운터 프로그램마다 스레드 묶음이 보임: nolock-1 … 4, mutex-1 … 4, cas-1 … 4',
      },
      {
        id: 'lost',
        en: 'Without a lock, updates are lost: the program names itself nolock-short (the count fell short of 40,000,000)',
        ko: '락이 없으면 갱신이 사라짐: 프로그램이 스스로 nolock-short라고 이름 붙임(카운트가 40,000,000에 못 미침)',
      },
      {
        id: 'mutex-wait',
        en: 'While one mutex-… thread keeps the mutex, another waits for it (S), and ProcScope names the holder',
        ko: 'mutex-… 스레드 하나가 뮤텍스를 쥔 동안 다른 스레드가 그것을 기다리고(S), ProcScope가 보유자를 밝힘',
      },
      {
        id: 'mutex-exact',
        en: 'With a mutex the count is exact: mutex-exact appears',
        ko: '뮤텍스를 쓰면 카운트가 정확함: mutex-exact가 나타남',
      },
      {
        id: 'cas-exact',
        en: 'With compare-and-swap, and no lock, the count is exact too: cas-exact appears',
        ko: '비교 후 교환(CAS)을 쓰면 락 없이도 카운트가 정확함: cas-exact가 나타남',
      },
    ],
  },
  semaphore: {
    id: 'semaphore',
    title: { en: 'A semaphore limits the workers', ko: '세마포어로 작업자 수 제한하기' },
    script: 'semaphore.py',
    items: [
      {
        id: 'workers',
        en: 'sem-pool runs five worker threads: pool-1 … pool-5',
        ko: 'sem-pool이 작업자 스레드 다섯을 실행: pool-1 … pool-5',
      },
      {
        id: 'waiting',
        en: 'With 2 permits, 3 workers are blocked (S) in a futex wait on one address (the semaphore) while the other 2 work',
        ko: '허가가 2개이므로 작업자 3개가 한 주소(세마포어)에 대한 futex에서 기다리며 중단(S) 상태이고, 나머지 2개가 일함',
      },
      {
        id: 'no-owner',
        en: 'ProcScope names no holder for those waits: a semaphore has no owner (unlike a mutex)',
        ko: 'ProcScope가 그 기다림에 보유자를 밝히지 않음: 세마포어에는 (뮤텍스와 달리) 소유자가 없음',
      },
      {
        id: 'binary',
        en: 'With 1 permit (sem-binary), 4 of binary-1 … binary-5 wait on the semaphore while 1 works',
        ko: '허가가 1개이면(sem-binary) binary-1 … binary-5 중 4개가 세마포어를 기다리고 1개가 일함',
      },
    ],
  },
  signals: {
    id: 'signals',
    title: { en: 'Signals: caught, pending, stopped', ko: '시그널: 잡기, 보류, 정지' },
    script: 'signals.py',
    items: [
      {
        id: 'caught',
        en: "sig-catcher's caught-signal mask (SigCgt) includes SIGUSR1: its own handler",
        ko: 'sig-catcher가 잡는 시그널 마스크(SigCgt)에 SIGUSR1이 있음: 자기 핸들러',
      },
      {
        id: 'pending',
        en: 'sig-blocker has SIGUSR2 in its blocked mask and in its pending mask at once: a blocked signal stays pending',
        ko: 'sig-blocker의 블록된 시그널 마스크와 보류 중인 시그널 마스크에 SIGUSR2가 함께 있음: 블록된 시그널은 보류된 채 남음',
      },
      { id: 'stopped', en: 'After SIGSTOP, sig-sleeper is in state T (stopped)', ko: 'SIGSTOP 뒤 sig-sleeper가 T 상태(정지)' },
      {
        id: 'continued',
        en: 'After SIGCONT, its handler renamed it sig-continued and it is back in state S (blocked, waiting for an event)',
        ko: 'SIGCONT 뒤 핸들러가 이름을 sig-continued로 바꿨고, 다시 S 상태(중단: 이벤트를 기다림)',
      },
    ],
  },
  multiprocess: {
    id: 'multiprocess',
    title: { en: 'One worker crashes, the others live on', ko: '작업자 하나가 죽어도 나머지는 계속 실행됨' },
    script: 'multiprocess.py',
    items: [
      {
        id: 'tree',
        en: 'browser-main has three worker processes as children: renderer-1, renderer-2, renderer-3',
        ko: 'browser-main에 작업자 프로세스 셋이 자식으로 있음: renderer-1, renderer-2, renderer-3',
      },
      {
        id: 'crashed',
        en: 'renderer-2 crashed: a zombie whose exit status says killed by signal 11 (SIGSEGV)',
        ko: 'renderer-2가 비정상 종료됨: 종료 상태가 시그널 11(SIGSEGV)로 종료되었다고 말하는 좀비',
      },
      {
        id: 'isolated',
        en: 'At the same time browser-main, renderer-1 and renderer-3 still run: the crash stayed in one process',
        ko: '그때 browser-main, renderer-1, renderer-3은 계속 실행 중: 오류가 한 프로세스 안에 머묾',
      },
      {
        id: 'restarted',
        en: 'browser-main started renderer-4 in its place, beside renderer-1 and renderer-3',
        ko: 'browser-main이 그 자리에 renderer-4를 시작했고, renderer-1과 renderer-3도 그대로 있음',
      },
    ],
  },
  gil: {
    id: 'gil',
    title: { en: "Python's GIL, thread by thread", ko: '스레드별로 보는 Python의 GIL' },
    script: 'gil.py',
    items: [
      {
        id: 'threads',
        en: 'gil-threads has three threads: its main thread, spin-1 and spin-2 (NLWP 3)',
        ko: 'gil-threads의 스레드가 셋: 메인 스레드, spin-1, spin-2(NLWP 3)',
      },
      {
        id: 'one-core',
        en: 'spin-1 and spin-2 are both busy (each ≥ 20% CPU) yet together use about one core at most (≤ 110%): one GIL',
        ko: 'spin-1과 spin-2가 둘 다 바쁘지만(각자 CPU 20% 이상) 합쳐서 많아야 코어 하나쯤(110% 이하): GIL이 하나',
      },
      {
        id: 'processes',
        en: 'spin-proc-1 and spin-proc-2 together use more than one core (> 120% CPU): a GIL each (needs two free cores)',
        ko: 'spin-proc-1과 spin-proc-2가 합쳐서 코어 하나보다 많이 씀(CPU 120% 초과): 각자 GIL을 가짐(쉬는 코어 둘이 필요)',
      },
      {
        id: 'asyncio',
        en: 'gil-asyncio runs both coroutines on one thread (NLWP 1), busy (≥ 50% CPU)',
        ko: 'gil-asyncio는 두 코루틴을 스레드 하나에서 실행(NLWP 1), 바쁨(CPU 50% 이상)',
      },
    ],
  },
  vscode_itself: {
    id: 'vscode_itself',
    title: { en: 'A real multi-process application: VS Code itself', ko: '실제 멀티 프로세스 애플리케이션: VS Code 자신' },
    script: null,
    items: [
      {
        id: 'vscode-processes',
        en: "You selected one of VS Code's own processes under This workspace",
        ko: '이 작업 영역 아래에서 VS Code 자신의 프로세스 하나를 선택함',
      },
      {
        id: 'extension-host',
        en: 'You selected the extension host: its own process, with many threads (≥ 5)',
        ko: '확장 호스트를 선택함: 스레드 여럿(5개 이상)을 가진 별도 프로세스',
      },
      {
        id: 'terminal',
        en: "You selected an integrated terminal's shell: a separate process",
        ko: '통합 터미널의 셸을 선택함: 별도 프로세스',
      },
      {
        id: 'host-children',
        en: 'You selected a child process of the extension host (a language server, a helper)',
        ko: '확장 호스트의 자식 프로세스(언어 서버, 도우미)를 선택함',
      },
    ],
  },
};
