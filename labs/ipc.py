#!/usr/bin/env python3
"""Lab 4: talking between processes.

Parts (--part pipe | fifo | msgqueue | memory | semaphore | sockets | signals, default all), each kept
alive until you press Enter (or --pause seconds) so you can find it in ProcScope's IPC view:
  pipe       a shell pipeline: `free | awk ...` once, then a slow producer | reader that stays alive.
  fifo       a named pipe made with mkfifo: fifo-writer -> fifo-reader.
  msgqueue   a SysV message queue: mq-sender and mq-receiver; the kernel records the pid of the last
             sender and the last receiver (msg_lspid, msg_lrpid in msqid_ds; /proc/sysvipc/msg).
  memory     after fork each process has its own memory (the child doubles 1000, the parent still sees 1000);
             with shared memory (/dev/shm, mmap MAP_SHARED) the parent sees the child's 2000.
  semaphore  a SysV semaphore (value 1) lets two sem-worker processes take turns in a critical section.
  sockets    a unix-domain socket and a TCP socket on 127.0.0.1, each with a server and a client. Each server
             holds only its own listener (closed once its client is in), so the IPC view shows just the two real
             connections. The throughput of each kind is timed alone (one kind after the other), several times,
             and the conclusion printed follows the medians measured.
  signals    SIGUSR1 asks `dd` to print its progress; sig-handler catches SIGUSR1 with its own handler.
"""
import ctypes
import mmap
import os
import signal
import socket
import struct
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, _libc, die_with_parent, strings  # noqa: E402

IPC_CREAT, IPC_EXCL, IPC_RMID, SETVAL = 0o1000, 0o2000, 0, 16

# The lab's SysV keys name their creator: tag 'P' in the top byte, the kind in the next two bits, the lab's
# pid in the low 22 (pid_max is at most 2^22). /proc/sysvipc names no creator pid for queues and semaphores,
# so this is how the next run knows which leftovers are a dead lab's (src/core/labs/sysvKey.ts reads the same).
LAB_KEY_TAG = 0x50
KEY_KINDS = ("msg", "sem")


def lab_sysv_key(kind, pid):
    return (LAB_KEY_TAG << 24) | (KEY_KINDS.index(kind) << 22) | pid


def lab_sysv_owner(key):
    """(kind, creator pid) of a lab key, or None for any other key."""
    key &= 0xFFFFFFFF
    if key >> 24 != LAB_KEY_TAG or (key >> 22) & 0b11 >= len(KEY_KINDS) or key & 0x3FFFFF == 0:
        return None
    return KEY_KINDS[(key >> 22) & 0b11], key & 0x3FFFFF


def runs_this_lab(pid):
    """Is `pid` alive and running this lab program (not a new process that reused the pid)?"""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return False
    return any(arg.endswith(b"/ipc.py") or arg == b"ipc.py" for arg in argv[:3])


# Which SysV objects this user's runs of the lab made: "kind key" lines in a file of the user's own. A key with
# the lab's tag proves nothing by itself (ftok(path, 'P') gives the same top byte), so a run writes its key
# here before it creates the object and takes it out once the object is removed; the sweep below touches only
# objects listed here, never another program's queue or semaphore set that happens to look like the lab's.
def registry_path():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "procscope", "lab-sysv-keys")


def _edit_registry(change):
    """Applies change(set of (kind, key)) -> set to the registry under an exclusive lock (a lock file beside it),
    writing the new list to a temporary file renamed over the old one, so a lab killed meanwhile never leaves
    it half written. False when it cannot."""
    import fcntl

    path = registry_path()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        entries = set()
        try:
            with open(path) as f:
                for line in f.read().splitlines():
                    parts = line.split()
                    if len(parts) == 2 and parts[0] in KEY_KINDS and parts[1].isdigit():
                        entries.add((parts[0], int(parts[1])))
        except FileNotFoundError:
            pass
        after = change(entries)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".lab-sysv-keys-")
        with os.fdopen(fd, "w") as f:
            f.write("".join(f"{kind} {key}\n" for kind, key in sorted(after)))
        os.replace(temp, path)
        return True
    except OSError:
        return False
    finally:
        os.close(lock)


