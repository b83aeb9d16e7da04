#!/usr/bin/env python3
"""Lab 10: the multi-process model of a browser: a supervisor and its workers; one crashes, the others live on.

browser-main, the supervisor, starts three workers, renderer-1 ... renderer-3, each a process of its own (as a
browser runs each tab in its own renderer process). Then renderer-2 hits a bug: it reads memory at address 0
and the kernel kills it with SIGSEGV. Only renderer-2 dies: the others have their own address spaces. The
supervisor learns of it (waitid) and leaves it a zombie while you look, so its exit status (killed by signal
11) can be read; then it collects the status and starts renderer-4 in its place.
"""
import ctypes
import os
import resource
import select
import signal
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, die_with_parent, emit, set_name, strings  # noqa: E402

S = strings({
    "en": {
        "description": "the multi-process model of a browser: a supervisor and its workers; one crashes, the others live on",
        "title": "A supervisor and three worker processes",
        "plan": "browser-main ({pid}) is the supervisor. It starts three workers, each a process of its own, with its own address space:",
        "worker": "  {name}: pid {pid}, child of browser-main",
        "look_tree": "In ProcScope, find browser-main: renderer-1, renderer-2 and renderer-3 are its children in the tree.",
        "crash_title": "renderer-2 crashes",
        "crash_plan": "renderer-2 reads memory at address 0, which is mapped nowhere: the CPU faults and the kernel sends it SIGSEGV, whose default action ends the process.",
        "crashed": "  browser-main: renderer-2 ({pid}) was killed by signal {signal} ({name}).",
        "alive": "  renderer-1 ({one}) and renderer-3 ({three}) still run: a crash in one process cannot touch another's memory.",
        "look_crash": "In ProcScope, renderer-2 is a zombie (Z) under browser-main: it has ended, and browser-main has not yet collected its exit status (killed by SIGSEGV). Its siblings are still there.",
        "no_crash": "  (renderer-2 did not end within {secs} s)",
        "restart_title": "The supervisor starts a new worker",
        "restarted": "  browser-main collected renderer-2's status (it is gone) and started renderer-4 ({pid}) in its place, as a browser reloads a crashed tab.",
        "end": "Ending the lab: browser-main and its workers end with it.",
    },
    "ko": {
        "description": "브라우저의 멀티 프로세스 모델: 감독자와 작업자들. 하나가 죽어도 나머지는 계속 실행됨",
        "title": "감독자 하나와 작업자 프로세스 셋",
        "plan": "browser-main({pid})이 감독자입니다. 작업자 셋을 시작하는데, 각자 자기 주소 공간을 가진 별도 프로세스입니다:",
        "worker": "  {name}: pid {pid}, browser-main의 자식",
        "look_tree": "ProcScope에서 browser-main을 찾아 보세요: 트리에서 renderer-1, renderer-2, renderer-3이 그 자식입니다.",
        "crash_title": "renderer-2가 비정상 종료됨",
        "crash_plan": "renderer-2가 어디에도 매핑되지 않은 주소 0의 메모리를 읽습니다: CPU에서 폴트가 나고 커널이 SIGSEGV를 보내며, 그 기본 동작은 프로세스 종료입니다.",
        "crashed": "  browser-main: renderer-2({pid})가 시그널 {signal}({name})로 종료되었습니다.",
        "alive": "  renderer-1({one})과 renderer-3({three})은 계속 실행됩니다: 한 프로세스의 오류는 다른 프로세스의 메모리에 닿을 수 없습니다.",
        "look_crash": "ProcScope에서 renderer-2는 browser-main 아래의 좀비(Z)입니다: 종료했지만 browser-main이 아직 종료 상태(SIGSEGV로 종료)를 회수하지 않았습니다. 형제 프로세스는 그대로 있습니다.",
        "no_crash": "  (renderer-2가 {secs}초 안에 끝나지 않았습니다)",
        "restart_title": "감독자가 새 작업자를 시작함",
        "restarted": "  browser-main이 renderer-2의 종료 상태를 회수했고(사라짐), 그 자리에 renderer-4({pid})를 시작했습니다. 브라우저가 죽은 탭을 다시 불러오는 것과 같습니다.",
        "end": "실습을 끝냅니다. browser-main과 작업자들도 함께 끝납니다.",
    },
})

