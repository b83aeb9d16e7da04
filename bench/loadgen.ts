// Load generator for the benchmarks: N processes x M threads (M counts the main thread) that only sleep.
//
// One launcher process forks the N children (fork without exec: fast, and the children share the
// launcher's pages copy-on-write, so 2000 of them cost little memory). Every process has a bounded life:
// - each child: prctl(PR_SET_PDEATHSIG, SIGKILL) bound to the launcher, plus alarm(lifetime);
// - the launcher: PR_SET_PDEATHSIG (SIGTERM) bound to this Node process, plus alarm(lifetime + 5 s);
//   on SIGTERM it kills its children by pid and reaps them before it exits, so no zombies are left to
//   a pid 1 that may reap late.
// stop() sends SIGTERM to the launcher, waits until every pid is gone from /proc, and falls back to
// SIGKILL of the launcher's process group if that takes too long.
// Written here rather than taken from a library: no npm package starts thousands of bounded-lifetime
// threaded sleepers; the C program is 60 lines.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  readonly processes: number;
  /** Threads per process, the main thread included (so 4 means 4 tasks per process). */
  readonly threadsPerProcess: number;
  /** Each process exits by itself after this long, whatever happens to the parent. */
  readonly lifetimeMs: number;
  /** How long to wait for all tasks to show in /proc (default 60 s). */
  readonly readyTimeoutMs?: number;
}

export interface Load {
  /** The loaded processes (not the launcher). */
  readonly pids: readonly number[];
  readonly launcherPid: number;
  readonly implementation: 'c' | 'python';
  stop(): Promise<void>;
}

const C_SOURCE = String.raw`
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>

static pid_t *kids;
static int nkids;
static volatile sig_atomic_t stopping;

static void *sleeper(void *arg) { (void)arg; for (;;) pause(); return NULL; }
static void on_term(int sig) { (void)sig; stopping = 1; }

static void out(const char *s) { size_t n = strlen(s); while (n) { ssize_t w = write(1, s, n); if (w <= 0) return; s += w; n -= (size_t)w; } }

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: psload PROCESSES THREADS LIFETIME_MS\n"); return 2; }
  int n = atoi(argv[1]), m = atoi(argv[2]);
  long lifetime_ms = atol(argv[3]);
  unsigned secs = (unsigned)((lifetime_ms + 999) / 1000);
  pid_t node = getppid();
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = on_term; sigaction(SIGTERM, &sa, NULL);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != node) return 1;
  alarm(secs + 5);
  kids = calloc((size_t)n, sizeof *kids);
  pid_t self = getpid();
  char line[32];
  for (int i = 0; i < n && !stopping; i++) {
    pid_t c = fork();
    if (c < 0) { perror("fork"); stopping = 1; break; }
    if (c == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != self) _exit(1);
      signal(SIGTERM, SIG_DFL);
      close(1);
      alarm(secs);
      pthread_attr_t attr; pthread_attr_init(&attr); pthread_attr_setstacksize(&attr, 65536);
      for (int t = 1; t < m; t++) { pthread_t th; if (pthread_create(&th, &attr, sleeper, NULL) != 0) _exit(3); }
      for (;;) pause();
    }
    kids[nkids++] = c;
    snprintf(line, sizeof line, "%d\n", (int)c);
    out(line);
  }
  out("ready\n");
  while (!stopping) {
    pid_t w = waitpid(-1, NULL, 0);
    if (w < 0 && errno == ECHILD) return 0;
  }
  for (int i = 0; i < nkids; i++) kill(kids[i], SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
  return 0;
}
`;