def remember_sysv(kind, key):
    """Before creating a lab object: list its key, so a later run may remove it if this one is killed."""
    _edit_registry(lambda entries: entries | {(kind, key)})


def forget_sysv(kind, key):
    _edit_registry(lambda entries: entries - {(kind, key)})


def sweep_sysv_leftovers(lab):
    """Remove the message queues and semaphore sets of earlier runs that could not clean up (killed with
    SIGKILL): objects listed in the registry, of this user, whose creator is gone. Says what it removed."""
    removed = []

    def sweep(entries):
        keep = set()
        for table, kind, id_column in (("msg", "msg", "msqid"), ("sem", "sem", "semid")):
            try:
                with open(f"/proc/sysvipc/{table}") as f:
                    header = f.readline().split()
                    rows = [dict(zip(header, line.split())) for line in f if line.strip()]
            except OSError:
                keep |= {e for e in entries if e[0] == kind}  # cannot tell: keep them listed
                continue
            for row in rows:
                key = int(row["key"]) & 0xFFFFFFFF
                if (kind, key) not in entries or int(row["uid"]) != os.getuid():
                    continue
                owner = lab_sysv_owner(key)
                creator = owner[1] if owner else 0
                if creator != os.getpid() and runs_this_lab(creator):
                    keep.add((kind, key))  # another run of this lab, still alive
                    continue
                ident = int(row[id_column])
                done = _libc.msgctl(ident, IPC_RMID, None) if kind == "msg" else _libc.semctl(ident, 0, IPC_RMID)
                if done == 0:
                    removed.append((kind, key, ident, creator))
                else:
                    keep.add((kind, key))
        # Listed keys whose object is gone (removed by hand, or a reboot) are dropped from the list.
        return keep

    _edit_registry(sweep)
    for kind, key, ident, creator in removed:
        lab.say(f"swept_{kind}", ipc_key=f"0x{key:08x}", ident=ident, pid=creator)


