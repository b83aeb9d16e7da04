// Helpers for the IPC integration tests: compile the scenario program, start scenarios in their own process
// group, read the facts they print, and kill them afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, Endpoint } from '../../src/core/ipc/model';

const SOURCE = join(__dirname, 'programs', 'ipc', 'ipcdemo.c');

export interface Compiled {
  readonly binary: string;
  readonly dir: string;
}

export function compileDemo(): Compiled {
  const dir = mkdtempSync(join(tmpdir(), 'procscope-ipc-'));
  const binary = join(dir, 'ipcdemo');
  const cc = spawnSync('cc', ['-O1', '-o', binary, SOURCE, '-lrt'], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
  return { binary, dir };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Demo {
  readonly child: ChildProcess;
  readonly facts: Record<string, number | boolean>;
  /** Resolves with the merged facts once every key in `keys` has been printed. */
  waitFor(keys: readonly string[], timeoutMs?: number): Promise<Record<string, number | boolean>>;
  kill(): void;
}

/** Starts `command args` in a new process group; `keys` are the facts to wait for before resolving. */
export async function startDemo(command: string, args: readonly string[], keys: readonly string[]): Promise<Demo> {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const facts: Record<string, number | boolean> = {};
  let buffered = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{')) Object.assign(facts, JSON.parse(line));
    }
    for (const l of listeners) l();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const demo: Demo = {
    child,
    facts,
    waitFor(wanted, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (wanted.every((k) => k in facts)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(facts);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `${command} ${args.join(' ')}: no ${wanted.filter((k) => !(k in facts)).join(', ')} after ${timeoutMs} ms; stderr: ${stderr}`,
            ),
          );
        }, timeoutMs);
        child.once('exit', (code) => {
          if (!wanted.every((k) => k in facts)) reject(new Error(`${command} exited ${code}: ${stderr}`));
        });
        listeners.add(check);
        check();
      });
    },
    kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
  await demo.waitFor(keys);
  return demo;
}

/** The endpoints of a channel that belong to `pids`, as [pid, fd, role] sorted: what a test compares. */
export function endpointsOf(channel: Channel | undefined, pids: readonly number[]): [number, number | null, string][] {
  if (!channel) return [];
  return channel.endpoints
    .filter((e: Endpoint) => pids.includes(e.pid))
    .map((e): [number, number | null, string] => [e.pid, e.fd, e.role])
    .sort((a, b) => a[0] - b[0] || (a[1] ?? -1) - (b[1] ?? -1) || a[2].localeCompare(b[2]));
}

/** Children of a process, from /proc/PID/task/PID/children. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function commOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

export async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
