// Work the panel skips while it cannot be seen, and that the skipping loses nothing. The detail pane's sections skip rendering while they are scrolled out of the pane (content-visibility),
// which is what makes a shown process cheap for Chromium at 1 Hz. Skipping the drawing must not skip the
// data: a section out of view still holds the latest values in the DOM (find-in-page and screen readers read
// them), and scrolled into view it shows those latest values, not the ones of when it was last drawn.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtures, REPO, type FakeHost, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, hubIpcMap } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import type { ProcessChange } from '../../src/core/model';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as { detail: ProcessDetail };
const procs = fx.snapshot.snapshot.processes;
const shown = procs.find((p) => !p.kernelThread)!;

let host: FakeHost;
/** Each read answers a different OOM score (the "More" section, last in the pane), as a live process may. */
let reads = 0;

function answer(request: Request) {
  if (request.kind !== 'detail') return { ok: false as const, error: 'refused by the test host' };
  const p = procs.find((q) => q.pid === request.pid)!;
  reads++;
  return { ok: true as const, result: { ...details.detail, pid: p.pid, key: p.key, oomScore: 100 + reads, oomScoreAdj: 0 } };
}

/** The OOM score's value cell: its text, and whether Chromium currently renders it (false: skipped). */
function oomCell(): Promise<{ text: string; drawn: string; rendered: boolean }> {
  return host.page.evaluate(() => {
    const kv = [...document.querySelectorAll('vscode-collapsible[data-section="more"] .kv')].find((k) =>
      k.querySelector('.kv-label')?.textContent?.startsWith('OOM'),
    );
    const value = kv!.querySelector('.kv-value')!;
    const drawn = (value as HTMLElement).innerText;
    return { text: value.textContent ?? '', drawn, rendered: value.checkVisibility({ contentVisibilityAuto: true }) };
  });
}

describe('hidden tabs', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h), answer);

  it('receive no DOM work per tick, and show the latest data when their tab is chosen', async () => {
    await bootPanel(host, fx.snapshot, { width: 1200, height: 700 });
    // The IPC graph and the timeline panes exist but their tabs are not shown: count every change to them.
    await host.page.evaluate(() => {
      const w = window as unknown as { __hiddenWork: string[] };
      w.__hiddenWork = [];
      for (const sel of ['.ipc-view', '.timeline-pane']) {
        const pane = document.querySelector(sel)!;
        new MutationObserver((records) => w.__hiddenWork.push(...records.map((r) => `${sel} ${r.type}`))).observe(pane, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      }
    });
    const hub = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
    const map = hubIpcMap(procs, hub);
    for (let i = 1; i <= 3; i++) {
      const changed: ProcessChange[] = procs.filter((_, j) => (j + i) % 10 === 0).map((p) => ({ key: p.key, utimeMs: p.utimeMs + i * 10 }));
      await host.send({
        type: 'delta',
        delta: { timestamp: fx.snapshot.snapshot.timestamp + i * 1000, intervalMs: 1000, added: [], removed: [], changed },
      });
      await host.send({ type: 'ipc', map });
    }
    // Let the frames of those ticks run.
    await host.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const work = await host.page.evaluate(() => (window as unknown as { __hiddenWork: string[] }).__hiddenWork);
    assert.deepEqual(work, [], 'no change to a hidden pane');
    // Chosen: the graph of the map received while hidden.
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('[data-ipc-scope="all"]').click();
    await host.page.locator('.ipc-status', { hasText: '41 processes' }).waitFor();
    const shown = await host.page.evaluate(() => (window as unknown as { __hiddenWork: string[] }).__hiddenWork);
    assert.ok(
      shown.some((w) => w.startsWith('.ipc-view')),
      'the same observer sees the pane drawn once shown',
    );
    assert.deepEqual(host.pageErrors, []);
  });
});

describe('detail sections out of view', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h), answer);

  it('are not rendered, yet hold and then show the latest values', async () => {
    // A short pane, so the last section is well below its fold.
    await bootPanel(host, fx.snapshot, { width: 1200, height: 500 });
    await host.page.locator('#filter input').fill(`pid:${shown.pid}`);
    await host.page.locator(`.row[data-row-id="p${shown.key}"]`).click();
    await host.page.locator('vscode-collapsible[data-section="more"] .kv').first().waitFor({ state: 'attached' });
    const identity = await host.page
      .locator('vscode-collapsible[data-section="identity"] .kv-value')
      .first()
      .evaluate((e) => e.checkVisibility({ contentVisibilityAuto: true }));
    assert.equal(identity, true, 'the section in view is rendered');
    const before = await oomCell();
    assert.equal(before.rendered, false, 'the last section, out of view, is skipped');
    assert.match(before.text, /^\d+ \/ 0$/);

    // Two refreshes while it stays out of view: the DOM follows them all the same.
    const seen = reads;
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.page.waitForFunction(
      (n) => document.querySelector('vscode-collapsible[data-section="more"]')!.textContent!.includes(`${n} / 0`),
      100 + seen + 2,
    );
    const behind = await oomCell();
    assert.equal(behind.rendered, false, 'still skipped while out of view');
    assert.notEqual(behind.text, before.text, 'yet holding the newer value');

    // Scrolled into view: drawn, with the value of the latest read (not the one of when it was last drawn).
    await host.page.locator('vscode-collapsible[data-section="more"]').evaluate((e) => e.scrollIntoView());
    await host.page.waitForFunction(() => {
      const v = document.querySelector('vscode-collapsible[data-section="more"] .kv-value');
      return v !== null && v.checkVisibility({ contentVisibilityAuto: true });
    });
    const inView = await oomCell();
    const score = (text: string) => Number(/^(\d+) \/ 0$/.exec(text)?.[1]);
    assert.equal(inView.rendered, true);
    assert.equal(inView.drawn, inView.text, 'what is drawn is what the DOM holds');
    assert.ok(score(inView.drawn) >= score(behind.text), `the newest read is shown (${inView.drawn} after ${behind.text})`);
    assert.deepEqual(host.pageErrors, []);
    assert.deepEqual(await host.violations(), []);
  });
});
