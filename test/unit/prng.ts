// A small seeded pseudo-random generator for the tests that make many inputs (fault injection, fuzzing): the
// same seed makes the same inputs, so a failing case runs again the same way. mulberry32, written here: eight
// lines, where a package would be a dependency for nothing more.

export type Rng = () => number;

/** mulberry32: a 32-bit seeded generator of numbers in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number from lo to hi, both included. */
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
/** One of the items. */
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** True with probability p. */
export const chance = (rng: Rng, p: number): boolean => rng() < p;
