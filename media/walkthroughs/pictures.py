#!/usr/bin/env python3
"""Draws the walkthrough pictures, one SVG per picture and language (NAME.svg, NAME.ko.svg), into this folder.

Run it after changing a label: `python3 media/walkthroughs/pictures.py`. The Korean state names are the ones in
KOREAN_TERMS.md (from the study notes the walkthroughs teach from).

Colours come from VS Code's theme variables (`var(--vscode-foreground)`, `--vscode-charts-*`) when the SVG is
inlined in a themed page. A walkthrough page shows its pictures through <img>, where those variables do not
reach: there each variable falls back to a light- or dark-theme colour chosen by `prefers-color-scheme`, and
the picture draws its own background, so its text stays readable when the browser's colour scheme and VS Code's
theme differ (a dark theme in a light-scheme browser shows a light picture, not dark text on a dark page).
"""
import os
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

STYLE = """<style>
svg { --bg: var(--vscode-editor-background, #ffffff); --fg: var(--vscode-foreground, #1f1f1f); --muted: var(--vscode-descriptionForeground, #616161);
  --blue: var(--vscode-charts-blue, #1a85ff); --green: var(--vscode-charts-green, #388a34);
  --red: var(--vscode-charts-red, #e51400); --yellow: var(--vscode-charts-yellow, #bf8803);
  --orange: var(--vscode-charts-orange, #d18616); --purple: var(--vscode-charts-purple, #652d90); }
@media (prefers-color-scheme: dark) {
  svg { --bg: var(--vscode-editor-background, #1f1f1f); --fg: var(--vscode-foreground, #cccccc); --muted: var(--vscode-descriptionForeground, #9d9d9d);
    --blue: var(--vscode-charts-blue, #3794ff); --green: var(--vscode-charts-green, #89d185);
    --red: var(--vscode-charts-red, #f14c4c); --yellow: var(--vscode-charts-yellow, #cca700);
    --orange: var(--vscode-charts-orange, #d18616); --purple: var(--vscode-charts-purple, #b180d7); }
}
text { fill: var(--fg); font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", "NanumGothic", sans-serif; font-size: 13px; }
.title { font-size: 15px; font-weight: 600; }
.small { font-size: 11px; fill: var(--muted); }
.mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "NanumGothicCoding", monospace; font-size: 12px; }
.letter { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; }
.line { stroke: var(--fg); stroke-width: 1.5; fill: none; }
.dash { stroke: var(--muted); stroke-width: 1.2; fill: none; stroke-dasharray: 4 3; }
.arrowhead { fill: var(--fg); }
.backdrop { fill: var(--bg); stroke: var(--muted); stroke-opacity: 0.4; }
</style>"""


def box(x, y, w, h, colour, rx=8, opacity=0.16):
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" style="fill: var(--{colour}); fill-opacity: {opacity}; '
            f'stroke: var(--{colour}); stroke-width: 1.5"/>')


def text(x, y, content, cls="", anchor="middle", weight=None):
    attrs = f' class="{cls}"' if cls else ""
    style = f' font-weight="{weight}"' if weight else ""
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}"{attrs}{style}>{escape(content)}</text>'


def arrow(points, cls="line", label=None, label_at=None, label_anchor="middle"):
    path = "M " + " L ".join(f"{x} {y}" for x, y in points)
    out = [f'<path d="{path}" class="{cls}" marker-end="url(#head)"/>']
    if label:
        lx, ly = label_at
        out.append(text(lx, ly, label, "small", label_anchor))
    return "\n".join(out)


def svg(width, height, title, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}">\n<title>{escape(title)}</title>\n{STYLE}\n'
            '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>\n'
            f'<rect class="backdrop" x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="6"/>\n'
            f'{body}\n</svg>\n')


