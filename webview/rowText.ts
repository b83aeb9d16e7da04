// What the tree's cells say, as text: CPU time, start time, MEM% and the state letter's class and tooltip.
import { TITLED_STATES } from '../src/shared/stateText';
import { t, type MessageKey } from './i18n';

const isTitled = (state: string): boolean => (TITLED_STATES as readonly string[]).includes(state);

/** TIME+ as htop prints it under an hour (m:ss.cc, hundredths), then as ps does (h:mm:ss, then d-hh:mm:ss). */
export function formatCpuTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const hundredths = Math.floor(ms / 10);
  const total = Math.floor(hundredths / 100);
  const two = (n: number): string => String(n).padStart(2, '0');
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (h === 0) return `${Math.floor(total / 60)}:${two(s)}.${two(hundredths % 100)}`;
  if (h < 24) return `${h}:${two(m)}:${two(s)}`;
  return `${Math.floor(h / 24)}-${two(h % 24)}:${two(m)}:${two(s)}`;
}

/** START: the local clock time for a process started within a day of `now`, else its local date. */
export function formatStart(startMs: number, now: number): string {
  if (!Number.isFinite(startMs) || startMs <= 0) return '–';
  const d = new Date(startMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (now - startMs < 86_400_000) return `${two(d.getHours())}:${two(d.getMinutes())}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** MEM%: resident memory over the machine's total, as top and htop show it. */
export function memPercent(rss: number, memTotal: number | null): number | null {
  return memTotal && memTotal > 0 ? (rss / memTotal) * 100 : null;
}

export function stateClass(state: string): string {
  return isTitled(state) ? (state === 't' ? 'tt' : state) : 'other';
}

export function stateLabel(state: string): string {
  const key = `state.${state}` as MessageKey;
  return isTitled(state) ? `${state}: ${t(key)}` : `${state}: ${t('state.other')}`;
}
