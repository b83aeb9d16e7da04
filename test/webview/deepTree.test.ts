// A process chain 10,000 deep (each process the child of the last) in real headless Chromium: the panel
// builds and draws its rows (no recursion may overflow the stack), with the filter on and off, scrolled
// to the deepest row, and the PCB detail and IPC tabs of that row still render.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeHost, loadFixtures, DEFAULT_SETTINGS, type Fixtures } from './page';
import { fakeHostForSuite, OUT, refuseRequests } from './session';
import type { ProcessInfo } from '../../src/core/model';
import { ipcMapOf } from '../unit/fakeIpc';

const fx: Fixtures = loadFixtures();
const procs = fx.snapshot.snapshot.processes;
const init = procs.find((p) => p.pid === 1)!;
const DEPTH = 10000;

let host: FakeHost;

describe('ProcScope webview with a 10,000-deep process chain', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), refuseRequests);

  it('renders the rows of the whole chain, filtered and not, down to the deepest process', async () => {
    const chain: ProcessInfo[] = [];
    // Listed deepest first, so nothing may rely on parents coming before their children.
    for (let i = DEPTH - 1; i >= 0; i--) {
      const pid = 100000 + i;
      chain.push({
        ...init,
        pid,
        ppid: i === 0 ? 1 : pid - 1,
        name: `chain-${i + 1}`,
        cmdline: [`chain-${i + 1}`],
        key: `${pid}@${1000 + i}`,
        startTicks: 1000 + i,
        numThreads: 1,
        threads: undefined,
      });
    }
    await host.load({ width: 1200, height: 700 });
    await host.send({ type: 'init', settings: DEFAULT_SETTINGS, platform: 'linux' });
    await host.send({
      type: 'snapshot',
      snapshot: { ...fx.snapshot.snapshot, processes: [...procs, ...chain] },
      workspace: fx.snapshot.workspace,
    });
    await host.page.locator('.row').first().waitFor();
    await host.page.locator('.count', { hasText: `${procs.length + DEPTH} processes` }).waitFor();
    const shown = Number(/(\d+) shown/.exec((await host.page.locator('.count').textContent()) ?? '')?.[1]);
    assert.ok(shown >= DEPTH, `every process of the chain has a row (${shown} shown)`);
    // Filtered: the deepest process and its 10,000 ancestors as context rows.
    await host.page.locator('#filter input').fill(`name:chain-${DEPTH}`);
    await host.page.locator('.count', { hasText: `${DEPTH + 1} shown` }).waitFor();
    await host.page.evaluate(() => {
      const v = document.getElementById('process-grid')!;
      v.scrollTop = v.scrollHeight;
    });
    const deepest = host.page.locator(`.row[data-row-id="p${chain[0]!.key}"]`);
    await deepest.waitFor();
    assert.equal(await deepest.getAttribute('aria-level'), String(DEPTH + 1));
    assert.equal(await deepest.locator('.depth-mark').textContent(), String(DEPTH + 1));
    assert.equal(await deepest.locator('.name-text').textContent(), `chain-${DEPTH}`);
    // Selecting it: the detail pane and the IPC tab render.
    await deepest.click();
    await host.page.locator('.detail-name', { hasText: `chain-${DEPTH}` }).waitFor();
    await host.page.locator('vscode-tab-header').nth(2).click();
    await host.send({
      type: 'ipc',
      map: ipcMapOf([]),
    });
    await host.page.locator('.ipc-canvas .empty-state').waitFor();
    await host.page.screenshot({ path: join(OUT, 'deep-chain.png') });
    assert.deepEqual(host.pageErrors, []);
  });
});
