/** The encode stage with the built-in text encoder: caching by content hash, versions, resumable writes. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCatalog, type EncodeOptions } from '../../src/encode/encode.js';
import { modelSource } from '../../src/encode/models.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import type { Store } from '../../src/store/store.js';
import { movie } from '../support/datasets.js';
import { closing, STORE_TARGETS } from '../support/stores.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../support/tmp.js';

const catalog = Array.from({ length: 40 }, (_, i) =>
  movie(i + 1, {
    title: `Film ${i + 1} (${1980 + i})`,
    genres: [i % 2 ? 'Comedy' : 'Horror'],
    overview: i % 2 ? `A light comedy about friends number ${i} and a wedding.` : `A haunted house scares family number ${i} at night.`,
    keywords: [i % 2 ? 'wedding' : 'ghost'],
  }),
);

function options(artifacts: string, overrides: Partial<EncodeOptions> = {}): EncodeOptions {
  return { text: 'tfidf-svd', image: 'none', models: modelSource({ models: tempDir() }), artifacts, force: false, ...overrides };
}

async function filledStore(db: string): Promise<Store> {
  const store = await openStore(db);
  await store.importDataset({ movies: catalog, users: [], ratings: interactionsFromRatings([]), tags: [] });
  return store;
}

describe.each(STORE_TARGETS)('encode on $backend', (target) => {
  it('encodes every movie once, then only what changed, and keeps the fit so later texts land in the same space', async () => {
    const artifacts = tempDir();
    await closing(filledStore(await target.freshTarget()), async (store) => {
      const first = await encodeCatalog(store, options(artifacts));
      expect(first.spaces).toEqual([expect.objectContaining({ space: 'movie/text/tfidf-svd', inputs: 40, encoded: 40, unchanged: 0, removed: 0, failed: 0 })]);
      expect(existsSync(join(artifacts, 'encoders', 'tfidf-svd', 'manifest.json'))).toBe(true);
      const stored = (await store.readVectors({ owner: 'movie', kind: 'text', producer: 'tfidf-svd' }))!;
      expect(stored.space).toMatchObject({ version: first.spaces[0]!.version, trainedOn: null, count: 40 });
      expect(stored.contentHashes.every((hash) => /^[0-9a-f]{64}$/.test(hash ?? ''))).toBe(true);

      expect((await encodeCatalog(store, options(artifacts))).spaces[0]).toMatchObject({ encoded: 0, unchanged: 40 });

      // One changed overview: exactly one movie is encoded again, with the same fit (same version).
      await store.importDataset({
        movies: [{ ...catalog[4]!, overview: 'Now a story about a haunted wedding.' }],
        users: [],
        ratings: interactionsFromRatings([]),
        tags: [],
      });
      const changed = await encodeCatalog(store, options(artifacts));
      expect(changed.spaces[0]).toMatchObject({ encoded: 1, unchanged: 39, version: first.spaces[0]!.version });
      const after = (await store.readVectors({ owner: 'movie', kind: 'text', producer: 'tfidf-svd' }))!;
      const changedRows = after.ids.filter((_, row) => after.contentHashes[row] !== stored.contentHashes[row]);
      expect(changedRows).toEqual([5]);

      // --force refits: a new fit is a new version, and every movie is encoded again.
      const forced = await encodeCatalog(store, options(artifacts, { force: true }));
      expect(forced.spaces[0]).toMatchObject({ encoded: 40, unchanged: 0 });
    });
  });
});

describe('encode, stopped part-way', () => {
  it('keeps the batches it wrote, and the next run encodes only the rest', async () => {
    const artifacts = tempDir();
    const db = join(tempDir(), 'films.db');
    const many = Array.from({ length: 1200 }, (_, i) => movie(i + 1, { title: `Film ${i + 1} (2000)`, overview: `Story ${i % 37} of ${i}.` }));
    await closing(openStore(db), async (store) => {
      await store.importDataset({ movies: many, users: [], ratings: interactionsFromRatings([]), tags: [] });
      // A store whose third write fails stands in for a process killed mid-run.
      let writes = 0;
      const failing = new Proxy(store, {
        get: (target, property, receiver) =>
          property === 'writeVectors'
            ? (...args: Parameters<Store['writeVectors']>) => (++writes === 3 ? Promise.reject(new Error('killed')) : target.writeVectors(...args))
            : (Reflect.get(target, property, receiver) as unknown),
      });
      await expect(encodeCatalog(failing, options(artifacts))).rejects.toThrow('killed');
      expect((await store.listVectorSpaces())[0]).toMatchObject({ count: 1024 });
      expect((await encodeCatalog(store, options(artifacts))).spaces[0]).toMatchObject({ encoded: 176, unchanged: 1024 });
    });
  });
});
