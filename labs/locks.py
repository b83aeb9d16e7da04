#!/usr/bin/env python3
"""Lab 5: races, locks and deadlock.

Parts (--part race | holders | deadlock | starvation, default all):
  race        --workers processes (default 10) each add 1 to a counter file, 1000 times in total, with
              no lock (read, add, write: updates get lost), with a wrong lock (check that a lock file does not
              exist, then create it: two processes can both pass the check), and with flock() (exactly 1000).
  holders     lock-holder holds an exclusive flock on a file; two lock-waiter processes block on it.
              ProcScope's lock view (/proc/locks) shows the holder and the waiters.
  deadlock    deadlock-A holds f1 and wants f2; deadlock-B holds f2 and wants f1. Neither can go on; the
              kernel does not break flock deadlocks, so they stay until the lab ends or you kill one
              (then the other gets its lock and finishes). ProcScope reports the cycle.
  starvation  two reader processes keep a shared lock between them at all times; starved-writer waits for an
              exclusive lock that never becomes free until the readers stop.
"""
import fcntl
import os
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, strings  # noqa: E402

S = strings({
    "en": {
        "description": "races, locks and deadlock",
        "race_title": "{workers} processes add 1 to a counter file, {total} times in total",
        "race_result": "  {mode:<10} count = {count:>4} (expected {total}){verdict}",
        "short": "  <- {lost} updates lost",
        "exact": "  <- exact",
        "mode_none": "no lock",
        "mode_wrong": "wrong lock",
        "mode_flock": "flock",
        "race_explain": "Without mutual exclusion two processes read the same value and both write value+1. The wrong lock checks and then creates: not atomic. flock() checks and takes the lock in one system call.",
        "holders_title": "Lock holder and waiters on {path}",
        "holder_has": "  lock-holder {pid} holds an exclusive flock",
        "waiter_got": "  lock-waiter {pid} got the lock after waiting {secs:.1f} s",
        "deadlock_title": "Deadlock: deadlock-A holds f1 and wants f2; deadlock-B holds f2 and wants f1",
        "dl_holds": "  {name} {pid} holds {have}, now waits for {want}",
        "dl_got": "  {name} {pid} finally got {want}: the deadlock is broken",
        "dl_stays": "They wait for each other until the lab ends. Try it: kill one of them (from ProcScope or `kill {pid}`), and watch the other finish.",
        "dl_conditions": "The four conditions: mutual exclusion (flock LOCK_EX), hold and wait (each holds one, asks for another), no preemption (nobody takes a lock away), circular wait (A->B->A). Break any one and the deadlock cannot happen, e.g. always take f1 before f2.",
        "dl_broken": "  deadlock-{name} ({pid}) is gone; the cycle is broken.",
        "starve_title": "Starvation: readers keep a shared lock; starved-writer wants an exclusive one",
        "starve_wait": "  starved-writer {pid} is still waiting after {secs:.0f} s while the readers take turns",
        "starve_got": "  the readers stopped; starved-writer got its lock after {secs:.1f} s",
    },
    "ko": {
        "description": "경쟁 상태, 락, 교착 상태",
        "race_title": "프로세스 {workers}개가 카운터 파일에 1을 더합니다. 모두 합쳐 {total}번",
        "race_result": "  {mode:<10} 카운트 = {count:>4} (기대값 {total}){verdict}",
        "short": "  <- 갱신 {lost}번 사라짐",
        "exact": "  <- 정확",
        "mode_none": "락 없음",
        "mode_wrong": "잘못된 락",
        "mode_flock": "flock",
        "race_explain": "상호 배제가 없으면 두 프로세스가 같은 값을 읽고 둘 다 값+1을 씁니다. 잘못된 락은 확인한 뒤 만듭니다: 아토믹하지 않습니다. flock()은 확인과 잠금을 시스템 콜 하나로 합니다.",
        "holders_title": "{path}의 락 보유자와 대기자",
        "holder_has": "  lock-holder({pid})가 배타적 flock을 보유",
        "waiter_got": "  lock-waiter({pid})가 {secs:.1f}초 기다린 뒤 락을 얻음",
        "deadlock_title": "교착 상태: deadlock-A는 f1을 갖고 f2를 원하고, deadlock-B는 f2를 갖고 f1을 원합니다",
        "dl_holds": "  {name}({pid}): {have} 보유, 이제 {want} 대기",
        "dl_got": "  {name}({pid}): 드디어 {want} 획득. 교착 상태가 풀렸습니다",
        "dl_stays": "실습이 끝날 때까지 서로를 기다립니다. 해 보세요: 둘 중 하나를 종료하면(ProcScope에서 또는 `kill {pid}`) 다른 하나가 끝나는 것을 볼 수 있습니다.",
        "dl_conditions": "네 가지 조건: 상호 배제(flock LOCK_EX), 점유 대기(하나를 가진 채 다른 것을 요청), 비선점(아무도 락을 빼앗지 않음), 환형 대기(A->B->A). 하나라도 깨면 교착 상태는 생기지 않습니다. 예: 항상 f1을 f2보다 먼저 잡기.",
        "dl_broken": "  deadlock-{name}({pid})가 사라졌습니다. 순환이 깨졌습니다.",
        "starve_title": "기아 상태: 읽기 프로세스들이 공유 락을 계속 쥐고, starved-writer는 배타적 락을 원합니다",
        "starve_wait": "  읽기 프로세스들이 번갈아 락을 잡는 동안 starved-writer({pid})는 {secs:.0f}초째 기다리는 중",
        "starve_got": "  읽기 프로세스들이 멈췄습니다. starved-writer가 {secs:.1f}초 만에 락을 얻음",
    },
})


