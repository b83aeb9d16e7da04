// High contrast in real headless Chromium: with VS Code's hc-black variables (test/webview/host/
// theme-high-contrast.css: no list selection backgrounds, --vscode-contrastBorder/--vscode-contrastActiveBorder
// set), the selected row and focused controls must show the contrast border; in the dark theme, where those
// variables do not exist, the same outlines are transparent. Writes test-results/webview-high-contrast.png.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures, type PageOptions } from './page';
import { bootPanel, fakeHostForSuite } from './session';

const fx: Fixtures = loadFixtures();
const hostile = fx.snapshot.snapshot.processes.find((p) => p.pid === fx.meta.pids.hostile)!;
const ORANGE = 'rgb(243, 133, 24)'; // hc-black contrastActiveBorder / focusBorder #f38518

let host: FakeHost;

async function boot(options: PageOptions): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

const outline = (selector: string) =>
  host.page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const s = getComputedStyle(e);
      return { style: s.outlineStyle, color: s.outlineColor, width: s.outlineWidth, background: s.backgroundColor };
    });

describe('ProcScope webview in high contrast', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h));

  it('shows the selected row and focused controls with the contrast border', async () => {
    await boot({ theme: 'high-contrast', width: 1400, height: 860 });
    assert.equal(
      await host.page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-contrastActiveBorder').trim()),
      '#f38518',
    );
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    // Focused list: a solid contrast outline (there is no selection background in hc-black).
    const focused = await outline('.row.selected');
    assert.deepEqual([focused.style, focused.color, focused.width], ['solid', ORANGE, '1px']);
    assert.equal(focused.background, 'rgba(0, 0, 0, 0)', 'no selection background: the outline is all that marks it');
    // List not focused: still outlined (dotted), so the selection does not vanish.
    await host.page.locator('#filter input').focus();
    const inactive = await outline('.row.selected');
    assert.deepEqual([inactive.style, inactive.color], ['dotted', ORANGE]);
    // A keyboard-focused chip (the scope buttons) shows the focus border.
    await host.page.locator('[data-scope="all"]').focus();
    await host.page.keyboard.press('Shift+Tab');
    await host.page.keyboard.press('Tab');
    const chip = await host.page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      const s = getComputedStyle(e);
      return { cls: e.className, style: s.outlineStyle, color: s.outlineColor };
    });
    assert.match(chip.cls, /chip-button/);
    assert.deepEqual([chip.style, chip.color], ['solid', ORANGE]);
    // The grid itself, focused from the keyboard.
    await host.page.locator('#process-grid').focus();
    await host.page.keyboard.press('ArrowDown');
    const grid = await host.page.locator('#process-grid').evaluate((e) => {
      const s = getComputedStyle(e);
      return [s.outlineStyle, s.outlineColor];
    });
    assert.deepEqual(grid, ['solid', ORANGE]);
    const out = join(REPO, 'test-results');
    mkdirSync(out, { recursive: true });
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.screenshot({ path: join(out, 'webview-high-contrast.png') });
    assert.deepEqual(await host.violations(), []);
    assert.deepEqual(host.pageErrors, []);
  });

  it('keeps those outlines transparent in the dark theme (no contrast variables there)', async () => {
    await boot({ theme: 'dark', width: 1400, height: 860 });
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.locator('#filter input').focus();
    const inactive = await outline('.row.selected');
    assert.equal(inactive.color, 'rgba(0, 0, 0, 0)');
    assert.notEqual(inactive.background, 'rgba(0, 0, 0, 0)', 'the dark theme marks the selection with a background');
  });
});
