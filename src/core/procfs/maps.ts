// /proc/PID/maps: the address space as regions, each classified, and totals per kind.
// Own code: @stroncium/procfs has no maps parser.

export type RegionKind =
  /** Executable mappings of the program file (text). */
  | 'code'
  /** Other mappings of the program file (rodata, data) and its bss. */
  | 'data'
  | 'heap'
  /** The main thread's stack ([stack]); other threads' stacks are anonymous mappings. */
  | 'stack'
  /** Shared objects (*.so) and the dynamic loader (their bss is anonymous, without a path). */
  | 'library'
  /** Other privately mapped files (locale archives, fonts, caches). */
  | 'file'
  | 'anonymous'
  /** /dev/shm, System V segments, memfd, and any MAP_SHARED mapping ('s' in perms). */
  | 'shared'
  /** Kernel-provided pages: [vdso], [vvar], [vsyscall], [uprobes]. */
  | 'special';

export const REGION_KINDS: readonly RegionKind[] = ['code', 'data', 'heap', 'stack', 'library', 'file', 'anonymous', 'shared', 'special'];

export interface MemoryRegion {
  /** Addresses as hex text: [vsyscall] lies above 2^53, beyond what a JSON number holds exactly. */
  readonly start: string;
  readonly end: string;
  /** Bytes. */
  readonly size: number;
  /** rwxp / rwxs. */
  readonly perms: string;
  readonly offset: string;
  /** major:minor of the backing device. */
  readonly dev: string;
  readonly inode: number;
  /** File path or pseudo-name ([heap], /memfd:x, /SYSV0000002a), without ` (deleted)`; null when anonymous. */
  readonly path: string | null;
  /** The backing file was unlinked (the kernel appends ` (deleted)`). */
  readonly deleted: boolean;
  readonly kind: RegionKind;
}

export interface KindTotal {
  readonly count: number;
  readonly size: number;
}

export interface MemoryMap {
  readonly regions: readonly MemoryRegion[];
  readonly byKind: Readonly<Record<RegionKind, KindTotal>>;
  /** Each shared library once, with the summed size of its regions. */
  readonly libraries: readonly { readonly path: string; readonly size: number }[];
  readonly totalSize: number;
}

interface RawRegion {
  start: bigint;
  end: bigint;
  startHex: string;
  endHex: string;
  perms: string;
  offset: string;
  dev: string;
  inode: number;
  path: string | null;
  deleted: boolean;
}

const LINE = /^([0-9a-f]+)-([0-9a-f]+) ([-r][-w][-x][-ps]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/;
const DELETED = ' (deleted)';
const LIBRARY = /(^|\/)(ld-linux[^/]*|ld-musl[^/]*|[^/]+\.so(\.[0-9][^/]*)?)$/;

/** The kernel escapes a newline in a path as \012 (seq_file_path with "\n"). */
function unescapePath(path: string): string {
  return path.includes('\\012') ? path.replace(/\\012/g, '\n') : path;
}

function parseLine(line: string): RawRegion | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  let path: string | null = m[7] === undefined || m[7] === '' ? null : unescapePath(m[7]);
  let deleted = false;
  if (path !== null && path.endsWith(DELETED)) {
    path = path.slice(0, -DELETED.length);
    deleted = true;
  }
  return {
    start: BigInt(`0x${m[1]}`),
    end: BigInt(`0x${m[2]}`),
    startHex: m[1] as string,
    endHex: m[2] as string,
    perms: m[3] as string,
    offset: m[4] as string,
    dev: m[5] as string,
    inode: Number(m[6]),
    path,
    deleted,
  };
}

function isSharedMemory(path: string | null, perms: string): boolean {
  if (perms[3] === 's') return true;
  if (path === null) return false;
  return path.startsWith('/dev/shm/') || path.startsWith('/SYSV') || path.startsWith('/memfd:') || path.startsWith('[anon_shmem:');
}

function classify(region: RawRegion, exePath: string | null): RegionKind {
  const { path, perms } = region;
  if (isSharedMemory(path, perms)) return 'shared';
  if (path === null || path.startsWith('[anon:')) return 'anonymous';
  if (path === '[heap]') return 'heap';
  if (path === '[stack]' || path.startsWith('[stack:')) return 'stack';
  if (path.startsWith('[')) return 'special';
  if (exePath !== null && path === exePath) return perms[2] === 'x' ? 'code' : 'data';
  if (LIBRARY.test(path)) return 'library';
  return 'file';
}

/**
 * Parse maps text. `exePath` (the target of /proc/PID/exe, without ` (deleted)`) tells the program's own
 * mappings apart; when unknown, the first file mapped at offset 0 is taken as the program (the kernel
 * maps the executable first, at the lowest address). Lines that do not parse are skipped.
 */
export function parseMaps(text: string, exePath?: string | null): MemoryMap {
  const raw: RawRegion[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const region = parseLine(line);
    if (region) raw.push(region);
  }
  let program = exePath ?? null;
  if (program === null) {
    const first = raw.find((r) => r.inode !== 0 && r.path !== null && r.path.startsWith('/') && /^0+$/.test(r.offset));
    program = first?.path ?? null;
  }

  const regions: MemoryRegion[] = [];
  let previous: MemoryRegion | undefined;
  for (const r of raw) {
    let kind = classify(r, program);
    // The program's bss: an anonymous rw-p region right after its writable data. Not done for libraries:
    // the mmap allocator fills the gaps next to them with unrelated anonymous regions (seen: 3.5 MiB of
    // Python arenas right after zlib's data), so a library's bss counts as anonymous.
    if (
      kind === 'anonymous' &&
      r.path === null &&
      r.perms === 'rw-p' &&
      previous !== undefined &&
      previous.perms === 'rw-p' &&
      previous.kind === 'data' &&
      BigInt(`0x${previous.end}`) === r.start
    ) {
      kind = 'data';
    }
    const region: MemoryRegion = {
      start: r.startHex,
      end: r.endHex,
      size: Number(r.end - r.start),
      perms: r.perms,
      offset: r.offset,
      dev: r.dev,
      inode: r.inode,
      path: r.path,
      deleted: r.deleted,
      kind,
    };
    regions.push(region);
    previous = region;
  }

  const byKind = Object.fromEntries(REGION_KINDS.map((k) => [k, { count: 0, size: 0 }])) as Record<
    RegionKind,
    { count: number; size: number }
  >;
  const libraries = new Map<string, number>();
  let totalSize = 0;
  for (const region of regions) {
    byKind[region.kind].count++;
    byKind[region.kind].size += region.size;
    totalSize += region.size;
    if (region.kind === 'library' && region.path !== null) {
      libraries.set(region.path, (libraries.get(region.path) ?? 0) + region.size);
    }
  }
  return {
    regions,
    byKind,
    libraries: [...libraries].map(([path, size]) => ({ path, size })),
    totalSize,
  };
}
