// Finding one's way in the IPC graph, in real headless Chromium: zoom (buttons, Ctrl+wheel around the
// pointer), fit to view, pan by dragging, parallel channels merged into one counted edge, whole edge
// labels, and a maximized graph that takes the whole panel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, type Fixtures, type PageOptions, type Theme } from './page';
import { bootPanel, fakeHostForSuite, OUT, pipeChannel, refuseRequests } from './session';
import type { IpcMap, UnixChannel } from '../../src/core/ipc/model';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const others = procs.filter((p) => p.pid !== hostile.pid && !p.kernelThread).slice(0, 40);
const LONG_PATH = '/run/user/1000/procscope-test/a-rather-long-directory-name/with-a-socket-inside.sock';

let host: FakeHost;

const pipe = pipeChannel;

function map(channels: IpcMap['channels']): IpcMap {
  return ipcMapOf(channels);
}

/** A hub with 40 neighbours: far larger than the pane. */
const hub = (): IpcMap => map(others.map((p, i) => (i % 2 ? pipe(hostile, p, i) : pipe(p, hostile, i))));

/** Five pipes from the hostile process to one peer, and a unix socket with a long path between them. */
function parallel(): IpcMap {
  const peer = others[0]!;
  const unix: UnixChannel = {
    kind: 'unix',
    id: 'unix:t:1',
    label: `unix ${LONG_PATH}`,
    path: LONG_PATH,
    abstract: false,
    socketType: 'stream',
    state: 'connected',
    inodes: [777, 778],
    peerKnown: true,
    endpoints: [
      { pid: hostile.pid, fd: 30, role: 'readwrite', processName: hostile.name, processKey: hostile.key },
      { pid: peer.pid, fd: 31, role: 'readwrite', processName: peer.name, processKey: peer.key },
    ],
  };
  return map([...[1, 2, 3, 4, 5].map((n) => pipe(hostile, peer, n)), unix]);
}

async function openIpc(ipc: IpcMap, options: PageOptions = {}): Promise<void> {
  await bootPanel(host, fx.snapshot, { width: 1100, height: 650, ...options });
  await host.send({ type: 'ipc', map: ipc });
  await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
  await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
  await host.page.locator('vscode-tab-header').nth(2).click();
  await host.page.locator('svg.ipc-graph').waitFor();
}

const graphSize = () =>
  host.page
    .locator('svg.ipc-graph')
    .evaluate((g) => ({ width: Number(g.getAttribute('width')), height: Number(g.getAttribute('height')) }));
const zoomText = () => host.page.locator('.ipc-zoom').textContent();

