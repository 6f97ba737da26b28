import type { Interactions } from '../interactions.js';
import {
  COLD_ITEM_FRACTION,
  COLD_USER_FRACTION,
  COLD_USER_KEEP,
  GLOBAL_CUT_QUANTILE,
  HOLD_OUT_FRACTION,
  coldItemsSplit,
  coldUsersSplit,
  globalTimeSplit,
  temporalSplit,
  type Split,
} from './splits.js';

export const PROTOCOL_NAMES = ['temporal', 'global-time', 'cold-users', 'cold-items'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/**
 * An evaluation protocol is a way to split ratings. The same split, applied to the training part with another
 * seed, carves the validation split that hyper-parameters are tuned on, so tuning never sees the test.
 */
export interface Protocol {
  name: ProtocolName;
  description: string;
  /** The held-out movies have no training ratings at all (cold-items): models that rank from ratings alone cannot reach them. */
  heldOutMoviesUnrated: boolean;
  split(interactions: Interactions, seed: number): Split;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export const PROTOCOLS: Record<ProtocolName, Protocol> = {
  temporal: {
    name: 'temporal',
    description: `warm users: each user's last ${percent(HOLD_OUT_FRACTION)} of ratings by time (at least 1) held out`,
    heldOutMoviesUnrated: false,
    split: (interactions, seed) => temporalSplit(interactions, seed),
  },
  'global-time': {
    name: 'global-time',
    description: `global time cut: every rating after the ${percent(GLOBAL_CUT_QUANTILE)} timestamp quantile held out`,
    heldOutMoviesUnrated: false,
    split: (interactions) => globalTimeSplit(interactions),
  },
  'cold-users': {
    name: 'cold-users',
    description: `cold-start users: ${percent(COLD_USER_FRACTION)} of users keep only their first ${COLD_USER_KEEP.join(', ')} ratings; the rest is held out`,
    heldOutMoviesUnrated: false,
    split: (interactions, seed) => coldUsersSplit(interactions, seed),
  },
  'cold-items': {
    name: 'cold-items',
    description: `cold-start items: ${percent(COLD_ITEM_FRACTION)} of rated movies with every rating removed from training and held out`,
    heldOutMoviesUnrated: true,
    split: (interactions, seed) => coldItemsSplit(interactions, seed),
  },
};
