// The panel's cadence settings: whatever settings.json holds, the timers get a delay Node can keep.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampMs, MAX_REFRESH_MS, MIN_REFRESH_MS } from '../../src/extension/intervals';

describe('clampMs (procscope.refreshInterval, procscope.ipcRefreshInterval)', () => {
  it('keeps a value in range, rounded', () => {
    assert.equal(clampMs(1500, 1000, MIN_REFRESH_MS), 1500);
    assert.equal(clampMs(1500.6, 1000, MIN_REFRESH_MS), 1501);
  });
  it('raises a value below the minimum to it', () => {
    assert.equal(clampMs(0, 1000, MIN_REFRESH_MS), MIN_REFRESH_MS);
    assert.equal(clampMs(-5, 1000, MIN_REFRESH_MS), MIN_REFRESH_MS);
  });
  it('lowers a value past ten minutes to ten minutes, never past what a Node timer holds', () => {
    for (const huge of [600_001, 2 ** 31, 1e12, Number.MAX_VALUE]) assert.equal(clampMs(huge, 1000, MIN_REFRESH_MS), MAX_REFRESH_MS);
    assert.ok(MAX_REFRESH_MS < 2 ** 31 - 1);
  });
  it('gives the default for what is not a finite number', () => {
    for (const bad of [Infinity, -Infinity, NaN, '2000', null, undefined, true, [1000], { ms: 1000 }])
      assert.equal(clampMs(bad, 1000, MIN_REFRESH_MS), 1000, String(bad));
  });
});