# ---------------------------------------------------------------- the five-state diagram
STATES = {
    "en": {
        "title": "The five process states and Linux's state letters",
        "new": "new", "ready": "ready", "running": "running", "blocked": "blocked", "terminated": "terminated",
        "admitted": "admitted (fork)", "dispatch": "dispatch", "preempt": "interrupt / time slice over",
        "wait": "waits for I/O or an event", "done": "I/O or event done", "exit": "exit",
        "R": "R  running or ready", "SD": "S / D  blocked (interruptible / not)", "Z": "Z  zombie: terminated, not reaped",
        "T": "T  stopped by a signal (SIGSTOP); SIGCONT resumes it",
        "legend": "Linux shows one letter for ready and running (R): the scheduler moves a task between them many times a second.",
    },
    "ko": {
        "title": "프로세스의 다섯 가지 상태와 리눅스의 상태 글자",
        "new": "생성", "ready": "대기", "running": "실행", "blocked": "중단", "terminated": "종료",
        "admitted": "승인 (fork)", "dispatch": "디스패치", "preempt": "인터럽트 / 타임 슬라이스 끝",
        "wait": "입출력·이벤트를 기다림", "done": "입출력·이벤트 완료", "exit": "종료(exit)",
        "R": "R  실행 또는 대기", "SD": "S / D  중단 (인터럽트 가능 / 불가)", "Z": "Z  좀비: 종료, 아직 회수 전",
        "T": "T  정지: 시그널(SIGSTOP)로 멈춤, SIGCONT로 다시 실행",
        "legend": "리눅스는 대기와 실행을 글자 하나(R)로 보여줍니다: 스케줄러가 1초에도 여러 번 둘 사이를 오가게 합니다.",
    },
}


def states_svg(t):
    w, h = 800, 400
    bw, bh = 130, 44
    pos = {"new": (30, 50), "ready": (220, 150), "running": (450, 150), "terminated": (600, 50), "blocked": (335, 280)}
    colours = {"new": "purple", "ready": "blue", "running": "green", "terminated": "red", "blocked": "yellow"}
    body = [text(w / 2, 26, t["title"], "title")]
    for key, (x, y) in pos.items():
        body.append(box(x, y, bw, bh, colours[key]))
        body.append(text(x + bw / 2, y + 27, t[key], weight="600"))

    def c(key, dx=0.5, dy=0.5):
        x, y = pos[key]
        return x + bw * dx, y + bh * dy

    nx, ny = c("new", 1, 0.5)
    rx, ry = c("ready", 0.3, 0)
    body.append(arrow([(nx, ny), (rx, ny), (rx, ry)], label=t["admitted"], label_at=(nx + 8, ny - 8), label_anchor="start"))
    # ready <-> running: dispatch above, preempt below
    body.append(arrow([(pos["ready"][0] + bw, 162), (pos["running"][0], 162)], label=t["dispatch"], label_at=(385, 156)))
    body.append(arrow([(pos["running"][0], 184), (pos["ready"][0] + bw, 184)], label=t["preempt"], label_at=(385, 206)))
    # running -> terminated
    sx, sy = c("running", 1, 0.5)
    tx, ty = c("terminated", 0.5, 1)
    body.append(arrow([(sx, sy), (tx, sy), (tx, ty)], label=t["exit"], label_at=(tx + 8, ty + 30), label_anchor="start"))
    # running -> blocked, blocked -> ready
    rx2, ry2 = c("running", 0.5, 1)
    bx, by = c("blocked", 1, 0.5)
    body.append(arrow([(rx2, ry2), (rx2, by), (bx, by)], label=t["wait"], label_at=(rx2 + 8, ry2 + 40), label_anchor="start"))
    bx2, by2 = c("blocked", 0, 0.5)
    qx, qy = c("ready", 0.5, 1)
    body.append(arrow([(bx2, by2), (qx, by2), (qx, qy)], label=t["done"], label_at=(qx - 8, qy + 40), label_anchor="end"))
    # Linux letters under the boxes
    body.append(text(pos["ready"][0] + bw + 50, 142 - 28, t["R"], "letter", "middle"))
    body.append('<path d="M 280 118 L 530 118" class="dash"/>')
    body.append(text(400, pos["blocked"][1] + bh + 20, t["SD"], "letter"))
    body.append('<path d="M 732 72 L 780 72 L 780 198" class="dash"/>')
    body.append(text(w - 10, 215, t["Z"], "letter", "end"))
    body.append(text(30, 370, t["T"], "small", "start"))
    body.append(text(30, 388, t["legend"], "small", "start"))
    return svg(w, h, t["title"], "\n".join(body))