WAIT = 10  # seconds to wait for the supervisor's reports


def renderer(crash_dir):
    """A worker: waits for work (here: nothing) until it is told to crash with SIGUSR1."""
    def crash(_signum, _frame):
        # No core file: the lab leaves nothing behind (and a core, if any, would land in the lab's own folder).
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(crash_dir)
        ctypes.string_at(0)  # a real invalid read: the kernel answers with SIGSEGV

    signal.signal(signal.SIGUSR1, crash)
    while True:
        signal.pause()


def spawn(name, crash_dir):
    pid = os.fork()
    if pid == 0:
        try:
            for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            die_with_parent()
            set_name(name)
            renderer(crash_dir)
        finally:
            os._exit(0)
    return pid


def supervisor(report_w, command_r, crash_dir):
    """browser-main: starts the workers, reports each ending, restarts a crashed one when the lab says so."""
    def tell(line):
        os.write(report_w, (line + "\n").encode())

    workers = {f"renderer-{n}": spawn(f"renderer-{n}", crash_dir) for n in (1, 2, 3)}
    tell("started " + " ".join(f"{name}={pid}" for name, pid in workers.items()))
    while True:
        # WNOWAIT: learn of the ending without collecting the status; the worker stays a zombie until "r".
        info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
        if info is None:
            continue
        tell(f"ended {info.si_pid} {info.si_code} {info.si_status}")
        if os.read(command_r, 1) != b"r":
            return 0
        os.waitpid(info.si_pid, 0)
        tell(f"restarted {spawn('renderer-4', crash_dir)}")


class Reports:
    def __init__(self, fd):
        self.fd = fd
        self.buffer = b""

    def line(self, lab, timeout):
        end = time.monotonic() + min(timeout, lab.remaining())
        while b"\n" not in self.buffer:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                ready, _, _ = select.select([self.fd], [], [], left)
            except InterruptedError:
                continue
            if ready:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode().split()


def main():
    lab = Lab("multiprocess", S)
    report_r, report_w = os.pipe()
    command_r, command_w = os.pipe()
    crash_dir = lab.path("crash")
    os.mkdir(crash_dir)
    main_pid = lab.fork(supervisor, "browser-main", report_w, command_r, crash_dir)
    os.close(report_w)
    os.close(command_r)
    reports = Reports(report_r)
    lab.heading("title")
    lab.say("plan", pid=main_pid)
    started = reports.line(lab, WAIT) or []
    workers = dict(item.split("=") for item in started[1:])
    workers = {name: int(pid) for name, pid in workers.items()}
    for name, pid in workers.items():
        lab.say("worker", name=name, pid=pid)
    emit("")
    lab.say("look_tree")
    lab.event("tree", pid=main_pid, workers=workers)
    lab.pause("tree")

    lab.heading("crash_title")
    lab.say("crash_plan")
    crashed = workers.get("renderer-2")
    if crashed:
        os.kill(crashed, signal.SIGUSR1)
    ended = reports.line(lab, WAIT)
    if not ended or ended[0] != "ended":
        lab.say("no_crash", secs=WAIT)
    else:
        pid, code, status = int(ended[1]), int(ended[2]), int(ended[3])
        killed = code in (os.CLD_KILLED, os.CLD_DUMPED)
        lab.say("crashed", pid=pid, signal=status, name=signal.Signals(status).name if killed else "?")
        lab.say("alive", one=workers.get("renderer-1"), three=workers.get("renderer-3"))
        emit("")
        lab.say("look_crash")
        lab.event("crashed", pid=pid, signal=status if killed else None, supervisor=main_pid,
                  alive=[workers.get("renderer-1"), workers.get("renderer-3")])
        lab.pause("crashed")
        lab.heading("restart_title")
        os.write(command_w, b"r")
        restarted = reports.line(lab, WAIT)
        if restarted and restarted[0] == "restarted":
            lab.say("restarted", pid=restarted[1])
            lab.event("restarted", pid=int(restarted[1]), supervisor=main_pid)
            lab.pause("restarted")
    lab.say("end")
    lab.cleanup()
    os.close(report_r)
    os.close(command_w)
    lab.say("done")


if __name__ == "__main__":
    main()
