#!/usr/bin/env python3
"""Lab 1: process states and the PCB.

Starts one process in each state Linux can show and prints its state letter:
  pcb-running     R  a busy loop (running, or ready in the run queue)
  pcb-sleeping    S  time.sleep(): blocked, waiting for an event (interruptible)
  pcb-vfork-wait  D  blocked uninterruptibly in the kernel: it called vfork() and waits for its child
                     (needs the C compiler; otherwise the lab says so)
  pcb-stopped     T  stopped with SIGSTOP, later resumed with SIGCONT
  pcb-zombie      Z  exited, but its parent has not yet collected its exit status (terminated)
and pcb-layout, a small C program whose code, data, BSS, heap and stack are each visible in ProcScope's
detail pane (memory regions). Select any of them in ProcScope to read its PCB.
"""
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import LANG, Lab, die_with_parent, emit, strings  # noqa: E402

S = strings({
    "en": {
        "description": "process states and the PCB",
        "title": "Process states",
        "row": "  {name:<15} pid {pid:<7} state {state}  {meaning}",
        "m_R": "running or ready: on a CPU or waiting for its turn (busy loop)",
        "m_S": "blocked, interruptible: waiting for an event (sleep)",
        "m_D": "blocked, uninterruptible: waiting in the kernel (vfork: waits for its child)",
        "m_T": "stopped by the SIGSTOP signal",
        "m_Z": "zombie: terminated, its parent has not reaped it yet",
        "no_cc": "  (state D needs a C compiler (cc) to run a vfork() helper; none was found, so D is not shown here.)",
        "look": "Select each process in ProcScope: its state, PCB fields (ids, credentials, signals, scheduling) and memory regions.",
        "resume": "Now: SIGCONT to pcb-stopped (T -> S) and the parent reaps pcb-zombie (it disappears).",
        "layout_title": "Memory layout of pcb-layout (code, data, BSS, heap, stack):",
        "layout_py": "  (no C compiler: look at the regions of the python process {pid} instead: code and data of the interpreter, [heap], [stack].)",
        "end": "Ending the lab.",
    },
    "ko": {
        "description": "프로세스 상태와 PCB",
        "title": "프로세스 상태",
        "row": "  {name:<15} pid {pid:<7} 상태 {state}  {meaning}",
        "m_R": "실행 또는 대기: CPU에서 실행 중이거나 차례를 기다림(바쁜 반복문)",
        "m_S": "중단(인터럽트 가능): 이벤트를 기다림(sleep)",
        "m_D": "중단(인터럽트 불가): 커널 안에서 기다림(vfork: 자식을 기다림)",
        "m_T": "정지: SIGSTOP 시그널로 멈춤",
        "m_Z": "좀비: 종료했지만 부모가 아직 회수하지 않음",
        "no_cc": "  (D 상태는 vfork() 도우미를 위해 C 컴파일러(cc)가 필요합니다. 찾지 못해서 여기서는 D를 보여주지 않습니다.)",
        "look": "ProcScope에서 각 프로세스를 선택해 보세요: 상태, PCB 필드(ID, 자격 증명, 시그널, 스케줄링), 메모리 영역.",
        "resume": "이제: pcb-stopped에 SIGCONT(T -> S), 부모가 pcb-zombie를 회수합니다(사라집니다).",
        "layout_title": "pcb-layout의 메모리 구조(코드, 데이터, BSS, 힙, 스택):",
        "layout_py": "  (C 컴파일러가 없습니다: 대신 python 프로세스 {pid}의 영역을 보세요: 인터프리터의 코드와 데이터, [heap], [stack].)",
        "end": "실습을 끝냅니다.",
    },
})


def state_of(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0].decode()
    except FileNotFoundError:
        return "-"


def busy():
    x = 0
    while True:
        x += 1


def sleeper():
    while True:
        time.sleep(3600)


def main():
    lab = Lab("pcb_states", S)
    lab.heading("title")
    rows = [("pcb-running", lab.fork(busy, "pcb-running"), "m_R"),
            ("pcb-sleeping", lab.fork(sleeper, "pcb-sleeping"), "m_S")]
    helper = lab.build_c("pcb_helper.c")
    life = str(int(lab.remaining()) + 1)
    if helper:
        d = subprocess.Popen([helper, "dstate", life], preexec_fn=die_with_parent)
        rows.append(("pcb-vfork-wait", lab.track(d.pid), "m_D"))
    stopped = lab.fork(sleeper, "pcb-stopped")
    rows.append(("pcb-stopped", stopped, "m_T"))
    zombie = lab.fork(lambda: 0, "pcb-zombie")
    rows.append(("pcb-zombie", zombie, "m_Z"))
    time.sleep(0.3)
    os.kill(stopped, signal.SIGSTOP)
    time.sleep(0.3)
    for name, pid, meaning in rows:
        lab.say("row", name=name, pid=pid, state=state_of(pid), meaning=lab.t(meaning))
    if not helper:
        lab.say_no_helper("no_cc")
    lab.event("states", pids={name: pid for name, pid, _ in rows}, parent=os.getpid())

    emit("")
    lab.say("layout_title")
    if helper:
        layout = subprocess.Popen([helper, "layout", life, LANG], preexec_fn=die_with_parent)
        lab.track(layout.pid)
        time.sleep(0.3)
        lab.event("layout", pid=layout.pid)
    else:
        lab.say("layout_py", pid=os.getpid())
        lab.event("layout", pid=os.getpid())
    emit("")
    lab.say("look")
    lab.pause("states")

    lab.say("resume")
    os.kill(stopped, signal.SIGCONT)
    lab.reap(zombie, timeout=2)
    time.sleep(0.3)
    for name, pid, meaning in rows:
        lab.say("row", name=name, pid=pid, state=state_of(pid), meaning="")
    lab.event("resumed")
    lab.pause("resumed")
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
