"""Shared plumbing for ProcScope's labs: language, a bounded lifetime, pauses, and cleanup.

Every lab imports this module. It keeps the lab programs themselves short and readable:
  - say(key, **values) prints a line in the learner's language (Korean when PROCSCOPE_LANG=ko or LANG=ko_*),
  - lab.fork(fn, name) starts a child that dies with its parent (PR_SET_PDEATHSIG) and is killed at exit,
  - lab.tmpdir is a private directory removed at exit; lab.on_cleanup(fn) registers more cleanup,
  - the whole lab ends after --seconds (default 900) even if nobody presses Enter, and cleans up on
    SIGINT, SIGTERM and SIGHUP as well as on a normal exit.
When PROCSCOPE_LAB_EVENTS=1, lab.event(...) also prints one machine-readable line `@@event {json}` so tests
(and the ProcScope panel) can follow the phases; learners never see these lines.
"""
import atexit
import ctypes
import ctypes.util
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time

PR_SET_NAME = 15
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def language():
    """'ko' when the learner asked for Korean (PROCSCOPE_LANG wins over the locale variables), else 'en'."""
    explicit = os.environ.get("PROCSCOPE_LANG", "").strip().lower()
    if explicit:
        return "ko" if explicit.startswith("ko") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


LANG = language()


def emit(text):
    """Print one line with a single write(), so lines of processes sharing the terminal never interleave
    (print() may write the text and the newline separately)."""
    data = (text + "\n").encode()
    fd = sys.stdout.fileno()
    sys.stdout.flush()
    while data:
        data = data[os.write(fd, data):]


def set_name(name):
    """Set the calling thread's name (comm, at most 15 bytes): the name ProcScope and `ps` show.
    Called from the main thread it renames the process as the process list shows it."""
    _libc.prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


def die_with_parent():
    """Ask the kernel to SIGKILL this process when its parent dies, so no child outlives the lab."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def read_status(pid="self"):
    """A few fields of /proc/PID/status and smaps_rollup, in KiB, plus fault counts from stat."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "Threads"):
                    out[key] = int(rest.split()[0])
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Shared_Dirty"):
                    out[key] = int(rest.split()[0])
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
            out["minflt"] = int(fields[7])
            out["majflt"] = int(fields[9])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def mem_used_kib():
    """System memory in use (MemTotal - MemAvailable), KiB, the 'used' that `free` prints."""
    info = {}
    with open("/proc/meminfo") as f:
        for line in f:
            key, _, rest = line.partition(":")
            info[key] = int(rest.split()[0])
    return info["MemTotal"] - info["MemAvailable"]


def descendants(root):
    """Pids of every living descendant of `root`, read from /proc (children before grandchildren)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(0), []):
            out.append(child)
            queue.append(child)
    return out


def cache_dir():
    """The user's cache folder (XDG_CACHE_HOME, else ~/.cache)."""
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")


def sweep_stale():
    """Remove what an earlier lab left behind when it was killed with SIGKILL (no chance to clean up):
    its temporary directory and its /dev/shm object, both named after its pid, when that pid is gone."""
    import re

    # The lab's own folders (in TMPDIR; its unix socket's in /tmp when TMPDIR is long; its C helper's in the
    # user's cache when TMPDIR is noexec) are all named procscope-lab-KIND-PID-...
    folders = {tempfile.gettempdir(), "/tmp", cache_dir()}
    candidates = []
    for folder in folders:
        try:
            candidates += [(os.path.join(folder, name), r"procscope-lab-[a-z_]+-(\d+)-") for name in os.listdir(folder)]
        except OSError:
            continue
    if os.path.isdir("/dev/shm"):
        candidates += [(os.path.join("/dev/shm", name), r"procscope-lab-(\d+)$") for name in os.listdir("/dev/shm")]
    for path, pattern in candidates:
        match = re.match(pattern, os.path.basename(path))
        if not match or os.path.exists(f"/proc/{match.group(1)}"):
            continue
        try:
            if os.stat(path).st_uid != os.getuid():
                continue
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def exit_code(status):
    """What os.waitstatus_to_exitcode gives (the exit code, or -N for death by signal N), written out."""
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return status


