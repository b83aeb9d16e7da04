#!/usr/bin/env python3
"""Lab 3: threads vs processes.

Parts (--part named | asyncio | gil, default all):
  named    thr-named: one process with four named threads (worker-1..worker-4). `ps -eLF` and ProcScope show
           NLWP = 5 and one LWP id per thread; the main thread's LWP equals the PID. The threads share one
           address space (one set of memory regions) but each has its own stack.
  asyncio  asyncio-demo: three coroutines take turns on ONE thread (NLWP stays 1): user-level concurrency
           that the kernel never sees.
  gil      gil-threads: CPU-bound Python threads, one per usable CPU; the GIL lets only one run Python code at a
           time, so together they use about one core. Then mp-worker processes (multiprocessing), one per
           CPU, each able to use a full core. Both are timed in alternating rounds; the conclusion printed
           follows the medians (and says so when the machine was too busy, or has one CPU, to show the effect),
           and a process named after it (gil-shown, gil-busy, gil-one-cpu, gil-no-gil) stays during the pause.
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
        "gil_title": "CPU-bound work: {n} Python threads vs {n} processes ({n} = CPUs this lab may use), {rounds} rounds of {secs:.1f} s each",
        "gil_round": "  round {round}/{rounds}: threads {threads:,} iterations ({tcpu:.0f}% CPU), processes {procs:,} iterations ({pcpu:.0f}% CPU)",
        "gil_threads": "  median, threads   (gil-threads, one process): {work:>12,} loop iterations, CPU {cpu:.0f}% of one core",
        "gil_procs": "  median, processes (mp-worker x {n}):          {work:>12,} loop iterations, CPU {cpu:.0f}% of one core",
        "gil_end_shown": "Shown: the processes did {speedup:.1f}x the threads' work, using {pcores:.1f} cores, while the threads together used {tcores:.1f}. The threads share one GIL; separate processes each have their own interpreter and GIL.",
        "gil_end_no_gil": "Not what the lesson expects: the threads together used {tcores:.1f} cores, so they ran in parallel. This Python runs without a GIL (a free-threaded build); processes did {speedup:.1f}x the threads' work.",
        "gil_end_one_cpu": "Inconclusive: this lab may use only {n} CPU, so processes cannot run in parallel here either (threads and processes both get one core). Run it where two or more CPUs are free.",
        "gil_end_busy": "Inconclusive: the machine was too busy to show the effect. The processes got only {pcores:.1f} cores and did {speedup:.1f}x the threads' work (other programs used about {others:.1f} cores meanwhile). Run the part again when the machine is quieter.",
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
        "gil_title": "CPU 작업: 파이썬 스레드 {n}개 vs 프로세스 {n}개({n} = 이 실습이 쓸 수 있는 CPU 수), {secs:.1f}초씩 {rounds}회",
        "gil_round": "  {round}/{rounds}회: 스레드 반복 {threads:,}번(CPU {tcpu:.0f}%), 프로세스 반복 {procs:,}번(CPU {pcpu:.0f}%)",
        "gil_threads": "  중앙값, 스레드   (gil-threads, 프로세스 하나): 반복 {work:>12,}번, CPU 코어 하나의 {cpu:.0f}%",
        "gil_procs": "  중앙값, 프로세스 (mp-worker x {n}):            반복 {work:>12,}번, CPU 코어 하나의 {cpu:.0f}%",
        "gil_end_shown": "확인됨: 프로세스들이 코어 {pcores:.1f}개를 써서 스레드들의 {speedup:.1f}배 일을 했고, 스레드들은 합쳐서 코어 {tcores:.1f}개만 썼습니다. 스레드들은 GIL 하나를 나눠 쓰고, 프로세스는 각자 인터프리터와 GIL을 가집니다.",
        "gil_end_no_gil": "수업의 예상과 다름: 스레드들이 합쳐서 코어 {tcores:.1f}개를 썼으므로 병렬로 실행됐습니다. 이 파이썬은 GIL 없이 실행됩니다(free-threaded 빌드). 프로세스는 스레드의 {speedup:.1f}배 일을 했습니다.",
        "gil_end_one_cpu": "판단 불가: 이 실습이 쓸 수 있는 CPU가 {n}개뿐이라 프로세스도 여기서는 병렬로 실행될 수 없습니다(스레드도 프로세스도 코어 하나). CPU 두 개 이상이 비어 있는 곳에서 실행해 보세요.",
        "gil_end_busy": "판단 불가: 컴퓨터가 너무 바빠서 효과를 보여줄 수 없었습니다. 프로세스들은 코어 {pcores:.1f}개만 받아 스레드의 {speedup:.1f}배 일을 했습니다(그동안 다른 프로그램이 코어 약 {others:.1f}개를 씀). 컴퓨터가 한가할 때 이 부분을 다시 실행해 보세요.",
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


def cpu_jiffies():
    """(busy, total) jiffies of the whole machine, from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# The effect counts as shown only with room to spare: processes did at least SPEEDUP times the threads' work