S = strings({
    "en": {
        "description": "talking between processes",
        "pipe_title": "Anonymous pipe: a shell pipeline",
        "pipe_free": "free | awk '(NR==2){{print $2}}' printed the total memory: {out} KiB",
        "pipe_live": "Now a slow pipeline stays alive: sh (writes a number each second) | sh (reads and sums).",
        "pipe_reader": "  reader got $n, sum $s",
        "sysv_failed": "  (this part is skipped: the lab could not create its object with key {ipc_key}: {reason})",
        "fifo_title": "Named pipe (FIFO): {path}",
        "fifo_read": "  fifo-reader {pid} read: {line}",
        "mq_title": "SysV message queue (msqid {msqid})",
        "mq_recv": "  mq-receiver {pid} got: {text}",
        "mq_stat": "  /proc/sysvipc/msg: {messages} message(s) queued, last sender pid {lspid} (mq-sender {sender}), last receiver pid {lrpid} (mq-receiver {receiver})",
        "mem_title": "Separate memory after fork vs shared memory",
        "mem_before": "Value before fork: {value}",
        "mem_child": "  child {pid} doubled its copy: {value}",
        "mem_separate": "Separate memory: after the child exited the parent's value is {value} (unchanged).",
        "mem_shared": "Shared memory ({path}, mmap MAP_SHARED): after the child wrote, the parent reads {value}.",
        "sem_title": "SysV semaphore (semid {semid}, value 1): one worker at a time",
        "sem_in": "  sem-worker {pid} entered the critical section",
        "sock_title": "Sockets: unix domain vs TCP on 127.0.0.1",
        "sock_speed": "  {kind:<4} socket: median of {n} transfers of {mib} MiB: {secs:.3f} s = {rate:.0f} MiB/s (range {low:.0f}-{high:.0f} MiB/s)",
        "sock_verdict_unix": "Measured one after the other: the unix socket was {ratio:.1f}x as fast as TCP. It skips the network stack (no TCP/IP headers, checksums or loopback device): the kernel copies bytes straight to the peer.",
        "sock_verdict_tcp": "Measured one after the other: TCP was {ratio:.1f}x as fast as the unix socket this time. Usually the unix socket wins (no network stack); a machine busy with other work can reverse a short measurement: run the part again.",
        "sock_verdict_same": "Measured one after the other: the two medians are within {margin}% of each other, too close to call on this machine now (other work on the CPUs blurs the difference); usually the unix socket is faster because it skips the network stack.",
        "sock_live": "Both connections stay open (a ping each second): look for the unix socket {path} and the TCP port {port}.",
        "sig_title": "Signals",
        "sig_dd": "Sending SIGUSR1 to dd (pid {pid}): it prints its progress:",
        "sig_handler": "  sig-handler {pid}: caught SIGUSR1 (#{n}) with its own handler",
        "sig_sent": "Sent SIGUSR1 three times to sig-handler {pid}; its caught-signal mask (SigCgt) includes SIGUSR1.",
        "cleaned_ipc": "Removed the SysV object {what} {ident}.",
        "swept_msg": "Removed a message queue left behind by an earlier run of this lab that was killed (key {ipc_key}, msqid {ident}, created by pid {pid}, which is gone).",
        "swept_sem": "Removed a semaphore set left behind by an earlier run of this lab that was killed (key {ipc_key}, semid {ident}, created by pid {pid}, which is gone).",
    },
    "ko": {
        "description": "프로세스 간 통신",
        "pipe_title": "익명 파이프: 셸 파이프라인",
        "pipe_free": "free | awk '(NR==2){{print $2}}'가 전체 메모리를 출력했습니다: {out} KiB",
        "pipe_live": "이제 느린 파이프라인이 살아 있습니다: sh(1초마다 숫자를 씀) | sh(읽고 더함).",
        "pipe_reader": "  읽는 쪽: $n 받음, 합계 $s",
        "sysv_failed": "  (이 부분은 건너뜁니다: 실습이 키 {ipc_key}로 객체를 만들지 못했습니다: {reason})",
        "fifo_title": "이름 있는 파이프(FIFO): {path}",
        "fifo_read": "  fifo-reader({pid})가 읽음: {line}",
        "mq_title": "SysV 메시지 큐 (msqid {msqid})",
        "mq_recv": "  mq-receiver({pid})가 받음: {text}",
        "mq_stat": "  /proc/sysvipc/msg: 큐에 쌓인 메시지 {messages}개, 마지막 송신자 pid {lspid} (mq-sender {sender}), 마지막 수신자 pid {lrpid} (mq-receiver {receiver})",
        "mem_title": "fork 뒤의 분리된 메모리 vs 공유 메모리",
        "mem_before": "자식 프로세스 생성 전 데이터 값: {value}",
        "mem_child": "  자식({pid})이 자기 복사본을 2배로: {value}",
        "mem_separate": "분리된 메모리: 자식 프로세스 종료 후 부모의 데이터 값: {value} (그대로)",
        "mem_shared": "공유 메모리({path}, mmap MAP_SHARED): 자식이 쓴 뒤 부모가 읽은 값: {value}",
        "sem_title": "SysV 세마포어 (semid {semid}, 값 1): 한 번에 한 작업자만",
        "sem_in": "  sem-worker({pid})가 임계 영역에 들어감",
        "sock_title": "소켓: 유닉스 도메인 vs 127.0.0.1의 TCP",
        "sock_speed": "  {kind:<4} 소켓: {mib} MiB 전송 {n}번의 중앙값: {secs:.3f}초 = {rate:.0f} MiB/s (범위 {low:.0f}-{high:.0f} MiB/s)",
        "sock_verdict_unix": "하나씩 차례로 잰 결과: 유닉스 소켓이 TCP보다 {ratio:.1f}배 빨랐습니다. 네트워크 스택(TCP/IP 헤더, 체크섬, 루프백 장치)을 거치지 않고 커널이 바이트를 상대에게 바로 복사하기 때문입니다.",
        "sock_verdict_tcp": "하나씩 차례로 잰 결과: 이번에는 TCP가 유닉스 소켓보다 {ratio:.1f}배 빨랐습니다. 보통은 유닉스 소켓이 빠릅니다(네트워크 스택 없음). 다른 작업으로 바쁜 컴퓨터에서는 짧은 측정이 뒤집힐 수 있습니다: 이 부분을 다시 실행해 보세요.",
        "sock_verdict_same": "하나씩 차례로 잰 결과: 두 중앙값의 차이가 {margin}% 이내라서 지금 이 컴퓨터에서는 어느 쪽이 빠르다고 말할 수 없습니다(CPU의 다른 작업이 차이를 흐립니다). 보통은 네트워크 스택을 거치지 않는 유닉스 소켓이 빠릅니다.",
        "sock_live": "두 연결이 열린 채로 있습니다(1초마다 핑): 유닉스 소켓({path})과 TCP 포트({port})를 찾아 보세요.",
        "sig_title": "시그널",
        "sig_dd": "dd(pid {pid})에 SIGUSR1을 보냅니다: 진행 상황을 출력합니다:",
        "sig_handler": "  sig-handler {pid}: 자기 핸들러로 SIGUSR1을 잡음 (#{n})",
        "sig_sent": "sig-handler({pid})에 SIGUSR1을 세 번 보냈습니다. 잡는 시그널 마스크(SigCgt)에 SIGUSR1이 있습니다.",
        "cleaned_ipc": "SysV 객체를 지웠습니다: {what} {ident}",
        "swept_msg": "이전에 강제 종료된 이 실습이 남긴 메시지 큐를 지웠습니다 (키 {ipc_key}, msqid {ident}, 만든 pid {pid}는 이미 없음).",
        "swept_sem": "이전에 강제 종료된 이 실습이 남긴 세마포어 집합을 지웠습니다 (키 {ipc_key}, semid {ident}, 만든 pid {pid}는 이미 없음).",
    },
})


