// The detail pane's periodic refresh in real headless Chromium: the PCB is read again every few seconds, and
// the pane is reconciled into the nodes already shown rather than rebuilt. What the reader sees: a value that
// changed is updated in place; the nodes of everything else are the same nodes (so the browser restyles and
// repaints almost nothing, and text the reader selected stays selected); the clicks the pane answers (reveal
// an environment value, show more files) still work after many refreshes; another process gets its own pane.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtures, REPO, type FakeHost, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import type { FdEntry } from '../../src/core/procfs/fd';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as {
  detail: ProcessDetail;
  detailWithEnv: ProcessDetail;
};
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const other = procs.find((p) => p.pid !== hostile.pid && !p.kernelThread)!;
const fds: FdEntry[] = Array.from({ length: 700 }, (_, i): FdEntry => ({
  fd: i + 3,
  target: `/tmp/procscope-test/f-${i + 3}`,
  type: 'file',
}));

let host: FakeHost;
/** How many detail reads were answered; each answer carries a different wchan, as a live process's would. */
let reads = 0;

function answer(request: Request) {
  if (request.kind !== 'detail') return { ok: false as const, error: 'refused by the test host' };
  const p = procs.find((q) => q.pid === request.pid)!;
  const base = request.includeEnv ? details.detailWithEnv : details.detail;
  reads++;
  return { ok: true as const, result: { ...base, pid: p.pid, key: p.key, fds, wchan: `wait_round_${reads}`, nodeRuntime: false } };
}

const wchanCell = () =>
  host.page
    .locator('.kv')
    .filter({ has: host.page.locator('.kv-label', { hasText: /^Wait channel/ }) })
    .locator('.kv-value');

describe('the detail pane refresh', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), answer);

  it('updates what changed in place and keeps every other node, the selection and the clicks', async () => {
    await bootPanel(host, fx.snapshot, { width: 1400, height: 900 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.locator('.detail-name', { hasText: hostile.name.slice(0, 3) }).waitFor();
    await host.page.locator('.fd-table tbody tr').first().waitFor();
    const first = (await wchanCell().textContent())!;
    assert.match(first, /^wait_round_\d+$/);
    // Tag the nodes the reader holds, and select the command line's text.
    await host.page.evaluate(() => {
      const tag = (n: Element | null, name: string) => Object.assign(n as object, { __tag: name });
      tag(document.querySelector('.detail-name'), 'name');
      tag(document.querySelector('.fd-table tbody tr:nth-child(300)'), 'fd300');
      tag(document.querySelector('vscode-collapsible[data-section="memory"]'), 'memory');
      const cmd = [...document.querySelectorAll('.kv')].find((kv) =>
        kv.querySelector('.kv-label')?.textContent?.startsWith('Command line'),
      );
      const range = document.createRange();
      range.selectNodeContents(cmd!.querySelector('.kv-value')!);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const selected = await host.page.evaluate(() => getSelection()!.toString());
    assert.ok(selected.length > 0);
    // Two refreshes later (one every few seconds):
    const before = reads;
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.page.waitForFunction((n) => document.body.textContent!.includes(`wait_round_${n}`), before + 2);
    assert.notEqual(await wchanCell().textContent(), first, 'the changed value is shown');
    const kept = await host.page.evaluate(() => {
      const tagOf = (sel: string) => (document.querySelector(sel) as unknown as { __tag?: string } | null)?.__tag ?? null;
      return {
        name: tagOf('.detail-name'),
        fd300: tagOf('.fd-table tbody tr:nth-child(300)'),
        memory: tagOf('vscode-collapsible[data-section="memory"]'),
        selection: getSelection()!.toString(),
      };
    });
    assert.deepEqual(kept, { name: 'name', fd300: 'fd300', memory: 'memory', selection: selected });
    // The pane's own clicks after the refreshes: more files, then an environment value revealed.
    await host.page.locator('[data-action="fds-more"]').click();
    assert.equal(await host.page.locator('.fd-table tbody tr').count(), 700);
    await host.page.locator('vscode-button[data-action="env"]').click();
    await host.page.locator('.env-table').waitFor();
    const hidden = await host.page.locator('.env-table .hidden-value').count();
    assert.equal(hidden, details.detailWithEnv.environ!.length);
    await host.page.locator('[data-action="env-toggle"]').first().click();
    assert.equal(await host.page.locator('.env-table .hidden-value').count(), hidden - 1);
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.page.waitForTimeout(200);
    assert.equal(await host.page.locator('.env-table .hidden-value').count(), hidden - 1, 'a refresh keeps what was revealed');
    assert.equal(await host.page.locator('.fd-table tbody tr').count(), 700, 'and the files drawn');
    // Another process: its own pane (its name, its first chunk of files).
    await host.page.locator('#filter input').fill(`pid:${other.pid}`);
    await host.page.locator(`.row[data-row-id="p${other.key}"]`).click();
    await host.page.locator('.detail-name', { hasText: other.name.slice(0, 3) }).waitFor();
    assert.equal(await host.page.locator('.fd-table tbody tr').count(), 500);
    assert.equal(await host.page.locator('.env-table').count(), 0, 'no environment until asked for');
    assert.deepEqual(host.pageErrors, []);
    assert.deepEqual(await host.violations(), []);
  });
});
