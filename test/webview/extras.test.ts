// What users of htop and Process Explorer reach for, in real headless Chromium: pausing updates (a toolbar
// button with a clear paused state) and the in-panel keyboard help (`?`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, REPO, type Fixtures, type PageOptions, type Theme } from './page';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const OUT = join(REPO, 'test-results');

let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await host.load(options);
  await host.send({ type: 'init', settings: { ...DEFAULT_SETTINGS, locale: options.locale ?? 'en' }, platform: 'linux' });
  await host.send(fx.snapshot);
  await host.page.locator('.row').first().waitFor();
}

const cpuCell = () => host.page.locator(`.row[data-row-id="p${hostile.key}"] .c-cpu`);

describe('ProcScope webview: pause and keyboard help', { timeout: 180000 }, () => {
  before(async () => {
    host = await FakeHost.start();
    host.onRequest = () => ({ ok: false, error: 'refused by the test host' });
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await host?.close();
  });

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
      assert.match(await notice.textContent() ?? '', /Updates paused\./);
      // A delta while paused: the row keeps what it showed.
      const before = await cpuCell().textContent();
      let t = fx.snapshot.snapshot.timestamp;
      await host.send({ type: 'delta', delta: { timestamp: (t += 1000), intervalMs: 1000, added: [], removed: [], changed: [{ key: hostile.key, cpuPercent: 77.7 }] } });
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
});
