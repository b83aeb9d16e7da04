#!/usr/bin/env python3
"""Lab 2: fork, copy-on-write, exec and demand paging.

Parts (--part fork | cow | exec, default all):
  fork  a parent forks 4 children; each prints its pid and converts a temperature (like the C example
        in the study notes), then stays a few seconds so you can see the tree in ProcScope.
  cow   the parent fills 100 MiB (its own mapping, whose address range the lab prints), forks, and the
        child writes all of it, 5 MiB at a time, so the page map in ProcScope's detail pane shows the copies
        happen. Between the phases the lab pauses:
        look at the child's Resident (RSS), Proportional (PSS) and Unique (USS) memory in ProcScope's
        detail pane. After the fork the
        child's RSS is already ~100 MiB but almost none of it is private: the pages are shared with the
        parent. After the child writes, ~100 MiB is unique to it (private dirty), and the minor faults grew by ~25600
        (one per 4 KiB page copied).
  exec  a child execs a new program that maps 64 MiB and touches it slowly: RSS and minor faults grow
        only as pages are touched (demand paging).
"""
import ctypes
import mmap
import os
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the extension's labs folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _labkit import Lab, emit, mem_used_kib, read_status, set_name, strings  # noqa: E402

MIB = 1024 * 1024
COW_MIB = 100
PAGE = mmap.PAGESIZE

S = strings({
    "en": {
        "description": "fork, copy-on-write, exec and demand paging",
        "fork_title": "fork(): one parent, four children",
        "fork_child": "{f:.1f} F is {c:.1f} C (pid {pid}, parent {ppid})",
        "fork_parent": "Spawned {n} processes from {pid}. In ProcScope: fork-parent and its fork-child processes.",
        "cow_title": "Copy-on-write with {mib} MiB",
        "cow_filled": "Parent {pid} (cow-parent) allocated and wrote {mib} MiB.",
        "cow_stats": "  {who:<7} pid {pid}: RSS {rss} KiB, PSS {pss} KiB, USS {uss} KiB, minor faults {minflt}, major faults {majflt}   [system memory used: {used} KiB]",
        "who_parent": "parent",
        "who_child": "child",
        "cow_before": "Phase 1, before fork:",
        "cow_region": "The buffer is the mapping {start}-{end} ({mib} MiB, its own line of /proc/PID/maps). In ProcScope select cow-child (or cow-parent), open Details > Memory, find the anonymous mapping at {start} and press \"Page map\": blue pages are shared, orange ones are the process's own copy.",
        "cow_after_fork": "Phase 2, right after fork (the child {pid} has not written yet): its RSS is ~{mib} MiB, but its USS (memory unique to it) is small: the pages are still shared.",
        "cow_after_write": "Phase 3, the child wrote every page: now ~{mib} MiB of it is private (copied), and its minor faults grew by about {pages}.",
        "cow_end": "The child exits; the parent's pages are private again.",
        "exec_title": "exec() and demand paging",
        "exec_before": "Child {pid} before exec: minor faults {minflt}. Now it calls exec() and becomes a new program.",
        "exec_new": "New program (same pid {pid}) mapped {mib} MiB: RSS {rss} KiB. It touches 4 MiB at a time:",
        "exec_step": "  touched {done:>3} MiB: RSS {rss} KiB, minor faults {minflt}",
        "exec_end": "Only the pages it touched were given memory, each on its first touch (a page fault).",
    },
    "ko": {
        "description": "fork, 카피 온 라이트, exec, 디맨드 페이징",
        "fork_title": "fork(): 부모 하나, 자식 넷",
        "fork_child": "{f:.1f} F는 {c:.1f} C (pid {pid}, 부모 {ppid})",
        "fork_parent": "{pid}에서 프로세스 {n}개를 만들었습니다. ProcScope에서 fork-parent와 fork-child 프로세스들을 보세요.",
        "cow_title": "{mib} MiB로 보는 카피 온 라이트",
        "cow_filled": "부모(pid {pid}, cow-parent)가 {mib} MiB를 확보하고 모든 페이지에 썼습니다.",
        "cow_stats": "  {who:<7} pid {pid}: RSS {rss} KiB, PSS {pss} KiB, USS {uss} KiB, 마이너 폴트 {minflt}, 메이저 폴트 {majflt}   [시스템 메모리 사용량: {used} KiB]",
        "who_parent": "부모",
        "who_child": "자식",
        "cow_before": "1단계, 자식 프로세스 생성 전:",
        "cow_region": "버퍼는 {start}-{end} 매핑입니다({mib} MiB, /proc/PID/maps의 한 줄). ProcScope에서 cow-child(또는 cow-parent)를 선택하고 상세 > 메모리에서 {start}의 익명 매핑을 찾아 \"페이지 맵\"을 누르세요. 파란 페이지는 공유, 주황 페이지는 그 프로세스만의 사본입니다.",
        "cow_after_fork": "2단계, 자식 프로세스({pid}) 생성 직후(아직 쓰지 않음): RSS는 약 {mib} MiB지만 USS(이 프로세스만의 고유 메모리)는 작습니다. 페이지를 아직 공유하고 있습니다.",
        "cow_after_write": "3단계, 자식이 모든 페이지에 썼습니다: 이제 약 {mib} MiB가 전용(복사된) 페이지이고, 마이너 폴트가 약 {pages}번 늘었습니다.",
        "cow_end": "자식이 종료합니다. 부모의 페이지는 다시 전용이 됩니다.",
        "exec_title": "exec()와 디맨드 페이징",
        "exec_before": "exec 전의 자식 {pid}: 마이너 폴트 {minflt}. 이제 exec()를 호출해 새 프로그램이 됩니다.",
        "exec_new": "새 프로그램(같은 pid {pid})이 {mib} MiB를 매핑했습니다: RSS {rss} KiB. 한 번에 4 MiB씩 접근합니다:",
        "exec_step": "  {done:>3} MiB 접근: RSS {rss} KiB, 마이너 폴트 {minflt}",
        "exec_end": "접근한 페이지만, 처음 접근할 때(페이지 폴트) 물리 메모리를 받았습니다.",
    },
})


