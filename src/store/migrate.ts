/** Copies a whole store into an empty one, in either direction between SQLite and PostgreSQL. */
import { countDifferences, storeCounts } from './snapshot.js';
import { StoreLocationError } from '../errors.js';
import type { Store, StoreCounts, StoreSnapshot } from './store.js';

/** Everything a store holds: catalog, users, ratings, tags, not-interested feedback, API keys, every vector space and the settings. Writers should be stopped. */
export async function readSnapshot(store: Store): Promise<StoreSnapshot> {
  const [movies, users, ratings, tags, spaces, settings, notInterested, apiKeys] = await Promise.all([
    store.listMovies(),
    store.listUsers(),
    store.readInteractions(),
    store.listTags(),
    store.listVectorSpaces(),
    store.readSettings(),
    store.listNotInterested(),
    store.listApiKeys(),
  ]);
  const vectors = [];
  for (const space of spaces) {
    const set = await store.readVectors(space);
    if (set) vectors.push(set);
  }
  return { dataset: { movies, users, ratings, tags }, vectors, settings, notInterested, apiKeys };
}

export interface MigrateReport {
  /** The stores' locations, passwords hidden. */
  from: string;
  to: string;
  /** What the target holds now, equal to the source's counts. */
  counts: StoreCounts;
}

/**
 * Copies `source` into the empty `target` in one transaction (all of it, or nothing), then compares the row
 * counts of both stores table by table and space by space.
 */
export async function migrateStore(source: Store, target: Store): Promise<MigrateReport> {
  if (source.backend === target.backend && source.location === target.location) {
    throw new StoreLocationError(`--from and --to name the same database: ${source.location}`);
  }
  await target.loadSnapshot(await readSnapshot(source));
  const [expected, actual] = await Promise.all([storeCounts(source), storeCounts(target)]);
  const differences = countDifferences(expected, actual);
  if (differences.length) {
    throw new Error(`copied ${source.location} into ${target.location}, but the counts now differ (was the source written to meanwhile?): ${differences.join('; ')}`);
  }
  return { from: source.location, to: target.location, counts: actual };
}
