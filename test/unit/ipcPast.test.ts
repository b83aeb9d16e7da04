// The IPC scans the panel keeps for rewinding (webview/ipcPast.ts): the newest scan at or before a time, the
// sharing of what did not change between scans, and the bounds (scans, bytes) that drop the oldest first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IpcPast, IPC_PAST_BYTES, IPC_PAST_SCANS } from '../../webview/ipcPast';
import { ipcMapOf } from './fakeIpc';
import type { Channel, Endpoint, IpcMap } from '../../src/core/ipc/model';

const endpoint = (pid: number, fd: number, name = `proc-${pid}`): Endpoint => ({
  pid,
  fd,
  role: 'read',
  processName: name,
  processKey: `${pid}@${pid * 10}`,
});

const pipe = (id: string, endpoints: Endpoint[], label = id): Channel => ({ kind: 'pipe', id, label, inode: 1, endpoints });

const scan = (timestamp: number, channels: Channel[] = []): IpcMap => ipcMapOf(channels, { timestamp });

/** A fresh copy, as each message from the host is: equal content, new objects. */
const copy = (map: IpcMap): IpcMap => JSON.parse(JSON.stringify(map)) as IpcMap;

/**
 * What the kept scans hold, counted from scratch: every distinct channel and endpoint object once (a channel
 * as its JSON text less its endpoints', an endpoint as its JSON text), a pointer per list entry, and each
 * scan's other fields as text. IpcPast's running count must always equal it.
 */
function counted(maps: readonly IpcMap[]): number {
  const seen = new Set<object>();
  let bytes = 0;
  for (const map of maps) {
    bytes += 8 * map.channels.length + JSON.stringify({ ...map, channels: [] }).length;
    for (const c of map.channels) {
      bytes += 8 * c.endpoints.length;
      if (!seen.has(c)) {
        seen.add(c);
        bytes += JSON.stringify(c).length - c.endpoints.reduce((a, e) => a + JSON.stringify(e).length, 0);
      }
      for (const e of c.endpoints) {
        if (seen.has(e)) continue;
        seen.add(e);
        bytes += JSON.stringify(e).length;
      }
    }
  }
  return bytes;
}

const keptMaps = (past: IpcPast): IpcMap[] => past.all;

