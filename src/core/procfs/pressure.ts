// Pressure stall information: /proc/pressure/{cpu,memory,io} (Linux 4.20+, CONFIG_PSI, not disabled with psi=0).

export const PRESSURE_RESOURCES = ['cpu', 'memory', 'io'] as const;
export type PressureResource = (typeof PRESSURE_RESOURCES)[number];

/** One line: the share of time (percent) some / all non-idle tasks were stalled, over 10, 60 and 300 s. */
export interface PressureLine {
  readonly avg10: number;
  readonly avg60: number;
  readonly avg300: number;
  /** Total stall time, microseconds. */
  readonly totalUs: number;
}

export interface Pressure {
  readonly some: PressureLine | null;
  /** null where the kernel has no `full` line (cpu before 5.13). */
  readonly full: PressureLine | null;
}

/** `some avg10=0.00 avg60=0.00 avg300=0.00 total=0` (and `full ...`); undefined when neither line parses. */
export function parsePressure(text: string): Pressure | undefined {
  const lines: Partial<Record<'some' | 'full', PressureLine>> = {};
  for (const line of text.split('\n')) {
    const m = /^(some|full) avg10=(\d+(?:\.\d+)?) avg60=(\d+(?:\.\d+)?) avg300=(\d+(?:\.\d+)?) total=(\d+)\s*$/.exec(line);
    if (m) lines[m[1] as 'some' | 'full'] = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), totalUs: Number(m[5]) };
  }
  if (!lines.some && !lines.full) return undefined;
  return { some: lines.some ?? null, full: lines.full ?? null };
}