class Lab:
    """One running lab: its strings, its lifetime, its children and the things it must remove."""

    def __init__(self, lab_id, strings, argv=None, extra_args=None):
        import argparse

        self.lab_id = lab_id
        self.strings = strings
        parser = argparse.ArgumentParser(prog=f"{lab_id}.py", description=strings["en"].get("description", ""))
        parser.add_argument("--seconds", type=float, default=900.0,
                            help="lifetime of the whole lab, pauses included; everything is cleaned up after it "
                                 "(default 900: every part runs even when each pause waits its full time)")
        parser.add_argument("--pause", type=float, default=None,
                            help="seconds to wait at each pause when Enter is not pressed "
                                 "(default: 60 in a terminal, 3 otherwise)")
        parser.add_argument("--part", default="all", help="run only one part of the lab")
        for args, kwargs in extra_args or []:
            parser.add_argument(*args, **kwargs)
        self.args = parser.parse_args(argv)
        self.pid = os.getpid()
        self.deadline = time.monotonic() + self.args.seconds
        self.children = []
        self.helper_unrunnable = False
        self._cleanups = []
        self._cleaned = False
        self._stdin_open = True
        if self.args.pause is None:
            self.args.pause = 60.0 if sys.stdin.isatty() else 3.0
        sweep_stale()
        self.tmpdir = tempfile.mkdtemp(prefix=f"procscope-lab-{lab_id}-{self.pid}-")
        atexit.register(self.cleanup)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        signal.signal(signal.SIGALRM, self._on_lifetime_over)
        signal.setitimer(signal.ITIMER_REAL, self.args.seconds)
        self.events = os.environ.get("PROCSCOPE_LAB_EVENTS") == "1"
        # Orphaned grandchildren (a helper's child whose parent died) are re-parented to the lab, not to init,
        # so the lab can reap them and leave no zombie behind.
        _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        set_name(lab_id[:15])

    # ---- text ----
    def t(self, key, **values):
        table = self.strings.get(LANG, {})
        text = table.get(key, self.strings["en"][key])
        return text.format(**values)

    def say(self, key, **values):
        emit(self.t(key, **values))

    def heading(self, key, **values):
        emit(f"\n=== {self.t(key, **values)} ===")

    def event(self, name, **values):
        if self.events:
            emit("@@event " + json.dumps({"lab": self.lab_id, "event": name, **values}))

    def wants(self, part):
        return self.args.part in ("all", part)

    # ---- time ----
    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def sleep(self, seconds):
        time.sleep(max(0.0, min(seconds, self.remaining())))

    def pause(self, name, watch=None):
        """Wait for Enter (or --pause seconds, or the end of the lifetime) so the learner can look at the panel.

        watch: called about every 0.2 s while waiting; the pause ends early when it returns False (what the
        learner was to do has happened)."""
        self.event("pause", phase=name)
        wait = min(self.args.pause, self.remaining())
        end = time.monotonic() + wait
        step = 0.2 if watch else None
        if self._stdin_open and not sys.stdin.closed:
            emit(self.t("press_enter", seconds=max(1, round(wait))))
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    break
                try:
                    ready, _, _ = select.select([sys.stdin], [], [], min(left, step) if step else left)
                except InterruptedError:
                    continue
                if ready:
                    line = sys.stdin.readline()
                    if line == "":
                        self._stdin_open = False  # EOF: from now on pauses just wait
                        self._wait(end, watch)
                    break
                if watch and not watch():
                    break
        else:
            self._wait(end, watch)
        self.event("resume", phase=name)

    def _wait(self, end, watch):
        """Sleep until `end` (monotonic), or until watch() returns False."""
        while time.monotonic() < end:
            if watch and not watch():
                return
            self.sleep(min(0.2, end - time.monotonic()) if watch else end - time.monotonic())

    # ---- processes ----
    def fork(self, fn, name, *fn_args):
        """Run fn(*fn_args) in a child named `name`; the child exits with fn's return value (0 if None)."""
        sys.stdout.flush()
        sys.stderr.flush()
        named_r, named_w = os.pipe()  # the parent returns only once the child carries its name
        pid = os.fork()
        if pid == 0:
            code = 0
            os.close(named_r)
            try:
                for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
                    signal.signal(sig, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.setitimer(signal.ITIMER_REAL, 0)
                die_with_parent()
                if os.getppid() != self.pid:
                    os._exit(1)  # the parent died before PDEATHSIG was set
                set_name(name)
                os.write(named_w, b"n")
                os.close(named_w)
                result = fn(*fn_args)
                code = result if isinstance(result, int) else 0
            except BaseException as error:  # any failure in a child ends only that child
                if not isinstance(error, (KeyboardInterrupt, SystemExit, BrokenPipeError)):
                    print(f"[{name} {os.getpid()}] {error!r}", file=sys.stderr, flush=True)
                code = 1
            finally:
                try:
                    sys.stdout.flush()
                except BrokenPipeError:
                    pass
                os._exit(code)
        os.close(named_w)
        os.read(named_r, 1)  # b"" if the child failed before naming itself
        os.close(named_r)
        self.children.append(pid)
        return pid

    def track(self, pid):
        """Remember a process started some other way (subprocess.Popen) so it is killed at exit."""
        self.children.append(pid)
        return pid

    def reap(self, pid, timeout=None):
        """Wait for one child (bounded by timeout and the lifetime); returns its exit status or None."""
        end = time.monotonic() + (self.remaining() if timeout is None else min(timeout, self.remaining()))
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return None
            if done:
                if pid in self.children:
                    self.children.remove(pid)
                return exit_code(status)
            if time.monotonic() >= end:
                return None
            time.sleep(0.02)

    def kill(self, pid):
        for sig in (signal.SIGCONT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        self.reap(pid, timeout=5)

    def build_c(self, source_name, flags=()):
        """Compile labs/c/SOURCE with the system's cc into the lab's private directory (`flags` such as -pthread
        are added to the command line). Returns the executable's path, or None when there is no compiler (the lab then explains what is missing)."""
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if not cc:
            return None
        import subprocess

        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "c", source_name)
        name = os.path.splitext(source_name)[0]
        out = self.path(name)
        result = subprocess.run([cc, "-O0", *flags, "-o", out, source], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr, flush=True)
            return None
        if os.access(out, os.X_OK):
            return out
        # The lab's folder is on a filesystem mounted noexec (hardened systems mount /tmp so): build the helper
        # in a folder of the user's cache instead, removed at exit like the rest.
        base = cache_dir()
        try:
            os.makedirs(base, exist_ok=True)
            other = tempfile.mkdtemp(prefix=f"procscope-lab-bin-{self.pid}-", dir=base)
        except OSError:
            other = None
        if other:
            self.on_cleanup(lambda: shutil.rmtree(other, ignore_errors=True))
            out = os.path.join(other, name)
            result = subprocess.run([cc, "-O0", *flags, "-o", out, source], capture_output=True, text=True)
            if result.returncode == 0 and os.access(out, os.X_OK):
                return out
        emit(self.t("cannot_exec", dir=os.path.dirname(self.tmpdir)))
        self.helper_unrunnable = True
        return None

    def say_no_helper(self, key):
        """Why the part that needs the C helper is not shown: `key` (no compiler), unless build_c already said
        that the helper was built but cannot run here."""
        if not self.helper_unrunnable:
            self.say(key)

    def on_cleanup(self, fn):
        self._cleanups.append(fn)

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    # ---- ending ----
    def _on_signal(self, signum, _frame):
        raise SystemExit(128 + signum)

    def _on_lifetime_over(self, _signum, _frame):
        emit("\n" + self.t("lifetime_over", seconds=int(self.args.seconds)))
        raise SystemExit(0)

    def cleanup(self):
        if self._cleaned or os.getpid() != self.pid:
            return
        self._cleaned = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # finish cleaning even if interrupted again
        # Deepest first (a helper's own children, a shell pipeline), then the lab's direct children; then reap
        # everything, including orphans re-parented to the lab (it is their subreaper).
        for pid in reversed(descendants(self.pid)):
            if pid not in self.children:
                for sig in (signal.SIGCONT, signal.SIGKILL):
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass
        for pid in list(self.children):
            self.kill(pid)
        end = time.monotonic() + 5
        while time.monotonic() < end:
            for pid in descendants(self.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                done, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break  # no children left at all
            if done == 0:
                time.sleep(0.02)
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception as error:  # report, then keep cleaning the rest
                print(f"cleanup: {error!r}", file=sys.stderr, flush=True)
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.event("cleaned")


COMMON = {
    "en": {
        "press_enter": "   (press Enter to continue; continuing by itself in {seconds} s)",
        "lifetime_over": "The lab's lifetime ({seconds} s) is over: stopping and cleaning up.",
        "done": "Done. Every process, file and IPC object this lab created has been removed.",
        "cannot_exec": "The lab's compiled helper cannot run from {dir} nor from your cache folder (mounted noexec?). "
                       "Run the lab with TMPDIR set to a folder where programs may run.",
    },
    "ko": {
        "press_enter": "   (계속하려면 Enter를 누르세요. {seconds}초 뒤에는 자동으로 계속합니다)",
        "lifetime_over": "실습 제한 시간({seconds}초)이 끝났습니다. 멈추고 정리합니다.",
        "done": "끝. 이 실습이 만든 프로세스, 파일, IPC 객체를 모두 지웠습니다.",
        "cannot_exec": "실습의 컴파일된 도우미를 {dir}에서도 캐시 폴더에서도 실행할 수 없습니다(noexec로 마운트됨?). "
                       "프로그램을 실행할 수 있는 폴더로 TMPDIR을 설정하고 실습을 실행하세요.",
    },
}


def strings(table):
    """Merge a lab's own strings with the common ones."""
    return {lang: {**COMMON[lang], **table.get(lang, {})} for lang in ("en", "ko")}