# ---------------------------------------------------------------- race
def read_count(counter):
    """The number at the start of the file (0 if empty). Only the first line counts: a short write over a
    longer number leaves the old tail behind ("1\n0\n" after writing "1\n" over "100\n")."""
    with open(counter) as f:
        words = f.read().split()
    return int(words[0]) if words else 0


def increment(counter, mode, lock_path):
    """Read the number in `counter`, add 1, write it back: the critical section (as inc.sh in the notes:
    `n=$(cat count); echo $((n + 1)) > count`). Opening for writing truncates the file first, so another
    process may even read an empty file and start again from 0."""
    lock_fd = None
    if mode == "wrong":
        while os.path.exists(lock_path):  # check ...
            pass
        open(lock_path, "w").close()      # ... then create: another process may have passed the check too
    elif mode == "flock":
        lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock_fd, fcntl.LOCK_EX)  # check and take the lock in one system call: atomic
    try:
        value = read_count(counter)
        with open(counter, "w") as f:
            f.write(f"{value + 1}\n")
    finally:
        if lock_fd is not None:
            os.close(lock_fd)  # closing the file releases the flock
        if mode == "wrong":
            try:
                os.unlink(lock_path)
            except FileNotFoundError:
                pass


def race(lab, mode, workers, total):
    counter = lab.path(f"count-{mode}")
    lock_path = lab.path(f"count-{mode}.lock")
    with open(counter, "w") as f:
        f.write("0\n")
    gate_r, gate_w = os.pipe()
    per = [total // workers + (1 if i < total % workers else 0) for i in range(workers)]

    def worker(n):
        os.close(gate_w)
        os.read(gate_r, 1)  # every worker starts at the same moment: the race is as likely as it gets
        for _ in range(n):
            increment(counter, mode, lock_path)

    pids = [lab.fork(worker, f"race-{mode}", n) for n in per]
    lab.event("race-ready", mode=mode, pids=pids)
    time.sleep(min(lab.args.gate, lab.remaining()))  # a moment to see every worker in ProcScope first
    os.close(gate_r)
    os.close(gate_w)  # EOF on the gate: all workers wake up together
    for pid in pids:
        lab.reap(pid)
    count = read_count(counter)
    verdict = lab.t("exact") if count == total else lab.t("short", lost=total - count)
    lab.say("race_result", mode=lab.t(f"mode_{mode}"), count=count, total=total, verdict=verdict)
    lab.event("race", mode=mode, count=count, total=total)
    return count


def part_race(lab):
    workers, total = lab.args.workers, lab.args.total
    lab.heading("race_title", workers=workers, total=total)
    for mode in ("none", "wrong", "flock"):
        race(lab, mode, workers, total)
    lab.say("race_explain")


# ---------------------------------------------------------------- holders and waiters
def part_holders(lab):
    path = lab.path("shared-resource")
    open(path, "w").close()
    lab.heading("holders_title", path=path)
    ready_r, ready_w = os.pipe()
    release_r, release_w = os.pipe()

    def holder():
        with open(path) as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            lab.say("holder_has", pid=os.getpid())
            os.write(ready_w, b"h")
            os.read(release_r, 1)  # hold until the parent says so (or dies)

    def waiter():
        t0 = time.monotonic()
        with open(path) as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            lab.say("waiter_got", pid=os.getpid(), secs=time.monotonic() - t0)

    h = lab.fork(holder, "lock-holder")
    os.read(ready_r, 1)
    waiters = [lab.fork(waiter, "lock-waiter") for _ in range(2)]
    time.sleep(0.3)
    lab.event("holders", path=path, holder=h, waiters=waiters)
    lab.pause("holders")
    os.write(release_w, b"go")
    for pid in [h] + waiters:
        lab.reap(pid, timeout=5)
    for fd in (ready_r, ready_w, release_r, release_w):
        os.close(fd)


# ---------------------------------------------------------------- deadlock
def part_deadlock(lab):
    lab.heading("deadlock_title")
    f1, f2 = lab.path("f1"), lab.path("f2")
    for p in (f1, f2):
        open(p, "w").close()
    gate_r, gate_w = os.pipe()

    def side(name, first, second):
        a = open(first)
        fcntl.flock(a, fcntl.LOCK_EX)
        os.write(gate_w, b"1")
        while not os.path.exists(lab.path("both-hold")):
            time.sleep(0.02)  # wait until both hold their first lock, so the deadlock is certain
        lab.say("dl_holds", name=name, pid=os.getpid(), have=os.path.basename(first), want=os.path.basename(second))
        b = open(second)
        fcntl.flock(b, fcntl.LOCK_EX)  # blocks for as long as the other side holds `second`
        if os.path.exists(lab.path("lab-ends")):
            return  # the lab itself ended the other side at the end of the part: nothing was broken by the learner
        lab.say("dl_got", name=name, pid=os.getpid(), want=os.path.basename(second))

    a = lab.fork(side, "deadlock-A", "deadlock-A", f1, f2)
    b = lab.fork(side, "deadlock-B", "deadlock-B", f2, f1)
    os.read(gate_r, 1)
    os.read(gate_r, 1)
    open(lab.path("both-hold"), "w").close()
    time.sleep(0.3)
    lab.event("deadlock", a=a, b=b, f1=f1, f2=f2)
    lab.say("dl_stays", pid=b)
    lab.say("dl_conditions")
    alive = {"A": a, "B": b}
    broken = []

    def watch():  # the learner killing one side breaks the cycle; the other then finishes
        for name, pid in list(alive.items()):
            if lab.reap(pid, timeout=0) is not None:
                if not broken:
                    lab.say("dl_broken", name=name, pid=pid)
                    lab.event("deadlock-broken", pid=pid)
                    broken.append(pid)
                del alive[name]
        return bool(alive)

    lab.pause("deadlock", watch=watch)
    open(lab.path("lab-ends"), "w").close()
    for pid in alive.values():
        lab.kill(pid)
    os.close(gate_r)
    os.close(gate_w)


# ---------------------------------------------------------------- starvation
def part_starvation(lab):
    lab.heading("starve_title")
    path = lab.path("popular")
    stop = lab.path("readers-stop")
    open(path, "w").close()

    def reader(offset):
        time.sleep(offset)
        while not os.path.exists(stop):
            with open(path) as f:
                fcntl.flock(f, fcntl.LOCK_SH)
                time.sleep(0.6)  # the two readers' 0.6 s holds overlap: the file is never free
            time.sleep(0.05)

    def writer():
        t0 = time.monotonic()
        with open(path) as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            lab.say("starve_got", secs=time.monotonic() - t0)

    readers = [lab.fork(reader, "reader", 0.0), lab.fork(reader, "reader", 0.3)]
    time.sleep(0.2)
    w = lab.fork(writer, "starved-writer")
    lab.event("starvation", readers=readers, writer=w)
    t0 = time.monotonic()
    lab.pause("starvation")
    lab.say("starve_wait", pid=w, secs=time.monotonic() - t0)
    open(stop, "w").close()
    lab.reap(w, timeout=5)
    for pid in readers:
        lab.reap(pid, timeout=3)


def main():
    lab = Lab("locks", S, extra_args=[
        (("--workers",), {"type": int, "default": 10, "help": "processes in the race (default 10)"}),
        (("--total",), {"type": int, "default": 1000, "help": "increments in total (default 1000)"}),
        (("--gate",), {"type": float, "default": 1.5, "help": "seconds the race workers wait at the start line"}),
    ])
    if lab.wants("race"):
        part_race(lab)
    if lab.wants("holders"):
        part_holders(lab)
    if lab.wants("deadlock"):
        part_deadlock(lab)
    if lab.wants("starvation"):
        part_starvation(lab)
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
