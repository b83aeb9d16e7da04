// Keyboard focus and screen-reader announcements across the panel's redraws, in real headless Chromium (the
// fake host of page.ts with the recorded fixtures). Parts of the panel are rebuilt on a timer (the empty-list
// overlay and the notices every tick, the IPC graph at every scan) or when a toggle is pressed (the scope
// buttons, the state chips, the IPC view's buttons): a control that had the focus must have it after the
// rebuild, and an alert must not be read out again while nothing changed. Also: the toolbar wraps in a narrow
// panel, the details pane fits a window made narrower, and the panes stack in a very narrow one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, pipeChannel, refuseRequests } from './session';
import type { ProcessInfo } from '../../src/core/model';
import type { IpcMap } from '../../src/core/ipc/model';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const others = procs.filter((p) => p.pid !== hostile.pid && !p.kernelThread).slice(0, 6);

let host: FakeHost;
let clock = fx.snapshot.snapshot.timestamp;

const pipe = pipeChannel;

/**
 * The hostile process piped to six others (and `more` extra pipes to the last, so a test can tell one scan from
 * the next by the channel count); with a lock deadlock between it and the first when asked.
 */
function ipc(deadlock = false, more = 0): IpcMap {
  return ipcMapOf(
    [...others.map((p, i) => pipe(hostile, p, i)), ...Array.from({ length: more }, (_, i) => pipe(hostile, others.at(-1)!, 100 + i))],
    deadlock ? { deadlocks: [{ pids: [hostile.pid, others[0]!.pid], files: ['/tmp/a.lock', '/tmp/b.lock'], channelIds: [] }] } : {},
  );
}

let born = 0;

/**
 * One tick, as the panel redraws its overlay and notices at every tick: a process appears (outside any filter a
 * test sets), and the tick is waited for until the counts show it.
 */
async function tick(): Promise<void> {
  born++;
  const pid = 3_000_000 + born;
  const count = (await host.page.locator('.toolbar .count').textContent()) ?? '';
  const before = Number(/^(\d+)/.exec(count)?.[1]);
  const p: ProcessInfo = {
    ...hostile,
    pid,
    ppid: 1,
    name: `tick-${born}`,
    key: `${pid}@${hostile.startTicks}`,
    cmdline: [`tick-${born}`],
    numThreads: 1,
    threads: undefined,
  };
  await host.send({ type: 'delta', delta: { timestamp: (clock += 1000), intervalMs: 1000, added: [p], removed: [], changed: [] } });
  await host.page.locator('.toolbar .count', { hasText: `${before + 1} processes` }).waitFor();
}

/** Marks the focused element, so a test can tell the same element from a rebuilt copy of it. */
const markFocused = (): Promise<string> =>
  host.page.evaluate(() => {
    const a = document.activeElement as HTMLElement & { __mark?: number };
    a.__mark = 1;
    return `${a.tagName} ${a.className}`;
  });
const focusedIsMarked = (): Promise<boolean> =>
  host.page.evaluate(() => (document.activeElement as HTMLElement & { __mark?: number }).__mark === 1);
const focusedData = (name: string): Promise<string | null> =>
  host.page.evaluate((n) => (document.activeElement as HTMLElement | null)?.getAttribute(`data-${n}`) ?? null, name);

async function openIpc(map: IpcMap): Promise<void> {
  await host.send({ type: 'ipc', map });
  await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
  await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
  await host.page.locator('vscode-tab-header').nth(2).click();
  await host.page.locator('svg.ipc-graph').waitFor();
}

