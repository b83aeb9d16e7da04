// /proc/PID/pagemap for one mapping: which of its pages are resident, and whether each resident page is
// mapped by this process alone (bit 56, "exclusively mapped") or also by another (after fork, until one side
// writes and the kernel copies the page). Read only when the user opens a page map, never per tick.
//
// Each page has one little-endian u64: bit 63 present, bit 62 swapped, bit 56 exclusively mapped. The flag
// bits are readable by the process's owner without privileges; the PFN (bits 0-54) is zeroed without
// CAP_SYS_ADMIN, so nothing here reads it.
import { errnoOf } from './errors';
import { procFs } from './procfs/procFs';
import { readPageSize } from './system';

/** One page's state, as one byte per page in PageMapRead.states and in the runs. */
export const PAGE_NOT_PRESENT = 0;
export const PAGE_SHARED = 1;
export const PAGE_EXCLUSIVE = 2;
export const PAGE_SWAPPED = 3;
export type PageState = typeof PAGE_NOT_PRESENT | typeof PAGE_SHARED | typeof PAGE_EXCLUSIVE | typeof PAGE_SWAPPED;

/**
 * The most pages one request reads: 100 MiB of 4 KiB pages (200 KiB of pagemap), enough for the fork lab's
 * buffer in one read, small enough that a request for a huge mapping cannot stall the worker.
 */
export const MAX_PAGEMAP_PAGES = 25_600;

const PRESENT = 1n << 63n;
const SWAPPED = 1n << 62n;
const EXCLUSIVE = 1n << 56n;

export interface PageCounts {
  readonly notPresent: number;
  readonly shared: number;
  readonly exclusive: number;
  readonly swapped: number;
}

/** The page map of one mapping, as sent to the webview: states run-length encoded (JSON-friendly, small). */
export interface PageMapResult {
  /** The range asked for, as hex text without 0x (the form /proc/PID/maps uses). */
  readonly start: string;
  readonly end: string;
  readonly pageSize: number;
  /** Pages in the range asked for. */
  readonly pages: number;
  /** Pages read (at most MAX_PAGEMAP_PAGES, from the start of the range). */
  readonly read: number;
  /** [state, count] pairs covering the pages read, in address order. */
  readonly runs: readonly (readonly [PageState, number])[];
  readonly counts: PageCounts;
  /** Why nothing could be read (the errno and what failed), or null. */
  readonly unavailable: string | null;
}

/** The state of one pagemap entry. */
export function pageState(entry: bigint): PageState {
  if (entry & PRESENT) return entry & EXCLUSIVE ? PAGE_EXCLUSIVE : PAGE_SHARED;
  if (entry & SWAPPED) return PAGE_SWAPPED;
  return PAGE_NOT_PRESENT;
}

/** Decodes pagemap bytes (8 per page, little-endian) into one state byte per page; a trailing partial entry is dropped. */
export function decodePagemap(bytes: Uint8Array): Uint8Array {
  const pages = Math.floor(bytes.byteLength / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, pages * 8);
  const states = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) {
    // The flags live in the high word: reading it alone avoids a BigInt per page.
    const high = view.getUint32(i * 8 + 4, true);
    if (high & 0x8000_0000) states[i] = high & 0x0100_0000 ? PAGE_EXCLUSIVE : PAGE_SHARED;
    else if (high & 0x4000_0000) states[i] = PAGE_SWAPPED;
    else states[i] = PAGE_NOT_PRESENT;
  }
  return states;
}

export function countStates(states: Uint8Array): PageCounts {
  const n = [0, 0, 0, 0];
  for (const s of states) n[s]!++;
  return { notPresent: n[0]!, shared: n[1]!, exclusive: n[2]!, swapped: n[3]! };
}

export function runsOf(states: Uint8Array): [PageState, number][] {
  const runs: [PageState, number][] = [];
  for (const s of states) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s as PageState, 1]);
  }
  return runs;
}

/** The states back from runs (the webview's side of the wire), at most `limit` pages. */
export function statesFromRuns(runs: readonly (readonly [number, number])[], limit = MAX_PAGEMAP_PAGES): Uint8Array {
  let total = 0;
  for (const [, count] of runs) total += count;
  const states = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const [state, count] of runs) {
    const take = Math.min(count, states.length - at);
    states.fill(state, at, at + take);
    at += take;
    if (at >= states.length) break;
  }
  return states;
}

export interface PageMapOptions {
  readonly procRoot?: string;
  readonly pageSize?: number;
  readonly maxPages?: number;
}

const HEX = /^[0-9a-f]{1,16}$/;

/**
 * The page states of [start, end) in process `pid`. Never throws: a range that is not page-aligned, or any
 * errno opening or reading the file (ENOENT/ESRCH: gone, EACCES/EPERM: another user's process), comes back as
 * `unavailable` with the reason. Reads at most `maxPages` pages, in one read per 64 Ki pages, with one fd.
 */
export function readPageMap(pid: number, start: string, end: string, options: PageMapOptions = {}): PageMapResult {
  const procRoot = options.procRoot ?? '/proc';
  const pageSize = options.pageSize ?? readPageSize(procRoot);
  const maxPages = options.maxPages ?? MAX_PAGEMAP_PAGES;
  const empty = (reason: string, pages = 0): PageMapResult => ({
    start,
    end,
    pageSize,
    pages,
    read: 0,
    runs: [],
    counts: { notPresent: 0, shared: 0, exclusive: 0, swapped: 0 },
    unavailable: reason,
  });
  if (!HEX.test(start) || !HEX.test(end)) return empty(`EINVAL: not a hex address range: ${start}-${end}`);
  const from = BigInt(`0x${start}`);
  const to = BigInt(`0x${end}`);
  const size = BigInt(pageSize);
  if (to <= from || from % size !== 0n || to % size !== 0n)
    return empty(`EINVAL: ${start}-${end} is not a range of whole ${pageSize}-byte pages`);
  const pages = Number((to - from) / size);
  const want = Math.min(pages, maxPages);
  const bytes = new Uint8Array(want * 8);
  const base = (from / size) * 8n;
  // Offsets past 2^53 belong to addresses far above any user address space (the kernel answers nothing
  // there), and a file position beyond it cannot be passed exactly.
  if (base + BigInt(bytes.length) > BigInt(Number.MAX_SAFE_INTEGER))
    return { start, end, pageSize, pages, read: 0, runs: [], counts: countStates(new Uint8Array(0)), unavailable: null };
  let fd: number | undefined;
  try {
    fd = procFs.openSync(`${procRoot}/${pid}/pagemap`, 'r');
    let got = 0;
    while (got < bytes.length) {
      const chunk = Math.min(bytes.length - got, 512 * 1024);
      const n = procFs.readSync(fd, bytes, got, chunk, Number(base) + got);
      // 0 bytes: the range runs past the top of the user address space (e.g. [vsyscall]).
      if (n === 0) break;
      got += n;
    }
    const states = decodePagemap(bytes.subarray(0, got - (got % 8)));
    return { start, end, pageSize, pages, read: states.length, runs: runsOf(states), counts: countStates(states), unavailable: null };
  } catch (error) {
    const code = errnoOf(error);
    return empty(`${code ?? 'error'}: pagemap of process ${pid}: ${error instanceof Error ? error.message : String(error)}`, pages);
  } finally {
    if (fd !== undefined) procFs.closeSync(fd);
  }
}

/** The same flags for one entry, for tests that build bytes by hand. */
export const PAGEMAP_BITS = { PRESENT, SWAPPED, EXCLUSIVE } as const;