def print_stats(lab, who, pid):
    st = read_status(pid)
    lab.say("cow_stats", who=lab.t(f"who_{who}"), pid=pid, rss=st.get("Rss", "?"), pss=st.get("Pss", "?"),
            uss=st["Private_Clean"] + st["Private_Dirty"] if "Private_Dirty" in st and "Private_Clean" in st else "?", minflt=st.get("minflt", "?"), majflt=st.get("majflt", "?"),
            used=mem_used_kib())
    return st


def part_fork(lab):
    lab.heading("fork_title")
    set_name("fork-parent")

    def child(i):
        f_value = 100 + i * 10
        lab.say("fork_child", f=f_value, c=(f_value - 32) * 5 / 9, pid=os.getpid(), ppid=os.getppid())
        # Long enough to find the four children in the panel (30 s in a terminal), also on a loaded machine
        # where the panel's first look comes many seconds after the fork.
        lab.sleep(min(30.0, lab.args.pause + 2))

    pids = [lab.fork(child, "fork-child", i) for i in range(1, 5)]
    lab.say("fork_parent", n=len(pids), pid=os.getpid())
    lab.event("forked", parent=os.getpid(), children=pids)
    for pid in pids:
        lab.reap(pid)
    set_name(lab.lab_id)


def part_cow(lab):
    lab.heading("cow_title", mib=COW_MIB)
    set_name("cow-parent")
    size = COW_MIB * MIB
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        region.madvise(mmap.MADV_NOHUGEPAGE)  # 4 KiB pages, so each first write is one visible fault
    for off in range(0, size, PAGE):
        region[off] = 1
    # The buffer's address, so the learner can find its mapping (the ctypes view is dropped at once: a
    # live export would keep region.close() from unmapping it at the end).
    view = ctypes.c_char.from_buffer(region)
    start = ctypes.addressof(view)
    del view
    span = {"start": f"{start:x}", "end": f"{start + size:x}"}
    lab.say("cow_filled", pid=os.getpid(), mib=COW_MIB)
    lab.say("cow_region", mib=COW_MIB, **span)
    lab.say("cow_before")
    print_stats(lab, "parent", os.getpid())

    go_r, go_w = os.pipe()      # parent -> child: "next phase"
    done_r, done_w = os.pipe()  # child -> parent: "phase finished"

    def child():
        os.close(go_w)
        os.close(done_r)
        os.write(done_w, b"f")  # forked and ready; has not written anything
        if os.read(go_r, 1) != b"w":
            return 0
        # The first write to each shared page faults and copies it. 5 MiB at a time, a few seconds in all
        # (bounded by the lab's lifetime), so an open page map shows the copies spread through the buffer.
        step = 5 * MIB
        pause = max(0.0, min(0.15, lab.remaining() / 100))
        for chunk in range(0, size, step):
            for off in range(chunk, min(size, chunk + step), PAGE):
                region[off] = 2
            time.sleep(pause)
        os.write(done_w, b"w")
        os.read(go_r, 1)  # wait until the parent lets us exit (or EOF when it dies)
        return 0

    pid = lab.fork(child, "cow-child")
    os.close(go_r)
    os.close(done_w)
    os.read(done_r, 1)
    lab.say("cow_after_fork", pid=pid, mib=COW_MIB)
    before = print_stats(lab, "child", pid)
    print_stats(lab, "parent", os.getpid())
    lab.event("after-fork", parent=os.getpid(), child=pid, **span)
    lab.pause("after-fork")

    os.write(go_w, b"w")
    os.read(done_r, 1)
    after = print_stats(lab, "child", pid)
    lab.say("cow_after_write", mib=COW_MIB, pages=after.get("minflt", 0) - before.get("minflt", 0))
    print_stats(lab, "parent", os.getpid())
    lab.event("child-wrote", parent=os.getpid(), child=pid)
    lab.pause("child-wrote")

    os.write(go_w, b"x")
    lab.reap(pid)
    lab.say("cow_end")
    os.close(go_w)
    os.close(done_r)
    region.close()
    set_name(lab.lab_id)


