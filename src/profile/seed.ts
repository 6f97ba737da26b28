/**
 * A taste a user starts from before rating anything, e.g. from a sentence when they signed up. It is stored as a
 * user vector in the DNA's space and version (a new DNA makes old seeds meaningless), and it fades as ratings come:
 * after n ratings it weighs 1/(n + 1) of the taste.
 */
import type { VectorSpaceKey } from '../store/store.js';

export const SEED_SPACE: VectorSpaceKey = { owner: 'user', kind: 'seed', producer: 'text' };

/** The unit mix of a history's taste (from `ratings` ratings) and the seed; the history's taste alone when there is no seed. */
export function seededTaste(historyTaste: Float32Array | null, seed: Float32Array | null, ratings: number): Float32Array | null {
  if (!seed) return historyTaste;
  if (!historyTaste) return seed;
  const mixed = new Float32Array(seed.length);
  let norm = 0;
  for (let i = 0; i < mixed.length; i++) {
    mixed[i] = ratings * historyTaste[i]! + seed[i]!;
    norm += mixed[i]! * mixed[i]!;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < mixed.length; i++) mixed[i]! *= scale;
  return mixed;
}
