// /proc/meminfo, and memory the way `free` (procps-ng) shows it.

/** Every `Name: value [kB]` line; values with a kB unit in bytes, the others (HugePages_Total) as counts. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1]!, m[3] ? Number(m[2]) * 1024 : Number(m[2]));
  }
  return out;
}

/** The columns of `free -b`, bytes. */
export interface FreeMemory {
  readonly total: number;
  /**
   * As procps-ng 4.0.1 and later compute it: total - available (memory that cannot be had back without
   * swapping). When the kernel has no MemAvailable (before 3.14): total - free - buff/cache.
   */
  readonly used: number;
  /** total - free - buff/cache: `used` as procps-ng before 4.0.1 (and htop) compute it. */
  readonly usedExcludingCache: number;
  readonly free: number;
  /** Shmem: tmpfs files, shared anonymous memory, SysV and POSIX shared memory. */
  readonly shared: number;
  readonly buffers: number;
  /** Cached + SReclaimable, as free's `cache` column. */
  readonly cache: number;
  readonly buffCache: number;
  /** MemAvailable; when the kernel lacks it, free's own estimate is not repeated: free + buff/cache. */
  readonly available: number;
  /** False when the kernel has no MemAvailable and `available` is the rough estimate above. */
  readonly availableFromKernel: boolean;
  readonly swapTotal: number;
  readonly swapUsed: number;
  readonly swapFree: number;
}

/** free's numbers from parsed meminfo; undefined without MemTotal and MemFree (not a meminfo). */
export function freeMemory(info: ReadonlyMap<string, number>): FreeMemory | undefined {
  const total = info.get('MemTotal');
  const free = info.get('MemFree');
  if (total === undefined || free === undefined) return undefined;
  const get = (name: string): number => info.get(name) ?? 0;
  const buffers = get('Buffers');
  const cache = get('Cached') + get('SReclaimable');
  const buffCache = buffers + cache;
  const kernelAvailable = info.get('MemAvailable');
  // procps clamps the same way: on a kernel that counts cache oddly, used must not go negative.
  const usedExcludingCache = Math.max(0, total - free - buffCache);
  const available = kernelAvailable ?? Math.min(total, free + buffCache);
  const used = kernelAvailable !== undefined ? Math.max(0, total - kernelAvailable) : usedExcludingCache;
  const swapTotal = get('SwapTotal');
  const swapFree = get('SwapFree');
  return {
    total,
    used,
    usedExcludingCache,
    free,
    shared: get('Shmem'),
    buffers,
    cache,
    buffCache,
    available,
    availableFromKernel: kernelAvailable !== undefined,
    swapTotal,
    swapUsed: Math.max(0, swapTotal - swapFree),
    swapFree,
  };
}
