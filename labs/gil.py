#!/usr/bin/env python3
"""Lab 11: Python's GIL seen as per-thread CPU: CPU-bound threads vs processes vs asyncio.

Parts (--part threads | processes | asyncio, default all), each spinning for SPIN seconds at most:
  threads    gil-threads: two CPU-bound threads, spin-1 and spin-2, in one Python process. Only the thread
             holding the GIL (global interpreter lock) runs Python code, so together they use about one core
             at most, however many cores there are: each about half.
  processes  spin-proc-1 and spin-proc-2: the same work in two processes, each with its own interpreter and
             its own GIL. With two or more free cores they run at once: together more than one core.
  asyncio    gil-asyncio: two CPU-bound coroutines on one event loop: one thread (NLWP 1), one core at most,
             and a coroutine that never awaits keeps the other from running at all.
"""
import asyncio
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, emit, set_name, strings  # noqa: E402

SPIN = 15.0  # seconds of CPU-bound work per part: long enough for a few of ProcScope's looks

S = strings({
    "en": {
        "description": "Python's GIL seen as per-thread CPU: CPU-bound threads vs processes vs asyncio",
        "cpus": "This machine has {cpus} CPU(s). Each part spins for up to {secs:.0f} s.",
        "threads_title": "Step 1: two CPU-bound threads in one Python process",
        "threads_plan": "gil-threads ({pid}) runs spin-1 and spin-2. Only the thread holding the GIL runs Python code: in ProcScope, expand gil-threads and compare its threads' CPU: each about half a core, together about one core at most.",
        "threads_done": "  gil-threads: the two threads did {work:.1f} million steps in all.",
        "processes_title": "Step 2: the same work in two processes",
        "processes_plan": "spin-proc-1 ({one}) and spin-proc-2 ({two}) each have their own interpreter and their own GIL. With two free cores each gets close to a whole core: together more than one.",
        "proc_done": "  {name}: {work:.1f} million steps.",
        "asyncio_title": "Step 3: two CPU-bound coroutines on one event loop",
        "asyncio_plan": "gil-asyncio ({pid}) has one thread (NLWP 1). Its two coroutines never wait for anything, so the first runs to the end before the second starts: asyncio interleaves only at await.",
        "asyncio_done": "  gil-asyncio: coroutine {n} finished after {secs:.1f} s.",
        "compare": "The CPU columns tell the story: threads share one GIL, processes do not, and asyncio is one thread.",
        "end": "Ending the lab.",
    },
    "ko": {
        "description": "스레드별 CPU로 보는 Python의 GIL: CPU를 쓰는 스레드, 프로세스, asyncio",
        "cpus": "이 컴퓨터의 CPU는 {cpus}개입니다. 단계마다 많아야 {secs:.0f}초 동안 계산합니다.",
        "threads_title": "1단계: Python 프로세스 하나 안의 CPU를 쓰는 스레드 둘",
        "threads_plan": "gil-threads({pid})가 spin-1과 spin-2를 실행합니다. GIL을 가진 스레드만 Python 코드를 실행합니다: ProcScope에서 gil-threads를 펼쳐 스레드들의 CPU를 비교해 보세요. 각자 코어 반 개쯤, 합쳐서 많아야 코어 하나쯤입니다.",
        "threads_done": "  gil-threads: 두 스레드가 모두 합쳐 {work:.1f}백만 단계를 계산했습니다.",
        "processes_title": "2단계: 같은 일을 프로세스 둘에서",
        "processes_plan": "spin-proc-1({one})과 spin-proc-2({two})는 각자 자기 인터프리터와 자기 GIL을 가집니다. 쉬는 코어가 둘이면 각자 코어 하나에 가깝게 쓰므로 합쳐서 코어 하나보다 많습니다.",
        "proc_done": "  {name}: {work:.1f}백만 단계.",
        "asyncio_title": "3단계: 이벤트 루프 하나 위의 CPU를 쓰는 코루틴 둘",
        "asyncio_plan": "gil-asyncio({pid})의 스레드는 하나입니다(NLWP 1). 두 코루틴은 아무것도 기다리지 않으므로 첫 번째가 끝까지 실행된 뒤에야 두 번째가 시작합니다: asyncio는 await에서만 번갈아 실행합니다.",
        "asyncio_done": "  gil-asyncio: 코루틴 {n}이 {secs:.1f}초 뒤에 끝났습니다.",
        "compare": "CPU 열이 이야기를 들려줍니다: 스레드는 GIL 하나를 나눠 쓰고, 프로세스는 그렇지 않으며, asyncio는 스레드 하나입니다.",
        "end": "실습을 끝냅니다.",
    },
})


def spin(seconds):
    """CPU-bound Python work for `seconds`; returns the number of steps done."""
    end = time.monotonic() + seconds
    steps = 0
    while time.monotonic() < end:
        for _ in range(1000):
            steps += 1
    return steps


def spin_threads(lab, seconds):
    work = []

    def worker(name):
        set_name(name)  # the calling thread's name: what ProcScope shows for this thread
        work.append(spin(seconds))

    threads = [threading.Thread(target=worker, args=(f"spin-{n}",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lab.say("threads_done", work=sum(work) / 1e6)
    while True:
        time.sleep(3600)


def spin_process(lab, name, seconds):
    lab.say("proc_done", name=name, work=spin(seconds) / 1e6)
    while True:
        time.sleep(3600)


def spin_asyncio(lab, seconds):
    start = time.monotonic()

    async def coroutine(n):
        spin(seconds / 2)  # never awaits: the loop cannot switch to the other coroutine meanwhile
        lab.say("asyncio_done", n=n, secs=time.monotonic() - start)

    async def both():
        await asyncio.gather(coroutine(1), coroutine(2))

    asyncio.run(both())
    while True:
        time.sleep(3600)


def main():
    lab = Lab("gil", S)
    seconds = min(SPIN, max(1.0, lab.remaining() - 5))
    lab.say("cpus", cpus=os.cpu_count() or 1, secs=seconds)
    if lab.wants("threads"):
        lab.heading("threads_title")
        pid = lab.fork(spin_threads, "gil-threads", lab, seconds)
        lab.say("threads_plan", pid=pid)
        lab.event("threads", pid=pid)
        lab.pause("threads")
        lab.kill(pid)
    if lab.wants("processes"):
        lab.heading("processes_title")
        one = lab.fork(spin_process, "spin-proc-1", lab, "spin-proc-1", seconds)
        two = lab.fork(spin_process, "spin-proc-2", lab, "spin-proc-2", seconds)
        lab.say("processes_plan", one=one, two=two)
        lab.event("processes", one=one, two=two)
        lab.pause("processes")
        lab.kill(one)
        lab.kill(two)
    if lab.wants("asyncio"):
        lab.heading("asyncio_title")
        pid = lab.fork(spin_asyncio, "gil-asyncio", lab, seconds)
        lab.say("asyncio_plan", pid=pid)
        lab.event("asyncio", pid=pid)
        lab.pause("asyncio")
        lab.kill(pid)
    emit("")
    lab.say("compare")
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
