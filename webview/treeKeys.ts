// What a key does in the tree, as data: the rows' keyboard model (a list box with a tree's Right/Left), kept
// apart from the DOM so it is unit-tested. Hierarchy carries the action out.
import type { Row } from './rows';

export type KeyAction =
  | { readonly kind: 'go'; readonly index: number; readonly extend: boolean }
  | { readonly kind: 'children'; readonly open: boolean }
  | { readonly kind: 'threads'; readonly open: boolean }
  | { readonly kind: 'parent'; readonly id: string }
  | { readonly kind: 'activate' }
  | { readonly kind: 'toggle' }
  | { readonly kind: 'clearMulti' }
  | { readonly kind: 'menu' }
  | { readonly kind: 'delete' }
  /** Answered (the browser does nothing with it), with nothing to do. */
  | { readonly kind: 'none' };

export interface KeyInput {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/**
 * The action for a key on the focused row (`current`, -1 when none) among `count` rows; null when the tree
 * does not answer it (it then goes on to whatever else does). `multi`: more than the focused row is selected.
 * `gap`: the focused row is gone from the list (its process exited, or the filter hides it) and `current` is
 * where it was: the row now at `current` took its place (`count` when it was the last), so Down goes to that
 * row and Up to the one before it.
 */
export function keyAction(
  e: KeyInput,
  row: Row | undefined,
  current: number,
  count: number,
  page: number,
  multi: boolean,
  gap = false,
): KeyAction | null {
  const go = (i: number): KeyAction => ({ kind: 'go', index: Math.max(0, Math.min(count - 1, i)), extend: e.shiftKey });
  // In a gap, the next row is the one at `current` itself.
  const down = gap ? current - 1 : current;
  switch (e.key) {
    case 'ArrowDown':
      return go(down + 1);
    case 'ArrowUp':
      return go(current <= 0 ? 0 : current - 1);
    case 'Home':
      return go(0);
    case 'End':
      return go(count - 1);
    case 'PageDown':
      return go(down + page);
    case 'PageUp':
      return go(current - page);
    case 'ArrowRight':
      if (row?.kind !== 'process') return { kind: 'none' };
      if (row.hasChildren && !row.expanded) return { kind: 'children', open: true };
      if (row.threadsAllowed && row.proc.numThreads > 1 && !row.threadsOpen) return { kind: 'threads', open: true };
      return go(current + 1);
    case 'ArrowLeft':
      if (row?.kind === 'process' && row.threadsOpen) return { kind: 'threads', open: false };
      if (row?.kind === 'process' && row.hasChildren && row.expanded) return { kind: 'children', open: false };
      return row?.parentId ? { kind: 'parent', id: row.parentId } : { kind: 'none' };
    case 'Enter':
      return row ? { kind: 'activate' } : { kind: 'none' };
    case ' ':
      return !row || e.ctrlKey || e.metaKey || e.altKey ? null : { kind: 'toggle' };
    case 'Escape':
      // Only a multi-selection is cleared here; otherwise Escape goes on to whatever else answers it.
      return multi ? { kind: 'clearMulti' } : null;
    case 'ContextMenu':
      return row ? { kind: 'menu' } : { kind: 'none' };
    case 'F10':
      return e.shiftKey && row ? { kind: 'menu' } : null;
    case 'Delete':
      return row ? { kind: 'delete' } : { kind: 'none' };
    default:
      return null;
  }
}
