// The history sparklines in real headless Chromium (the fake host of page.ts with the recorded fixtures): a
// time axis in seconds ago under them, and the value at the pointer (with its age) over them, kept while the
// pane is rebuilt by the next refresh.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions } from './page';
import { bootPanel, fakeHostForSuite, OUT, refuseRequests } from './session';

const fx: Fixtures = loadFixtures();
const hostile = fx.snapshot.snapshot.processes.find((p) => p.pid === fx.meta.pids.hostile)!;
let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

describe('ProcScope webview history axis', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  for (const locale of ['en', 'ko'] as const) {
    it(`labels the time axis in seconds ago and shows the value under the pointer (${locale})`, async () => {
      await boot({ locale, width: 1200, height: 700 });
      await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
      await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
      // Eight refreshes a second apart: samples 7 s ago … now.
      let time = fx.snapshot.snapshot.timestamp;
      for (let i = 0; i < 8; i++) {
        time += 1000;
        await host.send({ type: 'delta', delta: { ...fx.deltas[i % fx.deltas.length]!, timestamp: time, added: [], removed: [] } });
      }
      await host.page.locator('vscode-tab-header').nth(1).click();
      const ticks = host.page.locator('.spark-axis .spark-tick');
      await ticks.first().waitFor();
      const ago = (s: number): string => (locale === 'ko' ? `${s}초 전` : `${s} s ago`);
      const now = locale === 'ko' ? '지금' : 'now';
      assert.deepEqual(await ticks.allTextContents(), [ago(7), ago(4), now]);
      // The newest sample at the right edge: the value shown beside the line, "now".
      const rss = host.page.locator('.spark-row').nth(1);
      const box = (await rss.locator('.spark-box').boundingBox())!;
      await host.page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
      const tip = rss.locator('.spark-tip');
      await tip.waitFor();
      const current = await rss.locator('.spark-value').textContent();
      assert.equal(await tip.textContent(), `${current} · ${now}`);
      // The oldest at the left edge.
      await host.page.mouse.move(box.x + 1, box.y + box.height / 2);
      assert.equal(await tip.getAttribute('data-index'), '0');
      assert.match((await tip.textContent())!, new RegExp(` · ${ago(7)}$`));
      const tipBox = (await tip.boundingBox())!;
      assert.ok(tipBox.x >= box.x - 1 && tipBox.x + tipBox.width <= box.x + box.width + 1, 'the tip stays over its sparkline');
      await host.page.screenshot({ path: join(OUT, `history-hover-${locale}.png`), clip: { x: 0, y: 0, width: 1200, height: 400 } });
      // The next refresh rebuilds the pane: the tip stays where the pointer is, one second older.
      time += 1000;
      await host.send({ type: 'delta', delta: { ...fx.deltas[0]!, timestamp: time, added: [], removed: [] } });
      await host.page.waitForFunction((text) => document.querySelectorAll('.spark-axis .spark-tick')[0]?.textContent === text, ago(8));
      assert.match((await host.page.locator('.spark-row').nth(1).locator('.spark-tip').textContent())!, new RegExp(` · ${ago(8)}$`));
      // Leaving hides it (the pane writes the DOM in its next animation frame: wait for that, not for no time).
      await host.page.mouse.move(5, 5);
      await host.page.locator('.spark-row').nth(1).locator('.spark-tip').waitFor({ state: 'hidden', timeout: 5000 });
      assert.deepEqual(host.pageErrors, []);
    });
  }
});