describe('ProcScope webview: focus and announcements across redraws', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('keeps the focus on "Clear filter" while ticks redraw the empty list, and the button still works', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    await host.page.locator('#filter input').fill('no-such-process-anywhere');
    const clear = host.page.locator('[data-action="clear-filter"]');
    await clear.waitFor();
    await clear.focus();
    await markFocused();
    for (let i = 0; i < 3; i++) await tick();
    assert.equal(await focusedData('action'), 'clear-filter', 'the button still has the focus');
    assert.ok(await focusedIsMarked(), 'it is the same element: an unchanged overlay is not rebuilt');
    await host.page.keyboard.press('Enter');
    await host.page.locator('[data-action="clear-filter"]').waitFor({ state: 'detached' });
    assert.equal(await host.page.locator('#filter input').inputValue(), '', 'the filter was cleared');
    assert.deepEqual(host.pageErrors, []);
  });

  it('keeps the focus on a scope button and a state chip pressed from the keyboard', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    const inactive = host.page.locator('[data-scope][aria-checked="false"]');
    const scope = (await inactive.getAttribute('data-scope'))!;
    await inactive.focus();
    await host.page.keyboard.press('Enter');
    await host.page.locator(`[data-scope="${scope}"][aria-checked="true"]`).waitFor();
    assert.equal(await focusedData('scope'), scope, 'the pressed scope button keeps the focus');
    const chip = host.page.locator('.legend-chip[data-state="S"]');
    await chip.focus();
    await host.page.keyboard.press('Space');
    await host.page.locator('.legend-chip[data-state="S"][aria-pressed="true"]').waitFor();
    assert.equal(await focusedData('state'), 'S', 'the pressed state chip keeps the focus');
    await host.page.keyboard.press('Space');
    await host.page.locator('.legend-chip[data-state="S"][aria-pressed="false"]').waitFor();
    assert.equal(await focusedData('state'), 'S');
    assert.deepEqual(host.pageErrors, []);
  });

  it('keeps the focus on an IPC node across selection and new scans, and says the deadlock once', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    await openIpc(ipc(true));
    const graph = host.page.locator('svg.ipc-graph');
    assert.equal(await graph.getAttribute('role'), 'group', 'the nodes inside are reachable by a screen reader');
    assert.equal(await host.page.locator('.ipc-channel-list li').count(), others.length, 'one spoken item per channel');
    const alert = host.page.locator('.ipc-alerts .deadlock-banner[role="alert"]');
    await alert.waitFor();
    await alert.evaluate((a) => ((a as HTMLElement & { __mark?: number }).__mark = 1));
    const peer = others[2]!;
    const node = host.page.locator(`.ipc-node[data-pid="${peer.pid}"]`);
    await node.focus();
    await host.page.keyboard.press('Enter');
    await host.page.locator(`.ipc-node.selected[data-pid="${peer.pid}"]`).waitFor();
    assert.equal(await focusedData('pid'), String(peer.pid), 'Enter on a node keeps the focus on that node');
    // Back to the hub, then two new scans with the same deadlock.
    await host.page.locator(`.ipc-node[data-pid="${hostile.pid}"]`).focus();
    await host.page.keyboard.press('Enter');
    await host.page.locator(`.ipc-node.selected[data-pid="${hostile.pid}"]`).waitFor();
    for (let i = 1; i <= 2; i++) {
      await host.send({ type: 'ipc', map: ipc(true, i) });
      await host.page.locator('.ipc-status', { hasText: `${others.length + i} channels` }).waitFor();
    }
    assert.equal(await focusedData('pid'), String(hostile.pid), 'a new scan keeps the focus on the node');
    assert.equal(
      await alert.evaluate((a) => (a as HTMLElement & { __mark?: number }).__mark),
      1,
      'the deadlock alert is the same element (not inserted, so not announced, again)',
    );
    await host.send({ type: 'ipc', map: ipc(false) });
    await host.page.locator('.ipc-alerts .deadlock-banner').waitFor({ state: 'detached' });
    assert.deepEqual(host.pageErrors, []);
  });

  it('keeps the focus on the IPC view buttons that redraw themselves (Waits, Maximize)', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    await openIpc(ipc());
    await host.page.locator('[data-ipc-action="waits"]').focus();
    await host.page.keyboard.press('Enter'); // the Waits layer is on at first: this turns it off
    await host.page.locator('[data-ipc-action="waits"][aria-pressed="false"]').waitFor();
    assert.equal(await focusedData('ipc-action'), 'waits');
    await host.page.keyboard.press('Enter');
    await host.page.locator('[data-ipc-action="waits"][aria-pressed="true"]').waitFor();
    assert.equal(await focusedData('ipc-action'), 'waits');
    await host.page.locator('[data-ipc-action="maximize"]').focus();
    await host.page.keyboard.press('Enter');
    await host.page.locator('[data-ipc-action="maximize"][aria-pressed="true"]').waitFor();
    assert.equal(await focusedData('ipc-action'), 'maximize', 'the focus stays on the button, not the page');
    // So Escape, which the view handles, restores the layout.
    await host.page.keyboard.press('Escape');
    await host.page.locator('[data-ipc-action="maximize"][aria-pressed="false"]').waitFor();
    assert.deepEqual(host.pageErrors, []);
  });

  it('tells a screen reader what the filter found once typing pauses', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    const status = host.page.locator('.toolbar .sr-only[role="status"]');
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.waitForFunction(() => /\d/.test(document.querySelector('.toolbar .sr-only[role="status"]')?.textContent ?? ''));
    const said = (await status.textContent())!;
    const count = (await host.page.locator('.toolbar .count').textContent())!;
    assert.match(said, /^\d+ shown$/);
    assert.ok(count.endsWith(` · ${said}`), `it says what the counts say (${said}; ${count})`);
    await host.page.locator('#filter input').fill('no-such-process-anywhere');
    await host.page.waitForFunction(() => !/\d/.test(document.querySelector('.toolbar .sr-only[role="status"]')?.textContent ?? '1'));
    assert.equal(await status.textContent(), 'No process matches this filter.');
  });

  it('wraps the toolbar in a narrow panel: every control stays on screen, in English and Korean', async () => {
    for (const [locale, width] of [
      ['en', 700],
      ['en', 640],
      ['en', 560],
      ['ko', 600],
      ['ko', 480],
    ] as const) {
      await bootPanel(host, fx.snapshot, { width, height: 650, locale });
      const off = await host.page.evaluate(() =>
        [...document.querySelectorAll('.toolbar > *')]
          .map((b) => ({ what: b.className || b.tagName, right: b.getBoundingClientRect().right }))
          .filter((b) => b.right > window.innerWidth + 0.5),
      );
      assert.deepEqual(off, [], `no control of the toolbar ends past the window (${locale}, ${width} px)`);
    }
  });

  it('narrows the details pane with the window, and stacks the panes when very narrow', async () => {
    await bootPanel(host, fx.snapshot, { width: 1400, height: 650 });
    const splitter = host.page.locator('.splitter');
    await splitter.focus();
    for (let i = 0; i < 25; i++) await host.page.keyboard.press('ArrowLeft'); // 500 px wider
    const wide = await host.page.locator('.right').evaluate((r) => r.getBoundingClientRect().width);
    assert.ok(wide > 700, `the pane was made wide (${wide})`);
    assert.ok(Number(await splitter.getAttribute('aria-valuenow')) > 700, 'the splitter says its position');
    await host.page.setViewportSize({ width: 800, height: 650 });
    await host.page.waitForFunction(() => document.querySelector('.right')!.getBoundingClientRect().right <= window.innerWidth + 0.5);
    const boxes = await host.page.evaluate(() => ({
      left: document.querySelector('.left')!.getBoundingClientRect().width,
      right: document.querySelector('.right')!.getBoundingClientRect().right,
    }));
    assert.ok(boxes.left >= 199, `the list keeps its 200 px (${boxes.left})`);
    await host.page.setViewportSize({ width: 1400, height: 650 });
    await host.page.waitForFunction((w) => document.querySelector('.right')!.getBoundingClientRect().width >= w - 1, wide);
    await host.page.setViewportSize({ width: 420, height: 650 });
    const stacked = await host.page.evaluate(() => {
      const l = document.querySelector('.left')!.getBoundingClientRect();
      const r = document.querySelector('.right')!.getBoundingClientRect();
      return { below: r.top >= l.bottom - 1, rightEdge: r.right, width: window.innerWidth };
    });
    assert.ok(stacked.below, 'the details go below the list');
    assert.ok(stacked.rightEdge <= stacked.width + 0.5, 'and fit the window');
    assert.deepEqual(host.pageErrors, []);
  });
});

