// The process grid's sizes, in real headless Chromium: rows as tall as the user's fonts need (VS Code writes
// the font settings into the page's root style), dragged columns kept beside the others, columns resized
// from the keyboard, "Default columns and widths" forgetting dragged widths, and the rows whose look says
// something (new, exited, shown only as an ancestor of a match) saying it in words to a screen reader.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, loadFixtures, type Fixtures } from './page';
import { bootPanel, fakeHostForSuite, refuseRequests } from './session';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const hostile = procs.find((p) => p.pid === fx.meta.pids.hostile)!;

let host: FakeHost;

const rowHeights = (): Promise<number[]> =>
  host.page
    .locator('.row:not([hidden])')
    .evaluateAll((rows) => [...new Set(rows.map((r) => Math.round(r.getBoundingClientRect().height)))]);
const columnWidth = (column: string): Promise<number> =>
  host.page.locator(`.grid-header [data-column="${column}"]`).evaluate((c) => Math.round(c.getBoundingClientRect().width));
const setEditorFont = (px: number): Promise<void> =>
  host.page.evaluate((size) => document.documentElement.style.setProperty('--vscode-editor-font-size', `${size}px`), px);

describe('ProcScope webview: grid sizes', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('makes the rows as tall as a large editor font needs, and back', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    assert.deepEqual(await rowHeights(), [22], "22 px rows at VS Code's default sizes");
    await setEditorFont(24);
    await host.page.waitForFunction(() => document.querySelector('.row:not([hidden])')!.getBoundingClientRect().height > 30);
    assert.deepEqual(await rowHeights(), [37], 'one height for every row: 1.5 lines of the 23 px Command font, plus 2');
    const cmd = await host.page
      .locator('.row:not([hidden]) .c-cmd')
      .first()
      .evaluate((c) => ({
        font: Number.parseFloat(getComputedStyle(c).fontSize),
        row: c.closest('.row')!.getBoundingClientRect().height,
      }));
    assert.equal(cmd.font, 23);
    assert.ok(cmd.row >= cmd.font * 1.5, `the Command text has room (${cmd.row} px for ${cmd.font} px)`);
    // The rows are placed one height apart (no overlap, no gap) and the scroll height follows.
    const tops = await host.page
      .locator('.row:not([hidden])')
      .evaluateAll((rows) => rows.map((r) => Math.round(r.getBoundingClientRect().top)).sort((a, b) => a - b));
    for (let i = 1; i < Math.min(tops.length, 10); i++) assert.equal(tops[i]! - tops[i - 1]!, 37);
    const spacer = await host.page.locator('.vl-spacer').evaluate((s) => s.getBoundingClientRect().height);
    const count = Number(await host.page.locator('#process-grid').getAttribute('aria-rowcount')) - 1;
    assert.equal(Math.round(spacer), count * 37, 'the scroll height is every row at the new height');
    await setEditorFont(14);
    await host.page.waitForFunction(() => document.querySelector('.row:not([hidden])')!.getBoundingClientRect().height < 30);
    assert.deepEqual(await rowHeights(), [22]);
    assert.deepEqual(host.pageErrors, []);
  });

  it('keeps a dragged column beside the others, resizes from the keyboard, and resets widths', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    const dropped = (): Promise<string[]> =>
      host.page.locator('.hierarchy').evaluate((h) => [...h.classList].filter((c) => c.startsWith('drop-')).sort());
    const droppedBefore = await dropped();
    const before = await columnWidth('cpu');
    // From the keyboard: Shift+→ and Shift+← on the focused header button, 16 px a press.
    const sortButton = host.page.locator('.grid-header [data-column="rss"] .header-sort');
    await sortButton.focus();
    const rss = await columnWidth('rss');
    await host.page.keyboard.press('Shift+ArrowRight');
    await host.page.keyboard.press('Shift+ArrowRight');
    assert.equal(await columnWidth('rss'), rss + 32);
    await host.page.keyboard.press('Shift+ArrowLeft');
    assert.equal(await columnWidth('rss'), rss + 16);
    assert.equal(await host.page.locator('.grid-header [data-column="rss"]').getAttribute('aria-sort'), 'none', 'resizing is not sorting');
    // A drag far past the window: the column widens as far as the others leave room, and no column goes.
    const grip = host.page.locator('.grid-header [data-column="cpu"] .col-resizer');
    const box = (await grip.boundingBox())!;
    await host.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await host.page.mouse.down();
    await host.page.mouse.move(box.x + 3000, box.y + box.height / 2, { steps: 5 });
    await host.page.mouse.up();
    const dragged = await columnWidth('cpu');
    assert.ok(dragged > before + 100, `the drag widened it (${before} → ${dragged})`);
    assert.deepEqual(await dropped(), droppedBefore, 'no column was pushed out');
    const edges = await host.page.evaluate(() => ({
      grip: document.querySelector('.grid-header [data-column="cpu"] .col-resizer')!.getBoundingClientRect().right,
      table: document.querySelector('.hierarchy')!.getBoundingClientRect().right,
    }));
    assert.ok(edges.grip <= edges.table + 4, `its grip stays in view (${edges.grip} ≤ ${edges.table})`);
    // The column chooser's reset forgets every dragged width.
    await host.page.locator('.columns-button').click();
    await host.page.locator('.columns-reset').click();
    await host.page.keyboard.press('Escape');
    assert.equal(await columnWidth('cpu'), before);
    assert.equal(await columnWidth('rss'), rss);
    assert.deepEqual(host.pageErrors, []);
  });

  it('reaches and resizes the column that does not sort (Waiting for) from the keyboard, without sorting', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    const sortedBy = (): Promise<string[]> =>
      host.page
        .locator('.grid-header [aria-sort="ascending"], .grid-header [aria-sort="descending"]')
        .evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.column ?? ''));
    const before = await sortedBy();
    // The arrows go along the header from State to the next column, Waiting for.
    await host.page.locator('.grid-header [data-column="state"] .header-sort').focus();
    await host.page.keyboard.press('ArrowRight');
    const focused = await host.page.evaluate(() => ({
      column: document.activeElement?.closest<HTMLElement>('[data-column]')?.dataset.column,
      disabled: document.activeElement?.getAttribute('aria-disabled'),
    }));
    assert.deepEqual(focused, { column: 'wait', disabled: 'true' }, 'focus on Waiting for, marked as not sortable');
    const wait = await columnWidth('wait');
    await host.page.keyboard.press('Shift+ArrowRight');
    assert.equal(await columnWidth('wait'), wait + 16);
    await host.page.keyboard.press('Enter');
    await host.page.keyboard.press('Space');
    assert.deepEqual(await sortedBy(), before, 'Enter and Space on it do not sort');
    assert.equal(await host.page.locator('.grid-header [data-column="wait"]').getAttribute('aria-sort'), null);
    assert.deepEqual(host.pageErrors, []);
  });

  it('says in words that a row is only an ancestor of what the filter matched', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    await host.page.locator('#filter input').fill(`pid:${hostile.pid}`);
    await host.page.locator(`.row[data-row-id="p${hostile.key}"]`).waitFor();
    const rows = await host.page.locator('.row:not([hidden])').evaluateAll((all) =>
      all.map((r) => ({
        id: r.getAttribute('data-row-id'),
        context: r.classList.contains('context-row'),
        said: r.getAttribute('aria-description'),
      })),
    );
    const ancestors = rows.filter((r) => r.context);
    assert.ok(ancestors.length >= 1, 'the match has ancestors shown for context');
    for (const r of ancestors) assert.match(r.said ?? '', /ancestor of a match/);
    assert.equal(rows.find((r) => r.id === `p${hostile.key}`)!.said, null, 'the match itself has no such note');
  });
});

