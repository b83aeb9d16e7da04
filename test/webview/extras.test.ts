// What users of htop and Process Explorer reach for, in real headless Chromium: pausing updates (a toolbar
// button with a clear paused state), the in-panel keyboard help (`?`) and the flat list mode (`t`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures, type PageOptions, type Theme } from './page';
import { bootPanel, fakeHostForSuite, OUT, refuseRequests } from './session';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as {
  detail: import('../../src/core/detail').ProcessDetail;
};

let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

const cpuCell = () => host.page.locator(`.row[data-row-id="p${hostile.key}"] .c-cpu`);

describe('ProcScope webview: pause, keyboard help and flat list', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    it(`pauses the list from the toolbar, says so, and catches up on resume (${theme})`, async () => {
      await boot({ theme, width: 1200, height: 600 });
      await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
      await cpuCell().waitFor();
      const button = host.page.locator('[data-action="pause"]');
      assert.equal(await button.getAttribute('aria-pressed'), 'false');
      await button.click();
      assert.equal(await button.getAttribute('aria-pressed'), 'true');
      const notice = host.page.locator('.paused-notice');
      await notice.waitFor();
      assert.match((await notice.textContent()) ?? '', /Updates paused\./);
      // A delta while paused: the row keeps what it showed.
      const before = await cpuCell().textContent();
      let t = fx.snapshot.snapshot.timestamp;
      await host.send({
        type: 'delta',
        delta: { timestamp: (t += 1000), intervalMs: 1000, added: [], removed: [], changed: [{ key: hostile.key, cpuPercent: 77.7 }] },
      });
      await host.page.waitForTimeout(200);
      assert.equal(await cpuCell().textContent(), before, 'the paused list is not redrawn');
      await host.page.screenshot({ path: join(OUT, `paused-${theme}.png`), clip: { x: 0, y: 0, width: 1200, height: 260 } });
      // Resume (from the notice's link): the latest data shows and the notice goes.
      await notice.locator('[data-action="resume"]').click();
      assert.equal(await cpuCell().textContent(), '78');
      await notice.waitFor({ state: 'detached' });
      assert.equal(await button.getAttribute('aria-pressed'), 'false');
      assert.deepEqual(host.pageErrors, []);
    });
  }

  for (const [theme, locale] of [
    ['dark', 'en'],
    ['light', 'ko'],
    ['high-contrast', 'en'],
  ] as [Theme, 'en' | 'ko'][]) {
    it(`opens the keyboard help with ? and closes it with Escape, focus going back (${theme}, ${locale})`, async () => {
      await boot({ theme, locale, width: 1200, height: 700 });
      const grid = host.page.locator('#process-grid');
      await grid.focus();
      await host.page.keyboard.press('?');
      const dialog = host.page.locator('.help-dialog[role="dialog"]');
      await dialog.waitFor();
      const rows = await dialog.locator('.help-table tr').count();
      assert.equal(rows, 18, 'every key the panel answers to');
      assert.equal(await dialog.locator('.help-title').textContent(), locale === 'ko' ? '단축키' : 'Keyboard shortcuts');
      assert.ok((await dialog.locator('kbd', { hasText: 'Ctrl+C' }).count()) === 1);
      // While it is open, keys do not reach the list behind it.
      const selected = await host.page.locator('.row.selected').count();
      await host.page.keyboard.press('ArrowDown');
      assert.equal(await host.page.locator('.row.selected').count(), selected);
      await host.page.screenshot({ path: join(OUT, `help-${theme}-${locale}.png`) });
      await host.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'process-grid', 'focus is back on the list');
      // The toolbar button opens it too; ? in the filter field is text, not a shortcut.
      await host.page.locator('[data-action="help"]').click();
      await dialog.waitFor();
      await host.page.locator('.help-close').click();
      await dialog.waitFor({ state: 'detached' });
      await host.page.locator('#filter input').fill('');
      await host.page.locator('#filter input').press('?');
      assert.equal(await dialog.count(), 0);
      assert.equal(await host.page.locator('#filter input').inputValue(), '?');
      assert.deepEqual(host.pageErrors, []);
    });
  }

  it('keeps every toolbar control whole in a 700 px panel; the counts give way, with a tooltip', async () => {
    await boot({ width: 700, height: 500 });
    const geometry = await host.page.locator('.toolbar').evaluate((bar) => ({
      overflow: bar.scrollWidth > bar.clientWidth,
      cut: [...bar.querySelectorAll<HTMLElement>('.chip-button, .segmented, .kernel-toggle')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.className),
      right: Math.max(...[...bar.children].map((c) => c.getBoundingClientRect().right)),
      count: { title: (bar.querySelector('.count') as HTMLElement).title, text: bar.querySelector('.count')!.textContent },
    }));
    assert.equal(geometry.overflow, false, 'nothing runs past the toolbar');
    assert.deepEqual(geometry.cut, []);
    assert.ok(geometry.right <= 700, `every control inside the window (${geometry.right})`);
    assert.equal(geometry.count.title, geometry.count.text, 'the counts have their whole text as a tooltip');
    assert.ok(await host.page.locator('[data-action="help"]').isVisible());
    await host.page.screenshot({ path: join(OUT, 'toolbar-700.png'), clip: { x: 0, y: 0, width: 700, height: 80 } });
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    it(`switches to a flat list sorted across the machine and back (button and t), remembered (${theme})`, async () => {
      await boot({ theme, width: 1200, height: 700 });
      const levels = () =>
        host.page.locator('.row:not([hidden])').evaluateAll((rs) => [...new Set(rs.map((r) => r.getAttribute('aria-level')))]);
      assert.ok((await levels()).length > 1, 'the tree has several levels');
      await host.page.locator('[data-action="flat"]').click();
      assert.equal(await host.page.locator('[data-action="flat"]').getAttribute('aria-pressed'), 'true');
      assert.deepEqual(await levels(), ['1'], 'every row at the top level');
      // Sorted by CPU% (descending) across the machine: the rows in view are in order.
      await host.page.locator('.grid-header [data-column="cpu"]').click();
      const cpus = await host.page.locator('.row:not([hidden])').evaluateAll((rs) =>
        rs
          .map((r) => [Number(r.getAttribute('aria-rowindex')), Number(r.querySelector('.c-cpu')!.textContent)] as [number, number])
          .sort((a, b) => a[0] - b[0])
          .map((x) => x[1])
          .filter((x) => !Number.isNaN(x)),
      );
      assert.ok(cpus.length > 10);
      for (let i = 1; i < cpus.length; i++) assert.ok(cpus[i]! <= cpus[i - 1]!, `CPU% descending: ${cpus.slice(0, 12).join(', ')}`);
      const busiest = [...procs]
        .filter((p) => !p.kernelThread)
        .sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || b.pid - a.pid)[0]!;
      assert.equal(
        await host.page.locator('.row[aria-rowindex="2"]').getAttribute('data-key'),
        busiest.key,
        'the busiest process of the machine comes first',
      );
      // A filter keeps only the matches (no ancestors as context).
      await host.page.locator('#filter input').fill('name:bash');
      const names = await host.page.locator('.row:not([hidden]) .name-text').allTextContents();
      assert.ok(names.length > 1 && names.every((n) => n.includes('bash')), JSON.stringify(names));
      await host.page.screenshot({ path: join(OUT, `flat-${theme}.png`), clip: { x: 0, y: 0, width: 1200, height: 300 } });
      // Remembered across a reload; t goes back to the tree.
      await bootPanel(host, fx.snapshot, { theme, width: 1200, height: 700 }, true);
      assert.equal(await host.page.locator('[data-action="flat"]').getAttribute('aria-pressed'), 'true');
      await host.page.locator('#filter input').fill('');
      await host.page.locator('#process-grid').focus();
      await host.page.keyboard.press('t');
      assert.equal(await host.page.locator('[data-action="flat"]').getAttribute('aria-pressed'), 'false');
      assert.ok((await levels()).length > 1, 'the tree again');
      assert.deepEqual(host.pageErrors, []);
    });
  }

  it('shows resource limits in human units (sizes in KiB/MiB, counts grouped), in English and Korean', async () => {
    host.onRequest = (r) =>
      r.kind === 'detail' && r.pid === hostile.pid
        ? { ok: true, result: details.detail }
        : { ok: false, error: 'refused by the test host' };
    try {
      for (const [locale, stack, files, label] of [
        ['en', '8.0 MiB / unlimited', '20,000 / 20,000 files', 'Stack size'],
        ['ko', '8.0 MiB / 무제한', '20,000 / 20,000 개', '스택 크기'],
      ] as const) {
        await boot({ locale, width: 1200, height: 700 });
        await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
        await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
        await host.page.locator('vscode-collapsible[data-section="more"]').waitFor();
        const kv = await host.page
          .locator('vscode-collapsible[data-section="more"] .kv')
          .evaluateAll((rows) =>
            Object.fromEntries(rows.map((r) => [r.querySelector('.kv-label')!.textContent, r.querySelector('.kv-value')!.textContent])),
          );
        assert.equal(kv[label], stack, JSON.stringify(kv));
        const openFiles = locale === 'en' ? 'Open files' : '열린 파일 수';
        assert.equal(kv[openFiles], files);
        assert.equal(
          kv[locale === 'en' ? 'Resource limits' : '자원 제한'],
          locale === 'en' ? 'soft / hard' : '소프트 / 하드',
          'one heading says which value is which',
        );
        if (locale === 'en') {
          await host.page.evaluate(() =>
            document.querySelector('vscode-collapsible[data-section="more"]')!.scrollIntoView({ block: 'end' }),
          );
          await host.page.screenshot({ path: join(OUT, 'limits-human.png') });
        }
      }
    } finally {
      host.onRequest = () => ({ ok: false, error: 'refused by the test host' });
    }
  });
});
