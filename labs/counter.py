#!/usr/bin/env python3
"""Lab 7: threads racing on one shared counter: no lock (lost updates), a mutex, and compare-and-swap.

Parts (--part nolock | mutex | cas, default all): each runs ctr-MODE, a small C program whose four threads
MODE-1 ... MODE-4 each add 1 to one shared counter ten million times; 40,000,000 is the right total.
  nolock  a plain read, add, write: two threads read the same value, both write value + 1, one update is lost.
  mutex   the same steps inside a pthread mutex (the critical section): exact, and the other threads are
          seen waiting for the mutex while one keeps it.
  cas     compare-and-swap: write value + 1 only if the counter still holds value, else read again: exact
          without any lock.
When its threads finish, each program renames itself after its result (MODE-exact or MODE-short) and stays,
with its thread group, until the lab ends. Needs a C compiler (cc); without one the lab says so.
"""
import os
import select
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, die_with_parent, emit, strings  # noqa: E402

MODES = ("nolock", "mutex", "cas")

S = strings({
    "en": {
        "description": "threads racing on one shared counter: no lock (lost updates), a mutex, and compare-and-swap",
        "no_cc": "This lab needs a C compiler (cc) to build its pthread program; none was found, so there is nothing to show.",
        "nolock_title": "Step 1: four threads add to one counter without a lock",
        "nolock_plan": "Each thread reads the counter, adds 1 and writes it back, ten million times. Two threads can read the same value; then both write the same value + 1 and one update is lost (a race condition).",
        "mutex_title": "Step 2: the same with a mutex around the critical section",
        "mutex_plan": "Now read, add and write happen inside a pthread mutex: one thread at a time (mutual exclusion). Now and then a thread keeps the mutex for a moment: in ProcScope the others wait for it (blocked, S), and ProcScope names the thread that holds it.",
        "cas_title": "Step 3: compare-and-swap, without a lock",
        "cas_plan": "Each thread reads the counter and asks the CPU to write value + 1 only if the counter still holds value (one atomic instruction). If another thread got there first, it reads again and retries. Nothing waits, and no update is lost.",
        "thread": "  {thread} is thread {tid} of {process} (pid {pid})",
        "count": "  {process}: the counter is {value:,}; it should be {expected:,}",
        "lost": "  {lost:,} updates were lost ({percent:.1f}%): the process is now named {name}.",
        "exact": "  Exact: no update was lost. The process is now named {name}.",
        "same": "  (no update was lost this time: on a very busy machine or with one CPU the threads may hardly overlap)",
        "no_count": "  {process} did not finish counting within {secs} s (the machine may be very busy).",
        "look": "In ProcScope, expand {process} ({pid}): its main thread and its four threads {first}...{last}.",
        "end": "Ending the lab: its counter programs end with it.",
    },
    "ko": {
        "description": "공유 카운터 하나를 두고 경쟁하는 스레드: 락 없이(갱신 손실), 뮤텍스, 비교 후 교환(CAS)",
        "no_cc": "이 실습은 pthread 프로그램을 빌드할 C 컴파일러(cc)가 필요합니다. 찾지 못해서 보여줄 것이 없습니다.",
        "nolock_title": "1단계: 스레드 넷이 락 없이 카운터 하나에 더함",
        "nolock_plan": "스레드마다 카운터를 읽고, 1을 더하고, 다시 쓰기를 천만 번 합니다. 두 스레드가 같은 값을 읽으면 둘 다 같은 값 + 1을 쓰므로 갱신 하나가 사라집니다(경쟁 상태).",
        "mutex_title": "2단계: 임계 영역을 뮤텍스로 감싸기",
        "mutex_plan": "이제 읽기, 더하기, 쓰기가 pthread 뮤텍스 안에서 일어납니다: 한 번에 스레드 하나만(상호 배제). 가끔 한 스레드가 뮤텍스를 잠시 쥐고 있으면, ProcScope에서 나머지 스레드가 그것을 기다리고(중단, S), ProcScope가 뮤텍스를 가진 스레드를 밝힙니다.",
        "cas_title": "3단계: 락 없이 비교 후 교환(CAS)",
        "cas_plan": "스레드마다 카운터를 읽고, 카운터가 아직 그 값일 때만 값 + 1을 쓰라고 CPU에 요청합니다(원자적 명령 하나). 다른 스레드가 먼저 바꿨으면 다시 읽고 재시도합니다. 아무도 기다리지 않고, 갱신도 사라지지 않습니다.",
        "thread": "  {thread}: {process}(pid {pid})의 스레드 {tid}",
        "count": "  {process}: 카운터는 {value:,}, 맞는 값은 {expected:,}",
        "lost": "  갱신 {lost:,}번이 사라졌습니다({percent:.1f}%). 프로세스 이름이 이제 {name}입니다.",
        "exact": "  정확합니다: 사라진 갱신이 없습니다. 프로세스 이름이 이제 {name}입니다.",
        "same": "  (이번에는 사라진 갱신이 없습니다. 컴퓨터가 매우 바쁘거나 CPU가 하나면 스레드가 거의 겹치지 않을 수 있습니다)",
        "no_count": "  {process}가 {secs}초 안에 세기를 마치지 못했습니다(컴퓨터가 매우 바쁠 수 있습니다).",
        "look": "ProcScope에서 {process}({pid})을(를) 펼쳐 보세요: 메인 스레드와 스레드 넷 {first}...{last}.",
        "end": "실습을 끝냅니다. 카운터 프로그램도 함께 끝납니다.",
    },
})


