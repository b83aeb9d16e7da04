// The process list under churn and at depth, in real headless Chromium: thousands of processes appearing
// and vanishing above the selected row do not move it on screen, and a very deep tree keeps its names
// readable (the indent stops growing; the depth is written instead).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions, type Theme } from './page';
import { bootPanel, fakeHostForSuite, OUT, refuseRequests } from './session';
import type { ProcessInfo, Snapshot } from '../../src/core/model';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const init = procs.find((p) => p.pid === 1)!;

let host: FakeHost;

async function boot(options: PageOptions = {}, snapshot: Snapshot = fx.snapshot.snapshot): Promise<void> {
  await bootPanel(host, { ...fx.snapshot, snapshot }, options);
}

/** A copy of a recorded process under another pid, parent and name (its start after its parent's). */
function clone(from: ProcessInfo, pid: number, ppid: number, name: string, startTicks: number): ProcessInfo {
  return { ...from, pid, ppid, name, key: `${pid}@${startTicks}`, startTicks, cmdline: [name], numThreads: 1, threads: undefined };
}

async function rowTop(key: string): Promise<number> {
  return host.page.locator(`.row[data-row-id="p${key}"]`).evaluate((r) => r.getBoundingClientRect().top);
}

describe('ProcScope webview under churn and at depth', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('keeps the selected row at the same place on screen while 3,000 processes appear and vanish above it', async () => {
    await boot({ width: 1200, height: 700 });
    // Select the hostile row (deep in the tree) and scroll it to about the middle of the viewport.
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.locator('#filter input').fill('');
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).waitFor();
    await host.page.evaluate((key) => {
      const viewport = document.getElementById('process-grid')!;
      const row = document.querySelector(`.row[data-row-id="p${key}"]`) as HTMLElement;
      viewport.scrollTop += row.getBoundingClientRect().top - viewport.getBoundingClientRect().top - 250;
    }, hostile.key);
    await host.page.waitForTimeout(100);
    const start = await rowTop(hostile.key);
    // 3,000 new children of pid 1 whose pids sort before the hostile row's ancestors.
    const used = new Set(procs.map((p) => p.pid));
    const added: ProcessInfo[] = [];
    for (let pid = 13; added.length < 3000; pid++)
      if (!used.has(pid)) added.push(clone(init, pid, 1, `churn-${pid}`, init.startTicks + 10));
    assert.ok(added[added.length - 1]!.pid < 7000, "the new pids sort before the hostile row's ancestors");
    let t = fx.snapshot.snapshot.timestamp;
    await host.send({ type: 'delta', delta: { timestamp: (t += 1000), intervalMs: 1000, added, removed: [], changed: [] } });
    await host.page.locator('.count', { hasText: '3340 processes' }).waitFor();
    const afterAdd = await rowTop(hostile.key);
    assert.ok(Math.abs(afterAdd - start) <= 1, `the selected row stays put when rows appear above it (${start} → ${afterAdd})`);
    await host.page.screenshot({ path: join(OUT, 'churn-after-add.png') });
    await host.send({
      type: 'delta',
      delta: { timestamp: (t += 1000), intervalMs: 1000, added: [], removed: added.map((p) => p.key), changed: [] },
    });
    // (Exited rows stay a moment, marked; the row count settles when they go.)
    await host.page.waitForFunction(() => !document.querySelector('.row.is-exited'), undefined, { timeout: 15000 });
    const afterRemove = await rowTop(hostile.key);
    assert.ok(Math.abs(afterRemove - start) <= 1, `the selected row stays put when rows vanish above it (${start} → ${afterRemove})`);
    assert.equal(await host.page.locator(`.row.selected[data-row-id="p${hostile.key}"]`).count(), 1, 'still selected');
    assert.deepEqual(host.pageErrors, []);
  });

  it('holds the first row in view still when nothing is selected on screen', async () => {
    await boot({ width: 1200, height: 700 });
    await host.page.evaluate(() => {
      document.getElementById('process-grid')!.scrollTop = 22 * 150;
    });
    await host.page.waitForTimeout(100);
    const firstInView = await host.page.evaluate(() => {
      const viewport = document.getElementById('process-grid')!;
      const top = viewport.getBoundingClientRect().top;
      const rows = [...document.querySelectorAll<HTMLElement>('.row:not([hidden])')].filter(
        (r) => r.getBoundingClientRect().top >= top - 0.5,
      );
      rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return { key: rows[0]!.dataset.key!, top: rows[0]!.getBoundingClientRect().top };
    });
    const used = new Set(procs.map((p) => p.pid));
    const added: ProcessInfo[] = [];
    for (let pid = 13; added.length < 2000; pid++)
      if (!used.has(pid)) added.push(clone(init, pid, 1, `churn-${pid}`, init.startTicks + 10));
    await host.send({
      type: 'delta',
      delta: { timestamp: fx.snapshot.snapshot.timestamp + 1000, intervalMs: 1000, added, removed: [], changed: [] },
    });
    await host.page.locator('.count', { hasText: '2340 processes' }).waitFor();
    const now = await rowTop(firstInView.key);
    assert.ok(Math.abs(now - firstInView.top) <= 1, `the first row in view stays put (${firstInView.top} → ${now})`);
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    it(`caps the indent of a 60-deep chain and writes the depth, so the name stays readable (${theme})`, async () => {
      const chain: ProcessInfo[] = [];
      for (let i = 0; i < 60; i++)
        chain.push(clone(init, 50000 + i, i === 0 ? 1 : 50000 + i - 1, `deep-${i + 1}`, init.startTicks + 10 + i));
      await boot({ theme, width: 1200, height: 700 }, { ...fx.snapshot.snapshot, processes: [...procs, ...chain] });
      await host.page.locator('#filter input').fill('name:deep-60');
      await host.page.locator('.count', { hasText: '61 shown' }).waitFor();
      await host.page.evaluate(() => {
        const v = document.getElementById('process-grid')!;
        v.scrollTop = v.scrollHeight;
      });
      const deepest = host.page.locator(`.row[data-row-id="p${chain[59]!.key}"]`);
      await deepest.waitFor();
      const g = await deepest.evaluate((r) => {
        const name = r.querySelector('.name-text') as HTMLElement;
        const cell = r.querySelector('.c-name') as HTMLElement;
        const mark = r.querySelector('.depth-mark') as HTMLElement;
        return {
          nameWidth: name.getBoundingClientRect().width,
          nameCut: name.scrollWidth > name.clientWidth,
          indent: parseFloat(getComputedStyle(cell).paddingLeft),
          mark: mark.hidden ? null : mark.textContent,
          title: mark.title,
          level: r.getAttribute('aria-level'),
        };
      });
      await host.page.screenshot({ path: join(OUT, `churn-deep-${theme}.png`), clip: { x: 0, y: 0, width: 800, height: 400 } });
      assert.equal(g.level, '61', 'under pid 1 at depth 61');
      assert.equal(g.mark, '61', 'the depth is written');
      assert.match(g.title, /61/);
      assert.ok(g.indent <= 12 * 14 + 4, `the indent is capped (${g.indent} px)`);
      assert.equal(g.nameCut, false, 'the name is shown whole');
      // A shallow row has no depth mark.
      await host.page.evaluate(() => {
        document.getElementById('process-grid')!.scrollTop = 0;
      });
      assert.equal(
        await host.page.locator(`.row[data-row-id="p${init.key}"] .depth-mark`).evaluate((m) => (m as HTMLElement).hidden),
        true,
      );
    });
  }
});
