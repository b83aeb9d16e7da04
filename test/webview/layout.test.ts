// Layout of the panel in real headless Chromium (the fake host of page.ts with the recorded fixtures):
// the column headers stay out of the detail pane in a narrow panel, a workspace label does not push the
// process name into an ellipsis, pooled rows carry nothing a screen reader or a query could find, and the
// selected node of a wide IPC graph is scrolled into view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions } from './page';
import { bootPanel, fakeHostForSuite, hubIpcMap } from './session';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;

let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const intersects = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('ProcScope webview layout', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h));

  it('keeps the column headers out of the detail pane in a 700 px wide panel', async () => {
    await boot({ width: 700, height: 700 });
    const right = await host.page.locator('.right').evaluate((e) => e.getBoundingClientRect().toJSON() as Box);
    assert.ok(right.right - right.left >= 260, 'the detail pane is shown');
    // Every header cell that is drawn (display not none) lies left of the detail pane.
    const cells = await host.page
      .locator('.grid-header .cell')
      .evaluateAll((els) =>
        els
          .filter((e) => getComputedStyle(e).display !== 'none')
          .map((e) => ({ column: (e as HTMLElement).dataset.column ?? '', box: e.getBoundingClientRect().toJSON() as Box })),
      );
    assert.ok(
      cells.some((c) => c.column === 'name') && cells.some((c) => c.column === 'pid'),
      `name and pid are shown: ${cells.map((c) => c.column).join(',')}`,
    );
    for (const c of cells)
      assert.ok(
        !intersects(c.box, right),
        `header cell ${c.column} (${c.box.left}–${c.box.right}) is clear of the detail pane (${right.left}–${right.right})`,
      );
    const header = await host.page.locator('.grid-header').evaluate((e) => e.getBoundingClientRect().toJSON() as Box);
    assert.ok(!intersects(header, right), 'the header row itself is clear of the detail pane');
    // One line of headers: a dropped column must not wrap onto a second grid row.
    assert.ok(header.bottom - header.top <= 26, `the header is one line high (${header.bottom - header.top} px)`);
    const middle = (b: Box): number => (b.top + b.bottom) / 2;
    for (const c of cells)
      assert.ok(
        Math.abs(middle(c.box) - middle(header)) <= 3,
        `header cell ${c.column} is on the header's line (${c.box.top}–${c.box.bottom} in ${header.top}–${header.bottom})`,
      );
    // Columns dropped from the header are dropped from the rows too; the Threads column (its button opens
    // the thread rows) stays.
    const shownInRow = await host.page
      .locator('.row:not([hidden])')
      .first()
      .evaluate((r) =>
        [...r.querySelectorAll('.cell')]
          .filter((e) => getComputedStyle(e).display !== 'none')
          .map((e) => e.className.replace(/^cell c-/, '')),
      );
    assert.deepEqual(
      shownInRow,
      cells.map((c) => c.column),
    );
    assert.ok(shownInRow.includes('threads'), 'the Threads column stays in a narrow panel');
    // The rows use the same columns as the header: the pid cell of a row sits under the pid header.
    const pidHeader = cells.find((c) => c.column === 'pid')!.box;
    const pidCell = await host.page
      .locator('.row:not([hidden]) .c-pid')
      .first()
      .evaluate((e) => e.getBoundingClientRect().toJSON() as Box);
    assert.equal(Math.round(pidCell.left), Math.round(pidHeader.left));
  });

  it('shortens a workspace label before the process name, and keeps both inside the name column', async () => {
    await boot({ width: 1000, height: 700 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    const row = host.page.locator(`.row[data-row-id="p${hostile.key}"]`);
    const geometry = await row.locator('.c-name').evaluate((cell) => {
      const style = getComputedStyle(cell);
      const r = cell.getBoundingClientRect();
      const name = cell.querySelector('.name-text') as HTMLElement;
      const label = cell.querySelector('.ws-label') as HTMLElement;
      return {
        inner: r.right - parseFloat(style.paddingRight),
        nameRight: name.getBoundingClientRect().right,
        nameCut: name.scrollWidth > name.clientWidth,
        labelRight: label.getBoundingClientRect().right,
        label: label.textContent,
      };
    });
    assert.equal(geometry.label, 'Lab: hostile names');
    assert.equal(geometry.nameCut, false, 'the name is shown in full');
    assert.ok(geometry.nameRight <= geometry.inner + 0.5, `the name ends inside the column (${geometry.nameRight} ≤ ${geometry.inner})`);
    assert.ok(geometry.labelRight <= geometry.inner + 0.5, `the label ends inside the column (${geometry.labelRight} ≤ ${geometry.inner})`);
  });

  it('leaves pooled (hidden) rows empty and aria-hidden', async () => {
    await boot({ width: 1200, height: 600 });
    const viewport = host.page.locator('#process-grid');
    await viewport.evaluate((e) => {
      e.scrollTop = e.scrollHeight;
    });
    await host.page.waitForFunction(() => document.querySelectorAll('.row[hidden]').length > 0);
    const hidden = await host.page.locator('.row[hidden]').evaluateAll((els) =>
      els.map((e) => ({
        ariaHidden: e.getAttribute('aria-hidden'),
        text: e.textContent,
        id: e.id,
        selected: e.getAttribute('aria-selected'),
      })),
    );
    assert.ok(hidden.length > 0);
    for (const h of hidden) assert.deepEqual(h, { ariaHidden: 'true', text: '', id: '', selected: null });
    // Scrolling back reuses them: the shown rows are no longer aria-hidden and carry their process again.
    await viewport.evaluate((e) => {
      e.scrollTop = 0;
    });
    await host.page.waitForFunction(() => document.querySelector('.row[aria-rowindex="2"]:not([hidden])') !== null);
    const shown = await host.page
      .locator('.row:not([hidden])')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('aria-hidden'), e.querySelector('.c-pid')?.textContent ?? '']));
    for (const [ariaHidden, pid] of shown) {
      assert.equal(ariaHidden, null);
      assert.match(pid!, /^\d+$/);
    }
  });

  it('scrolls the selected node of a wide IPC graph into view', async () => {
    await boot({ width: 1000, height: 600 });
    // A hub with 40 neighbours (real recorded processes): the layered layout is much wider/taller than the pane.
    const map = hubIpcMap(procs, hostile);
    await host.send({ type: 'ipc', map });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.locator('vscode-tab-header').nth(2).click();
    const node = host.page.locator(`.ipc-node.selected[data-pid="${hostile.pid}"]`);
    await node.waitFor();
    await host.page.locator('.ipc-status', { hasText: '41 processes' }).waitFor();
    const boxes = await node.evaluate((n) => {
      const canvas = n.closest('.ipc-canvas') as HTMLElement;
      const panel = n.closest('vscode-tab-panel') as HTMLElement;
      return {
        node: n.getBoundingClientRect().toJSON() as Box,
        canvas: canvas.getBoundingClientRect().toJSON() as Box,
        panel: panel.getBoundingClientRect().toJSON() as Box,
        overflow: canvas.scrollWidth > canvas.clientWidth || panel.scrollHeight > panel.clientHeight,
      };
    });
    assert.ok(boxes.overflow, 'the graph is larger than the pane (else this test shows nothing)');
    const inside = (a: Box, b: Box): boolean => a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
    assert.ok(inside(boxes.node, boxes.canvas), `node ${JSON.stringify(boxes.node)} inside the canvas ${JSON.stringify(boxes.canvas)}`);
    assert.ok(inside(boxes.node, boxes.panel), `node inside the visible tab panel ${JSON.stringify(boxes.panel)}`);
    assert.deepEqual(host.pageErrors, []);
  });
});