def check(result, what):
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


# ---------------------------------------------------------------- pipe
def part_pipe(lab):
    lab.heading("pipe_title")
    out = subprocess.run(["sh", "-c", "free | awk '(NR==2){print $2}'"], capture_output=True, text=True).stdout
    lab.say("pipe_free", out=out.strip())
    lab.say("pipe_live")
    n = int(lab.args.pause + 5)
    # The reader's line in the learner's language; its $n and $s are the shell's (no quote or $( in the texts).
    line = lab.t("pipe_reader")
    # The writer also stops as soon as the lab is gone (killed with SIGKILL, which no cleanup sees): the
    # pipeline's subshells do not die with their parent as the lab's own children do.
    script = (f"i=1; while [ $i -le {n} ] && kill -0 {os.getpid()} 2>/dev/null; do echo $i; i=$((i+1)); sleep 1; done"
              f" | (s=0; while read n; do s=$((s+n)); echo \"{line}\"; done)")
    # Its own process group, so the whole pipeline stops together; the loop ends by itself after n seconds.
    pipeline = subprocess.Popen(["sh", "-c", script], start_new_session=True, preexec_fn=die_with_parent)
    lab.track(pipeline.pid)
    time.sleep(0.3)
    lab.event("pipe", pid=pipeline.pid)
    lab.pause("pipe")
    try:
        os.killpg(pipeline.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    lab.reap(pipeline.pid, timeout=5)


# ---------------------------------------------------------------- fifo
def part_fifo(lab):
    path = lab.path("fifo")
    os.mkfifo(path, 0o600)
    lab.heading("fifo_title", path=path)

    def writer():
        with open(path, "w") as f:  # blocks until a reader opens the FIFO
            i = 0
            while True:
                i += 1
                f.write(f"message {i} from fifo-writer {os.getpid()}\n")
                f.flush()
                time.sleep(1)

    def reader():
        with open(path) as f:
            for line in f:
                lab.say("fifo_read", pid=os.getpid(), line=line.strip())

    w = lab.fork(writer, "fifo-writer")
    r = lab.fork(reader, "fifo-reader")
    time.sleep(0.5)
    lab.event("fifo", path=path, writer=w, reader=r)
    lab.pause("fifo")
    lab.kill(w)
    lab.kill(r)
    os.unlink(path)


# ---------------------------------------------------------------- SysV message queue
def sysv_msg_line(msqid):
    with open("/proc/sysvipc/msg") as f:
        header = f.readline().split()
        for line in f:
            row = dict(zip(header, line.split()))
            if int(row["msqid"]) == msqid:
                return row
    return None


def part_msgqueue(lab):
    key = lab_sysv_key("msg", os.getpid())
    remember_sysv("msg", key)
    try:
        msqid = check(_libc.msgget(key, IPC_CREAT | IPC_EXCL | 0o600), "msgget")
    except OSError as error:
        forget_sysv("msg", key)  # not made (another program holds the key): never to be swept as the lab's
        lab.say("sysv_failed", ipc_key=f"0x{key:08x}", reason=error.strerror or str(error))
        return
    removed = []

    def remove():
        if not removed:
            _libc.msgctl(msqid, IPC_RMID, None)
            forget_sysv("msg", key)
            removed.append(True)

    lab.on_cleanup(remove)
    lab.heading("mq_title", msqid=msqid)

    def sender():
        i = 0
        while True:
            i += 1
            text = f"hello {i} from mq-sender {os.getpid()}".encode()
            buf = struct.pack("q", 1) + text  # struct msgbuf { long mtype; char mtext[]; }
            check(_libc.msgsnd(msqid, buf, len(text), 0), "msgsnd")
            time.sleep(0.5)

    def receiver():
        buf = ctypes.create_string_buffer(8 + 256)
        while True:
            n = check(_libc.msgrcv(msqid, buf, 256, 0, 0), "msgrcv")
            lab.say("mq_recv", pid=os.getpid(), text=buf.raw[8:8 + n].decode())

    s = lab.fork(sender, "mq-sender")
    r = lab.fork(receiver, "mq-receiver")
    time.sleep(1.2)
    row = sysv_msg_line(msqid) or {}
    lab.say("mq_stat", messages=row.get("qnum"), lspid=row.get("lspid"), lrpid=row.get("lrpid"), sender=s, receiver=r)
    lab.event("msgqueue", msqid=msqid, sender=s, receiver=r)
    lab.pause("msgqueue")
    lab.kill(s)
    lab.kill(r)
    remove()
    lab.say("cleaned_ipc", what="msqid", ident=msqid)


# ---------------------------------------------------------------- memory
def part_memory(lab):
    lab.heading("mem_title")
    value = [1000]
    lab.say("mem_before", value=value[0])

    def doubler():
        value[0] *= 2
        lab.say("mem_child", pid=os.getpid(), value=value[0])

    lab.reap(lab.fork(doubler, "mem-child"))
    lab.say("mem_separate", value=value[0])

    path = f"/dev/shm/procscope-lab-{os.getpid()}"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    lab.on_cleanup(lambda: os.path.exists(path) and os.unlink(path))
    os.ftruncate(fd, mmap.PAGESIZE)
    shared = mmap.mmap(fd, mmap.PAGESIZE, flags=mmap.MAP_SHARED)
    os.close(fd)
    shared[0:8] = struct.pack("q", 1000)
    go_r, go_w = os.pipe()
    done_r, done_w = os.pipe()

    def shm_child():
        now = struct.unpack("q", shared[0:8])[0] * 2
        shared[0:8] = struct.pack("q", now)
        lab.say("mem_child", pid=os.getpid(), value=now)
        os.write(done_w, b"d")
        os.read(go_r, 1)  # stay alive (and mapped) until the parent moves on

    child = lab.fork(shm_child, "shm-child")
    os.read(done_r, 1)
    shared_value = struct.unpack("q", shared[0:8])[0]
    lab.say("mem_shared", path=path, value=shared_value)
    lab.event("memory", separate=value[0], shared=shared_value, path=path, parent=os.getpid(), child=child)
    lab.pause("memory")
    os.write(go_w, b"x")
    lab.reap(child, timeout=5)
    for fd in (go_r, go_w, done_r, done_w):
        os.close(fd)
    shared.close()
    os.unlink(path)


# ---------------------------------------------------------------- semaphore
class SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]


