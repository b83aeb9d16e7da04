// The panel's panes in real headless Chromium (the fake host of page.ts with the recorded fixtures): each
// pane scrolls inside its own bounded box (the PCB detail pane down to its last section, the IPC graph to
// its far corner) while the page itself never grows past the window.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, loadFixtures, REPO, type Fixtures, type PageOptions, type Theme } from './page';
import { bootPanel, cutHeaderLabels, fakeHostForSuite, hubIpcMap, OUT } from './session';
import type { ProcessDetail } from '../../src/core/detail';
import type { Request } from '../../src/protocol';

const fx: Fixtures = loadFixtures();
const details = JSON.parse(readFileSync(join(REPO, 'test', 'webview', 'fixtures', 'detail.json'), 'utf8')) as {
  detail: ProcessDetail;
  detailWithEnv: ProcessDetail;
};
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const THEMES: readonly Theme[] = ['dark', 'light', 'high-contrast'];

let host: FakeHost;

async function boot(options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, options);
}

async function selectHostile(): Promise<void> {
  await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
  await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

describe('ProcScope webview panes', { timeout: 180000 }, () => {
  fakeHostForSuite(
    (h) => (host = h),
    (request: Request) => {
      if (request.kind === 'detail' && request.pid === hostile.pid)
        return { ok: true, result: request.includeEnv ? details.detailWithEnv : details.detail };
      return { ok: false, error: 'refused by the test host' };
    },
  );

  for (const theme of THEMES) {
    it(`scrolls the PCB detail pane to its last section inside the window (${theme})`, async () => {
      await boot({ theme, width: 1100, height: 640 });
      await selectHostile();
      const last = host.page.locator('.detail-pane vscode-collapsible[data-section="more"]');
      await last.waitFor();
      const before = await host.page.evaluate(() => {
        const pane = document.querySelector('.detail-pane')!.closest('vscode-tab-panel') as HTMLElement;
        return {
          scrollHeight: pane.scrollHeight,
          clientHeight: pane.clientHeight,
          page: document.documentElement.scrollHeight,
          window: window.innerHeight,
        };
      });
      assert.ok(
        before.scrollHeight > before.clientHeight,
        `the detail pane is taller than its box and scrolls (${before.scrollHeight} > ${before.clientHeight})`,
      );
      assert.ok(before.page <= before.window, `the page is no taller than the window (${before.page} ≤ ${before.window})`);
      // The mouse wheel over the pane scrolls it (what a user does; scrollIntoView would scroll anything).
      const pane = host.page.locator('.detail-pane');
      const box = (await pane.boundingBox())!;
      await host.page.mouse.move(box.x + box.width / 2, Math.min(box.y + 100, 600));
      for (let i = 0; i < 60; i++) await host.page.mouse.wheel(0, 400);
      await host.page.waitForFunction(() => {
        const panel = document.querySelector('.detail-pane')!.closest('vscode-tab-panel') as HTMLElement;
        return panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 1;
      });
      const seen = await last.evaluate((section) => {
        // The section's last row (the section itself may be taller than the pane).
        const r = [...section.querySelectorAll('.kv')].pop()!.getBoundingClientRect();
        const panel = (section.closest('vscode-tab-panel') as HTMLElement).getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, panelTop: panel.top, panelBottom: panel.bottom, window: window.innerHeight };
      });
      assert.ok(
        seen.top >= seen.panelTop && seen.bottom <= seen.panelBottom + 1,
        `the last section's last row is in the pane (${seen.top}–${seen.bottom} in ${seen.panelTop}–${seen.panelBottom})`,
      );
      assert.ok(seen.panelBottom <= seen.window, `the pane ends inside the window (${seen.panelBottom} ≤ ${seen.window})`);
      // The environment button (the section before) was reachable on the way down.
      // (Through evaluate: the pane is rebuilt every few seconds, and a rebuild keeps the scroll position.)
      await host.page.evaluate(() => document.querySelector('.detail-pane [data-action="env"]')!.scrollIntoView());
      assert.ok(await host.page.locator('.detail-pane [data-action="env"]').isVisible());
      await host.page.evaluate(() =>
        document.querySelector('.detail-pane vscode-collapsible[data-section="more"]')!.scrollIntoView({ block: 'end' }),
      );
      await host.page.screenshot({ path: join(OUT, `panes-detail-scrolled-${theme}.png`) });
      assert.deepEqual(host.pageErrors, []);
    });
  }

  it('keeps the detail pane where the reader scrolled it when the PCB is read again', async () => {
    await boot({ width: 1100, height: 640 });
    await selectHostile();
    await host.page.locator('.detail-pane vscode-collapsible[data-section="more"]').waitFor();
    const panel = host.page.locator('.detail-pane').locator('xpath=..');
    await panel.evaluate((p) => {
      p.scrollTop = 900;
    });
    const requests = host.posted.filter((m) => m.type === 'request').length;
    // The pane reads the PCB again every few seconds and rebuilds.
    await host.next((m) => m.type === 'request' && m.request.kind === 'detail', 8000);
    await host.page.waitForTimeout(300);
    assert.ok(host.posted.filter((m) => m.type === 'request').length > requests, 'the PCB was read again');
    assert.equal(await panel.evaluate((p) => p.scrollTop), 900);
  });

  for (const locale of ['en', 'ko'] as const) {
    for (const width of [1300, 760]) {
      it(`shows every column header's whole label (${locale}, ${width} px)`, async () => {
        await boot({ locale, width, height: 600 });
        assert.equal(await host.page.locator('.grid-header .c-name .header-text').textContent(), locale === 'ko' ? '이름' : 'Name');
        const cut = await cutHeaderLabels(host.page);
        assert.deepEqual(cut, [], 'no header label is cut');
        const shown = await host.page
          .locator('.grid-header .cell')
          .evaluateAll((cells) => cells.filter((c) => getComputedStyle(c).display !== 'none').length);
        assert.ok(shown >= 4, `${shown} columns shown`);
        if (width === 1300)
          await host.page.screenshot({ path: join(OUT, `panes-headers-${locale}.png`), clip: { x: 0, y: 0, width: 900, height: 200 } });
      });
    }
  }

  it('resizes a column by dragging its header edge, keeps the label whole, and remembers the width across a reload', async () => {
    await boot({ width: 1300, height: 600 });
    const userHeader = host.page.locator('.grid-header .c-user');
    const before = (await userHeader.boundingBox())!;
    const grip = userHeader.locator('.col-resizer');
    const g = (await grip.boundingBox())!;
    await host.page.mouse.move(g.x + g.width / 2, g.y + g.height / 2);
    await host.page.mouse.down();
    await host.page.mouse.move(g.x + g.width / 2 + 90, g.y + g.height / 2, { steps: 5 });
    await host.page.mouse.up();
    const after = (await userHeader.boundingBox())!;
    assert.ok(Math.abs(after.width - (before.width + 90)) <= 2, `the user column grew by the drag (${before.width} → ${after.width})`);
    // The rows follow the header: a row's user cell has the header's width and left edge.
    const cell = (await host.page.locator('.row:not([hidden]) .c-user').first().boundingBox())!;
    assert.ok(Math.abs(cell.x - after.x) <= 1 && Math.abs(cell.width - after.width) <= 1, 'the rows use the same tracks');
    assert.equal(host.posted.filter((m) => m.type === 'request').length, 0, 'a resize is not a request');
    // Dragging far to the left stops at the width the label needs.
    const g2 = (await grip.boundingBox())!;
    await host.page.mouse.move(g2.x + g2.width / 2, g2.y + g2.height / 2);
    await host.page.mouse.down();
    await host.page.mouse.move(g2.x - 400, g2.y + g2.height / 2, { steps: 5 });
    await host.page.mouse.up();
    const label = await userHeader.locator('.header-text').evaluate((e) => ({ full: e.scrollWidth, shown: e.clientWidth }));
    assert.ok(label.full <= label.shown, `the label stays whole at the narrowest (${label.full} ≤ ${label.shown})`);
    // Once more wider, then a reload with the saved state keeps it.
    const g3 = (await grip.boundingBox())!;
    await host.page.mouse.move(g3.x + g3.width / 2, g3.y + g3.height / 2);
    await host.page.mouse.down();
    await host.page.mouse.move(g3.x + g3.width / 2 + 120, g3.y + g3.height / 2, { steps: 5 });
    await host.page.mouse.up();
    const wide = (await userHeader.boundingBox())!.width;
    await bootPanel(host, fx.snapshot, { width: 1300, height: 600 }, true);
    const restored = (await host.page.locator('.grid-header .c-user').boundingBox())!.width;
    assert.ok(Math.abs(restored - wide) <= 1, `the width survives a reload (${wide} → ${restored})`);
    await host.page.screenshot({ path: join(OUT, 'panes-resized-column.png'), clip: { x: 0, y: 0, width: 1300, height: 200 } });
  });

  it('gives every cut text in the rows a tooltip holding its whole text', async () => {
    await boot({ width: 900, height: 600 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    // Narrow the name column so the name and its workspace label are cut.
    await host.page.evaluate(() => {
      const grip = document.querySelector('.grid-header .c-name .col-resizer')!;
      const r = grip.getBoundingClientRect();
      grip.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, clientX: r.left, clientY: r.top, pointerId: 1 }));
      grip.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: r.left - 1000, clientY: r.top, pointerId: 1 }));
      grip.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, clientX: r.left - 1000, clientY: r.top, pointerId: 1 }));
    });
    const texts = await host.page
      .locator('.row:not([hidden])')
      .evaluateAll((rows) =>
        rows.flatMap((r) =>
          [...r.querySelectorAll<HTMLElement>('.cell, .name-text, .ws-label')]
            .filter((e) => getComputedStyle(e).display !== 'none' && e.scrollWidth > e.clientWidth + 0.5 && e.children.length === 0)
            .map((e) => ({ cls: e.className, text: e.textContent ?? '', title: e.title })),
        ),
      );
    assert.ok(texts.length >= 2, `some texts are cut (${texts.map((x) => x.cls).join(', ')})`);
    assert.ok(
      texts.some((x) => x.cls.includes('ws-label')),
      'the workspace label is among them',
    );
    for (const x of texts) assert.equal(x.title, x.text, `${x.cls} has its whole text as a tooltip`);
    await host.page.screenshot({ path: join(OUT, 'panes-cut-texts.png'), clip: { x: 0, y: 0, width: 900, height: 200 } });
  });

  it('never breaks an open-file type inside a word', async () => {
    // The narrowest detail pane (260 px), where long targets squeeze the type column hardest.
    await boot({ width: 560, height: 700 });
    await selectHostile();
    await host.page.locator('.fd-table').waitFor();
    const broken = await host.page.locator('.fd-table td.fd-type').evaluateAll((cells) =>
      cells.flatMap((td) => {
        const node = td.firstChild;
        if (!node || node.nodeType !== Node.TEXT_NODE) return [];
        const text = node.textContent ?? '';
        const out: string[] = [];
        let at = 0;
        for (const word of text.split(' ')) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          // One line box per word: a word split over two lines has two rects.
          if (word && range.getClientRects().length > 1) out.push(word);
          at += word.length + 1;
        }
        return out;
      }),
    );
    assert.ok((await host.page.locator('.fd-table td.fd-type').count()) > 0);
    assert.deepEqual(broken, []);
  });

  it('clears the error banner after the next successful poll (a delta, or a snapshot)', async () => {
    await boot({ width: 1100, height: 600 });
    const banner = host.page.locator('.banner .notice.error');
    let t = fx.snapshot.snapshot.timestamp;
    // A delta that moves no row (patched in place) and one that adds and removes rows (rebuilt): both clear it.
    const patchable = {
      ...fx.deltas[0]!,
      added: [],
      removed: [],
      changed: fx.deltas[0]!.changed.filter((c) => Object.keys(c).every((k) => ['key', 'cpuPercent', 'utimeMs', 'stimeMs'].includes(k))),
    };
    for (const delta of [patchable, fx.deltas[1] ?? fx.deltas[0]!]) {
      await host.send({ type: 'error', message: 'EIO reading /proc' });
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', /EIO reading \/proc/);
      await host.send({ type: 'delta', delta: { ...delta, timestamp: (t += 1000) } });
      await banner.waitFor({ state: 'detached' });
    }
    await host.send({ type: 'error', message: 'EIO reading /proc' });
    await banner.waitFor();
    await host.send({ ...fx.snapshot, snapshot: { ...fx.snapshot.snapshot, timestamp: (t += 1000) } });
    await banner.waitFor({ state: 'detached' });
    assert.deepEqual(host.pageErrors, []);
  });

  it('scrolls a large IPC graph to its far corner inside its own box, the page no taller than the window', async () => {
    await boot({ width: 1000, height: 600 });
    await host.send({ type: 'ipc', map: hubIpcMap(procs, hostile) });
    await selectHostile();
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('.ipc-status', { hasText: '41 processes' }).waitFor();
    const geometry = await host.page.evaluate(() => {
      const canvas = document.querySelector('.ipc-canvas') as HTMLElement;
      canvas.scrollLeft = canvas.scrollWidth;
      canvas.scrollTop = canvas.scrollHeight;
      const graph = canvas.querySelector('svg.ipc-graph')!.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      return {
        scrollable: canvas.scrollWidth > canvas.clientWidth && canvas.scrollHeight > canvas.clientHeight,
        atEnd:
          canvas.scrollLeft + canvas.clientWidth >= canvas.scrollWidth - 1 &&
          canvas.scrollTop + canvas.clientHeight >= canvas.scrollHeight - 1,
        graph: { right: graph.right, bottom: graph.bottom },
        canvas: { left: c.left, right: c.right, top: c.top, bottom: c.bottom } as Box,
        page: document.documentElement.scrollHeight,
        window: window.innerHeight,
      };
    });
    assert.ok(geometry.scrollable, 'the graph overflows the canvas both ways (else this shows nothing)');
    assert.ok(geometry.atEnd, 'the canvas scrolled to its far corner');
    assert.ok(
      geometry.canvas.bottom <= geometry.window,
      `the canvas ends inside the window (${geometry.canvas.bottom} ≤ ${geometry.window})`,
    );
    assert.ok(geometry.page <= geometry.window, `the page is no taller than the window (${geometry.page})`);
    // The graph's far corner is in view: its right and bottom edges lie inside the canvas box.
    assert.ok(
      geometry.graph.right <= geometry.canvas.right + 1 && geometry.graph.right >= geometry.canvas.left,
      `graph right ${geometry.graph.right} in ${geometry.canvas.left}–${geometry.canvas.right}`,
    );
    assert.ok(
      geometry.graph.bottom <= geometry.canvas.bottom + 1 && geometry.graph.bottom >= geometry.canvas.top,
      `graph bottom ${geometry.graph.bottom} in ${geometry.canvas.top}–${geometry.canvas.bottom}`,
    );
    await host.page.screenshot({ path: join(OUT, 'panes-ipc-corner.png') });
    assert.deepEqual(host.pageErrors, []);
  });
});