describe('ProcScope IPC graph navigation', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('zooms with the buttons and the keyboard, and fits the whole graph in view', async () => {
    await openIpc(hub());
    await host.page.locator('.ipc-status', { hasText: '41 processes' }).waitFor();
    const start = await graphSize();
    const startZoom = Number.parseInt((await zoomText())!, 10);
    await host.page.locator('[data-ipc-action="zoom-in"]').click();
    const bigger = await graphSize();
    assert.ok(Math.abs(bigger.width / start.width - 1.25) < 0.02, `zoom in scales by 1.25 (${start.width} → ${bigger.width})`);
    assert.equal(await zoomText(), `${Math.round(startZoom * 1.25)}%`);
    await host.page.locator('[data-ipc-action="zoom-out"]').click();
    await host.page.locator('[data-ipc-action="zoom-out"]').click();
    const smaller = await graphSize();
    assert.ok(Math.abs(smaller.width / start.width - 0.8) < 0.02, `zoom out scales by 0.8 (${start.width} → ${smaller.width})`);
    await host.page.locator('[data-ipc-action="fit"]').click();
    const fit = await host.page.locator('.ipc-canvas').evaluate((c) => {
      const g = c.querySelector('svg.ipc-graph')!.getBoundingClientRect();
      const box = c.getBoundingClientRect();
      return {
        scrolls: c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1,
        g: g.toJSON() as DOMRect,
        box: box.toJSON() as DOMRect,
      };
    });
    assert.equal(fit.scrolls, false, 'after fit nothing is left to scroll');
    assert.ok(
      fit.g.left >= fit.box.left - 1 &&
        fit.g.right <= fit.box.right + 1 &&
        fit.g.top >= fit.box.top - 1 &&
        fit.g.bottom <= fit.box.bottom + 1,
      'the whole graph is inside the canvas',
    );
    const fitZoom = Number.parseInt((await zoomText())!, 10);
    assert.ok(fitZoom < startZoom, `fit shrinks this graph (${startZoom}% → ${fitZoom}%)`);
    // Keyboard on the graph: + zooms in, 0 fits again.
    const fitted = await graphSize();
    await host.page.locator('.ipc-canvas').focus();
    await host.page.keyboard.press('+');
    assert.ok(Math.abs((await graphSize()).width / fitted.width - 1.25) < 0.03, 'the + key zooms in');
    await host.page.keyboard.press('0');
    assert.ok(Math.abs((await graphSize()).width - fitted.width) <= 1, 'the 0 key fits again');
    await host.page.screenshot({ path: join(OUT, 'ipc-fit.png') });
    assert.deepEqual(host.pageErrors, []);
  });

  it('zooms with Ctrl + wheel around the pointer and pans by dragging the background', async () => {
    await openIpc(hub());
    const node = host.page.locator(`.ipc-node[data-pid="${hostile.pid}"]`);
    const before = (await node.boundingBox())!;
    const at = { x: before.x + before.width / 2, y: before.y + before.height / 2 };
    await host.page.mouse.move(at.x, at.y);
    await host.page.keyboard.down('Control');
    await host.page.mouse.wheel(0, -200);
    await host.page.keyboard.up('Control');
    await host.page.waitForTimeout(100);
    const after = (await node.boundingBox())!;
    assert.ok(after.width > before.width * 1.2, `the graph grew (${before.width} → ${after.width})`);
    // The point under the pointer stayed under it (within a few pixels).
    const centre = { x: after.x + after.width / 2, y: after.y + after.height / 2 };
    assert.ok(
      Math.abs(centre.x - at.x) < 6 && Math.abs(centre.y - at.y) < 6,
      `the node under the pointer stays there (${JSON.stringify(at)} → ${JSON.stringify(centre)})`,
    );
    // Pan: drag an empty spot of the canvas.
    const canvas = host.page.locator('.ipc-canvas');
    const scroll0 = await canvas.evaluate((c) => ({ left: c.scrollLeft, top: c.scrollTop }));
    const box = (await canvas.boundingBox())!;
    // An empty point: the canvas's top-left corner area is padding or background.
    const from = await host.page.evaluate(
      ({ x0, y0, w, h }) => {
        for (let y = y0 + 10; y < y0 + h - 10; y += 15)
          for (let x = x0 + 10; x < x0 + w - 10; x += 15) {
            const e = document.elementFromPoint(x, y);
            if (e && !e.closest('.ipc-node') && e.closest('.ipc-canvas')) return { x, y };
          }
        return null;
      },
      { x0: box.x, y0: box.y, w: box.width, h: box.height },
    );
    assert.ok(from, 'found an empty spot to drag');
    await host.page.mouse.move(from.x, from.y);
    await host.page.mouse.down();
    await host.page.mouse.move(from.x - 80, from.y - 60, { steps: 4 });
    await host.page.mouse.up();
    const scroll1 = await canvas.evaluate((c) => ({ left: c.scrollLeft, top: c.scrollTop }));
    assert.ok(
      Math.abs(scroll1.left - scroll0.left - 80) <= 2 && Math.abs(scroll1.top - scroll0.top - 60) <= 2,
      `dragging pans (${JSON.stringify(scroll0)} → ${JSON.stringify(scroll1)})`,
    );
    assert.equal(await host.page.locator('.row.selected').getAttribute('data-key'), hostile.key, 'a drag selects nothing');
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    it(`merges parallel channels into one counted edge, shows whole labels, and maximizes (${theme})`, async () => {
      await openIpc(parallel(), { theme });
      await host.page.locator('.ipc-status', { hasText: '2 processes, 6 channels' }).waitFor();
      const merged = host.page.locator('path.ipc-edge[data-count="5"]');
      assert.equal(await merged.count(), 1, 'five pipes are one edge');
      assert.equal(await host.page.locator('path.ipc-edge').count(), 2, 'plus the socket');
      const lines = (await merged.locator('title').textContent())!.split('\n');
      assert.equal(lines.length, 5);
      for (const n of [1, 2, 3, 4, 5])
        assert.ok(
          lines.some((l) => l.startsWith(`pipe ${9000 + n}: `)),
          `the tooltip lists pipe ${9000 + n}`,
        );
      const labels = await host.page.locator('.ipc-edge-label').evaluateAll((ts) => ts.map((x) => x.firstChild?.textContent ?? ''));
      assert.ok(labels.includes('5 × pipe'), `a counted label: ${JSON.stringify(labels)}`);
      assert.ok(labels.includes(`unix socket ${LONG_PATH} stream`), `the long label is whole: ${JSON.stringify(labels)}`);
      // Labels are not clipped by the drawing: each lies inside the SVG's box.
      const clipped = await host.page.locator('svg.ipc-graph').evaluate((g) => {
        const box = g.getBoundingClientRect();
        return [...g.querySelectorAll('.ipc-edge-label')]
          .map((x) => x.getBoundingClientRect())
          .filter((r) => r.left < box.left - 1 || r.right > box.right + 1).length;
      });
      assert.equal(clipped, 0);
      // Maximize: the process list goes, the graph has the panel's width; Escape gives it back.
      await host.page.locator('[data-ipc-action="maximize"]').click();
      const wide = await host.page.evaluate(() => ({
        left: getComputedStyle(document.querySelector('.left')!).display,
        right: document.querySelector('.right')!.getBoundingClientRect().width,
        window: window.innerWidth,
      }));
      assert.equal(wide.left, 'none');
      assert.ok(wide.right >= wide.window - 2, `the graph pane spans the panel (${wide.right} of ${wide.window})`);
      assert.equal(await host.page.locator('[data-ipc-action="maximize"]').getAttribute('aria-pressed'), 'true');
      await host.page.screenshot({ path: join(OUT, `ipc-maximized-${theme}.png`) });
      await host.page.locator('.ipc-canvas').focus();
      await host.page.keyboard.press('Escape');
      assert.notEqual(await host.page.locator('.left').evaluate((e) => getComputedStyle(e).display), 'none');
      // And another tab gives the panel back too.
      await host.page.locator('[data-ipc-action="maximize"]').click();
      await host.page.locator('vscode-tab-header').nth(0).click();
      assert.notEqual(await host.page.locator('.left').evaluate((e) => getComputedStyle(e).display), 'none');
      assert.deepEqual(host.pageErrors, []);
    });
  }
});