# ---------------------------------------------------------------- the PCB
PCB = {
    "en": {
        "title": "The process control block (PCB) and where ProcScope reads it",
        "head": "PCB (task_struct in Linux)",
        "src": "read from /proc/PID/…",
        "rows": [
            ("ids: PID, parent PID, process group, session", "stat, status", "blue"),
            ("state: R, S, D, T, Z …", "stat", "green"),
            ("program counter and CPU registers (saved at a context switch)", "(kernel only)", "muted"),
            ("scheduling: priority, nice, policy, last CPU", "stat", "purple"),
            ("memory: page tables, regions (code, data, heap, stack)", "maps, smaps_rollup", "orange"),
            ("open files: the file descriptor table", "fd/", "yellow"),
            ("credentials: user and group ids", "status", "blue"),
            ("signals: pending, blocked, ignored, caught", "status", "red"),
            ("accounting: CPU time, page faults, I/O", "stat, io", "green"),
        ],
    },
    "ko": {
        "title": "프로세스 제어 블록(PCB)과 ProcScope가 읽는 곳",
        "head": "PCB (리눅스의 task_struct)",
        "src": "/proc/PID/…에서 읽음",
        "rows": [
            ("식별자: PID, 부모 PID, 프로세스 그룹, 세션", "stat, status", "blue"),
            ("상태: R, S, D, T, Z …", "stat", "green"),
            ("프로그램 카운터와 CPU 레지스터 (컨텍스트 스위칭 때 저장)", "(커널만 앎)", "muted"),
            ("스케줄링: 우선순위, nice, 정책, 마지막 CPU", "stat", "purple"),
            ("메모리: 페이지 테이블, 영역(코드, 데이터, 힙, 스택)", "maps, smaps_rollup", "orange"),
            ("열린 파일: 파일 디스크립터 테이블", "fd/", "yellow"),
            ("자격 증명: 사용자·그룹 ID", "status", "blue"),
            ("시그널: 대기, 차단, 무시, 잡음", "status", "red"),
            ("계정 정보: CPU 시간, 페이지 폴트, 입출력", "stat, io", "green"),
        ],
    },
}


def pcb_svg(t):
    w, row_h = 720, 34
    rows = t["rows"]
    h = 90 + row_h * len(rows) + 20
    body = [text(w / 2, 26, t["title"], "title"), box(20, 44, 480, h - 64, "blue", opacity=0.06),
            text(260, 66, t["head"], weight="600"), text(610, 66, t["src"], "small")]
    for i, (label, source, colour) in enumerate(rows):
        y = 80 + i * row_h
        body.append(box(32, y, 456, row_h - 6, colour if colour != "muted" else "fg", rx=4, opacity=0.12))
        body.append(text(44, y + 19, label, anchor="start"))
        body.append(f'<path d="M 490 {y + 14} L 530 {y + 14}" class="dash"/>')
        body.append(text(540, y + 19, source, "mono", "start"))
    return svg(w, h, t["title"], "\n".join(body))


# ---------------------------------------------------------------- the address space
SPACE = {
    "en": {
        "title": "A process's address space (what pcb-layout shows)",
        "high": "high addresses", "low": "low addresses",
        "regions": [
            ("stack: local variables, return addresses", "[stack]  rw-p", "green", 54, "grows down"),
            ("(unmapped: room to grow)", "", "none", 40, ""),
            ("memory mappings: shared libraries, mmap, shared memory", "libc.so  r-xp, rw-p", "purple", 54, ""),
            ("(unmapped)", "", "none", 30, ""),
            ("heap: malloc, sbrk", "[heap]  rw-p", "orange", 54, "grows up"),
            ("BSS: globals set to zero", "rw-p (anonymous)", "yellow", 36, ""),
            ("data: initialised globals", "program  rw-p", "yellow", 36, ""),
            ("code (text): the program's instructions", "program  r-xp", "blue", 46, ""),
        ],
    },
    "ko": {
        "title": "프로세스의 주소 공간 (pcb-layout이 보여주는 것)",
        "high": "높은 주소", "low": "낮은 주소",
        "regions": [
            ("스택: 지역 변수, 복귀 주소", "[stack]  rw-p", "green", 54, "아래로 자람"),
            ("(매핑 없음: 자랄 공간)", "", "none", 40, ""),
            ("메모리 매핑: 공유 라이브러리, mmap, 공유 메모리", "libc.so  r-xp, rw-p", "purple", 54, ""),
            ("(매핑 없음)", "", "none", 30, ""),
            ("힙: malloc, sbrk", "[heap]  rw-p", "orange", 54, "위로 자람"),
            ("BSS: 0으로 초기화되는 전역 변수", "rw-p (익명)", "yellow", 36, ""),
            ("데이터: 초기값이 있는 전역 변수", "program  rw-p", "yellow", 36, ""),
            ("코드(텍스트): 프로그램의 명령어", "program  r-xp", "blue", 46, ""),
        ],
    },
}


