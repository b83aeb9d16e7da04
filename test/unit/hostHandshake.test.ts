// The panel's start-up handshake (src/extension/handshake.ts) under every ordering of its events: a late
// `ready` from a page already replaced, the watchdog's reload, the worker's first snapshot and the new
// page's `ready`. Whatever the order, the page on screen ends with init and a snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Handshake, type HandshakeEffect } from '../../src/extension/handshake';

/** Plays the panel's side of the effects: what each loaded page received. */
class PanelModel {
  readonly handshake: Handshake;
  /** Messages received per page; only the page whose HTML is loaded receives anything. */
  readonly received = new Map<number, string[]>();
  loaded = 0;
  armedMs: number | undefined;
  hostHasSnapshot = false;
  snapshotRequested = false;
  recreated = 0;
  readonly logs: string[] = [];

  constructor(canRecreate = false) {
    this.handshake = new Handshake({ timeoutMs: 4000, maxTimeoutMs: 30_000, canRecreate: () => canRecreate });
    this.apply(this.handshake.start());
  }

  apply(effects: readonly HandshakeEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'log':
          this.logs.push(e.text);
          break;
        case 'load':
          this.loaded = e.page;
          this.received.set(e.page, []);
          break;
        case 'arm':
          this.armedMs = e.ms;
          break;
        case 'disarm':
          this.armedMs = undefined;
          break;
        case 'sendInit':
          this.received.get(this.loaded)!.push('init');
          break;
        // The panel sends its newest snapshot only when it has one (PanelModel mirrors ProcScopePanel.sendSnapshot).
        case 'sendSnapshot':
          if (this.hostHasSnapshot) this.received.get(this.loaded)!.push('snapshot');
          break;
        case 'requestSnapshot':
          this.snapshotRequested = true;
          break;
        case 'recreate':
          this.recreated++;
          break;
      }
    }
  }

  workerAnswers(): void {
    this.hostHasSnapshot = true;
    this.apply(this.handshake.snapshot());
  }

  /** The loaded page repeats `ready` until a snapshot reaches it (webview/app.ts announceReady). */
  pageRetries(max = 5): number {
    let n = 0;
    while (!this.received.get(this.loaded)!.includes('snapshot') && n < max) {
      this.apply(this.handshake.ready(this.loaded));
      n++;
    }
    return n;
  }
}

type Event = 'oldPageReady' | 'watchdog' | 'workerSnapshot' | 'newPageReady';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const orders = permutations<Event>(['oldPageReady', 'watchdog', 'workerSnapshot', 'newPageReady']);
assert.equal(orders.length, 24);

for (const order of orders) {
  test(`handshake: ${order.join(' → ')} ends with the loaded page filled`, () => {
    const m = new PanelModel();
    for (const event of order) {
      switch (event) {
        // Page 1's ready: late when the watchdog already replaced page 1, on time otherwise.
        case 'oldPageReady': {
          const wasReloaded = m.loaded > 1;
          const before = { ready: m.handshake.isReady, armed: m.armedMs, received: m.received.get(m.loaded)!.length };
          m.apply(m.handshake.ready(1));
          if (wasReloaded) {
            assert.equal(m.handshake.isReady, before.ready, 'a late ready from a replaced page must not count');
            assert.equal(m.armedMs, before.armed, 'nor stop (or restart) the watchdog of the current page');
            assert.equal(m.received.get(m.loaded)!.length, before.received, 'nor be answered');
          }
          break;
        }
        case 'watchdog':
          m.apply(m.handshake.watchdog());
          break;
        case 'workerSnapshot':
          m.workerAnswers();
          break;
        case 'newPageReady':
          m.apply(m.handshake.ready(m.loaded));
          break;
      }
    }
    const retries = m.pageRetries();
    const page = m.received.get(m.loaded)!;
    assert.ok(page.includes('init'), `page ${m.loaded} got ${JSON.stringify(page)}`);
    assert.ok(page.includes('snapshot'), `page ${m.loaded} got ${JSON.stringify(page)}`);
    assert.ok(page.indexOf('init') < page.lastIndexOf('snapshot'), 'init comes before the snapshot it configures');
    assert.ok(retries <= 1, `needed ${retries} repeated readys`);
    assert.equal(m.handshake.isReady, true);
    assert.equal(m.armedMs, undefined, 'the watchdog is off once the page is ready');
    assert.ok(m.logs.length >= 2, 'every step is logged');
  });
}

test('handshake: every ready of the current page is answered in full (idempotent)', () => {
  const m = new PanelModel();
  m.workerAnswers();
  for (let i = 0; i < 3; i++) m.apply(m.handshake.ready(1));
  assert.deepEqual(m.received.get(1), ['init', 'snapshot', 'init', 'snapshot', 'init', 'snapshot']);
});

test('handshake: a snapshot that arrives after ready is sent at once; one before ready is held', () => {
  const early = new PanelModel();
  early.workerAnswers();
  assert.deepEqual(early.received.get(1), [], 'nothing is posted to a page that has not said ready');
  early.apply(early.handshake.ready(1));
  assert.deepEqual(early.received.get(1), ['init', 'snapshot']);

  const late = new PanelModel();
  late.apply(late.handshake.ready(1));
  assert.deepEqual(late.received.get(1), ['init']);
  assert.equal(late.snapshotRequested, true, 'the host asks the worker for the snapshot it does not have');
  late.workerAnswers();
  assert.deepEqual(late.received.get(1), ['init', 'snapshot']);
});

test('handshake: the watchdog never gives up; it reloads with a growing delay, capped', () => {
  const m = new PanelModel();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    m.apply(m.handshake.watchdog());
    delays.push(m.armedMs!);
  }
  assert.deepEqual(delays, [8000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
  assert.equal(m.loaded, 9, 'each silence loads a new page');
  assert.equal(m.recreated, 0);
  assert.ok(
    m.logs.some((l) => /page 8 did not report ready within 30000 ms; loading page 9/.test(l)),
    m.logs.join('\n'),
  );
  m.apply(m.handshake.ready(9));
  m.workerAnswers();
  assert.deepEqual(m.received.get(9), ['init', 'snapshot']);
});

test('handshake: the second silence replaces the panel once, while the shared budget allows', () => {
  const m = new PanelModel(true);
  m.apply(m.handshake.watchdog());
  assert.equal(m.loaded, 2);
  m.apply(m.handshake.watchdog());
  assert.equal(m.recreated, 1, 'the second silence opens a new panel');
  const n = new PanelModel(false);
  n.apply(n.handshake.watchdog());
  n.apply(n.handshake.watchdog());
  assert.equal(n.recreated, 0, 'without budget it reloads instead');
  assert.equal(n.loaded, 3);
});

test('handshake: hiding forgets the page; showing expects its ready again and answers it', () => {
  const m = new PanelModel();
  m.workerAnswers();
  m.apply(m.handshake.ready(1));
  m.apply(m.handshake.hidden());
  assert.equal(m.handshake.isReady, false);
  assert.equal(m.armedMs, undefined);
  assert.deepEqual(m.handshake.watchdog(), [], 'no reload while hidden');
  m.apply(m.handshake.shown());
  assert.equal(m.armedMs, 4000);
  m.received.set(1, []); // VS Code re-created the page from the same HTML
  m.apply(m.handshake.ready(1));
  assert.deepEqual(m.received.get(1), ['init', 'snapshot']);
});