def run_counter(lab, exe, mode):
    """Start ctr-MODE, report its threads and its count; it stays (named after its result) until the lab ends."""
    lab.heading(f"{mode}_title")
    lab.say(f"{mode}_plan")
    process = f"ctr-{mode}"
    proc = subprocess.Popen([exe, mode, str(int(lab.remaining()) + 1)], stdout=subprocess.PIPE, preexec_fn=die_with_parent)
    pid = lab.track(proc.pid)
    lab.event("counting", mode=mode, pid=pid)
    fd = proc.stdout.fileno()
    buffer, count, threads = b"", None, {}
    waited = 60
    end = time.monotonic() + min(waited, lab.remaining())
    while count is None and time.monotonic() < end:
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        except InterruptedError:
            continue
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            words = line.decode("ascii", "replace").split()
            if len(words) == 3 and words[0] == "thread":
                threads[words[1]] = int(words[2])
                lab.say("thread", thread=words[1], tid=words[2], process=process, pid=pid)
            elif len(words) == 4 and words[0] == "count":
                count = (int(words[2]), int(words[3]))
    if count is None:
        lab.say("no_count", process=process, secs=waited)
        lab.event("counted", mode=mode, pid=pid, value=None, expected=None, threads=threads)
        return
    value, expected = count
    name = f"{mode}-" + ("exact" if value == expected else "short" if value < expected else "over")
    lab.say("count", process=process, value=value, expected=expected)
    if value < expected:
        lab.say("lost", lost=expected - value, percent=100.0 * (expected - value) / expected, name=name)
    else:
        lab.say("exact", name=name)
        if mode == "nolock":
            lab.say("same")
    emit("")
    lab.say("look", process=name, pid=pid, first=f"{mode}-1", last=f"{mode}-4")
    lab.event("counted", mode=mode, pid=pid, value=value, expected=expected, verdict=name, threads=threads)
    lab.pause(mode)


def main():
    lab = Lab("counter", S)
    exe = lab.build_c("counter.c", flags=("-pthread",))
    if not exe:
        lab.say_no_helper("no_cc")
        lab.event("no_cc")
    else:
        for mode in MODES:
            if lab.wants(mode):
                run_counter(lab, exe, mode)
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
