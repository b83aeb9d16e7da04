// A deadlock end to end, in a real VS Code (code-server) from the packaged .vsix: two `cat`s in the workspace
// folder, each reading what only the other writes (a FIFO one way, a pipe the other). The panel, while shown,
// finds the cycle at its IPC cadence and raises one warning; "Show" selects a process of the cycle, whose
// "Waiting for" section draws the cycle in red; the warning does not come back while the cycle stays.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { startVsCode, type VsCode } from './harness';

let vsc: VsCode | undefined;
let workspace = '';
let shell: ChildProcess | undefined;
let cats: number[] = [];
let frame: Frame;

async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** Blocked in read(2) (x86_64 0, arm64 63). */
function inRead(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ')[0] === (process.arch === 'arm64' ? '63' : '0');
  } catch {
    return false;
  }
}

before(
  async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-deadlock-ws-')));
    // cwd inside the workspace folder: both cats belong to "This workspace", the panel's default scope.
    shell = spawn('sh', ['-c', 'mkfifo p && cat p | cat > p'], { cwd: workspace, stdio: 'ignore', detached: true });
    cats = await eventually('the two cats blocked in read', () => {
      const out = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(shell!.pid)], { encoding: 'utf8' }).stdout;
      const pids = out
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[1] === 'cat')
        .map((f) => Number(f[0]))
        .sort((a, b) => a - b);
      return pids.length === 2 && pids.every(inRead) ? pids : undefined;
    });
    vsc = await startVsCode({ workspace, settings: { 'procscope.ipcRefreshInterval': 1000 } });
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('deadlock');
  if (shell?.pid) process.kill(-shell.pid, 'SIGKILL');
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('opening the panel raises one deadlock warning naming both cats', { timeout: 180_000 }, async () => {
  assert.ok(vsc);
  await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
  frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"]').count()) > 0, 60_000);
  const text = await vsc.notification(/Deadlock:/, 60_000);
  assert.match(text, new RegExp(`^Deadlock: ${cats[0]} cat → ${cats[1]} cat → ${cats[0]} cat\\. `), text);
});

test('"Show" selects a process of the cycle; its Waiting for section draws the cycle in red', { timeout: 90_000 }, async () => {
  assert.ok(vsc);
  const toast = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Deadlock:' }).first();
  await toast.getByRole('button', { name: 'Show' }).click();
  const selected = await eventually(
    'a cat row selected',
    async () => {
      const rows = frame.locator('.row[aria-selected="true"]:not([hidden]) .c-pid');
      if ((await rows.count()) !== 1) return undefined;
      const pid = Number((await rows.innerText()).trim());
      return cats.includes(pid) ? pid : undefined;
    },
    30_000,
  );
  const other = cats.find((p) => p !== selected)!;
  const line = frame.locator(`.waits-section .wait-line[data-tid="${selected}"]`);
  await line.waitFor({ timeout: 30_000 });
  assert.match(await line.innerText(), new RegExp(`^Thread ${selected} \\(cat\\) waits for .* ${other} \\(cat\\) can wake it\\.$`));
  assert.equal(await line.evaluate((e) => e.classList.contains('in-cycle')), true);
  assert.match(
    await frame.locator('.waits-section .wait-cycle').innerText(),
    new RegExp(
      `^Deadlock: (${cats[0]} \\(cat\\) → ${cats[1]} \\(cat\\) → ${cats[0]}|${cats[1]} \\(cat\\) → ${cats[0]} \\(cat\\) → ${cats[1]}) \\(cat\\)$`,
    ),
  );
});

test('the same cycle is not announced again while it stays', { timeout: 60_000 }, async () => {
  assert.ok(vsc);
  // Four IPC intervals (1 s each) with the panel shown: no new toast.
  await new Promise((r) => setTimeout(r, 4500));
  assert.deepEqual(
    (await vsc.notificationTexts()).filter((t) => t.includes('Deadlock:')),
    [],
  );
});

test(
  'the Waiting for column marks both cats as deadlocked, each waiting for the other; the Waits layer draws the cycle red',
  { timeout: 90_000 },
  async () => {
    assert.ok(vsc);
    for (const [pid, other] of [
      [cats[0]!, cats[1]!],
      [cats[1]!, cats[0]!],
    ]) {
      const cell = frame
        .locator('.row:not([hidden])', { has: frame.locator('.c-pid', { hasText: new RegExp(`^${pid}$`) }) })
        .first()
        .locator('.c-wait');
      await eventually(
        `the Waiting for cell of cat ${pid}`,
        async () => ((await cell.count()) > 0 && (await cell.innerText()).trim() === `⟲ pipe → ${other} cat` ? true : undefined),
        30_000,
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; cell: ${JSON.stringify(await cell.innerText().catch(() => null))}`);
      });
      assert.equal(await cell.evaluate((e) => e.classList.contains('deadlock')), true);
    }
    await frame.locator('vscode-tab-header').nth(2).click();
    await frame.locator('path.ipc-edge.kind-wait.deadlock').first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await frame.locator('path.ipc-edge.kind-wait.deadlock').count(), 2);
    assert.match(
      await frame.locator('.deadlock-banner.wait-cycle').first().innerText(),
      /Deadlock: cat \(\d+\) → cat \(\d+\) → cat \(\d+\)/,
    );
  },
);
