// Opening a recording end to end, in a real VS Code (code-server) from the packaged .vsix: the bundled CLI
// records a few seconds of the real /proc while this test starts a child and kills it; "ProcScope: Open
// Recording…" (from the Command Palette, the file picked in VS Code's own file dialog) opens it in a panel of
// its own; the Timeline has the child's lane, and the scrubber shows the tree with the child while it lived
// and without it before its birth.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { loadRecordingFile } from '../../src/core/record/reader';
import { lifetimes } from '../../src/core/record/timeline';
import { packageExtension, repoRoot, startVsCode, type VsCode } from './harness';

const CHILD_NAME = 'psc-rec-child';
let vsc: VsCode | undefined;
let workspace = '';
let child: ChildProcess | undefined;

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await wait(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/**
 * "ProcScope: Open Recording…", the file typed into VS Code's own file dialog (code-server has no native one).
 * The dialog completes what is typed from its listing of the folder, which it may still be loading on a busy
 * machine: the path is typed again until the box holds exactly it, and the dialog must close on Enter.
 */
async function openRecordingFile(vsc: VsCode, file: string): Promise<void> {
  await vsc.runCommand('ProcScope: Open Recording…', 60_000);
  const widget = vsc.page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor({ timeout: 30_000 });
  for (let attempt = 0; ; attempt++) {
    await input.fill(file);
    await wait(700);
    const value = await input.inputValue();
    if (value === file) break;
    if (attempt === 5) throw new Error(`the file dialog keeps changing the typed path into ${JSON.stringify(value)}`);
  }
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 30_000 }).catch(async (error: unknown) => {
    throw new Error(`the file dialog did not close on Enter: ${String(error)}; it shows ${JSON.stringify(await input.inputValue())}`);
  });
}

before(
  async () => {
    // The bundled CLI comes from the same build as the .vsix.
    const vsix = packageExtension();
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'procscope-recording-ws-')));
    const file = join(workspace, 'psc-e2e.ndjson.gz');
    const recorder = spawn(
      process.execPath,
      [join(repoRoot, 'dist', 'cli.js'), 'record', '--seconds', '3', '--interval', '250', '-o', file],
      {
        stdio: 'ignore',
      },
    );
    const recorded = new Promise<number | null>((resolve) => recorder.once('exit', resolve));
    await wait(900);
    child = spawn('python3', ['-c', `import time\nopen('/proc/self/comm','w').write('${CHILD_NAME}')\ntime.sleep(60)`], {
      stdio: 'ignore',
    });
    await wait(1200);
    child.kill('SIGKILL');
    assert.equal(await recorded, 0, 'procscope record ends cleanly');
    process.env.PROCSCOPE_E2E_VSIX = vsix;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vsc?.closeSuite('recording');
  child?.kill('SIGKILL');
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test(
  'a recording opens in its own panel; its timeline has the child, and rewinding before its birth removes it from the tree',
  { timeout: 300_000 },
  async () => {
    const file = join(workspace, 'psc-e2e.ndjson.gz');
    // What the file holds, read with the same reader: the child's life and the ticks around its birth.
    const recording = await loadRecordingFile(file);
    const life = [...lifetimes(recording).values()].find((l) => l.pid === child!.pid);
    assert.ok(life && life.bornAt !== undefined && life.bornAt > 0, `the recording saw the child born: ${JSON.stringify(life)}`);
    const lastAlive = (life.exitedAt ?? recording.ticks.length) - 1;

    vsc = await startVsCode({ workspace, vsixPath: process.env.PROCSCOPE_E2E_VSIX! });
    await openRecordingFile(vsc, file);

    const frame: Frame = await vsc.webviewFrame(async (f) => (await f.locator('.recording-notice').count()) > 0, 60_000);
    assert.match((await frame.locator('.recording-notice').innerText()).trim(), /^Recording: psc-e2e\.ndjson\.gz — /);
    await vsc.page.locator('.tab', { hasText: 'Recording: psc-e2e.ndjson.gz' }).first().waitFor({ timeout: 10_000 });

    await frame.locator('vscode-tab-header', { hasText: 'Timeline' }).click();
    const lane = frame.locator(`.timeline-lane[data-key="${life.key}"]`);
    await lane.waitFor({ timeout: 30_000 });
    assert.match((await lane.locator('title').first().textContent()) ?? '', new RegExp(`${CHILD_NAME} \\(${life.pid}\\)`));

    // Only the child's row matters among the machine's thousands: the filter brings it into view when present.
    await frame.locator('#filter input').fill(`pid:${life.pid}`);
    const childRow = frame.locator(`.row:not(.thread-row):not([hidden]):not(.is-exited)[data-row-id="p${life.key}"]`);
    const scrubTo = (tick: number) =>
      frame.locator('.timeline-scrub').evaluate((e: HTMLInputElement, t: number) => {
        e.value = String(t);
        e.dispatchEvent(new Event('input', { bubbles: true }));
      }, tick);

    await scrubTo(lastAlive);
    await childRow.waitFor({ timeout: 30_000 });
    await frame.locator('.past-notice').waitFor({ timeout: 10_000 });

    await scrubTo(life.bornAt! - 1);
    await eventually('the child to leave the tree before its birth', async () => (await childRow.count()) === 0);
    assert.equal(await childRow.count(), 0);
  },
);

test('a window reload reopens the recording panel on the same file', { timeout: 180_000 }, async () => {
  assert.ok(vsc, 'the recording was opened by the test before');
  await vsc.runCommand('Developer: Reload Window', 30_000);
  await vsc.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  const frame: Frame = await vsc.webviewFrame(async (f) => (await f.locator('.recording-notice').count()) > 0, 90_000);
  assert.match((await frame.locator('.recording-notice').innerText()).trim(), /^Recording: psc-e2e\.ndjson\.gz — /);
  await vsc.page.locator('.tab', { hasText: 'Recording: psc-e2e.ndjson.gz' }).first().waitFor({ timeout: 10_000 });
  // The file was read again: the restored table has rows.
  await frame.locator('#filter input').fill('');
  await eventually('rows in the restored recording', async () => (await frame.locator('[role="treegrid"] .row:not([hidden])').count()) > 0);
});

test('a file whose name is a command link opens no link: the error names the file as text', { timeout: 180_000 }, async () => {
  assert.ok(vsc, 'VS Code was started by the test before');
  await vsc.dismissDialogs();
  // VS Code makes `[label](command:…)` in a notification a link that runs the command when clicked.
  const name = '[Open the recording](command:workbench.action.openSettings).ndjson.gz';
  const file = join(workspace, name);
  writeFileSync(file, 'not a recording\n');
  await openRecordingFile(vsc, file);
  const text = await vsc.notification(/Not a ProcScope recording/, 60_000);
  assert.ok(text.includes('[Open the recording] (command:workbench.action.openSettings)'), `the name is shown as text: ${text}`);
  const toast = vsc.page.locator('.notifications-toasts .notification-toast', { hasText: 'Not a ProcScope recording' }).first();
  // The message's own links (VS Code renders them as anchors in the message; the toast's buttons are elsewhere).
  const message = toast.locator('.notification-list-item-message');
  await message.waitFor({ timeout: 10_000 });
  assert.equal(await message.locator('a').count(), 0, `the notification holds no link: ${await message.innerHTML()}`);
});
