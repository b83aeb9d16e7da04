// uid -> user name. Reads /etc/passwd (re-read only when it changes); a uid it does not list (NSS/LDAP users,
// a container's foreign uid) shows as its number, as `ps` does. Node has no getpwuid for other users.
import { readFileSync, statSync } from 'node:fs';

export class UserNames {
  private names = new Map<number, string>();
  private loadedMtime = -1;
  private checkedAt = -Infinity;

  /** @param recheckMs how long a look-up trusts the loaded file before it stats /etc/passwd again */
  constructor(
    private readonly passwdPath = '/etc/passwd',
    private readonly recheckMs = 2000,
  ) {}

  name(uid: number): string {
    const now = Date.now();
    if (now - this.checkedAt >= this.recheckMs) {
      this.checkedAt = now;
      this.refresh();
    }
    return this.names.get(uid) ?? String(uid);
  }

  private refresh(): void {
    let mtime: number;
    try {
      mtime = statSync(this.passwdPath).mtimeMs;
    } catch {
      mtime = 0;
    }
    if (mtime === this.loadedMtime) return;
    this.loadedMtime = mtime;
    this.names = parsePasswd(mtime === 0 ? '' : readFileSync(this.passwdPath, 'utf8'));
  }
}

export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const parts = line.split(':');
    if (parts.length < 3 || parts[0] === '' || line.startsWith('#')) continue;
    const uid = Number(parts[2]);
    // The first entry for a uid wins, as getpwuid returns it.
    if (Number.isInteger(uid) && !names.has(uid)) names.set(uid, parts[0]!);
  }
  return names;
}
