// formatBytes: the one byte formatter the CLI and the panel share.
import assert from 'node:assert/strict';
import test from 'node:test';
import { unitName } from '../../src/cli/show';
import { formatBytes } from '../../src/shared/format';

test('byte counts read the same in every view', () => {
  const cases: [number | null | undefined, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 - 1, '10.0 KiB'],
    [10 * 1024, '10 KiB'],
    [123 * 1024 * 1024, '123 MiB'],
    [5.25 * 1024 ** 3, '5.3 GiB'],
    [3 * 1024 ** 5, '3072 TiB'],
    [null, '–'],
    [undefined, '–'],
    [Number.NaN, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ];
  for (const [n, text] of cases) assert.equal(formatBytes(n), text, String(n));
});

test('the unit is named by the caller: the CLI names it from its catalogue', () => {
  assert.equal(
    formatBytes(2048, (u) => `<${u}>`),
    '2.0 <KiB>',
  );
  assert.equal(formatBytes(2048, unitName), `2.0 ${unitName('KiB')}`);
  assert.equal(formatBytes(12, unitName), `12 ${unitName('B')}`);
});
