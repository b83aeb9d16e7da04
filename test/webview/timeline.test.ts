// The Timeline tab and rewinding, in real headless Chromium: the fake host answers from a real in-memory
// history built from the recorded fixtures (a snapshot and two deltas: one process born and gone again).
// Lanes for the lives with events, the scrubber showing the tree as it was, "Live" asking the host for its
// newest table, and the tree following.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyDelta } from '../../src/core/diff';
import { TickHistory } from '../../src/core/record/history';
import { indexHistory } from '../../src/core/record/historyIndex';
import type { Request } from '../../src/protocol';
import { loadFixtures, type FakeHost, type Fixtures } from './page';
import { join } from 'node:path';
import { bootPanel, fakeHostForSuite, hubIpcMap, OUT } from './session';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const s0 = fx.snapshot.snapshot;
const s1 = applyDelta(s0, fx.deltas[0]!);
const s2 = applyDelta(s1, fx.deltas[1]!);
const history = new TickHistory(64 << 20);
history.push(s0);
history.pushDelta(s1, fx.deltas[0]!);
history.pushDelta(s2, fx.deltas[1]!);
const leaver = s1.processes.find((p) => p.pid === fx.meta.pids.leaver)!;
const index = indexHistory(history.asRecording({ intervalMs: 1000, threads: false }));

let host: FakeHost;
const asked: Request[] = [];

function answer(r: Request): { ok: true; result: unknown } | { ok: false; error: string } {
  asked.push(r);
  if (r.kind === 'historyIndex') return { ok: true, result: index };
  if (r.kind === 'historyAt') {
    const tick = history.tickAtTime(r.at)!;
    const snapshot = history.snapshotAt(tick);
    return { ok: true, result: { at: snapshot.timestamp, snapshot } };
  }
  return { ok: false, error: 'refused by the test host' };
}

// A live row, not one kept a moment marked as exited.
const leaverRow = () => host.page.locator(`.row:not(.is-exited)[data-row-id="p${leaver.key}"]`);