describe('IpcPast', () => {
  it('answers the newest scan taken at or before a time, none before the first', () => {
    const past = new IpcPast();
    assert.equal(past.at(1000), null);
    assert.equal(past.latest, null);
    for (const t of [1000, 4000, 7000]) past.keep(scan(t));
    assert.equal(past.at(999), null);
    assert.equal(past.at(1000)?.timestamp, 1000);
    assert.equal(past.at(3999)?.timestamp, 1000);
    assert.equal(past.at(4000)?.timestamp, 4000);
    assert.equal(past.at(100000)?.timestamp, 7000);
    assert.equal((past.latest as IpcMap | null)?.timestamp, 7000); // (narrowed to null by the assertion above)
    assert.equal(past.oldest, 1000);
    // A scan older than the newest (out of order) is not kept, and is given back as it came.
    const late = scan(5000);
    assert.equal(past.keep(late), late);
    assert.equal(past.at(5500)?.timestamp, 4000);
  });

  it('a scan equal to the one before is kept as that one: the same channel and endpoint objects', () => {
    const past = new IpcPast();
    const first = scan(1000, [pipe('pipe:1', [endpoint(10, 3), endpoint(11, 4)]), pipe('pipe:2', [endpoint(12, 5)])]);
    const a = past.keep(copy(first));
    const before = past.bytes;
    const b = past.keep({ ...copy(first), timestamp: 2000 });
    assert.notEqual(a, b);
    assert.deepEqual(b, { ...a, timestamp: 2000 });
    a.channels.forEach((c, i) => assert.equal(b.channels[i], c, `channel ${i} shared`));
    // The second scan adds only its lists and its other fields.
    assert.equal(past.bytes - before, 8 * (2 + 3) + JSON.stringify({ ...b, channels: [] }).length);
    assert.equal(past.bytes, counted([a, b]));
  });

  it('a channel that changed is new, and shares the endpoints it still has', () => {
    const past = new IpcPast();
    const a = past.keep(scan(1000, [pipe('pipe:1', [endpoint(10, 3), endpoint(11, 4), endpoint(12, 5)])]));
    const b = past.keep(scan(2000, [pipe('pipe:1', [endpoint(10, 3), endpoint(11, 4), endpoint(13, 6)])]));
    assert.notEqual(b.channels[0], a.channels[0]);
    assert.equal(b.channels[0]!.endpoints[0], a.channels[0]!.endpoints[0]);
    assert.equal(b.channels[0]!.endpoints[1], a.channels[0]!.endpoints[1]);
    assert.notEqual(b.channels[0]!.endpoints[2], a.channels[0]!.endpoints[2]);
    assert.deepEqual(b.channels[0]!.endpoints[2], endpoint(13, 6));
    assert.equal(past.bytes, counted([a, b]));
  });

  it('keeps at most IPC_PAST_SCANS scans, dropping the oldest', () => {
    const past = new IpcPast();
    for (let i = 0; i < IPC_PAST_SCANS + 10; i++) past.keep(scan(i * 1000));
    assert.equal(past.length, IPC_PAST_SCANS);
    assert.equal(past.oldest, 10 * 1000);
  });

  it('keeps what the scans hold under IPC_PAST_BYTES, dropping the oldest; what a later scan shares stays counted', () => {
    const past = new IpcPast();
    // Each scan: one long-lived channel with many endpoints (shared from scan to scan), and fresh channels
    // large enough that a few dozen scans pass the bound.
    const steady = Array.from({ length: 200 }, (_, i) => endpoint(1000 + i, 1));
    const freshPerScan = Math.ceil(IPC_PAST_BYTES / 20 / 400);
    for (let s = 0; s < 60; s++) {
      const fresh = Array.from({ length: freshPerScan }, (_, i) => pipe(`pipe:${s}:${i}`, [endpoint(5000 + i, 3, 'x'.repeat(300))]));
      past.keep(
        scan(s * 1000, [
          pipe(
            'pipe:steady',
            steady.map((e) => ({ ...e })),
          ),
          ...fresh,
        ]),
      );
      assert.ok(past.bytes <= IPC_PAST_BYTES || past.length === 1, `scan ${s}: ${past.bytes} bytes in ${past.length} scans`);
    }
    assert.ok(past.length < 60 && past.length > 5, `some scans were dropped, not all: ${past.length}`);
    const maps = keptMaps(past);
    assert.equal(maps.length, past.length);
    assert.equal(past.bytes, counted(maps));
    // The steady channel is one object in every kept scan, though the scan that brought it was dropped.
    const steadyObjects = new Set(maps.map((m) => m.channels[0]));
    assert.equal(steadyObjects.size, 1);
  });

  it('counts exactly over a long run of scans that change a little each time', () => {
    const past = new IpcPast();
    let channels: Channel[] = Array.from({ length: 30 }, (_, i) =>
      pipe(
        `pipe:${i}`,
        Array.from({ length: 5 }, (_, k) => endpoint(100 + i * 10 + k, k)),
      ),
    );
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let s = 0; s < IPC_PAST_SCANS + 40; s++) {
      // A few endpoints come and go, a channel is renamed, one is replaced.
      channels = channels.map((c, i) => {
        if (random(10) > 0) return c;
        const endpoints = c.endpoints.slice(1).concat(endpoint(10_000 + s * 100 + i, random(9)));
        return pipe(c.id, endpoints, random(2) === 0 ? c.label : `${c.id} (${s})`);
      });
      channels[random(channels.length)] = pipe(`pipe:new:${s}`, [endpoint(20_000 + s, 1)]);
      past.keep(copy(scan(s * 1000, channels)));
    }
    assert.equal(past.length, IPC_PAST_SCANS);
    assert.equal(past.bytes, counted(keptMaps(past)));
  });

  it('one scan larger than the whole bound is still kept (the newest is always shown)', () => {
    const past = new IpcPast();
    past.keep(scan(1, [pipe('pipe:big', [endpoint(1, 1, 'y'.repeat(IPC_PAST_BYTES))])]));
    assert.equal(past.latest?.timestamp, 1);
    assert.equal(past.length, 1);
  });
});
