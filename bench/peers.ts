// The peers ProcScope is measured against: one full snapshot each, taken from Node the way an extension
// or a script would take it. Each returns how many tasks it saw, so the tables can show what is missing.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileC } from './loadgen';
import { BENCH_DIR, parsePsEltf } from './lib';

export interface PeerResult {
  /** Rows that stand for a thread (LWP); 0 when the peer has no thread rows. */
  readonly threads: number;
  readonly processes: number;
  /** Time the snapshot took as measured inside the reader, when it reports it (the C floor). */
  readonly innerMs?: number;
}

export interface Peer {
  readonly name: string;
  /** What this peer cannot give, in a few words, for the report. */
  readonly lacks: string;
  snapshot(): Promise<PeerResult>;
}

function run(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 2 ** 20, encoding: 'utf8' }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

export const psEltf: Peer = {
  name: 'ps -eLF',
  lacks: 'no thread names (every LWP row repeats the command line); C is a lifetime average, not recent CPU%',
  async snapshot() {
    const rows = parsePsEltf(await run('ps', ['-eLF']));
    const pids = new Set<number>();
    for (const r of rows) pids.add(r.pid);
    return { threads: rows.length, processes: pids.size };
  },
};

// ps-list and pidtree are ES modules; the benchmarks run as CommonJS, so they are loaded with import().
type PsListFn = () => Promise<readonly { pid: number }[]>;
type PidtreeFn = (pid: number, options: { advanced: true }) => Promise<readonly { pid: number; ppid: number }[]>;
let psListFn: PsListFn | null = null;
let pidtreeFn: PidtreeFn | null = null;

export const psList: Peer = {
  name: 'ps-list',
  lacks: 'no threads, no state; name taken from the executable path, so a renamed process (prctl/comm) is lost',
  async snapshot() {
    psListFn ??= (await import('ps-list')).default as PsListFn;
    const list = await psListFn();
    return { threads: 0, processes: list.length };
  },
};

export const pidtree: Peer = {
  name: 'pidtree',
  lacks: 'pids and ppids only; no threads; pidtree(-1) of every process',
  async snapshot() {
    pidtreeFn ??= (await import('pidtree')).default as unknown as PidtreeFn;
    const list = await pidtreeFn(-1, { advanced: true });
    return { threads: 0, processes: list.length };
  },
};

let floorBinary: string | null | undefined;

/** Compiles bench/floor.c with cc -O2 (once); null when there is no C compiler. */
export function floorBinaryPath(): string | null {
  if (floorBinary && !existsSync(floorBinary)) floorBinary = undefined; // removed by cleanupLoadgen()
  if (floorBinary === undefined) floorBinary = compileC('floor', readFileSync(join(BENCH_DIR, 'floor.c'), 'utf8'));
  return floorBinary;
}

/** Parses the floor's one line of output: `processes tasks nanoseconds`. */
export function parseFloorOutput(text: string): PeerResult {
  const m = /^(\d+) (\d+) (\d+)\s*$/.exec(text);
  if (!m) throw new Error(`unexpected output from floor: ${JSON.stringify(text)}`);
  return { processes: Number(m[1]), threads: Number(m[2]), innerMs: Number(m[3]) / 1e6 };
}

export const cFloor: Peer = {
  name: 'C floor (bench/floor.c)',
  lacks: 'a reader, not a tool: stat + status + task/*/stat parsed in C, the same files ProcScope reads',
  async snapshot() {
    const bin = floorBinaryPath();
    if (!bin) throw new Error('no C compiler: the floor cannot be built');
    const r = spawnSync(bin, [], { encoding: 'utf8' });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`floor exited with ${r.status}: ${r.stderr}`);
    return parseFloorOutput(r.stdout);
  },
};

/** `procscope ps` as a user runs it: a new Node process, the bundled CLI, output in ps -eLF's columns. */
export function procscopeCli(bundledCli: string): Peer {
  return {
    name: 'procscope ps (CLI spawned: Node start-up included)',
    lacks: '',
    async snapshot() {
      const rows = parsePsEltf(await run(process.execPath, [bundledCli, 'ps']));
      const pids = new Set<number>();
      for (const r of rows) pids.add(r.pid);
      return { threads: rows.length, processes: pids.size };
    },
  };
}

export const PEERS: readonly Peer[] = [psEltf, psList, pidtree];
