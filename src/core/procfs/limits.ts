// /proc/PID/limits: resource limits (getrlimit for another process), parsed by @stroncium/procfs (correct
// on this kernel's fixed-width table; it reads `unlimited` as undefined, mapped back here).
import parseLibraryLimits from '@stroncium/procfs/lib/parsers/processLimits';

export interface ResourceLimit {
  /** As the kernel names it: `Max open files`. */
  readonly name: string;
  readonly soft: number | 'unlimited';
  readonly hard: number | 'unlimited';
  /** `files`, `bytes`, `seconds`, ... ; null when the kernel prints none (nice, realtime priority). */
  readonly units: string | null;
}

export function parseLimits(text: string): ResourceLimit[] | undefined {
  if (!text.startsWith('Limit')) return undefined;
  let rows: ReturnType<typeof parseLibraryLimits>;
  try {
    rows = parseLibraryLimits(text);
  } catch {
    // The library throws (a TypeError) on a table it cannot split: content that is not the kernel's, unparsable.
    return undefined;
  }
  const limits: ResourceLimit[] = [];
  for (const row of rows) {
    if (!row.name) continue;
    if ((row.soft !== undefined && Number.isNaN(row.soft)) || (row.hard !== undefined && Number.isNaN(row.hard))) return undefined;
    limits.push({
      name: row.name,
      soft: row.soft ?? 'unlimited',
      hard: row.hard ?? 'unlimited',
      units: row.units ?? null,
    });
  }
  return limits;
}
