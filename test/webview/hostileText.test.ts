// Process names and arguments that try to fool the eye, in real headless Chromium: bidirectional overrides
// and isolates, zero-width characters, line separators and non-UTF-8 bytes show as visible escape marks in
// the rows, the tooltips and the PCB detail pane, and nothing after them is drawn reversed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, type Fixtures, type Theme } from './page';
import { fakeHostForSuite, OUT, refuseRequests } from './session';
import type { ProcessInfo } from '../../src/core/model';
import { visible } from '../../src/shared/visible';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const init = procs.find((p) => p.pid === 1)!;

/** [pid, name, argv]: each hides something a user must see. */
const HOSTILE: readonly [number, string, string[]][] = [
  // "txt\u202Egnp.exe" reads "txtexe.png" when the override acts.
  [60001, 'txt\u202Egnp.exe', ['/tmp/txt\u202Egnp.exe', '--alpha', '--omega']],
  [60002, 'a\u2067b\u2069c\u200Ed', ['isolate\u2066x\u2069', '\u061Cmark', 'lrm\u200F']],
  [60003, 'zero\u200Bwidth\u2060', ['line\u2028break', 'para\u2029graph']],
  [60004, 'bytes\uDCFF\uDC80', ['raw\uDCC3\uDCA9', 'lone\uD800']],
  [60005, 'ctl\u001b[31m\u0085', ['tab\there', 'nl\nhere']],
];

function hostileProcess([pid, name, argv]: (typeof HOSTILE)[number]): ProcessInfo {
  return {
    ...init,
    pid,
    ppid: 1,
    name,
    cmdline: argv,
    key: `${pid}@${init.startTicks + 5}`,
    startTicks: init.startTicks + 5,
    numThreads: 1,
    threads: undefined,
    user: 'spoof-user',
    euser: 'spoof-user',
  };
}

let host: FakeHost;

describe('ProcScope webview with hostile OS text', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  for (const theme of ['dark', 'light', 'high-contrast'] as Theme[]) {
    it(`shows hidden characters as marks and never draws a row reversed (${theme})`, async () => {
      await host.load({ theme, width: 1300, height: 600 });
      await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
      const added = HOSTILE.map(hostileProcess);
      await host.send({
        type: 'snapshot',
        snapshot: { ...fx.snapshot.snapshot, processes: [...procs, ...added] },
        workspace: fx.snapshot.workspace,
      });
      await host.page.locator('#filter input').fill('user:spoof-user');
      for (const p of added) {
        const row = host.page.locator(`.row[data-row-id="p${p.key}"]`);
        await row.waitFor();
        const seen = await row.evaluate((r) => {
          const name = r.querySelector('.name-text') as HTMLElement;
          const cmd = r.querySelector('.c-cmd') as HTMLElement;
          return {
            name: name.textContent,
            nameTitle: name.title,
            cmd: cmd.textContent,
            cmdTitle: cmd.title,
            marks: [...r.querySelectorAll('.esc')].map((e) => e.textContent),
          };
        });
        assert.equal(seen.name, visible(p.name), 'the name is drawn with its hidden characters escaped');
        assert.equal(seen.nameTitle, visible(p.name), 'and so is its tooltip');
        assert.equal(seen.cmd, visible(p.cmdline!.join(' ')));
        assert.equal(seen.cmdTitle, visible(p.cmdline!.join(' ')));
        assert.ok(
          seen.marks.length > 0 && seen.marks.every((m) => /^\\(x[0-9a-f]{2}|u[0-9A-F]{4}|n|t)$/.test(m!)),
          `escapes are marked: ${JSON.stringify(seen.marks)}`,
        );
        // No bidi control, zero-width or separator character reaches the DOM at all.
        assert.doesNotMatch(`${seen.name}${seen.cmd}`, /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2028\u2029\u2060\uD800-\uDFFF]/);
      }
      // The spoof: "txt" is drawn left of "gnp.exe", and the arguments after it in the order given.
      const order = await host.page.locator(`.row[data-row-id="p${added[0]!.key}"]`).evaluate((r) => {
        const xOf = (cell: Element, word: string): number => {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.textContent!.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + word.length);
            return range.getBoundingClientRect().left;
          }
          return NaN;
        };
        const name = r.querySelector('.name-text')!;
        const cmd = r.querySelector('.c-cmd')!;
        return {
          txt: xOf(name, 'txt'),
          gnp: xOf(name, 'gnp'),
          alpha: xOf(cmd, '--alpha'),
          omega: xOf(cmd, '--omega'),
          pidLeft: r.querySelector('.c-pid')!.getBoundingClientRect().left,
          nameRight: r.querySelector('.c-name')!.getBoundingClientRect().right,
        };
      });
      assert.ok(order.txt < order.gnp, `"txt" left of "gnp" (${order.txt} < ${order.gnp})`);
      assert.ok(order.alpha < order.omega, `--alpha left of --omega (${order.alpha} < ${order.omega})`);
      assert.ok(order.nameRight <= order.pidLeft + 0.5, 'the pid cell follows the name cell');
      await host.page.screenshot({ path: join(OUT, `hostile-text-${theme}.png`), clip: { x: 0, y: 0, width: 1300, height: 260 } });
      // The PCB detail pane writes the same escapes.
      await host.page.locator(`.row[data-row-id="p${added[0]!.key}"]`).click();
      const detailName = host.page.locator('.detail-name');
      await detailName.waitFor();
      assert.equal(await detailName.textContent(), visible(added[0]!.name));
      assert.ok((await detailName.locator('.esc').count()) === 1);
      const cmdValue = await host.page.locator('vscode-collapsible[data-section="identity"] .kv-value.mono').first().textContent();
      assert.equal(cmdValue, visible(added[0]!.cmdline!.join(' ')));
      assert.deepEqual(host.pageErrors, []);
    });
  }
});
