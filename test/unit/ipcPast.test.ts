// The IPC scans the panel keeps for rewinding (webview/ipcPast.ts): the newest scan at or before a time, and
// the bounds (scans, channels) that drop the oldest first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IpcPast, IPC_PAST_CHANNELS, IPC_PAST_SCANS } from '../../webview/ipcPast';
import { ipcMapOf } from './fakeIpc';
import type { IpcMap } from '../../src/core/ipc/model';

const scan = (timestamp: number, channels = 0): IpcMap =>
  ipcMapOf(
    Array.from({ length: channels }, (_, i) => ({
      kind: 'pipe' as const,
      id: `pipe:${timestamp}:${i}`,
      label: `pipe ${i}`,
      inode: i,
      endpoints: [],
    })),
    { timestamp },
  );

describe('IpcPast', () => {
  it('answers the newest scan taken at or before a time, none before the first', () => {
    const past = new IpcPast();
    assert.equal(past.at(1000), null);
    assert.equal(past.latest, null);
    const a = scan(1000);
    const b = scan(4000);
    const c = scan(7000);
    for (const m of [a, b, c]) past.keep(m);
    assert.equal(past.at(999), null);
    assert.equal(past.at(1000), a);
    assert.equal(past.at(3999), a);
    assert.equal(past.at(4000), b);
    assert.equal(past.at(100000), c);
    assert.equal(past.latest, c);
    assert.equal(past.oldest, 1000);
    // A scan older than the newest (out of order) is not kept.
    past.keep(scan(5000));
    assert.equal(past.at(5500), b);
  });

  it('keeps at most IPC_PAST_SCANS scans and IPC_PAST_CHANNELS channels, dropping the oldest', () => {
    const past = new IpcPast();
    for (let i = 0; i < IPC_PAST_SCANS + 10; i++) past.keep(scan(i * 1000));
    assert.equal(past.oldest, 10 * 1000);
    const big = new IpcPast();
    const per = Math.ceil(IPC_PAST_CHANNELS / 3);
    for (let i = 0; i < 5; i++) big.keep(scan(i * 1000, per));
    // Three scans of `per` channels fit under the bound only if 3 × per ≤ the bound: the oldest went first.
    assert.equal(big.oldest, (3 * per > IPC_PAST_CHANNELS ? 3 : 2) * 1000);
    // One scan larger than the whole bound is still kept (the newest is always shown).
    const huge = new IpcPast();
    huge.keep(scan(1, IPC_PAST_CHANNELS + 1));
    assert.equal(huge.latest?.timestamp, 1);
  });
});
