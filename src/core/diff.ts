// Snapshot -> delta (added, removed, and only the fields that changed). Pure. The way back (applying a delta)
// is browser-safe and shared with the host and the webview: src/shared/delta.ts.
import type { Delta, ProcessChange, ProcessInfo, ProcessKey, Snapshot } from './model';

export { applyDelta, applyDeltas } from '../shared/delta';

export function diffSnapshots(prev: Snapshot, next: Snapshot): Delta {
  const before = new Map<ProcessKey, ProcessInfo>();
  for (const p of prev.processes) before.set(p.key, p);
  const added: ProcessInfo[] = [];
  const changed: ProcessChange[] = [];
  const seen = new Set<ProcessKey>();
  for (const p of next.processes) {
    seen.add(p.key);
    const old = before.get(p.key);
    if (!old) {
      added.push(p);
      continue;
    }
    if (old === p) continue; // the sampler handed out last poll's record: nothing in it changed
    const change = diffProcess(old, p);
    if (change) changed.push(change);
  }
  const removed: ProcessKey[] = [];
  for (const key of before.keys()) if (!seen.has(key)) removed.push(key);
  return {
    timestamp: next.timestamp,
    intervalMs: next.intervalMs,
    added,
    removed,
    changed,
    ...(next.hidden ? { hidden: next.hidden } : {}),
  };
}

function diffProcess(old: ProcessInfo, p: ProcessInfo): ProcessChange | undefined {
  let change: Record<string, unknown> | undefined;
  for (const field of Object.keys(p) as (keyof ProcessInfo)[]) {
    if (field === 'key') continue;
    if (!sameValue(old[field], p[field])) (change ??= { key: p.key })[field] = p[field];
  }
  // A field that disappeared (threads no longer read, a reason no longer applies) is sent as undefined.
  for (const field of Object.keys(old) as (keyof ProcessInfo)[]) {
    if (!(field in p)) (change ??= { key: p.key })[field] = undefined;
  }
  return change as ProcessChange | undefined;
}

/** Structural equality for the JSON-safe values in ProcessInfo. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