describe('the Timeline tab and rewinding', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => {
    host = h;
  }, answer);

  it('keeps the keyboard focus on a lane when the timeline is drawn again', async () => {
    await bootPanel(host, fx.snapshot, { width: 1400, height: 800 });
    for (const delta of fx.deltas) await host.send({ type: 'delta', delta });
    await host.page.locator('vscode-tab-header', { hasText: 'Timeline' }).click();
    const lane = host.page.locator(`.timeline-lane[data-key="${leaver.key}"]`);
    await lane.waitFor();
    await lane.focus();
    await lane.evaluate((l) => ((l as SVGElement & { __drawn?: number }).__drawn = 1));
    // Enter selects its process: the timeline is drawn again with that process's strips above the lanes (they
    // carry the same data-key as the lane).
    await host.page.keyboard.press('Enter');
    await host.page.waitForFunction((key) => {
      const l = document.querySelector(`.timeline-lane[data-key="${key}"]`) as (SVGElement & { __drawn?: number }) | null;
      return l !== null && l.__drawn === undefined;
    }, leaver.key);
    const focused = await host.page.evaluate(() => {
      const a = document.activeElement as SVGElement | null;
      return { cls: a?.getAttribute('class'), key: a?.getAttribute('data-key') };
    });
    assert.deepEqual(focused, { cls: 'timeline-lane', key: leaver.key }, 'the new lane of the same life has the focus');
  });

  it('draws a lane per life with events, with what happened in its tooltip', async () => {
    await bootPanel(host, fx.snapshot, { width: 1400, height: 800 });
    for (const delta of fx.deltas) await host.send({ type: 'delta', delta });
    await host.page.locator('vscode-tab-header', { hasText: 'Timeline' }).click();
    await host.page.locator('.timeline-lane').first().waitFor();
    assert.ok(asked.some((r) => r.kind === 'historyIndex'));
    assert.equal(await host.page.locator('.timeline-lane').count(), index.lives.length);
    const lane = host.page.locator(`.timeline-lane[data-key="${leaver.key}"]`);
    const title = (await lane.locator('title').first().textContent())!;
    assert.match(title, new RegExp(`\\(${leaver.pid}\\), parent ${leaver.ppid}\\nborn at .*\\n(.*\\n)*gone at `));
    assert.equal(await lane.locator('.timeline-bar.exited').count(), 1);
    assert.match((await host.page.locator('.timeline-head').textContent())!, /3 ticks/);
    await host.page.screenshot({ path: join(OUT, 'timeline.png') });
    // Live: the leaver is gone from the tree.
    await host.page.locator('#filter input').fill(`pid:${leaver.pid}`);
    assert.equal(await leaverRow().count(), 0);
  });

  it('zooms (buttons, Ctrl+wheel) and pans (drag) the lanes; "Whole history" shows all of it again', async () => {
    const pane = host.page.locator('.timeline-pane');
    const windowOf = async (): Promise<[number, number]> =>
      (await pane.getAttribute('data-window'))!.split(',').map(Number) as [number, number];
    const [first, last] = await windowOf();
    assert.equal(await pane.getAttribute('data-zoom'), '1');
    await host.page.locator('[data-timeline-zoom="in"]').click();
    await host.page.locator('[data-timeline-zoom="in"]').click();
    assert.equal(await pane.getAttribute('data-zoom'), '4');
    // Zoomed, the window keeps its right edge on the newest tick and spans a quarter of the history.
    const [zf, zl] = await windowOf();
    assert.equal(zl, last);
    assert.ok(Math.abs(zl - zf - (last - first) / 4) <= 1, JSON.stringify({ first, last, zf, zl }));
    assert.match((await host.page.locator('.timeline-head').textContent())!, /showing .* \(×4; drag the lanes to pan\)/);
    // Dragging the lanes to the right shows earlier times.
    const box = (await host.page.locator('.timeline-lanes').boundingBox())!;
    await host.page.mouse.move(box.x + 200, box.y + 30);
    await host.page.mouse.down();
    await host.page.mouse.move(box.x + box.width - 40, box.y + 30, { steps: 4 });
    await host.page.mouse.up();
    const [pf, pl] = await windowOf();
    assert.ok(pf < zf && pl < zl && pf >= first, JSON.stringify({ first, zf, pf, pl }));
    // Ctrl+wheel out over the lanes, then "Whole history".
    await host.page.mouse.move(box.x + box.width / 2, box.y + 30);
    await host.page.keyboard.down('Control');
    await host.page.mouse.wheel(0, 100);
    await host.page.keyboard.up('Control');
    assert.equal(await pane.getAttribute('data-zoom'), '2');
    await host.page.locator('[data-timeline-zoom="all"]').click();
    assert.equal(await pane.getAttribute('data-zoom'), '1');
    assert.deepEqual(await windowOf(), [first, last]);
    assert.doesNotMatch((await host.page.locator('.timeline-head').textContent())!, /showing/);
  });

  it('the scrubber shows the tree as it was at that tick; Live asks the host for its newest table', async () => {
    const scrub = host.page.locator('.timeline-scrub');
    assert.equal(await scrub.getAttribute('max'), '2');
    await scrub.evaluate((e: HTMLInputElement) => {
      e.value = '1';
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await host.page.locator('.past-notice').waitFor();
    assert.ok(asked.some((r) => r.kind === 'historyAt' && r.at === s1.timestamp));
    await leaverRow().waitFor();
    assert.match(
      (await host.page.locator('.past-notice').textContent())!,
      /^Rewound\. The tree shows the processes as they were at .+ \(\d.* ago\)\./,
    );
    // The notice is a status announced once: its age grows in place, in a part that is not live.
    assert.equal(await host.page.locator('.past-notice .past-age').getAttribute('aria-live'), 'off');
    await host.page.locator('.past-notice').evaluate((n: HTMLElement) => (n.dataset.probe = 'first'));
    // Live data that arrives meanwhile does not overwrite the past table.
    await host.send({
      type: 'delta',
      delta: { timestamp: s2.timestamp + 1000, intervalMs: 1000, added: [], removed: [leaver.key], changed: [] },
    });
    assert.equal(await leaverRow().count(), 1);
    assert.equal(await host.page.locator('.past-notice').getAttribute('data-probe'), 'first', 'the same notice element');
    const before = host.posted.length;
    await host.page.locator('.past-notice [data-action="live"]').click();
    assert.ok(
      host.posted.slice(before).some((m) => m.type === 'resync'),
      JSON.stringify(host.posted.slice(before)),
    );
    // Until the newest table arrives, deltas wait; then the tree is the present again.
    await host.send({ type: 'snapshot', snapshot: s2, workspace: [] });
    await host.page.locator('.past-notice').waitFor({ state: 'detached' });
    assert.equal(await leaverRow().count(), 0);
    assert.deepEqual(host.pageErrors, []);
  });

  it('the IPC view follows a rewind: the scan kept from that time, or a note why there is none', async () => {
    const hub = s0.processes.find((p) => !p.kernelThread)!;
    // One scan between the first and second tick (a hub joined to 40 processes), one after the last (empty).
    await host.send({ type: 'ipc', map: { ...hubIpcMap(s0.processes, hub), timestamp: s0.timestamp + 1 } });
    await host.send({ type: 'ipc', map: ipcMapOf([], { timestamp: s2.timestamp + 1 }) });
    const scrubTo = async (tick: number, at: number): Promise<void> => {
      const before = asked.length;
      await host.page.locator('.timeline-scrub').evaluate((e: HTMLInputElement, v: number) => {
        e.value = String(v);
        e.dispatchEvent(new Event('input', { bubbles: true }));
      }, tick);
      while (!asked.slice(before).some((r) => r.kind === 'historyAt' && r.at === at)) await host.page.waitForTimeout(20);
      await host.page.locator('.past-notice').waitFor();
    };
    await scrubTo(1, s1.timestamp);
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.page.locator('[data-ipc-scope="all"]').click();
    const note = host.page.locator('.ipc-past');
    await host.page.locator(`.ipc-node[data-pid="${hub.pid}"]`).waitFor();
    assert.match((await note.textContent())!, /^Rewound: the IPC scan taken at .* \(\d+ s before the shown tick\)/);
    // Before any kept scan: none shown, and why.
    await scrubTo(0, s0.timestamp);
    await host.page.locator('.ipc-node').first().waitFor({ state: 'detached' });
    assert.match(
      (await note.textContent())!,
      /^Rewound: no IPC scan is kept from that time \(the panel keeps the scans it received since /,
    );
    assert.equal(await host.page.locator('.ipc-status').textContent(), '', 'nothing is awaited');
    // Live: the newest scan (empty), no note.
    await host.page.locator('.past-notice [data-action="live"]').click();
    await host.send({ type: 'snapshot', snapshot: s2, workspace: [] });
    await host.page.locator('.past-notice').waitFor({ state: 'detached' });
    await host.page.locator('.ipc-canvas .empty-state').waitFor();
    assert.equal(await note.isHidden(), true);
    assert.deepEqual(host.pageErrors, []);
  });
});
