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

  for (const theme of ['light', 'dark'] as const) {
    it(`draws every state badge's letter at 4.5:1 or more against its colour (${theme})`, async () => {
      await boot({ theme, width: 1400, height: 860 });
      await host.page.locator('.legend-chip .state-badge').first().waitFor();
      const badges = await host.page.locator('.legend-chip .state-badge').evaluateAll((all) => {
        // Computed colours come as rgb()/rgba() or, from color-mix(), as color(srgb r g b): both to 0..1 channels.
        const channels = (c: string): number[] => {
          const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(c);
          if (srgb) return [1, 2, 3].map((i) => Number(srgb[i]));
          const rgb = /rgba?\((\d+), (\d+), (\d+)/.exec(c)!;
          return [1, 2, 3].map((i) => Number(rgb[i]) / 255);
        };
        const lum = (c: string): number => {
          const [r, g, b] = channels(c).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        return all.map((b) => {
          const s = getComputedStyle(b);
          const [l1, l2] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
          return { state: b.textContent, ratio: Math.round(((l1! + 0.05) / (l2! + 0.05)) * 100) / 100, bg: s.backgroundColor };
        });
      });
      assert.ok(badges.length >= 6, 'the legend shows the state badges');
      const low = badges.filter((b) => b.ratio < 4.5);
      assert.deepEqual(low, [], `every badge at 4.5:1 or more: ${JSON.stringify(badges)}`);
    });
  }
});