// Fallback when there is no C compiler: the same shape with Python threads (slower to start, more memory).
const PY_SOURCE = String.raw`
import ctypes, os, signal, sys, threading
n, m, lifetime_ms = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
secs = (lifetime_ms + 999) // 1000
node = os.getppid()
class Stop(Exception): pass
def on_term(sig, frame): raise Stop()
signal.signal(signal.SIGTERM, on_term)
libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
if os.getppid() != node: sys.exit(1)
signal.alarm(secs + 5)
me = os.getpid()
kids = []
try:
    for i in range(n):
        c = os.fork()
        if c == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
            if os.getppid() != me: os._exit(1)
            os.close(1)
            signal.alarm(secs)
            threading.stack_size(65536 * 4)
            for t in range(1, m):
                threading.Thread(target=lambda: threading.Event().wait(), daemon=True).start()
            while True: signal.pause()
        kids.append(c)
        os.write(1, b"%d\n" % c)
    os.write(1, b"ready\n")
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            sys.exit(0)
except Stop:
    pass
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for c in kids:
    try: os.kill(c, signal.SIGKILL)
    except ProcessLookupError: pass
while True:
    try: os.waitpid(-1, 0)
    except ChildProcessError: break
`;

let compiled: { binary: string } | null = null;
const compiledDirs: string[] = [];

/** Compiles a C source with `cc -O2` into a new temp dir (removed by cleanupLoadgen()); null when there is no working cc. */
export function compileC(name: string, source: string, extraArgs: readonly string[] = []): string | null {
  const dir = mkdtempSync(join(tmpdir(), `procscope-bench-${name}-`));
  const src = join(dir, `${name}.c`);
  const bin = join(dir, name);
  compiledDirs.push(dir);
  writeFileSync(src, source);
  const r = spawnSync('cc', ['-O2', '-Wall', '-o', bin, src, ...extraArgs], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    process.stderr.write(`cc failed for ${name}: ${r.error?.message ?? r.stderr}\n`);
    return null;
  }
  return bin;
}

/**
 * Bundles a TypeScript entry with esbuild into a temp dir (node, cjs), as scripts/build.mjs does for dist/,
 * without touching the shared dist/. Removed by cleanupLoadgen().
 */
export function bundleTs(name: string, entry: string): string {
  const dir = mkdtempSync(join(tmpdir(), `procscope-bench-${name}-`));
  compiledDirs.push(dir);
  const outfile = join(dir, `${name}.js`);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}

function launcherCommand(): { cmd: string; args: string[]; implementation: 'c' | 'python' } {
  // PROCSCOPE_BENCH_LOADGEN=python forces the fallback (to test it on a machine that has cc).
  if (!compiled && process.env.PROCSCOPE_BENCH_LOADGEN !== 'python') {
    const bin = compileC('psload', C_SOURCE, ['-pthread']);
    if (bin) compiled = { binary: bin };
  }
  if (compiled) return { cmd: compiled.binary, args: [], implementation: 'c' };
  const dir = mkdtempSync(join(tmpdir(), 'procscope-bench-psload-py-'));
  compiledDirs.push(dir);
  const script = join(dir, 'psload.py');
  writeFileSync(script, PY_SOURCE);
  return { cmd: 'python3', args: [script], implementation: 'python' };
}

/**
 * Fails early, with the limit's name, when the kernel would refuse that many more tasks: pid_max and
 * threads-max count every task on the machine; RLIMIT_NPROC (ulimit -u) counts this user's tasks
 * (root is exempt from it).
 */
function checkRoom(more: number): void {
  const num = (path: string): number => {
    try {
      return Number(readFileSync(path, 'utf8').trim());
    } catch {
      return Infinity;
    }
  };
  const { tasks } = countTasks();
  const limits: [string, number][] = [
    ['/proc/sys/kernel/pid_max', num('/proc/sys/kernel/pid_max')],
    ['/proc/sys/kernel/threads-max', num('/proc/sys/kernel/threads-max')],
  ];
  if (process.getuid?.() !== 0) {
    const m = /^Max processes\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m?.[1] && m[1] !== 'unlimited') limits.push(['ulimit -u (Max processes)', Number(m[1])]);
  }
  for (const [name, limit] of limits) {
    // Keep a tenth of the limit free for everyone else on the machine.
    if (tasks + more > limit * 0.9)
      throw new Error(`${more} more tasks would bring ${tasks} to over 90% of ${name} = ${limit}; use a smaller load`);
  }
}

