#!/usr/bin/env python3
"""Lab 6: threads that wait for each other (deadlock on two mutexes, and the fix by a lock order).

Parts (--part deadlock | ordered, default all):
  deadlock  dl-deadlock, a small C program, starts two threads: dl-left takes mutex A and then asks for B,
            dl-right takes B and then asks for A. Both hold one lock before either asks for the other, so the
            deadlock is certain. The lab names the four conditions as they appear, and after the pause ends
            the process (nothing inside it can undo the deadlock).
  ordered   dl-ordered: the same two threads, but both take A before B (a lock order). They finish their
            rounds and the process exits with status 0. The lab leaves it a zombie for a few seconds before
            collecting its status, so ProcScope can read that status too.
Needs a C compiler (cc) for the pthread program; without one the lab says so.
"""
import os
import select
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, die_with_parent, emit, strings  # noqa: E402

# How long the exited dl-ordered stays a zombie (its status not yet collected): a few of ProcScope's ticks.
ZOMBIE_HOLD = 6.0

S = strings({
    "en": {
        "description": "threads that wait for each other: a deadlock on two mutexes, and the fix by a lock order",
        "no_cc": "This lab needs a C compiler (cc) to build its pthread program; none was found, so there is nothing to show.",
        "dl_title": "Step 1: two threads take two mutexes in opposite order",
        "dl_plan": "dl-left takes lock A, then asks for lock B. dl-right takes lock B, then asks for lock A.",
        "thread": "  {thread} is thread {tid} of dl-deadlock (pid {pid})",
        "hold": "  {thread} holds lock {lock}",
        "want": "  {thread} asks for lock {lock}",
        "release": "  {thread} releases both locks",
        "done_thread": "  {thread} finished its rounds",
        "state": "  {thread} ({tid}): state {state}, waiting in the kernel in {wchan}",
        "stuck": "Neither thread can go on. The four conditions of a deadlock, as they appear here:",
        "c1": "  1. Mutual exclusion: a mutex lets one thread in at a time. Lock A is held by dl-left alone, lock B by dl-right alone.",
        "c2": "  2. Hold and wait: dl-left holds A while it waits for B; dl-right holds B while it waits for A.",
        "c3": "  3. No preemption: nothing takes A away from dl-left. Only the thread that holds a mutex can unlock it.",
        "c4": "  4. Circular wait: dl-left waits for dl-right, which waits for dl-left.",
        "look": "In ProcScope, find dl-deadlock and expand its threads: dl-left and dl-right are blocked (S). The lab card ticks when ProcScope itself finds the cycle and names the owner of each lock. In a terminal: procscope waits --pid {pid}",
        "not_stuck": "  (the two threads did not both block within {secs} s: the machine may be very busy)",
        "end_dl": "Nothing inside the process can undo this (no preemption): ending the process is the only way out. Ending dl-deadlock ({pid}).",
        "ord_title": "Step 2: the fix: both threads take the locks in one order, A before B",
        "ord_plan": "This breaks the circular wait: whoever holds A can always get B, so no cycle can form. dl-ordered runs {rounds} rounds in each thread.",
        "ord_thread": "  {thread} is thread {tid} of dl-ordered (pid {pid})",
        "ord_exit": "dl-ordered exited by itself with status {status}: both threads finished.",
        "ord_bad": "dl-ordered did not finish as expected ({what}).",
        "ord_zombie": "It stays a zombie for {secs:.0f} s (the lab has not collected its exit status yet), so ProcScope can read that status too.",
        "ord_reaped": "The lab collected dl-ordered's exit status: it is gone.",
        "end": "Ending the lab.",
    },
    "ko": {
        "description": "서로를 기다리는 스레드: 뮤텍스 둘의 교착 상태와 락 순서로 고치기",
        "no_cc": "이 실습은 pthread 프로그램을 빌드할 C 컴파일러(cc)가 필요합니다. 찾지 못해서 보여줄 것이 없습니다.",
        "dl_title": "1단계: 두 스레드가 뮤텍스 둘을 반대 순서로 잡음",
        "dl_plan": "dl-left는 락 A를 잡은 뒤 락 B를 요청합니다. dl-right는 락 B를 잡은 뒤 락 A를 요청합니다.",
        "thread": "  {thread}: dl-deadlock(pid {pid})의 스레드 {tid}",
        "hold": "  {thread}: 락 {lock} 보유",
        "want": "  {thread}: 락 {lock} 요청",
        "release": "  {thread}: 두 락을 모두 해제",
        "done_thread": "  {thread}: 할 일을 모두 마침",
        "state": "  {thread}({tid}): {state} 상태, 커널의 {wchan}에서 기다림",
        "stuck": "어느 스레드도 더 나아갈 수 없습니다. 교착 상태의 네 가지 조건이 여기서 이렇게 나타납니다:",
        "c1": "  1. 상호 배제: 뮤텍스는 한 번에 스레드 하나만 들여보냅니다. 락 A는 dl-left만, 락 B는 dl-right만 보유합니다.",
        "c2": "  2. 점유 대기: dl-left는 A를 가진 채 B를 기다리고, dl-right는 B를 가진 채 A를 기다립니다.",
        "c3": "  3. 비선점: 아무도 dl-left에게서 A를 빼앗지 않습니다. 뮤텍스는 그것을 가진 스레드만 해제할 수 있습니다.",
        "c4": "  4. 환형 대기: dl-left는 dl-right를, dl-right는 dl-left를 기다립니다.",
        "look": "ProcScope에서 dl-deadlock을 찾아 스레드를 펼쳐 보세요: dl-left와 dl-right가 중단(S) 상태입니다. ProcScope가 직접 순환을 찾고 각 락의 보유자를 밝히면 실습 카드에 표시됩니다. 터미널에서는: procscope waits --pid {pid}",
        "not_stuck": "  (두 스레드가 {secs}초 안에 모두 멈추지 않았습니다. 컴퓨터가 매우 바쁠 수 있습니다)",
        "end_dl": "프로세스 안의 무엇도 이것을 되돌릴 수 없습니다(비선점). 프로세스를 끝내는 것이 유일한 출구입니다. dl-deadlock({pid})을 끝냅니다.",
        "ord_title": "2단계: 고치기: 두 스레드가 같은 순서로, A 다음에 B를 잡음",
        "ord_plan": "이렇게 하면 환형 대기가 깨집니다. A를 가진 스레드는 언제나 B를 얻을 수 있으므로 순환이 생길 수 없습니다. dl-ordered는 스레드마다 {rounds}번 반복합니다.",
        "ord_thread": "  {thread}: dl-ordered(pid {pid})의 스레드 {tid}",
        "ord_exit": "dl-ordered가 스스로 종료 상태 {status}로 끝났습니다. 두 스레드 모두 마쳤습니다.",
        "ord_bad": "dl-ordered가 예상대로 끝나지 않았습니다({what}).",
        "ord_zombie": "{secs:.0f}초 동안 좀비로 남습니다(실습이 아직 종료 상태를 회수하지 않음). 그래서 ProcScope도 그 종료 상태를 읽을 수 있습니다.",
        "ord_reaped": "실습이 dl-ordered의 종료 상태를 회수했습니다. 사라졌습니다.",
        "end": "실습을 끝냅니다.",
    },
})

