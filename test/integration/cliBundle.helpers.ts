// The CLI as users get it: dist/cli.js, built from the current sources once per test file.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

let built = false;

/** Builds dist/ from the sources (scripts/test.mjs also builds first; a single file run must not test a stale bundle). */
export function buildBundle(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  built = true;
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs dist/cli.js with a clean English locale unless the test sets its own. */
export function bundle(args: readonly string[], options: { env?: NodeJS.ProcessEnv } & Omit<SpawnSyncOptions, 'env'> = {}): CliResult {
  const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', PROCSCOPE_LANG: '', ...options.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 256 << 20, ...options, env, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