def part_semaphore(lab):
    key = lab_sysv_key("sem", os.getpid())
    remember_sysv("sem", key)
    try:
        semid = check(_libc.semget(key, 1, IPC_CREAT | IPC_EXCL | 0o600), "semget")
    except OSError as error:
        forget_sysv("sem", key)  # not made (another program holds the key): never to be swept as the lab's
        lab.say("sysv_failed", ipc_key=f"0x{key:08x}", reason=error.strerror or str(error))
        return
    removed = []

    def remove():
        if not removed:
            _libc.semctl(semid, 0, IPC_RMID)
            forget_sysv("sem", key)
            removed.append(True)

    lab.on_cleanup(remove)
    check(_libc.semctl(semid, 0, SETVAL, ctypes.c_int(1)), "semctl SETVAL")
    lab.heading("sem_title", semid=semid)
    SEM_UNDO = 0x1000  # the kernel gives the semaphore back if a worker dies inside

    def worker():
        down, up = SemBuf(0, -1, SEM_UNDO), SemBuf(0, 1, SEM_UNDO)
        while True:
            check(_libc.semop(semid, ctypes.byref(down), 1), "semop P")
            lab.say("sem_in", pid=os.getpid())
            time.sleep(0.7)
            check(_libc.semop(semid, ctypes.byref(up), 1), "semop V")
            time.sleep(0.1)

    workers = [lab.fork(worker, "sem-worker") for _ in range(2)]
    lab.event("semaphore", semid=semid, workers=workers)
    lab.pause("semaphore")
    for w in workers:
        lab.kill(w)
    remove()
    lab.say("cleaned_ipc", what="semid", ident=semid)