ROUNDS = 3  # the C helper's rounds per thread in the ordered mode


class Helper:
    """One run of the C helper; its stdout lines (`hold left A`, ...) are read with a deadline."""

    def __init__(self, lab, exe, args):
        self.lab = lab
        self.proc = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, preexec_fn=die_with_parent)
        self.pid = lab.track(self.proc.pid)
        self.buffer = b""
        self.eof = False
        self.tids = {}

    def read(self, on_line, stop, timeout):
        """Hand each line to on_line until stop() is true, the helper closes its stdout, or timeout passes."""
        end = time.monotonic() + min(timeout, self.lab.remaining())
        fd = self.proc.stdout.fileno()
        while not stop() and not self.eof:
            left = end - time.monotonic()
            if left <= 0:
                return False
            try:
                ready, _, _ = select.select([fd], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                self.eof = True
            self.buffer += chunk
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                words = line.decode("ascii", "replace").split()
                if len(words) >= 2:
                    if words[0] == "thread" and len(words) == 3:
                        self.tids[words[1]] = int(words[2])
                    on_line(words)
        return stop()


def thread_name(side):
    return "dl-" + side


def task_state(pid, tid):
    """(state letter, wait channel) of one thread, or ("-", "-") once it is gone."""
    try:
        with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0].decode()
        with open(f"/proc/{pid}/task/{tid}/wchan") as f:
            wchan = f.read().strip() or "-"
        return state, wchan
    except OSError:
        return "-", "-"


