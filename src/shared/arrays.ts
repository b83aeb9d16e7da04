// Helpers for lists of any length. `a.push(...b)` and `Math.max(...b)` pass every element as an argument, and
// V8 throws RangeError ("Maximum call stack size exceeded") past about 120,000 of them: a busy server's
// sockets, a long recording's events or one process's open files reach that. Browser-safe.

/** Appends every item of `items` to `target` (returns `target`). */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `start` when it is larger (or there are none). */
export function maxOf(values: Iterable<number>, start = -Infinity): number {
  let max = start;
  for (const v of values) if (v > max) max = v;
  return max;
}