# ---------------------------------------------------------------- sockets
CHUNK = b"x" * 65536
TRANSFER = 16 * 1024 * 1024  # one timed transfer
ROUNDS = 5  # timed transfers per kind; the median is reported
MARGIN = 0.10  # medians closer than this (relative) are "about the same"


def serve(server, total, rounds):
    """Accept one connection; receive `rounds` transfers of `total` bytes, acknowledging each; then answer pings."""
    conn, _ = server.accept()
    server.close()  # only one client: the listener is no longer needed (and no longer shows as an endpoint)
    with conn:
        for _ in range(rounds):
            received = 0
            while received < total:
                data = conn.recv(1 << 20)
                if not data:
                    return
                received += len(data)
            conn.sendall(b"ok")
        while True:  # then answer pings until the client goes away
            data = conn.recv(64)
            if not data:
                return
            conn.sendall(b"pong")


def timed_transfers(sock, total, rounds):
    """Seconds taken by each of `rounds` transfers of `total` bytes (each ends when the server acknowledges)."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(total // len(CHUNK)):
            sock.sendall(CHUNK)
        if sock.recv(2) != b"ok":
            raise OSError("the server closed the connection")
        times.append(time.perf_counter() - t0)
    return times


def client(kind, address, go_r, report_w, total, rounds):
    family = socket.AF_UNIX if kind == "unix" else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.connect(address)
        os.write(report_w, b"c")  # connected
        os.read(go_r, 1)  # wait for our turn: the two kinds are timed one after the other, never at once
        times = timed_transfers(sock, total, rounds)
        os.write(report_w, (" ".join(f"{t:.6f}" for t in times) + "\n").encode())
        while True:
            sock.sendall(b"ping")
            sock.recv(4)
            time.sleep(1)


def median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def socket_verdict(unix_secs, tcp_secs, margin=MARGIN):
    """'unix' or 'tcp' when that kind's median time is shorter by more than `margin`, else 'same'."""
    if unix_secs < tcp_secs * (1 - margin):
        return "unix"
    if tcp_secs < unix_secs * (1 - margin):
        return "tcp"
    return "same"


def read_line(fd):
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 4096)
        if not chunk:
            raise OSError("a socket client ended before reporting")
        data += chunk
    return data.decode()


