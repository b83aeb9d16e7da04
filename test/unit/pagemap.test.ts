// The pagemap decoder on bytes built the way the kernel writes them (one little-endian u64 per page), and the
// reader's refusals of ranges it cannot read. The states read from live processes are in
// test/integration/pagemap.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeProcFs, useProcFs } from '../../src/core/procfs/procFs';
import {
  countStates,
  decodePagemap,
  MAX_PAGEMAP_PAGES,
  PAGE_EXCLUSIVE,
  PAGE_NOT_PRESENT,
  PAGE_SHARED,
  PAGE_SWAPPED,
  PAGEMAP_BITS,
  pageState,
  readPageMap,
  runsOf,
  statesFromRuns,
} from '../../src/core/pagemap';

function entries(values: bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, v, true));
  return bytes;
}

const { PRESENT, SWAPPED, EXCLUSIVE } = PAGEMAP_BITS;
const SOFT_DIRTY = 1n << 55n;
const FILE_PAGE = 1n << 61n;
const PFN = 0x12345n;

test('decodePagemap: each entry to its state by bits 63, 62 and 56; the PFN and other bits change nothing', () => {
  const cases: [string, bigint, number][] = [
    ['all zero: never touched', 0n, PAGE_NOT_PRESENT],
    ['present, shared', PRESENT, PAGE_SHARED],
    ['present, shared, with a PFN (root) and soft-dirty', PRESENT | PFN | SOFT_DIRTY, PAGE_SHARED],
    ['present, exclusive', PRESENT | EXCLUSIVE, PAGE_EXCLUSIVE],
    ['present, exclusive, file page', PRESENT | EXCLUSIVE | FILE_PAGE | PFN, PAGE_EXCLUSIVE],
    ['swapped (swap type and offset in the low bits)', SWAPPED | 0x3_0000_0001n, PAGE_SWAPPED],
    ['exclusive bit without present: not present', EXCLUSIVE, PAGE_NOT_PRESENT],
    ['soft-dirty only', SOFT_DIRTY, PAGE_NOT_PRESENT],
  ];
  const states = decodePagemap(entries(cases.map((c) => c[1])));
  assert.equal(states.length, cases.length);
  cases.forEach(([what, value, want], i) => {
    assert.equal(states[i], want, what);
    assert.equal(pageState(value), want, `${what} (one entry)`);
  });
});

test('decodePagemap drops a trailing partial entry and reads from an offset into a larger buffer', () => {
  const whole = entries([0n, PRESENT | EXCLUSIVE, PRESENT]);
  const withTail = new Uint8Array(whole.length + 5);
  withTail.set(whole);
  assert.deepEqual([...decodePagemap(withTail)], [PAGE_NOT_PRESENT, PAGE_EXCLUSIVE, PAGE_SHARED]);
  assert.deepEqual([...decodePagemap(whole.subarray(8))], [PAGE_EXCLUSIVE, PAGE_SHARED]);
});

test('runs and counts round-trip the states', () => {
  const states = Uint8Array.from([0, 0, 1, 1, 1, 2, 3, 3, 0]);
  const runs = runsOf(states);
  assert.deepEqual(runs, [
    [0, 2],
    [1, 3],
    [2, 1],
    [3, 2],
    [0, 1],
  ]);
  assert.deepEqual([...statesFromRuns(runs)], [...states]);
  assert.deepEqual([...statesFromRuns(runs, 4)], [0, 0, 1, 1]);
  assert.deepEqual(countStates(states), { notPresent: 3, shared: 3, exclusive: 1, swapped: 2 });
  assert.deepEqual(runsOf(new Uint8Array(0)), []);
});

