/** Stores to migrate between, and their whole contents to compare, for the migrate tests. */
import { issueApiKey } from '../../src/auth/keys.js';
import { interactionsFingerprint } from '../../src/interactions.js';
import { migrateStore, readSnapshot } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open.js';
import type { Store, VectorSpace } from '../../src/store/store.js';
import { randomVectors, smallDataset } from './datasets.js';
import { closing } from './stores.js';

export const FITTED_ON = interactionsFingerprint(smallDataset().ratings);
export const DNA: VectorSpace = { owner: 'movie', kind: 'dna', producer: 'fusion', version: '3', dim: 16, trainedOn: FITTED_ON };
export const TASTE: VectorSpace = { owner: 'user', kind: 'taste', producer: 'profile', version: '1', dim: 16, trainedOn: null };

/** Everything a store holds, vectors included, for comparing two stores row by row. */
export async function contents(db: string) {
  return closing(openStore(db, { mustExist: true }), async (store) => {
    const { dataset, vectors, settings, notInterested, apiKeys } = await readSnapshot(store);
    return { dataset, vectors: vectors.map((set) => ({ ...set, vectors: Array.from(set.vectors) })), settings, notInterested, apiKeys, stats: await store.stats() };
  });
}

export async function filled(db: string, fill: (store: Store) => Promise<unknown>): Promise<string> {
  await closing(openStore(db), fill);
  return db;
}

export async function migrate(from: string, to: string) {
  const source = await openStore(from, { mustExist: true });
  const target = await openStore(to);
  try {
    return await migrateStore(source, target);
  } finally {
    await source.close();
    await target.close();
  }
}

/** A small store with a movie space, a user space, a posters root, not-interested feedback and two API keys (one revoked). */
export async function smallStore(db: string): Promise<string> {
  return filled(db, async (store) => {
    await store.importDataset(smallDataset());
    await store.writeSettings({ postersRoot: '/srv/posters' });
    await store.writeVectors(DNA, { ...randomVectors([1, 2, 3, 1_000_019_995], DNA.dim), contentHashes: ['a', null, 'c', 'd'] });
    await store.writeVectors(TASTE, randomVectors([1, 3], TASTE.dim, 2));
    await store.markNotInterested({ userId: 1, movieId: 3, timestamp: 1_700_000_000 });
    await store.markNotInterested({ userId: 2, movieId: 1, timestamp: 1_700_000_001 });
    await issueApiKey(store, { role: 'admin', label: 'ops' }, 1_700_000_002);
    const { record } = await issueApiKey(store, { role: 'user', userId: 2 }, 1_700_000_003);
    await store.revokeApiKey(record.keyId, 1_700_000_004);
  });
}
