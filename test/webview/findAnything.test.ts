// The filter's reverse look-ups and recent queries, in real headless Chromium. The table is a real poll of this
// machine taken after the test started its own processes (a TCP listener on an ephemeral port, a thread named
// with markup and a bidi override), and the fake host answers each look-up with the real worker look-up
// (src/worker/lookup.ts) over the real /proc: typing `port:N` leaves exactly the listener, with why.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FakeHost } from './page';
import { bootPanel, fakeHostForSuite, OUT } from './session';
import { createSampler } from '../../src/core/sampler';
import type { Snapshot } from '../../src/core/model';
import type { LookupResult, Request } from '../../src/protocol';
import { visible } from '../../src/shared/visible';
import { lookupProcesses } from '../../src/worker/lookup';
import { python, type Started } from '../integration/helpers';

let host: FakeHost;
let listener: Started & { port: number };
/** A second listener, ended by the refresh test. */
let closing: Started & { port: number };
let named: Started & { tid: number };
let snapshot: Snapshot;
/** The look-ups the webview asked, in order. */
const asked: Extract<Request, { kind: 'lookup' }>[] = [];
/** When each was asked (ms since the epoch). */
const askedAt: number[] = [];
/** Set by a test to hold the next answers back until it lets them go. */
let gate: Promise<void> | null = null;
/** Set by a test to answer as the portable backend does. */
let noProc = false;

async function answer(request: Request): Promise<{ ok: true; result: LookupResult } | { ok: false; error: string }> {
  if (request.kind !== 'lookup') return { ok: false, error: 'refused by the test host' };
  asked.push(request);
  askedAt.push(Date.now());
  if (gate) await gate;
  if (noProc) return { ok: true, result: { available: false } };
  return { ok: true, result: await lookupProcesses(request.terms) };
}

const HOSTILE_THREAD = '<b>x</b>\u202E';

before(async () => {
  const l = await python(`
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(120)`);
  listener = Object.assign(l, { port: Number(l.firstLine) });
  const c = await python(`
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(120)`);
  closing = Object.assign(c, { port: Number(c.firstLine) });
  const n = await python(`
import ctypes, ctypes.util, threading, time
libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
ready = threading.Event()
box = {}
def run():
    libc.prctl(15, ctypes.c_char_p('${HOSTILE_THREAD}'.encode()), 0, 0, 0)
    box['tid'] = threading.get_native_id()
    ready.set()
    time.sleep(120)
threading.Thread(target=run, daemon=True).start()
ready.wait()
print(box['tid'], flush=True)
time.sleep(120)`);
  named = Object.assign(n, { tid: Number(n.firstLine) });
  const sampler = createSampler();
  snapshot = await sampler.poll({ threads: [] });
  sampler.dispose();
});

after(async () => {
  await listener?.kill();
  await closing?.kill();
  await named?.kill();
});

async function rowIds(): Promise<string[]> {
  // The list keeps a pool of row elements: the drawn ones are those not hidden.
  return host.page
    .locator('.row:not([hidden]):not(.context-row):not(.thread-row)')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-id') ?? '').filter((id) => id !== ''));
}

