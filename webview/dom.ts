// Small DOM helpers. Every piece of text goes in through textContent (never innerHTML): process names,
// command lines and paths come from the OS and may hold markup.
import { formatBytes } from '../src/shared/format';
import { visible, visibleParts, hasHiddenCharacters } from '../src/shared/visible';

export { formatBytes, visible };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A custom element (vscode-elements) by tag name. */
export function custom(tag: string, className?: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function icon(name: string, className = ''): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}${className ? ' ' + className : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function formatPercent(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n < 10 ? n.toFixed(1) : n.toFixed(0);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** The raw OS text each element last showed through setOsText (so a redraw of the same text costs nothing). */
const shownOsText = new WeakMap<Element, { readonly raw: string; readonly drawn: string }>();

/**
 * Shows a string from the OS (a process or thread name, a path, an argument): controls, bidirectional
 * overrides and isolates, zero-width and line-separator characters and non-UTF-8 bytes are written as
 * escapes (`\u202E`, `\xff`) in marked spans, so no string can reverse or hide what is drawn after it.
 */
export function setOsText(node: Element, text: string): void {
  const shown = shownOsText.get(node);
  // (Compared with what is drawn too: other code may have emptied the element since, e.g. a pooled row.)
  if (shown && shown.raw === text && node.textContent === shown.drawn) return;
  if (!hasHiddenCharacters(text)) {
    setText(node, text);
    shownOsText.set(node, { raw: text, drawn: text });
    return;
  }
  node.replaceChildren(
    ...visibleParts(text).map((part) => (part.escape ? el('span', 'esc', part.text) : document.createTextNode(part.text))),
  );
  shownOsText.set(node, { raw: text, drawn: node.textContent ?? '' });
}

/** An element holding OS text (see setOsText). */
export function osEl<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const node = el(tag, className);
  setOsText(node, text);
  return node;
}
