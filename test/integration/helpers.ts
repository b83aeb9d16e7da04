// Real processes for integration tests: started here, found through /proc, killed by pid afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const PROGRAMS = join(__dirname, 'programs');

const compiledDirs: string[] = [];
// Removed when the test process exits (each test file runs in its own process), not after each test: a
// program compiled once may still be running in a later test. Linux runs a binary whose file is gone.
process.once('exit', () => {
  for (const dir of compiledDirs) rmSync(dir, { recursive: true, force: true });
});

/** Compiles a C test program once per test run; returns the binary path (its folder goes at process exit). */
export function compileC(source: string, extraArgs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-cc-'));
  compiledDirs.push(dir);
  const out = join(dir, source.replace(/\.c$/, ''));
  const r = spawnSync('cc', ['-O1', '-pthread', '-o', out, join(PROGRAMS, source), ...extraArgs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc ${source} failed: ${r.stderr || r.error}`);
  return out;
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** First line the program printed (its "ready" line). */
  readonly firstLine: string;
  kill(): Promise<void>;
}

/** Starts a program and waits for its first line of output; kill() ends it and waits until /proc has no trace of it. */
export async function startProgram(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Started> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env }, cwd: options.cwd });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${command} printed nothing within 10 s`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready`));
    });
  });
  return {
    child,
    pid,
    firstLine,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The real python3 binary (not a version-manager shim), so argv[0] and exe are what a test expects. */
export const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

/** A python3 one-liner run as a real process; prints "ready" when set up. */
export function python(code: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Started> {
  return startProgram(PYTHON, ['-c', code], options);
}

/** Which /proc/<pid>/... files this process holds open right now (from /proc/self/fd). */
export function openProcFilesOf(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`/proc/${pid}/`)) out.push(target);
    } catch {
      // the fd used to list the directory itself is gone by now
    }
  }
  return out;
}

/**
 * A real process with a second thread (and, with `pipe`, an open pipe): its thread id names no process. Returns
 * the process and the second thread's id.
 */
export async function startTwoThreads(pipe = false): Promise<{ process: Started; tid: number }> {
  const p = await python(
    [
      'import os, threading, time',
      ...(pipe ? ['r, w = os.pipe()'] : []),
      'ev = threading.Event()',
      'threading.Thread(target=ev.wait, daemon=True).start()',
      "print('ready', flush=True)",
      'time.sleep(120)',
    ].join('\n'),
  );
  const tid = await waitFor('the second thread', () =>
    readdirSync(`/proc/${p.pid}/task`)
      .map(Number)
      .find((n) => n !== p.pid),
  );
  return { process: p, tid };
}

/**
 * A procfs of its own mounted with `hidepid=<option>` at a new directory (each procfs mount has its own
 * options since Linux 5.8; the host's /proc is never touched), unmounted and removed after the test.
 */
export function mountHidepid(t: { after(fn: () => void): void }, option: '1' | '2'): string {
  const mnt = mkdtempSync(join(tmpdir(), 'procscope-hidepid-'));
  const m = spawnSync('mount', ['-t', 'proc', '-o', `hidepid=${option}`, 'proc', mnt], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`mount: ${m.stderr}`);
  // Never a recursive removal here: while mounted, the directory is a whole /proc.
  t.after(() => {
    spawnSync('umount', [mnt]);
    rmdirSync(mnt);
  });
  return mnt;
}