def show(lab, helper, thread_key):
    def on_line(words):
        kind, side = words[0], words[1]
        name = thread_name(side)
        if kind == "thread":
            lab.say(thread_key, thread=name, tid=words[2], pid=helper.pid)
        elif kind in ("hold", "want") and len(words) == 3:
            lab.say(kind, thread=name, lock=words[2])
        elif kind == "release":
            lab.say("release", thread=name)
        elif kind == "done":
            lab.say("done_thread", thread=name)
    return on_line


def deadlock_part(lab, exe):
    lab.heading("dl_title")
    lab.say("dl_plan")
    helper = Helper(lab, exe, [str(int(lab.remaining()) + 1)])
    wants = set()

    def on_line(words):
        show(lab, helper, "thread")(words)
        if words[0] == "want" and len(words) == 3:
            wants.add((words[1], words[2]))

    # Both threads hold their first lock and ask for the second one.
    helper.read(on_line, lambda: {("left", "B"), ("right", "A")} <= wants, timeout=10)
    waited = 5
    end = time.monotonic() + waited
    states = {}
    while time.monotonic() < end:
        states = {side: task_state(helper.pid, tid) for side, tid in helper.tids.items()}
        if len(states) == 2 and all(s == "S" for s, _ in states.values()):
            break
        lab.sleep(0.1)
    for side in ("left", "right"):
        state, wchan = states.get(side, ("-", "-"))
        lab.say("state", thread=thread_name(side), tid=helper.tids.get(side, "?"), state=state, wchan=wchan)
    if not (len(states) == 2 and all(s == "S" for s, _ in states.values())):
        lab.say("not_stuck", secs=waited)
    emit("")
    lab.say("stuck")
    for key in ("c1", "c2", "c3", "c4"):
        lab.say(key)
    emit("")
    lab.say("look", pid=helper.pid)
    lab.event("deadlocked", pid=helper.pid, left=helper.tids.get("left"), right=helper.tids.get("right"))
    lab.pause("deadlocked")
    lab.say("end_dl", pid=helper.pid)
    lab.kill(helper.pid)
    lab.event("deadlock-ended", pid=helper.pid)


def ordered_part(lab, exe):
    lab.heading("ord_title")
    lab.say("ord_plan", rounds=ROUNDS)
    helper = Helper(lab, exe, ["--ordered", str(int(lab.remaining()) + 1)])
    done = set()

    def on_line(words):
        show(lab, helper, "ord_thread")(words)
        if words[0] == "done":
            done.add(words[1])

    helper.read(on_line, lambda: done == {"left", "right"}, timeout=30)
    # Wait for the exit without collecting the status (WNOWAIT): the process stays a zombie meanwhile.
    info = None
    end = time.monotonic() + min(10, lab.remaining())
    while info is None and time.monotonic() < end:
        info = os.waitid(os.P_PID, helper.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is None:
            time.sleep(0.05)
    emit("")
    if info is None:
        lab.say("ord_bad", what="still running")
        lab.event("ordered-exited", pid=helper.pid, status=None)
    elif info.si_code != os.CLD_EXITED:
        lab.say("ord_bad", what=f"signal {info.si_status}")
        lab.event("ordered-exited", pid=helper.pid, status=None)
    else:
        lab.say("ord_exit", status=info.si_status)
        lab.say("ord_zombie", secs=ZOMBIE_HOLD)
        lab.event("ordered-exited", pid=helper.pid, status=info.si_status)
        lab.sleep(ZOMBIE_HOLD)
    lab.reap(helper.pid, timeout=5)
    lab.say("ord_reaped")
    lab.event("ordered-reaped", pid=helper.pid)
    lab.pause("ordered")


def main():
    lab = Lab("deadlock", S)
    exe = lab.build_c("deadlock.c", flags=("-pthread",))
    if not exe:
        lab.say_no_helper("no_cc")
        lab.event("no_cc")
    else:
        if lab.wants("deadlock"):
            deadlock_part(lab, exe)
        if lab.wants("ordered"):
            ordered_part(lab, exe)
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
