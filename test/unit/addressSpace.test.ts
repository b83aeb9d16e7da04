// The address space as bands (webview/addressSpace.ts), from a real /proc/PID/maps of bash
// (test/fixtures/proc/address-space/bash.maps, exe /usr/bin/bash): classification, order, joined libraries,
// gaps; and how a page map of many pages is folded into cells.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseMaps } from '../../src/core/procfs/maps';
import { addressSpaceBands, bandHeight, GAP_MIN_BYTES, pageCells, spanBytes, type RegionBand } from '../../webview/addressSpace';

const FIXTURE = join(__dirname, '..', 'fixtures', 'proc', 'address-space', 'bash.maps');
const map = parseMaps(readFileSync(FIXTURE, 'utf8'), '/usr/bin/bash');

test('bash: the textbook bands in address order, text/data/bss from the executable, kernel pages at the top', () => {
  const bands = addressSpaceBands(map.regions);
  const brief = bands.map((b) => (b.type === 'gap' ? 'gap' : `${b.kind}:${b.perms}`));
  assert.deepEqual(brief.slice(0, 8), [
    'rodata:r--p',
    'text:r-xp',
    'rodata:r--p',
    'rodata:r--p',
    'data:rw-p',
    'bss:rw-p',
    'gap',
    'heap:rw-p',
  ]);
  assert.deepEqual(brief.slice(-8), [
    'vvar:r--p',
    'vvar:r--p',
    'vdso:r-xp',
    'library:r--p r-xp r--p r--p rw-p',
    'gap',
    'stack:rw-p',
    'gap',
    'vsyscall:--xp',
  ]);
  const regions = bands.filter((b): b is RegionBand => b.type === 'region');
  const byKind = (kind: string) => regions.filter((b) => b.kind === kind);
  // libc's five lines are one band, its anonymous bss after it is not part of it.
  const libc = regions.find((b) => b.path === '/usr/lib/x86_64-linux-gnu/libc.so.6')!;
  assert.equal(libc.regions, 5);
  assert.equal(libc.perms, 'r--p r-xp r--p r--p rw-p');
  assert.equal(libc.start, '7f4437165000');
  assert.equal(libc.end, '7f443733a000');
  assert.equal(libc.size, 0x7f443733a000 - 0x7f4437165000);
  assert.equal(libc.pageMap, false, 'joined bands offer no page map');
  assert.equal(byKind('heap')[0]!.start, '55bcc4fdf000');
  assert.equal(byKind('bss')[0]!.start, '55bc90d99000');
  assert.equal(byKind('bss')[0]!.pageMap, true);
  assert.equal(byKind('text')[0]!.pageMap, false, 'not writable');
  assert.deepEqual(
    byKind('vvar').map((b) => b.path),
    ['[vvar]', '[vvar_vclock]'],
  );
  assert.equal(byKind('vdso').length, 1);
  assert.equal(byKind('shared')[0]!.path, '/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache');
  assert.ok(byKind('anonymous').length >= 3);
  assert.equal(byKind('file').filter((b) => b.path!.startsWith('/usr/lib/locale/')).length, 12);

  // Address order, and every region of the map is in exactly one band.
  let previous = -1n;
  for (const b of bands) {
    const start = BigInt(`0x${b.start}`);
    assert.ok(start > previous, `${b.start} after ${previous.toString(16)}`);
    previous = start;
  }
  assert.equal(
    regions.reduce((n, b) => n + b.regions, 0),
    map.regions.length,
  );
  // Gaps: the brk offset below the heap, heap to the mmap area, below the stack, below [vsyscall].
  const gaps = bands.filter((b) => b.type === 'gap');
  assert.equal(gaps.length, 4);
  for (const g of gaps) assert.ok(g.size >= GAP_MIN_BYTES);
  assert.equal(gaps[0]!.start, '55bc90da4000');
  assert.equal(gaps[0]!.end, '55bcc4fdf000');
  assert.equal(gaps[1]!.start, '55bcc503f000');
  assert.equal(gaps[1]!.end, '7f4437082000');
  assert.ok(gaps[3]!.size > 2 ** 63, 'the non-canonical hole and the kernel half below [vsyscall]');
  const last = bands[bands.length - 1]!;
  assert.equal(last.type === 'region' && last.kind, 'vsyscall');
  assert.equal(last.type === 'region' && last.pageMap, false);
});

test('small holes are not gaps; unsorted input is drawn in address order', () => {
  const region = (start: number, end: number, kind: 'anonymous' | 'library', path: string | null = null) => ({
    start: start.toString(16),
    end: end.toString(16),
    size: end - start,
    perms: 'rw-p',
    offset: '0',
    dev: '00:00',
    inode: 0,
    path,
    deleted: false,
    kind,
  });
  const bands = addressSpaceBands([
    region(0x30000000, 0x30001000, 'anonymous'),
    region(0x10000000, 0x10001000, 'library', '/lib/a.so'),
    region(0x10002000, 0x10003000, 'library', '/lib/a.so'),
  ]);
  assert.deepEqual(
    bands.map((b) => (b.type === 'gap' ? `gap ${b.size}` : `${b.kind} ${b.start}`)),
    // Not joined across a 4 KiB hole; a 512 MiB stretch is a gap.
    ['library 10000000', 'library 10002000', `gap ${0x30000000 - 0x10003000}`, 'anonymous 30000000'],
  );
});

test('spanBytes names the huge gaps in PiB and EiB, smaller sizes as formatBytes does', () => {
  assert.equal(spanBytes(0xffffffffff600000 - 0x7ffe37b1f000), '16.0 EiB');
  assert.equal(spanBytes(2 ** 51), '2.0 PiB');
  assert.equal(spanBytes(45661710200832), '42 TiB');
  assert.equal(spanBytes(834 * 1024 * 1024), '834 MiB');
});

test('bandHeight grows with the logarithm of the size', () => {
  assert.equal(bandHeight(4096), 22);
  assert.equal(bandHeight(100 * 1024 * 1024), bandHeight(50 * 1024 * 1024) + 3);
  assert.ok(bandHeight(2 ** 47) < 200);
});

test('pageCells: one cell per page up to the limit, then the majority of each group (ties to the later state)', () => {
  const small = Uint8Array.from([0, 1, 2, 3]);
  assert.deepEqual(pageCells(small, 8), { per: 1, cells: small });
  const states = Uint8Array.from([1, 1, 2, 2, 2, 0, 0, 1, 2, 2]);
  const { per, cells } = pageCells(states, 4);
  assert.equal(per, 3);
  // [1,1,2] [2,2,0] [0,1,2] (a three-way tie) [2]
  assert.deepEqual([...cells], [1, 2, 2, 2]);
  assert.deepEqual([...pageCells(Uint8Array.from([1, 2]), 1).cells], [2]);
  const big = pageCells(new Uint8Array(25_600), 1024);
  assert.equal(big.per, 25);
  assert.equal(big.cells.length, 1024);
});
