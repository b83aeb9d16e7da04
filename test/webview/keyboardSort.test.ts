// The process grid for keyboard and screen-reader users, in real headless Chromium: the column headers sort
// from the keyboard (a Tab stop, Enter and Space) and aria-sort follows; a row's DOM id comes from its
// stable id, so the active descendant does not change when rows above it move; the arrows go on from a
// selected row that vanished instead of jumping to the first row; rows that → opens carry aria-expanded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, refuseRequests } from './session';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const init = procs.find((p) => p.pid === 1)!;
/** A leaf process with 4 threads whose thread list the snapshot holds (→ opens its thread rows). */
const threaded = procs.find((p) => p.pid === fx.meta.pids.hostile)!;
const T0 = fx.snapshot.snapshot.timestamp;

let host: FakeHost;

async function boot(): Promise<void> {
  await bootPanel(host, fx.snapshot, { width: 1400, height: 700 });
}

/** The rows drawn now, in display order: row id, DOM id and what the row shows. */
async function drawnRows(): Promise<{ rowId: string; id: string; parent: string; index: number; pid: number; name: string }[]> {
  const rows = await host.page.locator('.row:not([hidden])').evaluateAll((els) =>
    (els as HTMLElement[]).map((e) => ({
      rowId: e.dataset.rowId ?? '',
      id: e.id,
      parent: e.dataset.parent ?? '',
      index: Number(e.getAttribute('aria-rowindex')),
      pid: Number(e.querySelector('.c-pid')?.textContent),
      name: e.querySelector('.name-text')?.textContent ?? '',
    })),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/** The drawn rows' values grouped by parent (siblings in display order). */
async function siblingGroups<T>(value: (r: { pid: number; name: string }) => T): Promise<T[][]> {
  const groups = new Map<string, T[]>();
  for (const r of await drawnRows()) {
    let group = groups.get(r.parent);
    if (!group) groups.set(r.parent, (group = []));
    group.push(value(r));
  }
  return [...groups.values()];
}

const SELECTED = '.row.selected:not([hidden])';

async function selected(): Promise<string | null> {
  const rows = host.page.locator(SELECTED);
  return (await rows.count()) === 1 ? rows.getAttribute('data-row-id') : null;
}

async function activeHeader(): Promise<{ tag: string; column: string | undefined } | null> {
  return host.page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a?.closest('.grid-header')) return null;
    return { tag: a.tagName, column: a.closest<HTMLElement>('[role="columnheader"]')?.dataset.column };
  });
}

function sortOf(column: string): Promise<string | null> {
  return host.page.locator(`.grid-header [data-column="${column}"]`).getAttribute('aria-sort');
}

function assertOrdered<T>(groups: readonly (readonly T[])[], cmp: (a: T, b: T) => number, what: string): void {
  let pairs = 0;
  for (const list of groups)
    for (let i = 1; i < list.length; i++, pairs++)
      assert.ok(cmp(list[i - 1]!, list[i]!) <= 0, `${what}: ${String(list[i - 1])} before ${String(list[i])}`);
  assert.ok(pairs > 5, `enough sibling pairs to check (${what})`);
}

/** Sends a delta removing `keys` and waits until their exited rows (kept a moment, marked) are gone. */
async function removeAndSettle(keys: readonly string[], at: number): Promise<void> {
  await host.send({ type: 'delta', delta: { timestamp: at, intervalMs: 1000, added: [], removed: keys, changed: [] } });
  await host.page.locator('.row.is-exited').first().waitFor();
  await host.page.waitForFunction(() => !document.querySelector('.row.is-exited'), undefined, { timeout: 15000 });
  for (const key of keys) assert.equal(await host.page.locator(`.row[data-row-id="p${key}"]`).count(), 0, `p${key} left the list`);
}