describe('find anything: look-ups and recent filters in the panel', { timeout: 180000 }, () => {
  fakeHostForSuite((h) => (host = h), answer);

  it('port:N, typed key by key, asks once after the pause, says it is looking, then shows exactly the listener and why', async () => {
    await bootPanel(host, { type: 'snapshot', snapshot, workspace: [] }, { width: 1300, height: 700 });
    const me = snapshot.processes.find((p) => p.pid === listener.pid)!;
    assert.ok(me, 'the listener is in the polled table');
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    asked.length = 0;
    const field = host.page.locator('#filter input');
    await field.click();
    await field.pressSequentially(`port:${listener.port}`, { delay: 20 });
    const note = host.page.locator('.lookup-note');
    await host.page.waitForFunction(
      (text) => document.querySelector('.lookup-note')?.textContent === text,
      `Looking up port:${listener.port}…`,
    );
    assert.match((await note.getAttribute('class')) ?? '', /pending/);
    assert.deepEqual(await rowIds(), [], 'nothing matches before the answer');
    gate = null;
    release();
    await host.page.waitForFunction(() => document.querySelector('.found-label') !== null);
    // Never per keystroke: the prefixes typed on the way (port:1, port:12, ...) were not asked.
    assert.deepEqual(
      asked.map((r) => r.terms),
      [[{ kind: 'port', port: listener.port }]],
    );
    assert.deepEqual(await rowIds(), [`p${me.key}`]);
    assert.equal(
      await host.page.locator(`.row[data-row-id="p${me.key}"] .found-label`).textContent(),
      `listens on TCP 127.0.0.1:${listener.port}`,
    );
    // (A process this user may not read is counted, never fatal: the machine decides whether there is one.)
    assert.match(
      (await note.textContent()) ?? '',
      new RegExp(
        `^port:${listener.port} — processes found: 1 · python3 \\(${listener.pid}\\): listens on TCP 127\\.0\\.0\\.1:${listener.port}` +
          '( · processes that could not be read \\(they may match unseen\\): \\d+)?$',
      ),
    );
    await host.page.screenshot({ path: join(OUT, 'find-port.png') });
  });

  it('asks again on the ticks while the filter holds the word, no sooner than every 3 s: a listener that ended leaves', async () => {
    const me = snapshot.processes.find((p) => p.pid === closing.pid)!;
    const field = host.page.locator('#filter input');
    await field.fill(`port:${closing.port}`);
    await host.page.locator(`.row[data-row-id="p${me.key}"] .found-label`).waitFor();
    const first = asked.length;
    const tick = (at: number) =>
      host.send({ type: 'delta', delta: { timestamp: snapshot.timestamp + at, intervalMs: 1000, added: [], removed: [], changed: [] } });
    await closing.kill();
    await tick(1000);
    await host.page.waitForTimeout(300);
    assert.equal(asked.length, first, 'a tick right after the answer asks nothing');
    assert.deepEqual(await rowIds(), [`p${me.key}`]);
    // Ticks every half second (as a busy host sends them) until the refreshed answer shows.
    const gone = `port:${closing.port} — no process found`;
    for (let at = 1500; at < 20_000; at += 500) {
      await tick(at);
      if ((await host.page.locator('.lookup-note').textContent())?.startsWith(gone)) break;
      await host.page.waitForTimeout(500);
    }
    assert.ok((await host.page.locator('.lookup-note').textContent())?.startsWith(gone));
    assert.deepEqual(await rowIds(), []);
    assert.ok(asked.length > first);
    // (Timed where the host receives them: the page's 3 s, less what one message's trip may differ from another's.)
    for (let i = first; i < asked.length; i++) {
      assert.ok(askedAt[i]! - askedAt[i - 1]! >= 2900, `look-up ${i} came ${askedAt[i]! - askedAt[i - 1]!} ms after the one before`);
    }
    const seen = asked.length;
    // No look-up word, no look-up: ticks ask nothing.
    await field.fill('python3');
    await host.page.waitForTimeout(3200);
    await tick(30_000);
    await host.page.waitForTimeout(500);
    assert.equal(asked.length, seen);
  });

  it('thread:NAME finds the process by a thread named with markup and a bidi override, shown as text', async () => {
    const me = snapshot.processes.find((p) => p.pid === named.pid)!;
    const field = host.page.locator('#filter input');
    await field.fill('thread:<b>x</b>');
    const label = host.page.locator(`.row[data-row-id="p${me.key}"] .found-label`);
    await label.waitFor();
    assert.deepEqual(await rowIds(), [`p${me.key}`]);
    assert.equal(await label.textContent(), visible(`thread ${HOSTILE_THREAD} (${named.tid}) in S`));
    // The name's tooltip says why too (the label may be cut in a narrow name column), as text.
    assert.equal(
      await host.page.locator(`.row[data-row-id="p${me.key}"] .name-text`).getAttribute('title'),
      `python3\n${visible(`thread ${HOSTILE_THREAD} (${named.tid}) in S`)}`,
    );
    assert.match((await host.page.locator('.lookup-note').textContent()) ?? '', new RegExp(`python3 \\(${named.pid}\\): thread <b>x</b>`));
    assert.equal(await host.page.locator('.row b, .lookup-note b').count(), 0, 'no markup from the OS became an element');
    assert.equal(await label.locator('.esc').count(), 1, 'the override is drawn as a visible escape');
  });

  it('drops an answer to words the filter no longer holds, and then asks for the ones it holds', async () => {
    const me = snapshot.processes.find((p) => p.pid === listener.pid)!;
    const field = host.page.locator('#filter input');
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    const n = asked.length;
    await field.fill('thread:psc-no-such-thread');
    for (let i = 0; i < 40 && asked.length === n; i++) await host.page.waitForTimeout(50);
    assert.equal(asked.length, n + 1);
    await field.fill(`port:${listener.port}`);
    // One look-up at a time: the new words wait for the one in flight.
    await host.page.waitForTimeout(800);
    assert.equal(asked.length, n + 1);
    gate = null;
    release();
    const want = `port:${listener.port} — processes found: 1`;
    await host.page.waitForFunction((text) => document.querySelector('.lookup-note')?.textContent?.startsWith(text), want);
    assert.deepEqual(asked[n + 1]?.terms, [{ kind: 'port', port: listener.port }]);
    assert.deepEqual(await rowIds(), [`p${me.key}`]);
  });

  it('says plainly when a word cannot be asked, and when there is no /proc to ask', async () => {
    const field = host.page.locator('#filter input');
    await field.fill('file:relative/path');
    await host.page.waitForFunction(() => document.querySelector('.lookup-note')?.classList.contains('problem'));
    assert.equal(await host.page.locator('.lookup-note').textContent(), 'file:relative/path: give an absolute path (starting with /)');
    assert.deepEqual(await rowIds(), []);
    noProc = true;
    try {
      await field.fill('port:9');
      await host.page.waitForFunction(() => /need Linux/.test(document.querySelector('.lookup-note')?.textContent ?? ''));
      assert.equal(await host.page.locator('.lookup-note').textContent(), 'Look-ups (port:9) need Linux /proc: not available here');
    } finally {
      noProc = false;
    }
    await field.fill('');
    await host.page.waitForFunction(() => (document.querySelector('.lookup-note') as HTMLElement).hidden);
  });

  it('remembers used queries (Enter or a pause), offers them with Alt+Down and the history button, and keeps them across a reload', async () => {
    await bootPanel(host, { type: 'snapshot', snapshot, workspace: [] }, { width: 1300, height: 700 });
    const field = host.page.locator('#filter input');
    await field.fill(`port:${listener.port}`);
    await field.press('Enter');
    await field.click();
    await field.fill('thread:<b>');
    // Used after a pause in typing, without Enter.
    await host.page.waitForTimeout(1800);
    await field.fill('pyth');
    await field.press('Escape');
    await field.click();
    await field.press('Alt+ArrowDown');
    const options = host.page.locator('.recent-list [role="option"]');
    await options.first().waitFor();
    assert.deepEqual(await options.allTextContents(), ['thread:<b>', `port:${listener.port}`]);
    assert.equal(await host.page.locator('.recent-list').getAttribute('role'), 'listbox');
    assert.equal(await host.page.locator('.recent-button').getAttribute('aria-expanded'), 'true');
    // The first option has focus; down, Enter: the older query is the filter again.
    assert.equal(await host.page.evaluate(() => document.activeElement?.textContent), 'thread:<b>');
    await host.page.keyboard.press('ArrowDown');
    await host.page.keyboard.press('Enter');
    await host.page.waitForFunction(() => document.querySelector('.recent-list') === null);
    assert.equal(await field.inputValue(), `port:${listener.port}`);
    await host.page.waitForFunction(() => document.querySelector('.found-label') !== null);
    const me = snapshot.processes.find((p) => p.pid === listener.pid)!;
    assert.deepEqual(await rowIds(), [`p${me.key}`]);
    // Escape in the list closes it and goes back to the field; the field's own Escape still clears the filter.
    await field.press('Alt+ArrowDown');
    await options.first().waitFor();
    await host.page.keyboard.press('Escape');
    await host.page.waitForFunction(() => document.querySelector('.recent-list') === null);
    assert.equal(await field.inputValue(), `port:${listener.port}`);

    await bootPanel(host, { type: 'snapshot', snapshot, workspace: [] }, { width: 1300, height: 700, locale: 'ko' }, true);
    await host.page.locator('.recent-button').click();
    await options.first().waitFor();
    assert.deepEqual(await options.allTextContents(), [`port:${listener.port}`, 'thread:<b>']);
    assert.equal(await host.page.locator('.recent-list').getAttribute('aria-label'), '최근 필터');
    await host.page.keyboard.press('Escape');
    // The restored filter is asked again, and the note speaks Korean.
    await host.page.waitForFunction(
      (text) => document.querySelector('.lookup-note')?.textContent?.startsWith(text),
      `port:${listener.port} — 프로세스 1개 찾음`,
    );
  });
});
