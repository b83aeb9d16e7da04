// Numbers as people read them, the same in the terminal and in the panel. Browser-safe (no Node imports).

export const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

/**
 * A byte count in binary units: whole bytes below 1 KiB, one decimal below 10 of a unit, none above (two
 * significant figures are what a glance needs). `unitName` names a unit in the reader's language (the CLI
 * takes it from its catalogue); by default the symbol itself. '–' when there is no number to show.
 */
export function formatBytes(n: number | null | undefined, unitName: (unit: ByteUnit) => string = (unit) => unit): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  let value = n;
  let i = 0;
  while (value >= 1024 && i < BYTE_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  const digits = i === 0 ? 0 : value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${unitName(BYTE_UNITS[i]!)}`;
}
