// /proc/PID/smaps_rollup: the whole address space's memory accounting in one read (kernel 4.14+).
// Own code: @stroncium/procfs has no smaps parser. Costs ~80x a stat read: read it on demand only.

export interface SmapsRollup {
  /** All values in bytes; null when this kernel does not print the line. */
  readonly rss: number | null;
  /** Proportional set size: shared pages divided among the processes that map them. */
  readonly pss: number | null;
  readonly pssAnon: number | null;
  readonly pssFile: number | null;
  readonly pssShmem: number | null;
  readonly sharedClean: number | null;
  readonly sharedDirty: number | null;
  readonly privateClean: number | null;
  readonly privateDirty: number | null;
  /** Unique set size = private clean + private dirty: what exiting would free. */
  readonly uss: number | null;
  readonly referenced: number | null;
  readonly anonymous: number | null;
  readonly lazyFree: number | null;
  readonly anonHugePages: number | null;
  readonly swap: number | null;
  readonly swapPss: number | null;
  readonly locked: number | null;
}

const FIELDS: Readonly<Record<string, keyof SmapsRollup>> = {
  Rss: 'rss',
  Pss: 'pss',
  Pss_Anon: 'pssAnon',
  Pss_File: 'pssFile',
  Pss_Shmem: 'pssShmem',
  Shared_Clean: 'sharedClean',
  Shared_Dirty: 'sharedDirty',
  Private_Clean: 'privateClean',
  Private_Dirty: 'privateDirty',
  Referenced: 'referenced',
  Anonymous: 'anonymous',
  LazyFree: 'lazyFree',
  AnonHugePages: 'anonHugePages',
  Swap: 'swap',
  SwapPss: 'swapPss',
  Locked: 'locked',
};

/** undefined for an empty read (kernel threads have no mm) or text without an Rss line. */
export function parseSmapsRollup(text: string): SmapsRollup | undefined {
  const values: Record<string, number | null> = {};
  for (const key of Object.values(FIELDS)) values[key] = null;
  let sawRss = false;
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (!m) continue;
    const key = FIELDS[m[1] as string];
    if (key === undefined) continue;
    values[key] = Number(m[2]) * 1024;
    if (key === 'rss') sawRss = true;
  }
  if (!sawRss) return undefined;
  const privateClean = values.privateClean ?? null;
  const privateDirty = values.privateDirty ?? null;
  values.uss = privateClean !== null && privateDirty !== null ? privateClean + privateDirty : null;
  return values as unknown as SmapsRollup;
}
