"""Copy-on-write on demand, for the pagemap test: maps N private anonymous pages (its own mapping: no huge
pages), touches each, prints "ready START END PARENT", forks, prints "forked CHILD", then on each line from
stdin: "write" makes the child write the first half of the pages ("wrote"), anything else ends both."""
import ctypes
import mmap
import os
import signal
import sys

pages = int(sys.argv[1])
PAGE = mmap.PAGESIZE
region = mmap.mmap(-1, pages * PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
region.madvise(mmap.MADV_NOHUGEPAGE)  # 4 KiB pages, and a VMA flag that keeps it from merging with neighbours
for i in range(pages):
    region[i * PAGE] = 1
start = ctypes.addressof(ctypes.c_char.from_buffer(region))
go_r, go_w = os.pipe()
done_r, done_w = os.pipe()
child = os.fork()
if child == 0:
    import ctypes.util
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never outlive the parent
    os.close(go_w)
    os.close(done_r)
    while os.read(go_r, 1) == b"w":
        for i in range(pages // 2):
            region[i * PAGE] = 2
        os.write(done_w, b"w")
    os._exit(0)
os.close(go_r)
os.close(done_w)
print(f"ready {start:x} {start + pages * PAGE:x} {os.getpid()} {child}", flush=True)
for line in sys.stdin:
    if line.strip() != "write":
        break
    os.write(go_w, b"w")
    os.read(done_r, 1)
    print("wrote", flush=True)
os.close(go_w)
os.waitpid(child, 0)
