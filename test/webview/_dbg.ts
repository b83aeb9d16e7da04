import { FakeHost, loadFixtures, DEFAULT_SETTINGS } from './page';
import { readFileSync } from 'node:fs';
(async () => {
const host = await FakeHost.start();
const fx = loadFixtures();
const details = JSON.parse(readFileSync('test/webview/fixtures/detail.json', 'utf8'));
const hostile = fx.snapshot.snapshot.processes.find(p => p.pid === fx.meta.pids.hostile)!;
const timeout = <T,>(p: Promise<T>, label: string) => Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error('TIMEOUT ' + label)), 5000))]);
try {
  host.onRequest = (r) => { console.log('request', JSON.stringify(r)); return r.kind === 'detail' ? { ok: true, result: r.includeEnv ? details.detailWithEnv : details.detail } : { ok: false, error: 'x' }; };
  await host.load({ theme: 'dark' });
  await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
  await host.send(fx.snapshot);
  await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
  await timeout(host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click(), 'click');
  await new Promise(r => setTimeout(r, 500));
  await timeout(host.page.locator('[data-action="env"]').click(), 'envclick');
  console.log('env clicked');
  for (let i = 0; i < 5; i++) {
    await new Promise(r => setTimeout(r, 1000));
    console.log(i, await timeout(host.page.evaluate(() => document.querySelectorAll('.env-table tr').length), 'envrows'));
  }
  console.log(host.pageErrors, host.consoleErrors);
} catch (e) { console.log(String(e)); } finally { await host.close(); }
})();