def space_svg(t):
    w = 760
    x0, bw = 150, 420
    y = 60
    body = [text(w / 2, 26, t["title"], "title"), text(32, y + 14, t["high"], "small", "start")]
    for label, maps, colour, height, growth in t["regions"]:
        if colour == "none":
            body.append(f'<rect x="{x0}" y="{y}" width="{bw}" height="{height}" class="dash"/>')
            body.append(text(x0 + bw * 0.62, y + height / 2 + 4, label, "small"))
        else:
            body.append(box(x0, y, bw, height, colour, rx=2))
            body.append(text(x0 + bw / 2, y + height / 2 + 5, label))
            body.append(text(x0 + bw + 14, y + height / 2 + 5, maps, "mono", "start"))
        if growth:
            down = growth in ("grows down", "아래로 자람")
            ay0, ay1 = (y + height + 4, y + height + 30) if down else (y - 4, y - 30)
            body.append(arrow([(x0 + 40, ay0), (x0 + 40, ay1)]))
            body.append(text(x0 + 50, (ay0 + ay1) / 2 + 4, growth, "small", "start"))
        y += height + 4
    body.append(text(32, y - 6, t["low"], "small", "start"))
    body.insert(1, arrow([(24, y - 10), (24, 66)]))
    return svg(w, y + 20, t["title"], "\n".join(body))


# ---------------------------------------------------------------- fork and copy-on-write
COW = {
    "en": {
        "title": "fork() and copy-on-write",
        "steps": ["1. before fork", "2. right after fork", "3. the child wrote page 2"],
        "parent": "parent", "child": "child", "page": "page",
        "notes": ["its own pages", "both map the same pages, read-only:", "the write faulted; the kernel copied",
                  "", "nothing is copied yet (USS small)", "that one page for the child"],
        "shared": "shared (read-only)", "copy": "copy of page 2",
    },
    "ko": {
        "title": "fork()와 카피 온 라이트",
        "steps": ["1. fork 전", "2. fork 직후", "3. 자식이 2번 페이지에 씀"],
        "parent": "부모", "child": "자식", "page": "페이지",
        "notes": ["자기 페이지", "둘이 같은 페이지를 읽기 전용으로 매핑:", "쓰기가 폴트를 냈고 커널이",
                  "", "아직 복사한 것 없음 (USS 작음)", "그 페이지 하나만 자식에게 복사"],
        "shared": "공유 (읽기 전용)", "copy": "2번 페이지 복사본",
    },
}


def cow_svg(t):
    w, h = 780, 360
    col_w = 250
    body = [text(w / 2, 26, t["title"], "title")]
    for step in range(3):
        x = 15 + step * (col_w + 10)
        body.append(text(x + col_w / 2, 56, t["steps"][step], weight="600"))
        body.append(box(x + 10, 70, 90, 34, "blue"))
        body.append(text(x + 55, 92, t["parent"]))
        if step > 0:
            body.append(box(x + col_w - 100, 70, 90, 34, "green"))
            body.append(text(x + col_w - 55, 92, t["child"]))
        for i in range(3):
            py = 150 + i * 40
            px = x + col_w / 2 - 45
            copied = step == 2 and i == 1
            colour = "blue" if step == 0 else ("yellow" if not copied else "blue")
            body.append(box(px, py, 90, 30, colour, rx=3))
            body.append(text(px + 45, py + 20, f"{t['page']} {i + 1}"))
            body.append(f'<path d="M {x + 55} 104 L {px} {py + 15}" class="line" marker-end="url(#head)"/>')
            if step > 0 and not copied:
                body.append(f'<path d="M {x + col_w - 55} 104 L {px + 90} {py + 15}" class="line" marker-end="url(#head)"/>')
        if step == 1:
            body.append(text(x + col_w / 2, 285, t["shared"], "small"))
        if step == 2:
            cx, cy = x + col_w / 2 - 20, 275
            body.append(box(cx, cy, 120, 30, "green", rx=3))
            body.append(text(cx + 60, cy + 20, t["copy"]))
            body.append(f'<path d="M {x + col_w - 55} 104 L {cx + 90} {cy}" class="line" marker-end="url(#head)"/>')
        body.append(text(x + col_w / 2, 330, t["notes"][step], "small"))
        body.append(text(x + col_w / 2, 346, t["notes"][step + 3], "small"))
    return svg(w, h, t["title"], "\n".join(body))