describe('ProcScope webview: radio groups', { timeout: 120000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('moves through the scope radios with the arrow keys; only the checked one is a Tab stop', async () => {
    await bootPanel(host, fx.snapshot, { width: 1300, height: 700 });
    const checked = host.page.locator('.toolbar [role="radio"][aria-checked="true"]');
    const first = (await checked.getAttribute('data-scope'))!;
    assert.deepEqual(await host.page.locator('.toolbar [role="radio"]').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).tabIndex)), [
      first === 'workspace' ? 0 : -1,
      first === 'workspace' ? -1 : 0,
    ]);
    await checked.focus();
    await host.page.keyboard.press('ArrowRight');
    await host.page.locator(`.toolbar [role="radio"][aria-checked="true"]:not([data-scope="${first}"])`).waitFor();
    const now = await host.page.evaluate(() => (document.activeElement as HTMLElement).dataset.scope);
    assert.notEqual(now, first, 'the arrow checked the other scope');
    assert.equal(await host.page.locator('.toolbar [role="radio"][aria-checked="true"]').getAttribute('data-scope'), now, 'and focused it');
    await host.page.keyboard.press('ArrowLeft');
    await host.page.locator(`.toolbar [role="radio"][aria-checked="true"][data-scope="${first}"]`).waitFor();
    assert.equal(await host.page.evaluate(() => (document.activeElement as HTMLElement).dataset.scope), first);
  });
});