def paging_program(mib, step_seconds):
    """The program the exec part runs: map `mib` MiB, then touch it 4 MiB at a time."""
    lab_strings = S
    from _labkit import LANG
    t = lab_strings[LANG]
    set_name("paging-demo")
    size = mib * MIB
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        region.madvise(mmap.MADV_NOHUGEPAGE)
    st = read_status()
    emit(t["exec_new"].format(pid=os.getpid(), mib=mib, rss=st.get("Rss")))
    import time
    chunk = 4 * MIB
    for start in range(0, size, chunk):
        for off in range(start, start + chunk, PAGE):
            region[off] = 1
        st = read_status()
        emit(t["exec_step"].format(done=(start + chunk) // MIB, rss=st.get("Rss"), minflt=st.get("minflt")))
        time.sleep(step_seconds)
    emit(t["exec_end"])


def part_exec(lab):
    lab.heading("exec_title")

    def child():
        lab.say("exec_before", pid=os.getpid(), minflt=read_status().get("minflt"))
        step = max(0.05, min(0.5, lab.remaining() / 32))
        os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), "--paging-program", "64", str(step)])

    pid = lab.fork(child, "exec-child")
    lab.event("exec", child=pid)
    lab.reap(pid)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--paging-program":
        from _labkit import die_with_parent
        die_with_parent()  # PDEATHSIG is cleared by exec of a set-id program only; re-arm it anyway
        paging_program(int(sys.argv[2]), float(sys.argv[3]))
        return
    lab = Lab("fork_cow", S)
    if lab.wants("fork"):
        part_fork(lab)
    if lab.wants("cow"):
        part_cow(lab)
    if lab.wants("exec"):
        part_exec(lab)
    lab.cleanup()
    lab.say("done")


if __name__ == "__main__":
    main()
