// The panel's refresh cadences from `procscope.refreshInterval` and `procscope.ipcRefreshInterval`. settings.json
// can hold any JSON value whatever the schema says, and Node runs a timer longer than 2^31-1 ms after 1 ms
// (with a warning): so a huge interval would poll a thousand times a second. Values are clamped to a range.
export const MIN_REFRESH_MS = 250;
export const MIN_IPC_REFRESH_MS = 500;
/** Ten minutes: the longest cadence either setting takes (the schema's maximum too). */
export const MAX_REFRESH_MS = 600_000;

/** A finite number clamped to [min, MAX_REFRESH_MS] and rounded; anything else (a string, NaN, null) is the fallback. */
export function clampMs(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_REFRESH_MS, Math.max(min, Math.round(value))) : fallback;
}
