// The tree's keyboard model as plain logic (no browser): what each key does on the focused row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessInfo } from '../../src/core/model';
import type { Row } from '../../webview/rows';
import { keyAction, type KeyInput } from '../../webview/treeKeys';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});
const proc = { pid: 10, numThreads: 3 } as ProcessInfo;
const processRow = (parts: Partial<Extract<Row, { kind: 'process' }>> = {}): Row =>
  ({
    kind: 'process',
    id: 'p10@1',
    key: '10@1',
    proc,
    level: 2,
    parentId: 'p1@1',
    hasChildren: true,
    expanded: false,
    threadsAllowed: true,
    threadsOpen: false,
    ...parts,
  }) as Row;

test('arrows, Home/End and pages move the focus within the list; Shift extends', () => {
  assert.deepEqual(keyAction(key('ArrowDown'), processRow(), 3, 10, 5, false), { kind: 'go', index: 4, extend: false });
  assert.deepEqual(keyAction(key('ArrowDown'), processRow(), 9, 10, 5, false), { kind: 'go', index: 9, extend: false });
  assert.deepEqual(keyAction(key('ArrowUp', { shiftKey: true }), processRow(), 0, 10, 5, false), { kind: 'go', index: 0, extend: true });
  assert.deepEqual(keyAction(key('End'), undefined, -1, 10, 5, false), { kind: 'go', index: 9, extend: false });
  assert.deepEqual(keyAction(key('PageUp'), processRow(), 3, 10, 5, false), { kind: 'go', index: 0, extend: false });
  assert.deepEqual(keyAction(key('PageDown'), processRow(), 3, 10, 5, false), { kind: 'go', index: 8, extend: false });
});

test('Right opens children, then threads, then moves down; Left closes threads, then children, then goes to the parent', () => {
  assert.deepEqual(keyAction(key('ArrowRight'), processRow(), 3, 10, 5, false), { kind: 'children', open: true });
  assert.deepEqual(keyAction(key('ArrowRight'), processRow({ expanded: true }), 3, 10, 5, false), { kind: 'threads', open: true });
  assert.deepEqual(keyAction(key('ArrowRight'), processRow({ expanded: true, threadsOpen: true }), 3, 10, 5, false), {
    kind: 'go',
    index: 4,
    extend: false,
  });
  assert.deepEqual(keyAction(key('ArrowLeft'), processRow({ expanded: true, threadsOpen: true }), 3, 10, 5, false), {
    kind: 'threads',
    open: false,
  });
  assert.deepEqual(keyAction(key('ArrowLeft'), processRow({ expanded: true }), 3, 10, 5, false), { kind: 'children', open: false });
  assert.deepEqual(keyAction(key('ArrowLeft'), processRow(), 3, 10, 5, false), { kind: 'parent', id: 'p1@1' });
  assert.deepEqual(keyAction(key('ArrowLeft'), processRow({ parentId: null }), 3, 10, 5, false), { kind: 'none' });
});

test('Space toggles (not with a modifier), Escape clears only a multi-selection, Shift+F10 opens the menu, Delete asks to end', () => {
  assert.deepEqual(keyAction(key(' '), processRow(), 3, 10, 5, false), { kind: 'toggle' });
  assert.equal(keyAction(key(' ', { ctrlKey: true }), processRow(), 3, 10, 5, false), null);
  assert.equal(keyAction(key('Escape'), processRow(), 3, 10, 5, false), null);
  assert.deepEqual(keyAction(key('Escape'), processRow(), 3, 10, 5, true), { kind: 'clearMulti' });
  assert.deepEqual(keyAction(key('F10', { shiftKey: true }), processRow(), 3, 10, 5, false), { kind: 'menu' });
  assert.equal(keyAction(key('F10'), processRow(), 3, 10, 5, false), null);
  assert.deepEqual(keyAction(key('Delete'), processRow(), 3, 10, 5, false), { kind: 'delete' });
  assert.equal(keyAction(key('a'), processRow(), 3, 10, 5, false), null);
});
