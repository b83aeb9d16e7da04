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

/** Properties of the vscode-elements components the panel sets as properties (not attributes) when it builds them. */
const COMPONENT_PROPERTIES = ['heading', 'description', 'open'] as const;

/**
 * Makes `live`'s children show what `fresh`'s children show, changing only what differs: a text that
 * changed, an attribute, an element of another kind. A refresh of a mostly unchanged pane then costs the
 * browser a few text updates instead of a rebuilt subtree (new components, style, layout and paint of
 * thousands of nodes), and the reader keeps the text they selected. Hand-written rather than a DOM-morphing
 * library because the panel's trees are built fresh each time with no listeners on their nodes (the panes
 * that use this delegate their clicks), which makes the pairwise walk below exact; a library would add keyed
 * matching the panel does not need.
 * Live children marked `data-foreign` belong to another part of the panel and are left where they are; an
 * element whose `data-section` differs is another section and is replaced whole.
 */
export function reconcileChildren(live: Element, fresh: Element): void {
  const liveKids = [...live.childNodes].filter((n) => !(n instanceof Element && n.hasAttribute('data-foreign')));
  const freshKids = [...fresh.childNodes];
  freshKids.forEach((f, i) => {
    const l = liveKids[i];
    if (l) reconcileNode(l, f);
    else live.append(f);
  });
  for (const extra of liveKids.slice(freshKids.length)) extra.remove();
}

function reconcileNode(live: ChildNode, fresh: ChildNode): void {
  if (live.nodeType !== fresh.nodeType || live.nodeName !== fresh.nodeName) {
    live.replaceWith(fresh);
    return;
  }
  if (live instanceof CharacterData) {
    const data = (fresh as CharacterData).data;
    if (live.data !== data) live.data = data;
    return;
  }
  if (!(live instanceof Element) || !(fresh instanceof Element)) return;
  if (live.getAttribute('data-section') !== fresh.getAttribute('data-section')) {
    live.replaceWith(fresh);
    return;
  }
  // A component adds attributes of its own once connected (roles, reflected state): keep those; the fresh
  // node was never connected, so only plain elements lose the attributes the fresh one lacks.
  const component = live.localName.includes('-');
  if (!component) for (const name of live.getAttributeNames()) if (!fresh.hasAttribute(name)) live.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) {
    const value = fresh.getAttribute(name)!;
    if (live.getAttribute(name) === value) continue;
    // The panel's CSP forbids style attributes written as text; styles set through the CSSOM are allowed.
    if (name === 'style') (live as HTMLElement).style.cssText = (fresh as HTMLElement).style.cssText;
    else live.setAttribute(name, value);
  }
  if (component) {
    const l = live as unknown as Record<string, unknown>;
    const f = fresh as unknown as Record<string, unknown>;
    for (const p of COMPONENT_PROPERTIES) if (p in fresh && l[p] !== f[p]) l[p] = f[p];
  }
  reconcileChildren(live, fresh);
}

/** The markup each child was drawn from, by replaceChildrenIfChanged (before it was connected). */
const drawnMarkup = new WeakMap<Node, string>();

/**
 * Replaces node's children with `children`, keeping each current child whose new counterpart draws exactly
 * what it was drawn from (compared as markup before either is connected, so a custom element's own attributes
 * after connecting do not count). Kept children are not removed and inserted again: keyboard focus stays on
 * them, and a live region or an alert among them is not announced again; only what changed is. For children
 * whose event listeners do what the old ones did. Returns whether anything changed.
 */
export function replaceChildrenIfChanged(node: Element, children: readonly Node[]): boolean {
  const serializer = new XMLSerializer();
  const old = [...node.childNodes];
  let from = 0;
  // Each new child takes the first old one after the last taken that was drawn from the same markup.
  const result = children.map((child) => {
    const markup = serializer.serializeToString(child);
    for (let j = from; j < old.length; j++) {
      if (drawnMarkup.get(old[j]!) === markup) {
        from = j + 1;
        return old[j]!;
      }
    }
    drawnMarkup.set(child, markup);
    return child;
  });
  if (result.length === old.length && result.every((r, i) => r === old[i])) return false;
  const keep = new Set<Node>(result);
  for (const o of old) if (!keep.has(o)) o.remove();
  let cursor = node.firstChild;
  for (const r of result) {
    if (r === cursor) cursor = cursor.nextSibling;
    else node.insertBefore(r, cursor);
  }
  return true;
}

/** The data attributes that name a control across rebuilds, most specific first (see keepFocus). */
const FOCUS_KEYS = ['focusKey', 'action', 'ipcAction', 'scope', 'ipcScope', 'state', 'pid', 'key'] as const;

function focusKeyOf(node: Element): string | null {
  if (!(node instanceof HTMLElement || node instanceof SVGElement)) return null;
  for (const k of FOCUS_KEYS) {
    const v = node.dataset[k];
    if (v !== undefined) return `${k}=${v}`;
  }
  return null;
}

/**
 * Runs rebuild(), which replaces elements inside container, and gives the keyboard focus back to the new
 * element that has the data attribute the focused one had (data-focus-key, data-action, data-ipc-action, data-scope,
 * data-ipc-scope, data-state, data-pid or data-key, with the same value). Without it a control rebuilt while focused (a toggle that redraws
 * itself, a list refreshed on a timer) drops the focus to the page.
 */
export function keepFocus(container: Element, rebuild: () => void): void {
  const active = document.activeElement;
  const key = active && active !== container && container.contains(active) ? focusKeyOf(active) : null;
  rebuild();
  if (key === null || (document.activeElement && document.activeElement !== document.body && container.contains(document.activeElement)))
    return;
  const eq = key.indexOf('=');
  const attr = key.slice(0, eq).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // The first match that can take the focus (another element may carry the same key, e.g. a drawing of it).
  for (const target of container.querySelectorAll(`[data-${attr}="${CSS.escape(key.slice(eq + 1))}"]`)) {
    if ((target instanceof HTMLElement || target instanceof SVGElement) && target.tabIndex >= 0) {
      target.focus({ preventScroll: true });
      return;
    }
  }
}

/**
 * The keyboard of a radio group (the WAI-ARIA radio pattern): the arrow keys check and focus the previous or
 * next radio, wrapping. Installed once on the group element; its radios (role=radio, each a Tab stop only while
 * checked: the builder sets tabIndex) may be rebuilt by the click at any time, so the radio focused afterwards
 * is looked up again.
 */
export function radioGroupKeys(group: HTMLElement): void {
  group.addEventListener('keydown', (e) => {
    const back = e.key === 'ArrowLeft' || e.key === 'ArrowUp';
    if (!back && e.key !== 'ArrowRight' && e.key !== 'ArrowDown') return;
    const radios = (): HTMLElement[] => [...group.querySelectorAll<HTMLElement>('[role="radio"]')];
    const all = radios();
    const i = all.indexOf(e.target as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    const next = (i + (back ? -1 : 1) + all.length) % all.length;
    all[next]!.click();
    radios()[next]?.focus();
  });
}
