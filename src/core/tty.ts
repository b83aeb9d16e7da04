// tty_nr (a dev_t) -> the name ps prints (pts/3, tty1, ttyS0), using /proc/tty/drivers for the rest.
import { procFs } from './procfs/procFs';

export function ttyMajor(dev: number): number {
  return (dev >>> 8) & 0xfff;
}

export function ttyMinor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
}

interface DriverRange {
  readonly prefix: string;
  readonly major: number;
  readonly minLo: number;
  readonly minHi: number;
}

export class TtyNames {
  private drivers: DriverRange[] | undefined;
  private readonly cache = new Map<number, string | null>();

  constructor(private readonly procRoot = '/proc') {}

  name(dev: number): string | null {
    if (dev === 0) return null;
    let name = this.cache.get(dev);
    if (name === undefined) {
      name = this.resolve(dev);
      this.cache.set(dev, name);
    }
    return name;
  }

  private resolve(dev: number): string | null {
    const major = ttyMajor(dev);
    const minor = ttyMinor(dev);
    if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
    if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
    if (major === 5 && minor === 1) return 'console';
    for (const d of this.loadDrivers()) {
      if (d.major === major && minor >= d.minLo && minor <= d.minHi) {
        const base = d.prefix.replace(/^\/dev\//, '');
        return d.minLo === d.minHi ? base : `${base}${minor - d.minLo}`;
      }
    }
    return `?${major}:${minor}`;
  }

  private loadDrivers(): DriverRange[] {
    if (this.drivers) return this.drivers;
    this.drivers = [];
    try {
      // e.g. "serial               /dev/ttyS       4 64-111 serial"
      for (const line of procFs.readFileSync(`${this.procRoot}/tty/drivers`).toString('latin1').split('\n')) {
        const m = /^\S.*?\s+(\/dev\/\S+)\s+(\d+)\s+(\d+)(?:-(\d+))?\s+\S+$/.exec(line);
        if (m) this.drivers.push({ prefix: m[1]!, major: Number(m[2]), minLo: Number(m[3]), minHi: Number(m[4] ?? m[3]) });
      }
    } catch {
      // no drivers list (fixture tree, restricted container): unknown ttys show as ?major:minor
    }
    return this.drivers;
  }
}
