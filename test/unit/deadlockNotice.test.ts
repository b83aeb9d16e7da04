// The deadlock notification's rule: one announcement when a cycle appears, none while it stays, another only
// after it disappeared and came back; a cycle is the same whatever member the look starts it from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cycleId, cyclePath, DeadlockNotice } from '../../src/extension/deadlockNotice';
import type { WaitCycle } from '../../src/protocol';

const m = (pid: number, tid: number, start = 100, name = `t${tid}`) => ({ pid, tid, key: `${pid}@${start}`, name });
const ab: WaitCycle = { members: [m(10, 11), m(20, 21)] };
const ba: WaitCycle = { members: [m(20, 21), m(10, 11)] };
const cd: WaitCycle = { members: [m(30, 31), m(30, 32)] };

test('a new cycle is announced once, not again while it stays (whatever member it starts from)', () => {
  const n = new DeadlockNotice();
  assert.deepEqual(n.update([]), []);
  assert.deepEqual(n.update([ab]), [ab]);
  assert.deepEqual(n.update([ab]), []);
  assert.deepEqual(n.update([ba]), [], 'the same cycle found from its other member');
  assert.deepEqual(n.update([ba, cd]), [cd], 'only the new one of two');
  assert.deepEqual(n.update([ab, cd]), []);
});

test('a cycle that disappears and comes back is announced again', () => {
  const n = new DeadlockNotice();
  assert.equal(n.update([ab]).length, 1);
  assert.equal(n.update([]).length, 0);
  assert.deepEqual(n.update([ab]), [ab]);
});

test('the same pids and tids in processes with other start times are another cycle', () => {
  const n = new DeadlockNotice();
  n.update([ab]);
  const reborn: WaitCycle = { members: [m(10, 11, 999), m(20, 21, 999)] };
  assert.notEqual(cycleId(reborn), cycleId(ab));
  assert.deepEqual(n.update([reborn]), [reborn]);
});

test('reset forgets what was shown', () => {
  const n = new DeadlockNotice();
  n.update([ab]);
  n.reset();
  assert.deepEqual(n.update([ab]), [ab]);
});

test('the path names each thread, back to the first, with hidden characters escaped', () => {
  assert.equal(
    cyclePath({ members: [m(10, 11, 100, 'worker-1'), m(10, 12, 100, 'evil\u202Ename')] }),
    '11 worker-1 → 12 evil\\u202Ename → 11 worker-1',
  );
});
