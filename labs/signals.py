#!/usr/bin/env python3
"""Lab 9: signals: a handler that catches one, a blocked one left pending, and SIGSTOP/SIGCONT.

Parts (--part caught | pending | stop, default all):
  caught   sig-catcher installs its own handler for SIGUSR1; the lab sends it SIGUSR1 three times and each one
           runs the handler. Its caught-signal mask (SigCgt) includes SIGUSR1.
  pending  sig-blocker blocks SIGUSR2 (sigprocmask); the lab sends it SIGUSR2, which stays pending: in the
           blocked mask (SigBlk) and the pending mask (ShdPnd) at once. After the pause it unblocks SIGUSR2 and
           the signal is delivered at that moment.
  stop     sig-sleeper waits for an event (S). SIGSTOP stops it (T); SIGCONT lets it go on: its SIGCONT handler
           renames it sig-continued, and it is back to waiting (S).
"""
import os
import select
import signal
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, emit, set_name, strings  # noqa: E402

S = strings({
    "en": {
        "description": "signals: a handler that catches SIGUSR1, a blocked SIGUSR2 left pending, SIGSTOP and SIGCONT",
        "caught_title": "Step 1: a handler of its own for SIGUSR1",
        "caught_plan": "sig-catcher ({pid}) installed a handler for SIGUSR1. Without one, SIGUSR1 would end it (the default action). The lab sends it SIGUSR1 three times.",
        "caught_one": "  sig-catcher ({pid}): SIGUSR1 #{n} ran its handler; it goes on",
        "caught_look": "In ProcScope, select sig-catcher and open its signals: the caught mask (SigCgt) includes SIGUSR1.",
        "pending_title": "Step 2: a blocked signal stays pending",
        "pending_plan": "sig-blocker ({pid}) blocks SIGUSR2 (sigprocmask). The lab sends it SIGUSR2: the kernel keeps it pending until the process unblocks it.",
        "pending_sent": "  SIGUSR2 sent to sig-blocker ({pid}); it is still waiting, and the signal has not been delivered.",
        "pending_look": "In ProcScope, select sig-blocker and open its signals: SIGUSR2 is in the blocked mask (SigBlk) and in the pending mask (ShdPnd: pending for the whole process).",
        "delivered": "  sig-blocker ({pid}) unblocked SIGUSR2: the pending signal was delivered just now and ran its handler.",
        "stop_title": "Step 3: SIGSTOP and SIGCONT",
        "stop_plan": "sig-sleeper ({pid}) waits for an event: state S (blocked). The lab sends it SIGSTOP.",
        "stopped": "  sig-sleeper ({pid}) is in state {state}: stopped. SIGSTOP cannot be caught, blocked or ignored.",
        "stop_look": "In ProcScope, sig-sleeper's state is T (stopped). Next, SIGCONT lets it go on.",
        "continued": "  SIGCONT: the process went on, its SIGCONT handler renamed it sig-continued, and it is back in state {state} (blocked: waiting for an event).",
        "not_state": "  (the process did not reach state {state} within {secs} s: the machine may be very busy)",
        "end": "Ending the lab.",
    },
    "ko": {
        "description": "시그널: SIGUSR1을 잡는 핸들러, 블록되어 보류된 SIGUSR2, SIGSTOP과 SIGCONT",
        "caught_title": "1단계: SIGUSR1을 잡는 자기 핸들러",
        "caught_plan": "sig-catcher({pid})는 SIGUSR1 핸들러를 설치했습니다. 핸들러가 없으면 SIGUSR1은 프로세스를 끝냅니다(기본 동작). 실습이 SIGUSR1을 세 번 보냅니다.",
        "caught_one": "  sig-catcher({pid}): SIGUSR1 #{n}이 핸들러를 실행했고, 프로세스는 계속됩니다",
        "caught_look": "ProcScope에서 sig-catcher를 선택하고 시그널을 열어 보세요: 잡는 시그널 마스크(SigCgt)에 SIGUSR1이 있습니다.",
        "pending_title": "2단계: 블록된 시그널은 보류된 채 남음",
        "pending_plan": "sig-blocker({pid})는 SIGUSR2를 블록합니다(sigprocmask). 실습이 SIGUSR2를 보내면 커널은 프로세스가 블록을 풀 때까지 그 시그널을 보류해 둡니다.",
        "pending_sent": "  sig-blocker({pid})에 SIGUSR2를 보냈습니다. 프로세스는 계속 기다리고 있고, 시그널은 아직 전달되지 않았습니다.",
        "pending_look": "ProcScope에서 sig-blocker를 선택하고 시그널을 열어 보세요: SIGUSR2가 블록된 시그널 마스크(SigBlk)와 보류 중인 시그널 마스크(ShdPnd: 프로세스 전체에 보류됨)에 함께 있습니다.",
        "delivered": "  sig-blocker({pid})가 SIGUSR2 블록을 풀었습니다: 보류된 시그널이 바로 지금 전달되어 핸들러를 실행했습니다.",
        "stop_title": "3단계: SIGSTOP과 SIGCONT",
        "stop_plan": "sig-sleeper({pid})는 이벤트를 기다립니다: 중단(S) 상태. 실습이 SIGSTOP을 보냅니다.",
        "stopped": "  sig-sleeper({pid})는 {state} 상태입니다: 정지. SIGSTOP은 잡거나 블록하거나 무시할 수 없습니다.",
        "stop_look": "ProcScope에서 sig-sleeper의 상태가 T(정지)입니다. 다음으로 SIGCONT가 프로세스를 계속 실행하게 합니다.",
        "continued": "  SIGCONT: 프로세스가 계속 실행되었고, SIGCONT 핸들러가 이름을 sig-continued로 바꿨으며, 다시 {state} 상태입니다(중단: 이벤트를 기다림).",
        "not_state": "  (프로세스가 {secs}초 안에 {state} 상태가 되지 않았습니다. 컴퓨터가 매우 바쁠 수 있습니다)",
        "end": "실습을 끝냅니다.",
    },
})