# ---------------------------------------------------------------- IPC kinds
IPC = {
    "en": {
        "title": "Ways processes talk (IPC) and how ProcScope finds them",
        "kinds": [
            ("pipe", "one way, parent ⇄ child (fd)", "blue", "pipe:[inode] in fd/"),
            ("named pipe (FIFO)", "one way, a path anyone can open", "blue", "p file in fd/"),
            ("message queue", "messages with types, kept by the kernel", "purple", "/proc/sysvipc/msg"),
            ("shared memory", "the same pages in both address spaces", "orange", "maps, /dev/shm"),
            ("semaphore", "a counter that lets one in at a time", "yellow", "/proc/sysvipc/sem"),
            ("socket", "two ways; unix path or TCP port", "green", "socket:[inode], /proc/net"),
            ("signal", "a number, e.g. SIGUSR1, to a pid", "red", "status: SigCgt"),
        ],
        "a": "A", "b": "B",
    },
    "ko": {
        "title": "프로세스가 통신하는 방법(IPC)과 ProcScope가 찾는 곳",
        "kinds": [
            ("파이프", "한 방향, 부모 ⇄ 자식 (fd)", "blue", "fd/의 pipe:[inode]"),
            ("이름 있는 파이프 (FIFO)", "한 방향, 누구나 여는 경로", "blue", "fd/의 p 파일"),
            ("메시지 큐", "타입이 있는 메시지, 커널이 보관", "purple", "/proc/sysvipc/msg"),
            ("공유 메모리", "두 주소 공간에 같은 페이지", "orange", "maps, /dev/shm"),
            ("세마포어", "한 번에 하나씩 들여보내는 카운터", "yellow", "/proc/sysvipc/sem"),
            ("소켓", "양방향, 유닉스 경로 또는 TCP 포트", "green", "socket:[inode], /proc/net"),
            ("시그널", "pid에 보내는 번호, 예: SIGUSR1", "red", "status: SigCgt"),
        ],
        "a": "A", "b": "B",
    },
}


def ipc_svg(t):
    w, row_h = 780, 48
    kinds = t["kinds"]
    h = 60 + row_h * len(kinds) + 10
    body = [text(w / 2, 26, t["title"], "title")]
    for i, (name, what, colour, where) in enumerate(kinds):
        y = 48 + i * row_h
        body.append(box(20, y, 40, 32, "fg", rx=16, opacity=0.08))
        body.append(text(40, y + 21, t["a"], weight="600"))
        body.append(box(260, y, 40, 32, "fg", rx=16, opacity=0.08))
        body.append(text(280, y + 21, t["b"], weight="600"))
        body.append(box(78, y + 2, 164, 28, colour, rx=4))
        body.append(text(160, y + 21, name, weight="600"))
        two_way = i in (3, 4, 5)  # shared memory and a semaphore are used by both sides alike
        body.append(f'<path d="M 62 {y + 16} L 76 {y + 16}" class="line"/>')
        if two_way:
            body.append(f'<path d="M 76 {y + 16} L 64 {y + 16}" class="line" marker-end="url(#head)"/>')
        body.append(f'<path d="M 244 {y + 16} L 258 {y + 16}" class="line" marker-end="url(#head)"/>')
        body.append(text(320, y + 14, what, anchor="start"))
        body.append(text(320, y + 30, where, "mono", "start"))
    return svg(w, h, t["title"], "\n".join(body))


