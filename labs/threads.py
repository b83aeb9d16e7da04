#!/usr/bin/env python3
"""Lab 3: threads vs processes.

Parts (--part named | asyncio | gil, default all):
  named    thr-named: one process with four named threads (worker-1..worker-4). `ps -eLF` and ProcScope show
           NLWP = 5 and one LWP id per thread; the main thread's LWP equals the PID. The threads share one
           address space (one set of memory regions) but each has its own stack.
  asyncio  asyncio-demo: three coroutines take turns on ONE thread (NLWP stays 1): user-level concurrency
           that the kernel never sees.
  gil      gil-threads: CPU-bound Python threads, one per core; the GIL lets only one run Python code at a
           time, so together they use about one core. Then mp-worker processes (multiprocessing), one per
           core, each using a full core. The lab prints how much work each way did.
"""
import asyncio
import multiprocessing
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, die_with_parent, read_status, set_name, strings  # noqa: E402

S = strings({
    "en": {
        "description": "threads vs processes",
        "named_title": "One process, five threads (LWPs)",
        "named_proc": "Process thr-named: PID {pid}, NLWP {nlwp} (Threads in /proc/{pid}/status)",
        "named_thread": "  thread {name:<10} LWP {tid}{main}",
        "main_mark": "   <- the main thread: LWP = PID",
        "named_look": "Expand thr-named in ProcScope (or run `ps -eLF`): every thread is a kernel task with its own LWP id.",
        "async_title": "asyncio: concurrency on one thread",
        "async_tick": "  [{task}] step {step} on LWP {tid} (NLWP {nlwp})",
        "async_end": "Three coroutines interleaved, yet the process had {nlwp} LWP: the kernel saw one thread.",
        "gil_title": "CPU-bound work: {n} Python threads vs {n} processes, {secs:.0f} s each",
        "gil_threads": "  threads   (gil-threads, one process): {work:>12,} loop iterations, CPU {cpu:.0f}% of one core",
        "gil_procs": "  processes (mp-worker x {n}):          {work:>12,} loop iterations, CPU {cpu:.0f}% of one core",
        "gil_end": "The threads share one GIL: together they get about one core. Separate processes each have their own interpreter and GIL.",
    },
    "ko": {
        "description": "스레드와 프로세스",
        "named_title": "프로세스 하나, 스레드(LWP) 다섯",
        "named_proc": "프로세스 thr-named: PID {pid}, NLWP {nlwp} (/proc/{pid}/status의 Threads)",
        "named_thread": "  스레드 {name:<10} LWP {tid}{main}",
        "main_mark": "   <- 메인 스레드: LWP = PID",
        "named_look": "ProcScope에서 thr-named를 펼쳐 보세요(또는 `ps -eLF`): 모든 스레드는 자기 LWP ID를 가진 커널 태스크입니다.",
        "async_title": "asyncio: 스레드 하나 위의 동시성",
        "async_tick": "  [{task}] {step}단계, LWP {tid} (NLWP {nlwp})",
        "async_end": "코루틴 세 개가 번갈아 실행됐지만 프로세스의 LWP는 {nlwp}개: 커널은 스레드 하나만 봤습니다.",
        "gil_title": "CPU 작업: 파이썬 스레드 {n}개 vs 프로세스 {n}개, 각각 {secs:.0f}초",
        "gil_threads": "  스레드   (gil-threads, 프로세스 하나): 반복 {work:>12,}번, CPU 코어 하나의 {cpu:.0f}%",
        "gil_procs": "  프로세스 (mp-worker x {n}):            반복 {work:>12,}번, CPU 코어 하나의 {cpu:.0f}%",
        "gil_end": "스레드들은 GIL 하나를 나눠 써서 합쳐도 코어 하나 정도만 씁니다. 프로세스는 각자 인터프리터와 GIL을 가집니다.",
    },
})