WAIT = 5  # seconds to wait for a state change or a handler's report


def state_and_name(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        name = data[data.index(b"(") + 1:data.rindex(b")")].decode("utf-8", "replace")
        return data.rsplit(b")", 1)[1].split()[0].decode(), name
    except (OSError, ValueError):
        return "-", "-"


def wait_for(lab, pid, state, name=None):
    end = time.monotonic() + min(WAIT, lab.remaining())
    while time.monotonic() < end:
        now, now_name = state_and_name(pid)
        if now == state and (name is None or now_name == name):
            return True
        time.sleep(0.05)
    lab.say("not_state", state=state, secs=WAIT)
    return False


def caught_part(lab):
    lab.heading("caught_title")
    r, w = os.pipe()

    def catcher():
        os.close(r)
        count = [0]

        def on_usr1(_signum, _frame):
            count[0] += 1
            lab.say("caught_one", pid=os.getpid(), n=count[0])
            os.write(w, b"c")

        signal.signal(signal.SIGUSR1, on_usr1)
        os.write(w, b"r")
        while True:
            signal.pause()

    pid = lab.fork(catcher, "sig-catcher")
    os.close(w)
    os.read(r, 1)
    lab.say("caught_plan", pid=pid)
    for _ in range(3):
        os.kill(pid, signal.SIGUSR1)
        os.read(r, 1)  # the handler ran (one at a time, so none merges with the next)
        time.sleep(0.3)
    os.close(r)
    emit("")
    lab.say("caught_look")
    lab.event("caught", pid=pid)
    lab.pause("caught")
    lab.kill(pid)


def pending_part(lab):
    lab.heading("pending_title")
    r, w = os.pipe()
    go_r, go_w = os.pipe()

    def blocker():
        os.close(r)
        os.close(go_w)

        def on_usr2(_signum, _frame):
            lab.say("delivered", pid=os.getpid())
            os.write(w, b"d")

        signal.signal(signal.SIGUSR2, on_usr2)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
        os.write(w, b"r")
        os.read(go_r, 1)  # blocked (S) until the lab says go; SIGUSR2 meanwhile stays pending
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR2})
        while True:
            signal.pause()

    pid = lab.fork(blocker, "sig-blocker")
    os.close(w)
    os.close(go_r)
    os.read(r, 1)
    lab.say("pending_plan", pid=pid)
    os.kill(pid, signal.SIGUSR2)
    lab.say("pending_sent", pid=pid)
    emit("")
    lab.say("pending_look")
    lab.event("pending", pid=pid)
    lab.pause("pending")
    os.write(go_w, b"g")
    ready, _, _ = select.select([r], [], [], min(WAIT, lab.remaining()))
    delivered = bool(ready) and os.read(r, 1) == b"d"
    lab.event("delivered", pid=pid, delivered=delivered)
    os.close(r)
    os.close(go_w)
    lab.kill(pid)


def stop_part(lab):
    lab.heading("stop_title")

    def sleeper():
        signal.signal(signal.SIGCONT, lambda _s, _f: set_name("sig-continued"))
        while True:
            signal.pause()

    pid = lab.fork(sleeper, "sig-sleeper")
    wait_for(lab, pid, "S")
    lab.say("stop_plan", pid=pid)
    os.kill(pid, signal.SIGSTOP)
    if wait_for(lab, pid, "T"):
        lab.say("stopped", pid=pid, state="T")
    emit("")
    lab.say("stop_look")
    lab.event("stopped", pid=pid)
    lab.pause("stopped")
    os.kill(pid, signal.SIGCONT)
    if wait_for(lab, pid, "S", "sig-continued"):
        lab.say("continued", state="S")
    lab.event("continued", pid=pid)
    lab.pause("continued")
    lab.kill(pid)


def main():
    lab = Lab("signals", S)
    if lab.wants("caught"):
        caught_part(lab)
    if lab.wants("pending"):
        pending_part(lab)
    if lab.wants("stop"):
        stop_part(lab)
    lab.say("end")
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