test('readPageMap reads a fixture file at the range offset, caps the pages, and reports errnos instead of throwing', () => {
  const root = mkdtempSync(join(tmpdir(), 'procscope-pagemap-'));
  try {
    mkdirSync(join(root, '42'));
    // Pages 0x10..0x17 of the "address space": two exclusive, three shared, one swapped, two absent.
    const file = new Uint8Array(0x18 * 8);
    file.set(entries([PRESENT | EXCLUSIVE, PRESENT | EXCLUSIVE, PRESENT, PRESENT, PRESENT, SWAPPED, 0n, 0n]), 0x10 * 8);
    writeFileSync(join(root, '42', 'pagemap'), file);
    const got = readPageMap(42, '10000', '18000', { procRoot: root, pageSize: 4096 });
    assert.equal(got.unavailable, null);
    assert.equal(got.pages, 8);
    assert.equal(got.read, 8);
    assert.deepEqual(got.counts, { notPresent: 2, shared: 3, exclusive: 2, swapped: 1 });
    assert.deepEqual(got.runs, [
      [PAGE_EXCLUSIVE, 2],
      [PAGE_SHARED, 3],
      [PAGE_SWAPPED, 1],
      [PAGE_NOT_PRESENT, 2],
    ]);

    const capped = readPageMap(42, '10000', '18000', { procRoot: root, pageSize: 4096, maxPages: 3 });
    assert.equal(capped.pages, 8);
    assert.equal(capped.read, 3);
    assert.deepEqual(capped.counts, { notPresent: 0, shared: 1, exclusive: 2, swapped: 0 });

    // Past the end of the file (as past the top of the user address space): nothing read, no error.
    const past = readPageMap(42, '100000', '102000', { procRoot: root, pageSize: 4096 });
    assert.equal(past.unavailable, null);
    assert.equal(past.read, 0);

    const gone = readPageMap(43, '10000', '18000', { procRoot: root, pageSize: 4096 });
    assert.match(gone.unavailable ?? '', /^ENOENT: pagemap of process 43/);
    assert.equal(gone.pages, 8);
    assert.match(readPageMap(42, '10001', '18000', { procRoot: root, pageSize: 4096 }).unavailable ?? '', /^EINVAL/);
    assert.match(readPageMap(42, '18000', '10000', { procRoot: root, pageSize: 4096 }).unavailable ?? '', /^EINVAL/);
    assert.match(readPageMap(42, '0x1000', '2000', { procRoot: root, pageSize: 4096 }).unavailable ?? '', /^EINVAL/);
    // A directory where the file should be: EISDIR from read, still a reason.
    mkdirSync(join(root, '44', 'pagemap'), { recursive: true });
    assert.match(readPageMap(44, '10000', '18000', { procRoot: root, pageSize: 4096 }).unavailable ?? '', /^EISDIR/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.equal(MAX_PAGEMAP_PAGES, 25_600, '100 MiB of 4 KiB pages');
});

test('readPageMap: an errno mid-read (through the procfs seam) is a reason, the fd is closed, nothing throws', () => {
  const root = mkdtempSync(join(tmpdir(), 'procscope-pagemap-'));
  const opened = new Set<number>();
  try {
    mkdirSync(join(root, '7'));
    writeFileSync(join(root, '7', 'pagemap'), new Uint8Array(64 * 8));
    for (const code of ['EIO', 'ESRCH', 'EINVAL', 'EACCES']) {
      useProcFs({
        ...nodeProcFs,
        openSync: (path, flags) => {
          const fd = nodeProcFs.openSync(path, flags);
          opened.add(fd);
          return fd;
        },
        readSync: () => {
          throw Object.assign(new Error(`${code}: injected`), { code });
        },
        closeSync: (fd) => {
          opened.delete(fd);
          nodeProcFs.closeSync(fd);
        },
      });
      const got = readPageMap(7, '0', '40000', { procRoot: root, pageSize: 4096 });
      assert.equal(got.read, 0);
      assert.equal(got.pages, 64);
      assert.match(got.unavailable ?? '', new RegExp(`^${code}: pagemap of process 7`));
      assert.equal(opened.size, 0, `${code}: the fd was closed`);
    }
  } finally {
    useProcFs(undefined);
    rmSync(root, { recursive: true, force: true });
  }
  // An address range far above any user address space: nothing to read, not an error.
  const high = readPageMap(process.pid, 'fffffffffff00000', 'fffffffffff01000', { pageSize: 4096 });
  assert.deepEqual([high.read, high.unavailable], [0, null]);
});