# ---------------------------------------------------------------- deadlock on two mutexes, and the lock order
DEADLOCK = {
    "en": {
        "title": "Two threads, two mutexes: opposite order deadlocks, one lock order finishes",
        "bad": "opposite order: deadlock", "good": "one order, A before B",
        "lock": "lock", "holds": "lock → the thread that holds it", "waits": "thread → the lock it waits for",
        "bad_note": "dl-left → dl-right → dl-left: circular wait",
        "bad_note2": "ProcScope reads each mutex's owner and finds the cycle",
        "good_note": "no cycle: dl-right waits only until dl-left lets go",
        "good_note2": "both finish; exit status 0",
    },
    "ko": {
        "title": "스레드 둘, 뮤텍스 둘: 반대 순서는 교착 상태, 하나의 락 순서는 끝까지 실행",
        "bad": "반대 순서: 교착 상태", "good": "하나의 순서: A 다음 B",
        "lock": "락", "holds": "락 → 그 락을 보유한 스레드", "waits": "스레드 → 기다리는 락",
        "bad_note": "dl-left → dl-right → dl-left: 환형 대기",
        "bad_note2": "ProcScope가 각 뮤텍스의 보유자를 읽고 순환을 찾음",
        "good_note": "순환 없음: dl-right는 dl-left가 놓을 때까지만 기다림",
        "good_note2": "둘 다 끝남, 종료 상태 0",
    },
}

WAIT_STYLE = "stroke: var(--red); stroke-width: 1.8; fill: none; stroke-dasharray: 5 3"


def deadlock_svg(t):
    w, h = 780, 350
    body = [text(w / 2, 26, t["title"], "title")]
    for panel, (x0, heading) in enumerate(((15, t["bad"]), (400, t["good"]))):
        bad = panel == 0
        body.append(text(x0 + 182, 58, heading, weight="600"))
        left, right = (x0 + 30, 80), (x0 + 215, 80)
        lock_a, lock_b = (x0 + 30, 210), (x0 + 215, 210)
        bw, bh = 120, 36
        for (bx, by), label, colour in ((left, "dl-left", "blue"), (right, "dl-right", "green"),
                                        (lock_a, f"{t['lock']} A", "yellow"), (lock_b, f"{t['lock']} B", "yellow")):
            body.append(box(bx, by, bw, bh, colour))
            body.append(text(bx + bw / 2, by + 23, label, "mono"))
        # "holds": from a lock up to its owner
        owners = ((lock_a, left), (lock_b, right)) if bad else ((lock_a, left), (lock_b, left))
        for (lx, ly), (ox, oy) in owners:
            body.append(f'<path d="M {lx + bw / 2} {ly} L {ox + bw / 2 + (0 if lx == ox else 30)} {oy + bh}" class="line" marker-end="url(#head)"/>')
        # "waits for": from a thread to the lock it asks for
        waits = ((left, lock_b), (right, lock_a)) if bad else ((right, lock_a),)
        for (tx, ty), (lx, ly) in waits:
            sx = tx + (bw - 10 if tx < lx else 10)
            ex = lx + (10 if tx < lx else bw - 10)
            body.append(f'<path d="M {sx} {ty + bh} L {ex} {ly}" style="{WAIT_STYLE}" marker-end="url(#head)"/>')
        body.append(text(x0 + 182, 278, t["bad_note"] if bad else t["good_note"], "small"))
        body.append(text(x0 + 182, 296, t["bad_note2"] if bad else t["good_note2"], "small"))
    body.append(f'<path d="M 390 50 L 390 {h - 60}" class="dash"/>')
    # Legend: what the two kinds of arrow mean.
    ly = h - 28
    body.append(f'<path d="M 150 {ly} L 190 {ly}" class="line" marker-end="url(#head)"/>')
    body.append(text(198, ly + 4, t["holds"], "small", "start"))
    body.append(f'<path d="M 430 {ly} L 470 {ly}" style="{WAIT_STYLE}" marker-end="url(#head)"/>')
    body.append(text(478, ly + 4, t["waits"], "small", "start"))
    return svg(w, h, t["title"], "\n".join(body))


PICTURES = {"states": states_svg, "pcb": pcb_svg, "address_space": space_svg, "fork_cow": cow_svg, "ipc_kinds": ipc_svg, "deadlock": deadlock_svg}
TABLES = {"states": STATES, "pcb": PCB, "address_space": SPACE, "fork_cow": COW, "ipc_kinds": IPC, "deadlock": DEADLOCK}


def main():
    for name, draw in PICTURES.items():
        for lang in ("en", "ko"):
            out = os.path.join(HERE, f"{name}.svg" if lang == "en" else f"{name}.ko.svg")
            with open(out, "w", encoding="utf-8") as f:
                f.write(draw(TABLES[name][lang]))
            print(out)


if __name__ == "__main__":
    main()
