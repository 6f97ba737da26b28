/** Row counts of a whole store, to check that a copy (migrate) is complete. */
import { interactionCount } from '../interactions.js';
import { spaceName } from './vectors.js';
import { StoreLocationError } from '../errors.js';
import type { Store, StoreCounts, StoreSnapshot, StoreStats, VectorSpaceInfo } from './store.js';

const TABLES = ['movies', 'users', 'ratings', 'tags', 'notInterested', 'apiKeys'] as const;
const TABLE_LABELS: Record<(typeof TABLES)[number], string> = {
  movies: 'movies',
  users: 'users',
  ratings: 'ratings',
  tags: 'tags',
  notInterested: 'not-interested marks',
  apiKeys: 'API keys',
};

/** Rows of the tables beyond the dataset's: feedback and keys. */
export interface FeedbackCounts {
  notInterested: number;
  apiKeys: number;
}

export function countsOf(stats: Pick<StoreStats, 'movies' | 'users' | 'ratings' | 'tags'>, feedback: FeedbackCounts, spaces: VectorSpaceInfo[]): StoreCounts {
  return {
    movies: stats.movies,
    users: stats.users,
    ratings: stats.ratings,
    tags: stats.tags,
    ...feedback,
    vectors: Object.fromEntries(spaces.map((space) => [spaceName(space), space.count])),
  };
}

export async function storeCounts(store: Store): Promise<StoreCounts> {
  const [stats, notInterested, apiKeys, spaces] = await Promise.all([store.stats(), store.listNotInterested(), store.listApiKeys(), store.listVectorSpaces()]);
  return countsOf(stats, { notInterested: notInterested.length, apiKeys: apiKeys.length }, spaces);
}

export function snapshotCounts(snapshot: StoreSnapshot): StoreCounts {
  const { movies, users, ratings, tags } = snapshot.dataset;
  return {
    movies: movies.length,
    users: users.length,
    ratings: interactionCount(ratings),
    tags: tags.length,
    notInterested: snapshot.notInterested.length,
    apiKeys: snapshot.apiKeys.length,
    vectors: Object.fromEntries(snapshot.vectors.map((set) => [spaceName(set.space), set.ids.length])),
  };
}

/** Each count that differs, as `what: expected → actual`; empty when the counts agree. */
export function countDifferences(expected: StoreCounts, actual: StoreCounts): string[] {
  const differences: string[] = [];
  for (const table of TABLES) {
    if (expected[table] !== actual[table]) differences.push(`${TABLE_LABELS[table]}: ${expected[table]} → ${actual[table]}`);
  }
  for (const space of new Set([...Object.keys(expected.vectors), ...Object.keys(actual.vectors)])) {
    const want = expected.vectors[space];
    const got = actual.vectors[space];
    if (want !== got) differences.push(`vectors ${space}: ${want ?? 'no space'} → ${got ?? 'no space'}`);
  }
  return differences;
}

/** Throws unless a store that a snapshot is about to be loaded into holds nothing: a copy merges nothing. */
export function requireEmpty(counts: StoreCounts, location: string): void {
  const held = [
    ...TABLES.filter((table) => counts[table] > 0).map((table) => `${counts[table]} ${TABLE_LABELS[table]}`),
    ...Object.keys(counts.vectors).map((space) => `vector space ${space}`),
  ];
  if (held.length) throw new StoreLocationError(`${location} is not empty (${held.join(', ')}): migrate copies into an empty store only`);
}

/** Throws when a loaded snapshot's counts differ from the snapshot's, so the load rolls back. */
export function requireComplete(snapshot: StoreSnapshot, actual: StoreCounts, location: string): void {
  const differences = countDifferences(snapshotCounts(snapshot), actual);
  if (differences.length) throw new Error(`copy into ${location} is incomplete, rolled back: ${differences.join('; ')}`);
}