describe('ProcScope webview: dialogs give the keyboard back', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('the renice dialog closes with Escape from its buttons and the focus goes back to the table', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).click();
    await host.page.keyboard.press('Shift+F10');
    await host.page.locator('vscode-context-menu').getByText('Renice…').click();
    await host.page.locator('.renice-dialog input').waitFor();
    await host.page.keyboard.press('Tab'); // to Apply
    await host.page.keyboard.press('Escape');
    await host.page.locator('.renice-dialog').waitFor({ state: 'detached' });
    assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'process-grid', 'the table has the focus again');
    assert.deepEqual(host.pageErrors, []);
  });

  it('the keyboard help keeps Tab inside itself', async () => {
    await bootPanel(host, fx.snapshot, { width: 1100, height: 650 });
    await host.page.locator('#process-grid').focus();
    await host.page.keyboard.press('?');
    await host.page.locator('.help-dialog[role="dialog"]').waitFor();
    for (let i = 0; i < 3; i++) {
      await host.page.keyboard.press('Tab');
      assert.ok(await host.page.evaluate(() => !!document.activeElement?.closest('.help-dialog')), 'the focus stays in the dialog');
    }
    await host.page.keyboard.press('Escape');
    await host.page.locator('.help-dialog').waitFor({ state: 'detached' });
    assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'process-grid');
  });
});
