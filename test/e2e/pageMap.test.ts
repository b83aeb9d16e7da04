// The page map end to end, in a real VS Code (code-server) from the packaged .vsix: a real parent and child
// share 64 pages after fork (test/integration/programs/cow_pages.py, started in the workspace folder); the
// user selects the child, opens the page map of the buffer's band in the address-space drawing, and sees
// every page shared; once the child writes half of them, the map (read again every second through the
// host's validated `pageMap` request and the worker) shows 32 exclusive pages.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { repoRoot, startVsCode, type VsCode } from './harness';

const PAGES = 64;
let vsc: VsCode | undefined;
let workspace = '';
let cow: ChildProcess | undefined;
let lines: string[] = [];

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

before(
  async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-pagemap-ws-')));
    cow = spawn('python3', [join(repoRoot, 'test', 'integration', 'programs', 'cow_pages.py'), String(PAGES)], {
      cwd: workspace,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buf = '';
    cow.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    await eventually('the program to fork', () => lines.some((l) => l.startsWith('ready ')), 15_000);
    vsc = await startVsCode({ workspace });
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('pagemap');
  if (cow && cow.exitCode === null && cow.signalCode === null) cow.kill('SIGKILL');
  lines = [];
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('the page map of a forked buffer shows shared pages, then the pages the child wrote as exclusive', { timeout: 240_000 }, async () => {
  assert.ok(vsc && cow);
  const [, start, , , childText] = lines.find((l) => l.startsWith('ready '))!.split(' ') as [string, string, string, string, string];
  const child = Number(childText);
  await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
  const frame: Frame = await vsc.webviewFrame(async (f) => (await f.locator('[role="treegrid"]').count()) > 0, 60_000);
  await frame.locator('#filter input').fill(`pid:${child}`);
  const row = frame
    .locator('.row:not(.thread-row):not([hidden])')
    .filter({ has: frame.locator('.c-pid', { hasText: new RegExp(`^\\s*${child}\\s*$`) }) });
  await row.first().waitFor({ timeout: 30_000 });
  await row.first().click();
  const band = frame.locator(`.as-band[data-start="${start}"]`);
  await band.waitFor({ timeout: 30_000 });
  assert.equal(await band.getAttribute('data-kind'), 'anonymous');
  assert.equal(await band.locator('.as-size').textContent(), '256 KiB');
  await band.locator('.as-pagemap-open').click();
  const shared = frame.locator('.pm-shared-count');
  await eventually(
    'every page shared after fork',
    async () => (await shared.count()) === 1 && (await shared.textContent()) === `shared: ${PAGES}`,
  );
  assert.equal(await frame.locator('.pm-exclusive-count').textContent(), 'exclusive (own copy): 0');
  assert.equal(await frame.locator('.pm-grid .pm-shared').count(), PAGES);

  cow.stdin!.write('write\n');
  await eventually('the child to write', () => lines.includes('wrote'), 15_000);
  await eventually(
    'the written half exclusive in the map',
    async () => (await frame.locator('.pm-exclusive-count').textContent()) === `exclusive (own copy): ${PAGES / 2}`,
  );
  assert.equal(await frame.locator('.pm-shared-count').textContent(), `shared: ${PAGES / 2}`);
  assert.equal(await frame.locator('.pm-grid .pm-exclusive').count(), PAGES / 2);
  await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-pagemap.png'));
});