# using at least PROC_CORES cores, while the threads used at most THREAD_CORES.
SPEEDUP, PROC_CORES, THREAD_CORES = 1.5, 1.5, 1.25


def gil_verdict(cpus, work_threads, work_procs, thread_cores, proc_cores):
    """'shown', 'no-gil' (threads ran in parallel), 'one-cpu' or 'busy' (too little CPU to tell), from medians."""
    if cpus < 2:
        return "one-cpu"
    if thread_cores > THREAD_CORES + 0.25:
        return "no-gil"
    if work_procs >= SPEEDUP * work_threads and proc_cores >= PROC_CORES and thread_cores <= THREAD_CORES:
        return "shown"
    return "busy"


def part_gil(lab):
    n = len(os.sched_getaffinity(0))  # the CPUs this lab may use, which can be fewer than the machine has
    rounds = max(1, lab.args.gil_rounds)
    secs = max(0.5, min(lab.args.cpu_seconds / rounds, lab.remaining() / (3 * rounds)))
    lab.heading("gil_title", n=n, secs=secs, rounds=rounds)
    ctx = multiprocessing.get_context("fork")
    samples = {"threads": [], "procs": [], "thread_cpu": [], "proc_cpu": [], "others": []}
    for round_no in range(1, rounds + 1):
        result = os.pipe()

        def threads_process():
            slots = [[] for _ in range(n)]
            t0 = os.times()
            threads = [threading.Thread(target=spin, args=(secs, slot)) for slot in slots]
            for t in threads:
                t.start()
            lab.event("gil-threads", pid=os.getpid(), round=round_no)
            for t in threads:
                t.join()
            t1 = os.times()
            cpu = (t1.user + t1.system - t0.user - t0.system) / secs * 100
            os.write(result[1], f"{sum(s[0] for s in slots)} {cpu}\n".encode())

        busy0, total0 = cpu_jiffies()
        pid = lab.fork(threads_process, "gil-threads")
        work, cpu = os.read(result[0], 100).decode().split()
        busy1, total1 = cpu_jiffies()
        lab.reap(pid)
        os.close(result[0])
        os.close(result[1])
        machine_cores = (busy1 - busy0) / max(1, total1 - total0) * (os.cpu_count() or 1)
        samples["threads"].append(int(work))
        samples["thread_cpu"].append(float(cpu))
        samples["others"].append(max(0.0, machine_cores - float(cpu) / 100))

        total = ctx.Value("q", 0)
        t0 = os.times()
        workers = [ctx.Process(target=mp_worker, args=(secs, total)) for _ in range(n)]
        for w in workers:
            w.start()
            lab.track(w.pid)
        lab.event("mp-workers", pids=[w.pid for w in workers], round=round_no)
        for w in workers:
            w.join(lab.remaining())
            if w.pid in lab.children:
                lab.children.remove(w.pid)
        t1 = os.times()
        samples["procs"].append(total.value)
        samples["proc_cpu"].append((t1.children_user + t1.children_system - t0.children_user - t0.children_system) / secs * 100)
        lab.say("gil_round", round=round_no, rounds=rounds, threads=samples["threads"][-1], procs=samples["procs"][-1],
                tcpu=samples["thread_cpu"][-1], pcpu=samples["proc_cpu"][-1])

    med = {key: median(values) for key, values in samples.items()}
    lab.say("gil_threads", work=int(med["threads"]), cpu=med["thread_cpu"])
    lab.say("gil_procs", n=n, work=int(med["procs"]), cpu=med["proc_cpu"])
    verdict = gil_verdict(n, med["threads"], med["procs"], med["thread_cpu"] / 100, med["proc_cpu"] / 100)
    speedup = med["procs"] / max(1, med["threads"])
    lab.say(f"gil_end_{verdict.replace('-', '_')}", n=n, speedup=speedup, tcores=med["thread_cpu"] / 100,
            pcores=med["proc_cpu"] / 100, others=med["others"])
    lab.event("gil-result", verdict=verdict, cpus=n, speedup=speedup, medians=med, samples=samples)
    # The verdict as a process you can see in ProcScope (the card ticks "gil" only on gil-shown).
    marker = lab.fork(lambda: time.sleep(lab.remaining()), f"gil-{verdict}")
    lab.pause("gil")
    lab.kill(marker)


def main():
    lab = Lab("threads", S, extra_args=[
        (("--cpu-seconds",), {"type": float, "default": 9.0,
                              "help": "CPU-bound time for each of threads and processes, split over the rounds"}),
        (("--gil-rounds",), {"type": int, "default": 3, "help": "rounds of threads-then-processes; medians are compared"}),
    ])
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
