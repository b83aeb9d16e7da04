// Multi-select in real headless Chromium (the fake host of page.ts with the recorded fixtures): Ctrl/Cmd-click
// toggles, Shift-click and Shift+arrows select a range, Space toggles the focused row, Escape clears; the
// detail pane follows the last row chosen; the context menu signals the selection with ONE request naming
// each process by its identity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions } from './page';
import { bootPanel, fakeHostForSuite, OUT } from './session';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
  // The flat list by pid: a fixed order to count ranges in.
  await host.page.locator('[data-action="flat"]').click();
}

/** The row shown at this position (0 = first). */
function nth(i: number) {
  return host.page.locator(`.row[aria-rowindex="${i + 2}"]`);
}

async function keyAt(i: number): Promise<string> {
  return (await nth(i).getAttribute('data-key'))!;
}

/** Positions of the selected rows, in display order. */
async function selected(): Promise<number[]> {
  return host.page
    .locator('.row[aria-selected="true"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex')) - 2).sort((a, b) => a - b));
}

async function lastSelect(): Promise<string | null> {
  const m = [...host.posted].reverse().find((p) => p.type === 'select');
  return m && m.type === 'select' ? m.key : null;
}

describe('ProcScope webview multi-select', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h));

  it('toggles with Ctrl/Cmd-click, selects ranges with Shift, toggles with Space, clears with Escape', async () => {
    await boot({ width: 1200, height: 700 });
    assert.equal(await host.page.locator('#process-grid').getAttribute('aria-multiselectable'), 'true');
    await nth(0).click();
    assert.deepEqual(await selected(), [0]);
    await nth(3).click({ modifiers: ['Control'] });
    assert.deepEqual(await selected(), [0, 3], 'Ctrl-click adds a row');
    assert.equal(await lastSelect(), await keyAt(3), 'the detail pane follows the last row chosen');
    await nth(4).click({ modifiers: ['Meta'] });
    assert.deepEqual(await selected(), [0, 3, 4], 'Cmd-click adds a row');
    await nth(3).click({ modifiers: ['Control'] });
    assert.deepEqual(await selected(), [0, 4], 'Ctrl-click on a selected row takes it out');
    // Shift-click: from the last Ctrl-clicked row (the anchor) to this one.
    await nth(6).click({ modifiers: ['Shift'] });
    assert.deepEqual(await selected(), [3, 4, 5, 6]);
    assert.equal(await host.page.evaluate(() => document.getSelection()?.isCollapsed ?? true), true, 'Shift-click selects rows, not text');
    assert.equal(await host.page.locator('.row.focused').getAttribute('aria-rowindex'), '8', 'the focused row is marked');
    // Keyboard: Space toggles the focused row; Shift+Down extends; Escape leaves the focused row alone.
    await host.page.keyboard.press('Space');
    assert.deepEqual(await selected(), [3, 4, 5]);
    await host.page.keyboard.press('Space');
    assert.deepEqual(await selected(), [3, 4, 5, 6]);
    // Space made the focused row the anchor: Shift+Down selects from it.
    await host.page.keyboard.press('Shift+ArrowDown');
    assert.deepEqual(await selected(), [6, 7]);
    await nth(4).click({ modifiers: ['Shift'] });
    assert.deepEqual(await selected(), [4, 5, 6]);
    await host.page.keyboard.press('Shift+ArrowDown');
    await host.page.keyboard.press('Shift+ArrowDown');
    await host.page.keyboard.press('Shift+ArrowDown');
    assert.deepEqual(await selected(), [6, 7]);
    assert.equal(await lastSelect(), await keyAt(7));
    await host.page.screenshot({ path: join(OUT, 'multi-select.png'), clip: { x: 0, y: 0, width: 1200, height: 320 } });
    await host.page.keyboard.press('Escape');
    assert.deepEqual(await selected(), [7], 'Escape clears the multi-selection');
    // A plain arrow moves a single selection.
    await host.page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(), [8]);
    // Space with one row selected takes it out, and Space again puts it back.
    await host.page.keyboard.press('Space');
    assert.deepEqual(await selected(), []);
    await host.page.keyboard.press('Space');
    assert.deepEqual(await selected(), [8]);
    assert.deepEqual(host.pageErrors, []);
  });

  it('sends a signal to the selection as one request listing each process by its key', async () => {
    await boot({ width: 1200, height: 700 });
    const asked: Request[] = [];
    host.onRequest = (req) => {
      asked.push(req);
      if (req.kind === 'signalMany')
        return {
          ok: true,
          result: { confirmed: true, total: req.targets.length, sent: req.targets.length - 1, gone: 1, denied: 0, failed: 0 },
        };
      return { ok: false, error: 'refused by the test host' };
    };
    await nth(1).click();
    await nth(2).click({ modifiers: ['Shift'] });
    await nth(5).click({ modifiers: ['Control'] });
    const keys = [await keyAt(1), await keyAt(2), await keyAt(5)];
    // A right-click inside the selection keeps it and offers the selection's entries.
    await nth(2).click({ button: 'right' });
    assert.deepEqual(await selected(), [1, 2, 5]);
    const menu = host.page.locator('vscode-context-menu');
    await menu.getByText('Send SIGKILL to 3 selected', { exact: true }).waitFor();
    const sent = host.next((m) => m.type === 'request' && m.request.kind === 'signalMany');
    await menu.getByText('Send SIGTERM to 3 selected', { exact: true }).click();
    const m = await sent;
    assert.ok(m.type === 'request');
    assert.deepEqual(m.request, {
      kind: 'signalMany',
      signal: 'SIGTERM',
      targets: keys.map((key) => ({ pid: Number(key.split('@')[0]), key })),
    });
    assert.equal(asked.filter((r) => r.kind === 'signal').length, 0, 'no single-process signal requests');
    await host.page
      .locator('.statusbar:not(.error) .status-text')
      .filter({ hasText: 'SIGTERM sent to 2 of 3 processes; 1 had already exited or were replaced.' })
      .waitFor();
    // Delete sends SIGTERM to the selection too.
    const byDelete = host.next((q) => q.type === 'request' && q.request.kind === 'signalMany');
    await host.page.locator('#process-grid').focus();
    await host.page.keyboard.press('Delete');
    const d = await byDelete;
    assert.ok(d.type === 'request' && d.request.kind === 'signalMany' && d.request.targets.length === 3);
    // A right-click outside the selection selects that row alone and offers its own menu.
    await host.page.keyboard.press('Escape');
    await nth(7).click({ button: 'right' });
    assert.deepEqual(await selected(), [7]);
    await menu.getByText('Send SIGTERM', { exact: true }).waitFor();
    await host.page.keyboard.press('Escape');
    assert.deepEqual(host.pageErrors, []);
  });

  it('says it in Korean', async () => {
    await boot({ locale: 'ko', width: 1200, height: 700 });
    await nth(0).click();
    await nth(1).click({ modifiers: ['Shift'] });
    await nth(1).click({ button: 'right' });
    await host.page.locator('vscode-context-menu').getByText('선택한 2개에 SIGTERM 보내기', { exact: true }).waitFor();
    await host.page.keyboard.press('Escape');
  });
});
