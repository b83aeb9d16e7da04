// "Copy as ps -eLF line / as JSON": the text put on the clipboard. Pure (no vscode import). The ps columns
// come from the procps-faithful formatter in src/core that `procscope ps` uses too, so both agree with `ps -eLF`.
import { readFileSync } from 'node:fs';
import { mainThreadOf, type ProcessInfo, type Snapshot } from '../core/model';
import { psRows, renderPsTable } from '../core/psFormat';

/** One line, as procps prints args: control characters (newlines in argv) become spaces. */
/** Seconds since boot from /proc/uptime; from the boot time when it cannot be read. */
export function uptimeSeconds(bootTimeMs: number, procRoot = '/proc'): number {
  try {
    const value = Number(readFileSync(`${procRoot}/uptime`, 'latin1').split(' ')[0]);
    if (Number.isFinite(value)) return value;
  } catch {
    // no /proc/uptime (portable backend): the boot time gives the same to within a second
  }
  return (Date.now() - bootTimeMs) / 1000;
}

/**
 * The other OS text cells of "copy as ps" (UID, TTY) with control characters as spaces, so a copied row stays
 * one line; CMD is already shown as procps shows it (renderPsTable applies psCommandShown).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** `uptimeSeconds`: /proc/uptime's first field, as procps uses it for the C column. */
export function copyText(p: ProcessInfo, snapshot: Snapshot, format: 'ps' | 'json', uptimeSeconds: number): string {
  if (format === 'json') return JSON.stringify(p, null, 2);
  const withThreads: ProcessInfo = p.threads && p.threads.length > 0 ? p : { ...p, threads: [mainThreadOf(p)] };
  return renderPsTable(psRows({ ...snapshot, processes: [withThreads] }, uptimeSeconds), printable).replace(/\n$/, '');
}
