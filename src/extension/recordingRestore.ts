// Which file each recording panel shows, kept so that a window reload reopens it. VS Code hands a restored
// panel back with the state its page saved, and the page is untrusted: it keeps only a random id the host
// issued, and the host maps ids to files in the workspace's storage. So a restored page can only reopen a file
// the user opened in this workspace, never name one.
import { randomBytes } from 'node:crypto';

/** The part of vscode.Memento used here (a plain object in unit tests). */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'procscope.recordingPanels';
/** Ids kept at most: the oldest go first (a panel closed while the window was gone leaves its id behind). */
export const MAX_RESTORABLE = 32;
const ID = /^[0-9a-f]{32}$/;

export class RecordingRestore {
  constructor(
    private readonly store: StateStore,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** A new id for a panel showing `uri` (a vscode.Uri's string form). */
  issue(uri: string): string {
    const id = randomBytes(16).toString('hex');
    const entries: [string, string][] = [...this.entries(), [id, uri]];
    this.save(entries.slice(-MAX_RESTORABLE));
    return id;
  }

  /** The id a restored page's saved state holds and the file it was issued for; undefined for anything else. */
  restored(state: unknown): { readonly id: string; readonly uri: string } | undefined {
    const id = state && typeof state === 'object' ? (state as { recording?: unknown }).recording : undefined;
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const uri = this.entries().find(([k]) => k === id)?.[1];
    return uri === undefined ? undefined : { id, uri };
  }

  /** The panel was closed by the user: a reload must not bring it back. */
  forget(id: string): void {
    const entries = this.entries();
    const kept = entries.filter(([k]) => k !== id);
    if (kept.length !== entries.length) this.save(kept);
  }

  private entries(): [string, string][] {
    const raw = this.store.get(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (e): e is [string, string] =>
        Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && ID.test(e[0]) && typeof e[1] === 'string',
    );
  }

  private save(entries: [string, string][]): void {
    this.store.update(KEY, entries).then(undefined, this.onError);
  }
}
