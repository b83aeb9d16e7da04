// The packaged extension in a real code-server, as the whole-cost benchmarks see it: the .vsix built when
// older than its inputs, the extension host and Chromium renderer processes of this run found in /proc, and
// the panel opened on a scope. Shared by panelcost (CPU against htop) and panelrss (memory over time).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, type VsCode } from '../test/e2e/harness';
import { progress } from './lib';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * VS Code settings that take VS Code's own periodic work out of the measured windows. code-server's extension
 * host looks for ports to forward by walking every process in /proc (each one's cmdline, cwd, status, fds,
 * plus `ls -l /proc/[0-9]*\/fd/[0-9]*` and `ps -F -A -l`) every few seconds: at 2000 processes about 6 % of a
 * core on the extension host's main thread, in bursts, with or without ProcScope. Its pause between scans
 * grows with how long a scan took, so a busier machine (the panel open) made it scan less often and the
 * windows differ by several points. code-server registers a tunnel provider, which keeps the finder on even
 * with autoForwardPorts off; only the port source "output" (read ports from terminal output) turns it off.
 */
export const QUIET_VSCODE_SETTINGS = { 'remote.autoForwardPorts': false, 'remote.autoForwardPortsSource': 'output' } as const;

export interface ProcInfo {
  readonly ppid: number;
  readonly ticks: number;
}

export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // ended while we looked
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) parents.set(Number(name), info.ppid);
  }
  return parents;
}

export function descendantsOf(root: number, parents: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length)
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  return out;
}

/** The extension host of this session: a `--type=extensionHost` process below the code-server that uses our user data dir. */
export function findExtensionHost(vsc: VsCode): number {
  const parents = parentMap();
  const roots = [...parents.keys()].filter((pid) => cmdline(pid).includes(vsc.userDataDir));
  for (const root of roots) {
    for (const pid of descendantsOf(root, parents)) if (cmdline(pid).includes('--type=extensionHost')) return pid;
  }
  throw new Error(`no extension host found below the code-server using ${vsc.userDataDir}`);
}

/** The extension host starts after the workbench is ready: waits for it (two minutes at most). */
export async function waitForExtensionHost(vsc: VsCode): Promise<number> {
  for (let waited = 0; ; waited += 500) {
    try {
      return findExtensionHost(vsc);
    } catch (error) {
      if (waited > 120_000) throw error;
      await sleep(500);
    }
  }
}

/**
 * Chromium's renderer processes (the workbench and out-of-process frames such as the webview): playwright starts
 * the browser as a child of this process, so only our Chromium's are counted, not those of other sessions.
 */
export function findRenderers(): number[] {
  return descendantsOf(process.pid, parentMap()).filter((pid) => cmdline(pid).includes('--type=renderer'));
}

export async function openPanel(vsc: VsCode, scope: 'all' | 'workspace'): Promise<Frame> {
  await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
  const frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"]').count()) > 0, 60_000);
  await frame.locator(`[data-scope="${scope}"]`).click();
  const deadline = Date.now() + 20_000;
  while ((await frame.locator(`[data-scope="${scope}"]`).getAttribute('aria-checked')) !== 'true') {
    if (Date.now() > deadline) throw new Error(`the panel did not switch to the ${scope} scope`);
    await sleep(200);
  }
  return frame;
}

/** The packaged extension as a user installs it: `npm run package` when procscope.vsix is older than its inputs. */
export function packageVsix(): string {
  const vsix = join(repoRoot, 'procscope.vsix');
  const inputs = ['src', 'webview', 'media', 'l10n', 'package.json', 'package.nls.json', 'package.nls.ko.json'];
  const newest = (p: string): number => {
    if (!existsSync(p)) return 0;
    const st = statSync(p);
    return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((e) => newest(join(p, e)))) : st.mtimeMs;
  };
  if (!existsSync(vsix) || statSync(vsix).mtimeMs < Math.max(...inputs.map((p) => newest(join(repoRoot, p))))) {
    progress('panelcost: npm run package');
    const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
  }
  return vsix;
}
