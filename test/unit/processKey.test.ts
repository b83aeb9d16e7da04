// The one process-key format: what the sampler writes, the host's validation and its identity checks read
// back, each through src/shared/processKey.ts.
import assert from 'node:assert/strict';
import test from 'node:test';
import * as model from '../../src/core/model';
import { identityFromKey } from '../../src/extension/processIdentity';
import { parseProcessKey, pidOfEntry, processKey, splitProcessKey } from '../../src/shared/processKey';

test('every key the sampler writes reads back to the same parts, on every side', () => {
  const cases: [pid: number, start: number, incarnation: number, key: string][] = [
    [1, 0, 0, '1@0'],
    [42, 123456, 0, '42@123456'],
    [42, 123456, 3, '42@123456+3'],
    [4194304, 2 ** 40, 0, `4194304@${2 ** 40}`],
  ];
  for (const [pid, start, incarnation, key] of cases) {
    assert.equal(processKey(pid, start, incarnation), key);
    assert.deepEqual(parseProcessKey(key), { pid, startTicks: start, incarnation }, key);
    assert.deepEqual(identityFromKey(key), { pid, startTicks: String(start) }, key);
  }
});

test('the start time is kept as written, so a counter past 2^53 is compared exactly', () => {
  const huge = '18446744073709551615';
  assert.equal(splitProcessKey(`7@${huge}`)?.startText, huge);
  assert.equal(identityFromKey(`7@${huge}`)?.startTicks, huge);
});

test('anything that is not a key is refused, whoever asks', () => {
  const bad = [
    '',
    '42',
    '@1',
    '0@1',
    '042@1',
    '42@',
    '42@1 ',
    ' 42@1',
    '42@1<b>',
    'x@1',
    '42@1#1',
    '42@1+0',
    '42@1+',
    '42@1+x',
    '12345678@1',
    '4194305@1',
    '9999999@1',
    `1@${'9'.repeat(21)}`,
    '1@1+1234567',
    '42@-1',
    '4.2@1',
  ];
  for (const key of bad) {
    assert.equal(splitProcessKey(key), undefined, key);
    assert.equal(parseProcessKey(key), undefined, key);
    assert.equal(identityFromKey(key), undefined, key);
  }
});

test('the core model hands out the same functions, not a copy', () => {
  assert.equal(model.parseProcessKey, parseProcessKey);
  assert.equal(model.processKey, processKey);
});

test('a procfs entry names a pid only as 1 to PID_MAX, so every key made from one reads back', () => {
  for (const [name, pid] of [
    ['1', 1],
    ['4194304', 4194304],
    ['123', 123],
  ] as const) {
    assert.equal(pidOfEntry(name), pid, name);
    assert.ok(splitProcessKey(processKey(pid, 5)), name);
  }
  for (const name of ['self', 'stat', 'thread-self', '0', '0123', '4194305', '9999999', '12abc', '', '-1', ' 1']) {
    assert.equal(pidOfEntry(name), undefined, JSON.stringify(name));
  }
});
