// Smoke test in a real VS Code (code-server + headless Chromium): the packaged .vsix installs, the
// command is in the Command Palette, and running it opens the ProcScope panel.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { extensionId, hasSelector, repoRoot, startVsCode, type VsCode } from './harness';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

/**
 * What "ProcScope: Open Process Explorer" shows. Today: an editor tab "ProcScope" holding the panel's webview,
 * whose HTML came from the extension host (body[data-procscope] carries the start-up data) and whose script ran
 * (the host's HTML has an empty #root; any text means webview.js executed). Assertions on the panel's content
 * (rows, details) belong here as the UI grows.
 */
async function assertOpenProcessExplorerResult(vsc: VsCode): Promise<void> {
  const tab = vsc.page.locator('.tabs-container .tab.active');
  await tab.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal((await tab.innerText()).trim(), 'ProcScope');

  const frame = await vsc.webviewFrame(hasSelector('body[data-procscope]'), 30_000);
  const startup = JSON.parse((await frame.locator('body').getAttribute('data-procscope')) ?? 'null') as {
    platform?: string;
    settings?: unknown;
  } | null;
  assert.equal(startup?.platform, 'linux');
  assert.equal(typeof startup?.settings, 'object');
  await frame.waitForFunction(() => (document.body.innerText ?? '').trim().length > 0, undefined, { timeout: 30_000 });
  assert.ok((await frame.locator('body').innerText()).trim().length > 0, 'the webview script rendered nothing');
}

let vsc: VsCode | undefined;
let workspace = '';

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'procscope-smoke-ws-'));
    writeFileSync(join(workspace, 'hello.txt'), 'a workspace for the ProcScope smoke test\n');
    vsc = await startVsCode({ workspace });
  },
  { timeout: 240_000 },
);

after(async () => {
  await vsc?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test("the packaged .vsix is installed in code-server's extensions dir", () => {
  assert.ok(vsc);
  assert.ok(statSync(vsc.vsixPath).size > 1000, `${vsc.vsixPath} looks empty`);
  const installed = vsc.listExtensions();
  assert.ok(installed.includes(`${extensionId}@${manifest.version}`), `installed: ${installed.join(', ')}`);
});

test('the workbench opened the workspace folder', async () => {
  assert.ok(vsc);
  const title = await vsc.page.title();
  assert.match(title, new RegExp(workspace.split('/').pop() ?? 'none'));
});

test('"ProcScope: Open Process Explorer" from the Command Palette opens the ProcScope panel', { timeout: 120_000 }, async () => {
  assert.ok(vsc);
  try {
    await vsc.runCommand('ProcScope: Open Process Explorer', 60_000);
    await assertOpenProcessExplorerResult(vsc);
  } finally {
    // Look at it: test-results/e2e-smoke.png shows what a user would have seen, pass or fail.
    await vsc.screenshot(join(repoRoot, 'test-results', 'e2e-smoke.png'));
  }
});
