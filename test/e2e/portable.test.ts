// The portable backend (what macOS and Windows run: ps-list and pidtree, no /proc) in a real VS Code, from the
// packaged .vsix. PROCSCOPE_TEST_BACKEND=portable (a test hook) makes the extension host use it on Linux:
// - the panel fills, says it is the portable backend, and shows no error;
// - a process's row shows dashes, not zeros, where ps gives nothing (memory, CPU time, threads);
// - its Details say the rest of the PCB needs Linux, and the host is asked for nothing it cannot read;
// - the IPC view says why it is empty; the menu offers copying as JSON only;
// - a request the page should not send (a PCB read) is refused by the host with why.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { askHost, CAPTURE_API, procscopeLog, repoRoot, startVsCode, type VsCode } from './harness';

let vsc: VsCode | undefined;
let workspace = '';
let frame: Frame;
let child: ChildProcess;

interface Captured {
  readonly type: string;
  readonly requestId?: number;
  readonly ok?: boolean;
  readonly error?: string;
  readonly request?: { readonly kind: string };
}

function rowOf(pid: number): Locator {
  return frame.locator('.row:not(.thread-row):not([hidden])').filter({ has: frame.locator('.c-pid', { hasText: new RegExp(`^${pid}$`) }) });
}

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'procscope-e2e-portable-'));
    child = spawn('python3', ['-c', 'import time\ntime.sleep(300)'], { cwd: workspace, stdio: 'ignore' });
    vsc = await startVsCode({ workspace, env: { PROCSCOPE_TEST_BACKEND: 'portable' } });
    await vsc.page.context().addInitScript(CAPTURE_API);
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('portable');
  child?.kill('SIGKILL');
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test(
  'the portable backend in VS Code: dashes for what ps cannot give, no PCB asked for, copying as JSON only',
  { timeout: 180_000 },
  async () => {
    assert.ok(vsc);
    await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
    frame = await vsc.webviewFrame(async (f) => (await f.locator('body[data-procscope]').count()) > 0, 120_000);
    await frame.locator('.banner .notice', { hasText: "showing the portable backend's fields" }).waitFor({ timeout: 60_000 });
    await frame.locator('[data-scope="all"]').click();
    await frame.locator('#filter input').fill(`pid:${child.pid}`);
    const row = rowOf(child.pid!);
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.locator('.c-name .name-text').textContent()) ?? '', /^python/);
    for (const cell of ['.c-rss', '.c-time', '.c-threads']) assert.equal(await row.locator(cell).textContent(), '–', cell);

    await row.click();
    const note = frame.locator('.detail-pane .portable-detail');
    await note.waitFor({ timeout: 15_000 });
    assert.match((await note.textContent()) ?? '', /needs Linux/);
    // Longer than the pane's re-read interval: still no PCB, waits or page-map request.
    await new Promise((r) => setTimeout(r, 6000));
    const posted = await frame.evaluate(() => (globalThis as unknown as { __procscopePosted?: Captured[] }).__procscopePosted ?? []);
    const kinds = posted.filter((m) => m.type === 'request').map((m) => m.request?.kind);
    assert.ok(
      posted.some((m) => m.type === 'ready'),
      `the page's messages were watched: ${posted.map((m) => m.type).join(', ')}`,
    );
    assert.deepEqual(
      kinds.filter((k) => k === 'detail' || k === 'waits' || k === 'pageMap'),
      [],
      `requests: ${kinds.join(', ')}`,
    );
    assert.equal(await frame.locator('.banner .notice.error').count(), 0, 'no error banner');

    await frame.locator('vscode-tab-header', { hasText: 'IPC' }).click();
    await frame.locator('.ipc-status', { hasText: 'No IPC map here' }).waitFor({ timeout: 10_000 });
    await frame.locator('vscode-tab-header', { hasText: 'Details' }).click();

    await row.click({ button: 'right' });
    const menu = frame.locator('vscode-context-menu');
    await menu.getByText('Signals and other actions need Linux /proc').waitFor({ timeout: 10_000 });
    assert.equal(await menu.getByText('Copy as ps -eLF line').count(), 0);
    // Copying as JSON works there: the host finds the pid in the snapshot, as there is no /proc to look in.
    await menu.getByText('Copy as JSON').click();
    const copied = await frame.evaluate(async () => {
      const g = globalThis as unknown as { __procscopeMessages: { type: string; ok?: boolean; result?: { text?: string } }[] };
      for (let i = 0; i < 100; i++) {
        const m = g.__procscopeMessages.find((x) => x.type === 'response' && typeof x.result?.text === 'string');
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    });
    assert.equal(copied?.ok, true, JSON.stringify(copied));
    assert.equal((JSON.parse(copied!.result!.text!) as { pid: number }).pid, child.pid);

    // A page that asks anyway (a crafted or older page) is told why, not given another process's PCB.
    const key = (await frame.locator('.row.selected').first().getAttribute('data-key')) ?? `${child.pid}@1`;
    const reply = await askHost(frame, 990_002, { kind: 'detail', pid: child.pid!, key });
    assert.equal(reply?.ok, false);
    assert.match(reply?.error ?? '', /needs Linux \/proc: the portable backend gives only the fields in the table/);
    assert.doesNotMatch(procscopeLog(vsc), /poll failed|Unexpected error/);
    await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-portable.png'));
  },
);
