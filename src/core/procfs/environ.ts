// /proc/PID/environ: NUL-separated NAME=value strings, as the process was started (later setenv calls
// inside the process do not show). Own code: @stroncium/procfs mangles entries without '=' and decodes
// invalid UTF-8 to U+FFFD; here such bytes are kept losslessly (decodeBytes).
import { decodeBytes } from './decode';

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  /** The entry holds no '=' (execve takes any string): `name` is all of it and `value` is empty. */
  readonly noEquals?: true;
}

export function parseEnviron(data: Uint8Array): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && data[i] !== 0) continue;
    if (i > start) {
      const item = decodeBytes(data, start, i);
      const eq = item.indexOf('=');
      // Nothing forces NAME=value (execve takes any strings): keep such an entry whole, as a name.
      entries.push(eq < 0 ? { name: item, value: '', noEquals: true } : { name: item.slice(0, eq), value: item.slice(eq + 1) });
    }
    start = i + 1;
  }
  return entries;
}
