// The detail pane's small pieces: a label/value row that says why a value is unavailable, a signal set's
// row, and the formatters of values the kernel gives in its own units (limits, CPU time, fd types).
import type { DecodedSignals } from '../src/core/detail';
import { el, osEl, formatBytes } from './dom';
import { t, getLocale, DICTIONARIES, type MessageKey } from './i18n';

/**
 * Puts the pane back where it was, now and once more after the sections' own rendering (vscode-collapsible
 * draws its body a microtask later; until then the pane is short and the position would be clamped).
 */
export function restoreScroll(scroller: HTMLElement, top: number): void {
  scroller.scrollTop = top;
  requestAnimationFrame(() => {
    scroller.scrollTop = top;
  });
}

export interface Value {
  readonly text: string | null;
  readonly reason: string | null;
}

export function kv(parent: HTMLElement, label: string, value: Value, cls = ''): void {
  const row = el('div', 'kv');
  // Labels and values may hold OS text (limit names, cgroup paths, names, argv): shown through setOsText.
  row.append(osEl('div', 'kv-label', label));
  if (value.text === null) {
    const u = osEl('div', 'kv-value unavailable', value.reason ? t('detail.unavailableBecause', value.reason) : t('detail.unavailable'));
    row.append(u);
  } else {
    row.append(osEl('div', `kv-value ${cls}`, value.text));
  }
  parent.append(row);
}

export function signalRow(parent: HTMLElement, label: string, set: DecodedSignals | null): void {
  const row = el('div', 'kv');
  row.append(el('div', 'kv-label', label));
  const value = el('div', 'kv-value signals');
  if (!set) value.append(el('span', 'unavailable', t('detail.unavailable')));
  else if (set.names.length === 0) value.append(el('span', 'muted', `${t('detail.none.value')} (${set.hex})`));
  else {
    for (const name of set.names) value.append(el('span', 'chip', name));
    value.append(el('span', 'muted mono', ` ${set.hex}`));
  }
  row.append(value);
  parent.append(row);
}

export function emptyState(iconName: string, text: string): HTMLElement {
  const box = el('div', 'empty-state');
  const i = el('span', `codicon codicon-${iconName}`);
  i.setAttribute('aria-hidden', 'true');
  box.append(i, el('div', '', text));
  return box;
}

/** CPU time as the kernel counts it, in ms below a second. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const LIMIT_UNITS = new Set(['seconds', 'bytes', 'processes', 'files', 'locks', 'signals', 'us']);

/** The kernel's limit name ("Max open files") in the UI language, with the kernel's name kept if unknown. */
export function limitName(name: string): string {
  const key = `limit.${name}` as MessageKey;
  return key in DICTIONARIES.en ? t(key) : name;
}

/** A limit in human units: sizes as KiB/MiB/GiB, microseconds as ms or s above a thousand, counts grouped. */
export function limitText(l: {
  readonly soft: number | 'unlimited';
  readonly hard: number | 'unlimited';
  readonly units: string | null;
}): string {
  if (l.units === 'bytes') {
    const size = (x: number | 'unlimited'): string => (x === 'unlimited' ? t('limit.unlimited') : formatBytes(x));
    return `${size(l.soft)} / ${size(l.hard)}`;
  }
  let unit = l.units;
  let scale = 1;
  if (unit === 'us' && [l.soft, l.hard].every((x) => x === 'unlimited' || (x >= 1000 && x % 1000 === 0))) {
    unit = null;
    scale = 1000;
  }
  const value = (x: number | 'unlimited'): string =>
    x === 'unlimited' ? t('limit.unlimited') : `${(x / scale).toLocaleString(getLocale())}${scale === 1000 ? ' ms' : ''}`;
  const units = unit ? (LIMIT_UNITS.has(unit) ? t(`unit.${unit}` as MessageKey) : unit) : '';
  return `${value(l.soft)} / ${value(l.hard)}${units ? ` ${units}` : ''}`;
}

const FD_TYPES = new Set(['file', 'dir', 'pipe', 'socket', 'anon_inode', 'dev', 'memfd', 'mqueue', 'unknown']);
const FD_MODES = new Set(['read', 'write', 'readwrite']);

/** An open file's type and access mode in the UI language (anything the model does not name, as it is). */
export function fdTypeText(type: string, mode: string | null | undefined): string {
  const name = FD_TYPES.has(type) ? t(`fdType.${type}` as MessageKey) : type;
  if (!mode) return name;
  return `${name} (${FD_MODES.has(mode) ? t(`fdMode.${mode}` as MessageKey) : mode})`;
}
