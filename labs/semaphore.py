#!/usr/bin/env python3
"""Lab 8: a counting semaphore limits how many workers work at once; the others visibly wait.

Parts (--part pool | binary, default all):
  pool    sem-pool: five worker threads pool-1 ... pool-5 share a counting semaphore with 2 permits. Each takes
          a permit (sem_wait), works a while, gives it back (sem_post). Two work, three wait, blocked in a
          futex wait on the semaphore.
  binary  sem-binary: the same five workers (binary-1 ... binary-5) with 1 permit: one works, four wait.
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

WORKERS = 5
PARTS = (("pool", 2), ("binary", 1))
SHOWN_TURNS = 8  # the first turns are told; after them the lab stays quiet while you look

S = strings({
    "en": {
        "description": "a counting semaphore limits how many workers work at once; the others visibly wait",
        "no_cc": "This lab needs a C compiler (cc) to build its pthread program; none was found, so there is nothing to show.",
        "pool_title": "Step 1: five workers, a semaphore with 2 permits",
        "binary_title": "Step 2: the same five workers, 1 permit (a binary semaphore)",
        "plan": "{process}'s five threads each take a permit (sem_wait), work {work:.1f} s, and give it back (sem_post). With {permits} permit(s), at most {permits} work at once; a worker that finds no permit left sleeps in sem_wait until one is given back.",
        "thread": "  {thread} is thread {tid} of {process} (pid {pid})",
        "turn": "  {thread} got a permit: {in_use} of {permits} in use",
        "look": "In ProcScope, expand {process} ({pid}): {waiting} workers are blocked (S) in a futex wait on the same address, the semaphore; the rest ({permits}) hold the permits and work. The wait facts name no holder: a semaphore has no owner, any thread may give a permit back. In a terminal: procscope waits --pid {pid}",
        "max": "  While it ran, at most {max} worker(s) held a permit at once ({turns} turns in all).",
        "no_threads": "  {process} did not start its workers within {secs} s (the machine may be very busy).",
        "ended": "Ending {process} ({pid}).",
        "end": "Ending the lab.",
    },
    "ko": {
        "description": "카운팅 세마포어가 동시에 일하는 작업자 수를 제한하고, 나머지는 기다리는 모습이 보임",
        "no_cc": "이 실습은 pthread 프로그램을 빌드할 C 컴파일러(cc)가 필요합니다. 찾지 못해서 보여줄 것이 없습니다.",
        "pool_title": "1단계: 작업자 다섯, 허가 2개짜리 세마포어",
        "binary_title": "2단계: 같은 작업자 다섯, 허가 1개(이진 세마포어)",
        "plan": "{process}의 스레드 다섯은 각자 허가를 받고(sem_wait), {work:.1f}초 일하고, 허가를 돌려줍니다(sem_post). 허가가 {permits}개이므로 동시에 많아야 {permits}개만 일합니다. 남은 허가가 없으면 작업자는 허가가 돌아올 때까지 sem_wait 안에서 잠듭니다.",
        "thread": "  {thread}: {process}(pid {pid})의 스레드 {tid}",
        "turn": "  {thread}: 허가 받음, {permits}개 중 {in_use}개 사용 중",
        "look": "ProcScope에서 {process}({pid})을(를) 펼쳐 보세요: 작업자 {waiting}개가 같은 주소, 곧 세마포어에 대한 futex에서 기다리며 중단(S) 상태이고, 나머지({permits}개)가 허가를 가지고 일합니다. 대기 정보에 보유자는 없습니다: 세마포어에는 소유자가 없어서 어느 스레드든 허가를 돌려줄 수 있습니다. 터미널에서는: procscope waits --pid {pid}",
        "max": "  실행하는 동안 허가를 동시에 가진 작업자는 많아야 {max}개였습니다(모두 {turns}번).",
        "no_threads": "  {process}가 {secs}초 안에 작업자를 시작하지 못했습니다(컴퓨터가 매우 바쁠 수 있습니다).",
        "ended": "{process}({pid})을(를) 끝냅니다.",
        "end": "실습을 끝냅니다.",
    },
})

WORK_SECONDS = 0.7  # the C program's WORK_US


class Output:
    """The helper's stdout lines, read with a deadline."""

    def __init__(self, proc):
        self.fd = proc.stdout.fileno()
        self.buffer = b""
        self.eof = False

    def lines(self, timeout):
        """The complete lines that arrive within `timeout` seconds (at least one read when data is ready)."""
        out = []
        end = time.monotonic() + timeout
        while not self.eof:
            left = end - time.monotonic()
            try:
                ready, _, _ = select.select([self.fd], [], [], max(0.0, left))
            except InterruptedError:
                continue
            if not ready:
                break
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.eof = True
            self.buffer += chunk
            if left <= 0:
                break
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            out.append(line.decode("ascii", "replace").split())
        return out


def run_part(lab, exe, group, permits):
    lab.heading(f"{group}_title")
    process = f"sem-{group}"
    lab.say("plan", process=process, work=WORK_SECONDS, permits=permits)
    proc = subprocess.Popen([exe, group, str(permits), str(int(lab.remaining()) + 1)], stdout=subprocess.PIPE,
                            preexec_fn=die_with_parent)
    pid = lab.track(proc.pid)
    out = Output(proc)
    tids, turns, most, shown = {}, 0, 0, 0
    waited = 20
    end = time.monotonic() + min(waited, lab.remaining())

    def take(words):
        nonlocal turns, most, shown
        if len(words) == 3 and words[0] == "thread":
            tids[words[1]] = int(words[2])
            lab.say("thread", thread=words[1], tid=words[2], process=process, pid=pid)
        elif len(words) == 3 and words[0] == "turn":
            turns += 1
            most = max(most, int(words[2]))
            if shown < SHOWN_TURNS:
                shown += 1
                lab.say("turn", thread=words[1], in_use=words[2], permits=permits)

    while shown < SHOWN_TURNS and time.monotonic() < end and not out.eof:
        for words in out.lines(min(0.5, max(0.0, end - time.monotonic()))):
            take(words)
    if len(tids) < WORKERS:
        lab.say("no_threads", process=process, secs=waited)
    emit("")
    lab.say("look", process=process, pid=pid, waiting=WORKERS - permits, permits=permits)
    lab.event("workers", group=group, pid=pid, permits=permits, threads=tids)
    lab.pause(group)
    for words in out.lines(0.2):
        take(words)
    lab.say("max", max=most, turns=turns)
    lab.say("ended", process=process, pid=pid)
    lab.kill(pid)
    lab.event("ended", group=group, pid=pid, most=most, turns=turns)


def main():
    lab = Lab("semaphore", S)
    exe = lab.build_c("semaphore.c", flags=("-pthread",))
    if not exe:
        lab.say_no_helper("no_cc")
        lab.event("no_cc")
    else:
        for group, permits in PARTS:
            if lab.wants(group):
                run_part(lab, exe, group, permits)
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