def part_sockets(lab):
    lab.heading("sock_title")
    path = lab.path("sock")
    if len(os.fsencode(path)) > 100:
        # A unix socket's path holds at most 107 bytes; a long TMPDIR would not fit: a short folder in /tmp.
        short = tempfile.mkdtemp(prefix=f"procscope-lab-s-{os.getpid()}-", dir="/tmp")
        lab.on_cleanup(lambda: shutil.rmtree(short, ignore_errors=True))
        path = os.path.join(short, "sock")
    total, rounds = lab.args.socket_mib * 1024 * 1024, lab.args.socket_rounds
    pids, times = [], {}
    port = None
    for kind in ("unix", "tcp"):
        # Each listener is created just before its own server is forked and closed in the lab right after, so
        # no other process holds it: the IPC view shows only the real edges (server <-> its client).
        if kind == "unix":
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            address = path
        else:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(("127.0.0.1", 0))
            port = listener.getsockname()[1]
            address = ("127.0.0.1", port)
        listener.listen(1)
        pids.append(lab.fork(serve, f"{kind}-server", listener, total, rounds))
        listener.close()
        go_r, go_w = os.pipe()
        report_r, report_w = os.pipe()
        pids.append(lab.fork(lambda: (os.close(go_w), os.close(report_r),
                                      client(kind, address, go_r, report_w, total, rounds)),
                             f"{kind}-client"))
        os.close(go_r)
        os.close(report_w)
        os.read(report_r, 1)  # connected
        # Timed alone: the other kind's client is idle (it only pings once a second).
        os.write(go_w, b"g")
        times[kind] = [float(t) for t in read_line(report_r).split()]
        os.close(go_w)
        os.close(report_r)
    mib = total / (1 << 20)
    medians = {kind: median(values) for kind, values in times.items()}
    for kind in ("unix", "tcp"):
        secs = medians[kind]
        lab.say("sock_speed", kind=kind, n=rounds, mib=int(mib), secs=secs, rate=mib / secs,
                low=mib / max(times[kind]), high=mib / min(times[kind]))
    verdict = socket_verdict(medians["unix"], medians["tcp"])
    ratio = max(medians.values()) / min(medians.values())
    lab.say(f"sock_verdict_{verdict}", ratio=ratio, margin=int(MARGIN * 100))
    lab.say("sock_live", path=path, port=port)
    lab.event("sockets", path=path, port=port, pids=pids, unix=times["unix"], tcp=times["tcp"],
              medians=medians, verdict=verdict)
    lab.pause("sockets")
    for pid in pids:
        lab.kill(pid)
    os.unlink(path)


# ---------------------------------------------------------------- signals
def part_signals(lab):
    lab.heading("sig_title")
    # count= bounds dd even if the lab is SIGKILLed before PDEATHSIG can act.
    dd = subprocess.Popen(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000"], stderr=sys.stdout,
                          preexec_fn=die_with_parent)
    lab.track(dd.pid)
    lab.say("sig_dd", pid=dd.pid)
    for _ in range(3):
        time.sleep(1)
        os.kill(dd.pid, signal.SIGUSR1)
    time.sleep(0.3)
    lab.kill(dd.pid)

    ready_r, ready_w = os.pipe()

    def handler_process():
        count = [0]

        def on_usr1(_signum, _frame):
            count[0] += 1
            lab.say("sig_handler", pid=os.getpid(), n=count[0])

        signal.signal(signal.SIGUSR1, on_usr1)
        os.write(ready_w, b"r")
        while True:
            signal.pause()

    pid = lab.fork(handler_process, "sig-handler")
    os.read(ready_r, 1)
    for _ in range(3):
        os.kill(pid, signal.SIGUSR1)
        time.sleep(0.3)
    lab.say("sig_sent", pid=pid)
    lab.event("signals", handler=pid)
    lab.pause("signals")
    lab.kill(pid)
    os.close(ready_r)
    os.close(ready_w)


PARTS = [("pipe", part_pipe), ("fifo", part_fifo), ("msgqueue", part_msgqueue), ("memory", part_memory),
         ("semaphore", part_semaphore), ("sockets", part_sockets), ("signals", part_signals)]


def main():
    for name in ("msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl"):
        getattr(_libc, name).restype = ctypes.c_int
    _libc.msgrcv.restype = ctypes.c_ssize_t
    _libc.msgsnd.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
    _libc.msgrcv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long, ctypes.c_int]
    lab = Lab("ipc", S, extra_args=[
        (("--socket-mib",), {"type": int, "default": 16, "help": "size of one timed socket transfer, MiB (default 16)"}),
        (("--socket-rounds",), {"type": int, "default": 5, "help": "timed transfers per socket kind; the median is reported (default 5)"}),
    ])
    sweep_sysv_leftovers(lab)
    for name, run in PARTS:
        if lab.wants(name):
            run(lab)
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