describe('ProcScope webview grid: keyboard sorting, stable row ids, vanished selection, aria-expanded', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('sorts from the keyboard: the header is a Tab stop, Enter and Space sort, aria-sort follows', async () => {
    await boot();
    const grid = host.page.locator('#process-grid');
    await grid.focus();
    // Shift+Tab from the rows reaches the header's one Tab stop: the sorted column's button.
    await host.page.keyboard.press('Shift+Tab');
    assert.deepEqual(await activeHeader(), { tag: 'BUTTON', column: 'pid' }, 'the sort button of the sorted column has the focus');
    assert.equal(await sortOf('pid'), 'ascending');
    // Its focus shows, in the theme's focus colour.
    const outline = await host.page.locator('.grid-header [data-column="pid"]').evaluate((c) => {
      const s = getComputedStyle(c);
      const probe = document.createElement('div');
      probe.style.color = 'var(--vscode-focusBorder)';
      document.body.append(probe);
      const focusColor = getComputedStyle(probe).color;
      probe.remove();
      return { style: s.outlineStyle, color: s.outlineColor, focusColor };
    });
    assert.equal(outline.style, 'solid', 'a focused header is outlined');
    assert.equal(outline.color, outline.focusColor, 'in --vscode-focusBorder');

    await host.page.keyboard.press('Enter');
    assert.equal(await sortOf('pid'), 'descending', 'Enter reverses the sort');
    assertOrdered(await siblingGroups((r) => r.pid), (a, b) => b - a, 'pids descending');
    assert.deepEqual(await activeHeader(), { tag: 'BUTTON', column: 'pid' }, 'the focus stays on the button after the header is redrawn');

    // Left moves to the name column; Space sorts by it.
    await host.page.keyboard.press('ArrowLeft');
    assert.deepEqual(await activeHeader(), { tag: 'BUTTON', column: 'name' });
    await host.page.keyboard.press(' ');
    assert.equal(await sortOf('name'), 'ascending', 'Space sorts by the focused column');
    assert.equal(await sortOf('pid'), 'none');
    assertOrdered(await siblingGroups((r) => r.name), (a, b) => a.localeCompare(b), 'names ascending');
    await host.page.keyboard.press('Enter');
    assert.equal(await sortOf('name'), 'descending');
    assertOrdered(await siblingGroups((r) => r.name), (a, b) => b.localeCompare(a), 'names descending');
    const state = await host.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState')!).sort);
    assert.deepEqual(state, { column: 'name', descending: true });

    // The header stays one Tab stop, which remembers the column: Tab goes on to the rows, Shift+Tab comes back.
    await host.page.keyboard.press('Tab');
    assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'process-grid', 'one Tab leaves the header');
    await host.page.keyboard.press('Shift+Tab');
    assert.deepEqual(await activeHeader(), { tag: 'BUTTON', column: 'name' });
    assert.equal(await host.page.locator('.grid-header [tabindex="0"]').count(), 1, 'one Tab stop in the header');
    // The column that does not sort has a button marked unavailable (the arrows reach it to resize it), no aria-sort.
    assert.equal(await host.page.locator('.grid-header [data-column="wait"] button').getAttribute('aria-disabled'), 'true');
    assert.equal(await sortOf('wait'), null);

    // The mouse does the same as the keys: one click, one sort.
    await host.page.locator('.grid-header [data-column="pid"] .header-text').click();
    assert.equal(await sortOf('pid'), 'ascending', 'a click sorts once');
    await host.page.locator('.grid-header [data-column="pid"] .header-text').click();
    assert.equal(await sortOf('pid'), 'descending', 'a second click reverses');

    // The resize grip still resizes with the mouse, and does not sort.
    const cell = host.page.locator('.grid-header [data-column="pid"]');
    const before = (await cell.boundingBox())!.width;
    const grip = (await host.page.locator('.grid-header [data-column="pid"] .col-resizer').boundingBox())!;
    await host.page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await host.page.mouse.down();
    await host.page.mouse.move(grip.x + grip.width / 2 + 40, grip.y + grip.height / 2, { steps: 5 });
    await host.page.mouse.up();
    const after = (await cell.boundingBox())!.width;
    assert.ok(Math.abs(after - before - 40) <= 2, `the grip widens the column by the drag (${before} → ${after})`);
    assert.equal(await sortOf('pid'), 'descending', 'dragging the grip does not sort');
    assert.deepEqual(host.pageErrors, []);
  });

  it("keeps the active row's DOM id when a tick re-sorts rows above it, and pooled rows keep ids of their rows", async () => {
    await boot();
    await host.page.locator('.grid-header [data-column="cpu"] .header-text').click();
    assert.equal(await sortOf('cpu'), 'descending');
    // A child of pid 1 in the middle of its siblings (all at 0 % CPU: ties go by pid, descending here).
    const siblings = procs.filter((p) => p.ppid === init.pid).sort((a, b) => a.pid - b.pid);
    const middle = siblings[Math.floor(siblings.length / 2)]!;
    const chosen = { rowId: `p${middle.key}` };
    assert.ok(siblings.every((p) => p.cpuPercent === 0));
    // Selected through the filter, which then goes: the row stays selected and in view.
    await host.page.locator('#filter input').fill(`pid:${middle.pid}`);
    await host.page.locator(`.row[data-row-id="${chosen.rowId}"]`).click();
    await host.page.locator('#filter input').fill('');
    await host.page.waitForFunction((p) => document.querySelectorAll(`.row[data-parent="${p}"]:not([hidden])`).length > 2, `p${init.key}`);
    assert.equal(await selected(), chosen.rowId);
    const grid = host.page.locator('#process-grid');
    const id = await host.page.locator(SELECTED).getAttribute('id');
    assert.ok(id, 'the selected row has an id');
    assert.match(id, /^row-[A-Za-z0-9_-]+$/, 'a DOM id safe in a CSS selector (the row id has "@")');
    assert.equal(await grid.getAttribute('aria-activedescendant'), id);
    const indexBefore = Number(await host.page.locator(SELECTED).getAttribute('aria-rowindex'));

    // A tick: the siblings drawn below it now use more CPU than it, so they (and their subtrees) sort above it.
    const below = siblings.filter((p) => p.pid < middle.pid);
    assert.ok(below.length >= 3);
    await host.send({
      type: 'delta',
      delta: {
        timestamp: T0 + 1000,
        intervalMs: 1000,
        added: [],
        removed: [],
        changed: below.map((p, i) => ({ key: p.key, cpuPercent: 50 + i })),
      },
    });
    await host.page.waitForFunction(
      ([rowId, was]) => Number(document.querySelector(`.row[data-row-id="${rowId}"]`)?.getAttribute('aria-rowindex')) > Number(was),
      [chosen.rowId, indexBefore] as const,
    );
    assert.equal(await selected(), chosen.rowId, 'the same row is still selected');
    assert.equal(await host.page.locator(SELECTED).getAttribute('id'), id, "the row's DOM id did not change");
    assert.equal(await grid.getAttribute('aria-activedescendant'), id, 'aria-activedescendant did not change');
    assert.equal(await host.page.evaluate((i) => document.getElementById(i)?.dataset.rowId, id), chosen.rowId);

    // Rows are pooled elements reused while scrolling: at every position each drawn row's id is its own.
    const seen = new Map<string, string>();
    const check = async (where: string) => {
      const rows = await drawnRows();
      const ids = new Set(rows.map((r) => r.id));
      assert.equal(ids.size, rows.length, `no two rows share an id (${where})`);
      const all = await host.page.evaluate(() => [...document.querySelectorAll('[id^="row-"]')].map((e) => e.id));
      assert.equal(new Set(all).size, all.length, `no duplicate row ids in the document (${where})`);
      for (const r of rows) {
        assert.match(r.id, /^row-[A-Za-z0-9_-]+$/);
        if (seen.has(r.rowId)) assert.equal(r.id, seen.get(r.rowId), `${r.rowId} keeps its id (${where})`);
        for (const [rowId, domId] of seen) if (rowId !== r.rowId) assert.notEqual(domId, r.id, `${r.rowId} and ${rowId} differ`);
        seen.set(r.rowId, r.id);
      }
    };
    await check('top');
    for (const top of [2000, 5000, 99999, 0]) {
      await grid.evaluate((v, t) => (v.scrollTop = t), top);
      // Drawn once the row at the new top is in the page (the list draws on the next frame).
      await host.page.waitForFunction(() => {
        const v = document.getElementById('process-grid')!;
        return !!document.querySelector(`.row:not([hidden])[aria-rowindex="${Math.floor(v.scrollTop / 22) + 2}"]`);
      });
      await check(`scrollTop ${top}`);
    }
    // Threads open: thread rows ("t<key>/<tid>") get ids of their own too.
    await grid.evaluate((v) => (v.scrollTop = 0));
    await host.page.locator('#filter input').fill(`pid:${threaded.pid}`);
    await host.page.locator(`.row[data-row-id="p${threaded.key}"]`).click();
    await host.page.keyboard.press('ArrowRight');
    await host.page.locator('.row.thread-row').first().waitFor();
    await check('thread rows');
    assert.deepEqual(host.pageErrors, []);
  });

  it('goes on from a selected row that vanished: Down to the row that took its place, Up to the one before', async () => {
    await boot();
    const grid = host.page.locator('#process-grid');
    let at = T0;
    // Leaves under pid 1 (no children to reparent), with rows drawn before and after each.
    const rows = await drawnRows();
    const leafAt = (i: number) => procs.find((p) => `p${p.key}` === rows[i]!.rowId && !procs.some((c) => c.ppid === p.pid))!;
    const candidates = rows
      .map((_, i) => i)
      .filter((i) => i > 3 && i < rows.length - 3 && rows[i]!.parent === `p${init.key}` && leafAt(i) !== undefined);
    assert.ok(candidates.length >= 2, 'two leaves to remove');

    // Down from the gap: the row after the vanished one (it took its index), not the first row.
    const i = candidates[0]!;
    let gone = leafAt(i);
    await host.page.locator(`.row[data-row-id="p${gone.key}"]`).click();
    assert.equal(await selected(), `p${gone.key}`);
    await removeAndSettle([gone.key], (at += 1000));
    // The gone process stays the selection (the detail pane says it exited): no row is drawn selected.
    assert.equal(await selected(), null);
    assert.equal(await grid.getAttribute('aria-activedescendant'), null, 'no active descendant while the row is gone');
    await grid.focus();
    await host.page.keyboard.press('ArrowDown');
    assert.equal(await selected(), rows[i + 1]!.rowId, 'Down goes to the row that took its place');
    assert.equal(await grid.getAttribute('aria-activedescendant'), await host.page.locator(SELECTED).getAttribute('id'));

    // Up from the gap: the row before the vanished one.
    const now = await drawnRows();
    const j = now.findIndex((r) => r.rowId === `p${leafAt(candidates[1]!).key}`);
    gone = leafAt(candidates[1]!);
    await host.page.locator(`.row[data-row-id="p${gone.key}"]`).click();
    await removeAndSettle([gone.key], (at += 1000));
    await grid.focus();
    await host.page.keyboard.press('ArrowUp');
    assert.equal(await selected(), now[j - 1]!.rowId, 'Up goes to the row before it');

    // The last row vanishes: Down goes to the row before it (the new last row).
    await host.page.keyboard.press('End');
    const last = await drawnRows();
    const lastRow = last[last.length - 1]!;
    const lastProc = procs.find((p) => `p${p.key}` === lastRow.rowId)!;
    assert.ok(lastProc && !procs.some((c) => c.ppid === lastProc.pid), 'the last row is a leaf');
    assert.equal(await selected(), lastRow.rowId);
    await removeAndSettle([lastProc.key], (at += 1000));
    await grid.focus();
    await host.page.keyboard.press('ArrowDown');
    assert.equal(await selected(), last[last.length - 2]!.rowId, 'Down from a vanished last row goes to the one before it');
    assert.deepEqual(host.pageErrors, []);
  });

  it('goes on from a selected row the filter hides', async () => {
    await boot();
    const grid = host.page.locator('#process-grid');
    const rows = await drawnRows();
    // Two children of pid 1 drawn one after the other, well below the first row.
    const child = `p${init.key}`;
    const i = rows.findIndex((r, k) => k > 3 && r.parent === child && rows[k + 1]?.parent === child);
    assert.ok(i > 3);
    const hidden = rows[i]!;
    const next = rows[i + 1]!;
    await host.page.locator(`.row[data-row-id="${hidden.rowId}"]`).click();
    // A filter that shows the next one (and its ancestors, as context) hides the selected one.
    await host.page.locator('#filter input').fill(`pid:${next.pid}`);
    await host.page.locator(`.row[data-row-id="${next.rowId}"]`).waitFor();
    assert.equal(await host.page.locator(`.row[data-row-id="${hidden.rowId}"]`).count(), 0, 'the selected row is filtered out');
    await grid.focus();
    await host.page.keyboard.press('ArrowDown');
    assert.equal(await selected(), next.rowId, 'Down goes to the shown row that followed it, not to the first row');
  });

  it('marks rows that → can open with aria-expanded, and no others', async () => {
    await boot();
    const row = (key: string) => host.page.locator(`.row[data-row-id="p${key}"]`);
    // A parent with children shown.
    assert.equal(await row(init.key).getAttribute('aria-expanded'), 'true');
    // A leaf whose threads → opens: collapsed until its thread rows show.
    const leaf2 = procs.find((p) => p.numThreads > 1 && !procs.some((c) => c.ppid === p.pid) && p.ppid === 1)!;
    assert.equal(await row(leaf2.key).getAttribute('aria-expanded'), 'false', `${leaf2.name} (${leaf2.numThreads} threads)`);
    // A leaf with one thread: nothing to open.
    const single = procs.find((p) => p.numThreads === 1 && !procs.some((c) => c.ppid === p.pid) && p.ppid === 1)!;
    assert.equal(await row(single.key).getAttribute('aria-expanded'), null, 'a row that cannot expand has no aria-expanded');

    await host.page.locator('#filter input').fill(`pid:${threaded.pid}`);
    await row(threaded.key).click();
    assert.equal(await row(threaded.key).getAttribute('aria-expanded'), 'false');
    await host.page.keyboard.press('ArrowRight');
    await host.page.locator('.row.thread-row').first().waitFor();
    assert.equal(await row(threaded.key).getAttribute('aria-expanded'), 'true', '→ opened its threads');
    assert.equal(await host.page.locator('.row.thread-row[aria-expanded]').count(), 0, 'thread rows cannot expand');
    await host.page.keyboard.press('ArrowLeft');
    await host.page.waitForFunction(() => !document.querySelector('.row.thread-row:not([hidden])'));
    assert.equal(await row(threaded.key).getAttribute('aria-expanded'), 'false', '← closed them');
    // Every drawn process row: aria-expanded exactly when it has children or threads → opens.
    const wrong = await host.page.locator('.row:not([hidden]):not(.thread-row)').evaluateAll((els) =>
      (els as HTMLElement[])
        .filter((e) => {
          const threads = e.querySelector('.threads-toggle') !== null;
          const twistie = e.querySelector('.twistie.codicon') !== null;
          return (threads || twistie) !== e.hasAttribute('aria-expanded');
        })
        .map((e) => e.dataset.rowId),
    );
    assert.deepEqual(wrong, []);
  });
});