/** Number of threads /proc reports for a pid (field 20 of stat), or null if the pid is gone. */
function procThreads(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    if (state === 'Z' || state === 'X') return null;
    return Number(rest[17]);
  } catch {
    return null;
  }
}

/**
 * Ends a load program: SIGTERM to its launcher, then, if it or any of `pids` is still there after `graceMs`,
 * SIGKILL to its whole process group. True when it ended by itself.
 */
export async function stopGroup(launcherPid: number, pids: readonly number[], hasExited: () => boolean, graceMs: number): Promise<boolean> {
  const alive = (): boolean => !hasExited() || pids.some((p) => existsSync(`/proc/${p}`));
  if (!hasExited()) {
    try {
      process.kill(launcherPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive()) await sleep(50);
  if (!alive()) return true;
  try {
    process.kill(-launcherPid, 'SIGKILL');
  } catch {
    /* group gone */
  }
  return false;
}

export async function startLoad(options: LoadOptions): Promise<Load> {
  const { processes, threadsPerProcess, lifetimeMs } = options;
  if (!(Number.isInteger(processes) && processes >= 0)) throw new RangeError(`processes must be a non-negative integer, got ${processes}`);
  if (!(Number.isInteger(threadsPerProcess) && threadsPerProcess >= 1))
    throw new RangeError(`threadsPerProcess must be >= 1, got ${threadsPerProcess}`);
  if (!(lifetimeMs > 0)) throw new RangeError(`lifetimeMs must be > 0, got ${lifetimeMs}`);
  checkRoom(processes * threadsPerProcess + 1);
  const { cmd, args, implementation } = launcherCommand();
  const child: ChildProcess = spawn(cmd, [...args, String(processes), String(threadsPerProcess), String(Math.ceil(lifetimeMs))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group, so the fallback kill reaches the launcher and the children only
  });
  const launcherPid = child.pid;
  if (launcherPid === undefined) throw new Error(`could not start the load generator (${cmd})`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedFlag = false;
  void exited.then(() => {
    exitedFlag = true;
  });

  const pids: number[] = [];
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready') {
          child.stdout?.off('data', onData);
          resolve();
          return;
        }
        pids.push(Number(line));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`load generator exited early (code ${code}, signal ${signal})`)));
  });
  child.stdout?.resume();

  const stop = async (): Promise<void> => {
    if (!(await stopGroup(launcherPid, pids, () => exitedFlag, 20_000))) await Promise.race([exited, sleep(5000)]);
  };

  if (pids.length !== processes) {
    await stop();
    throw new Error(`load generator started ${pids.length} of ${processes} processes (see stderr; check ulimit -u and pid_max)`);
  }
  // Wait until /proc shows every thread of every process.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let pending = pids.slice();
  while (pending.length > 0) {
    pending = pending.filter((p) => procThreads(p) !== threadsPerProcess);
    if (pending.length === 0) break;
    if (Date.now() > deadline || exitedFlag) {
      await stop();
      throw new Error(`${pending.length} of ${processes} load processes did not reach ${threadsPerProcess} threads`);
    }
    await sleep(20);
  }
  return { pids, launcherPid, implementation, stop };
}

/** Removes the programs compiled by compileC (the load generator, the floor): call once at the end of a run. */
export function cleanupLoadgen(): void {
  for (const dir of compiledDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  compiled = null;
}

/** Task count (processes and threads) currently in /proc, for reports. */
export function countTasks(procRoot = '/proc'): { processes: number; tasks: number } {
  let processes = 0;
  let tasks = 0;
  for (const name of readdirSync(procRoot)) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      tasks += readdirSync(`${procRoot}/${name}/task`).length;
      processes++;
    } catch {
      // vanished between the two reads
    }
  }
  return { processes, tasks };
}