def part_named(lab):
    lab.heading("named_title")
    ready = os.pipe()

    def process():
        stop = threading.Event()
        tids = {}

        def worker(name):
            set_name(name)  # names this thread only: prctl(PR_SET_NAME) acts on the calling thread
            tids[name] = threading.get_native_id()
            stop.wait()

        threads = [threading.Thread(target=worker, args=(f"worker-{i}",), daemon=True) for i in range(1, 5)]
        for t in threads:
            t.start()
        while len(tids) < 4:
            time.sleep(0.01)
        pid = os.getpid()
        lab.say("named_proc", pid=pid, nlwp=read_status().get("Threads"))
        lab.say("named_thread", name="thr-named", tid=threading.get_native_id(),
                main=lab.t("main_mark") if threading.get_native_id() == pid else "")
        for name in sorted(tids):
            lab.say("named_thread", name=name, tid=tids[name], main="")
        lab.event("threads", pid=pid, tids=tids)
        os.write(ready[1], b"r")
        stop.wait(lab.remaining())

    pid = lab.fork(process, "thr-named")
    os.read(ready[0], 1)
    lab.say("named_look")
    lab.pause("named")
    lab.kill(pid)


def part_asyncio(lab):
    lab.heading("async_title")

    def process():
        async def task(name, steps, delay):
            for step in range(1, steps + 1):
                lab.say("async_tick", task=name, step=step, tid=threading.get_native_id(),
                        nlwp=read_status().get("Threads"))
                await asyncio.sleep(delay)

        async def run():
            lab.event("asyncio", pid=os.getpid())
            await asyncio.gather(task("A", 4, 0.7), task("B", 4, 1.0), task("C", 4, 1.3))

        asyncio.run(run())
        lab.say("async_end", nlwp=read_status().get("Threads"))

    pid = lab.fork(process, "asyncio-demo")
    lab.reap(pid)


def spin(seconds, counter_slot):
    """CPU-bound pure-Python loop; stores its iteration count."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        for _ in range(10000):
            n += 1
    counter_slot.append(n)


def mp_worker(seconds, total):
    die_with_parent()
    set_name("mp-worker")
    slot = []
    spin(seconds, slot)
    with total.get_lock():
        total.value += slot[0]


def part_gil(lab):
    n = os.cpu_count() or 2
    secs = max(1.0, min(lab.args.cpu_seconds, lab.remaining() / 3))
    lab.heading("gil_title", n=n, secs=secs)
    result = os.pipe()

    def threads_process():
        slots = [[] for _ in range(n)]
        t0 = os.times()
        threads = [threading.Thread(target=spin, args=(secs, slot)) for slot in slots]
        for t in threads:
            t.start()
        lab.event("gil-threads", pid=os.getpid())
        for t in threads:
            t.join()
        t1 = os.times()
        cpu = (t1.user + t1.system - t0.user - t0.system) / secs * 100
        os.write(result[1], f"{sum(s[0] for s in slots)} {cpu}\n".encode())

    pid = lab.fork(threads_process, "gil-threads")
    work, cpu = os.read(result[0], 100).decode().split()
    lab.reap(pid)
    lab.say("gil_threads", work=int(work), cpu=float(cpu))

    ctx = multiprocessing.get_context("fork")
    total = ctx.Value("q", 0)
    t0 = os.times()
    workers = [ctx.Process(target=mp_worker, args=(secs, total)) for _ in range(n)]
    for w in workers:
        w.start()
        lab.track(w.pid)
    lab.event("mp-workers", pids=[w.pid for w in workers])
    for w in workers:
        w.join(lab.remaining())
        if w.pid in lab.children:
            lab.children.remove(w.pid)
    t1 = os.times()
    cpu = (t1.children_user + t1.children_system - t0.children_user - t0.children_system) / secs * 100
    lab.say("gil_procs", n=n, work=total.value, cpu=cpu)
    lab.say("gil_end")


def main():
    lab = Lab("threads", S, extra_args=[(("--cpu-seconds",), {"type": float, "default": 8.0,
                                                              "help": "length of each CPU-bound run"})])
    if lab.wants("named"):
        part_named(lab)
    if lab.wants("asyncio"):
        part_asyncio(lab)
    if lab.wants("gil"):
        part_gil(lab)
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
