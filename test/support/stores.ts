import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { freshPostgresDatabase } from './postgres.js';
import { tempDir } from './tmp.js';

/**
 * A back end the store-level suites run against; `freshTarget` gives a --db value for an empty database, dropped when
 * the test finishes or through `dropWith` (a suite's afterAll).
 */
export interface StoreTarget {
  backend: 'sqlite' | 'postgres';
  freshTarget(dropWith?: (drop: () => Promise<void>) => void): Promise<string>;
}

export const sqliteTarget: StoreTarget = {
  backend: 'sqlite',
  freshTarget: async (dropWith) => join(tempDir(dropWith && ((remove) => dropWith(async () => remove()))), 'reelsense.db'),
};

/** A new database on the test PostgreSQL server (test/support/pg-global-setup.ts). */
export const postgresTarget: StoreTarget = {
  backend: 'postgres',
  freshTarget: freshPostgresDatabase,
};

/** Every back end: suites use `describe.each(STORE_TARGETS)` so one suite covers them all. */
export const STORE_TARGETS: StoreTarget[] = [sqliteTarget, postgresTarget];

/** Runs `work` on a store and closes the store afterwards, whatever happens. */
export async function closing<T>(store: Store | Promise<Store>, work: (store: Store) => Promise<T>): Promise<T> {
  const opened = await store;
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
