import type { Store } from '../../src/store/store.js';

/** Everything a store holds that an import writes, to compare a store before and after. */
export async function dumpStore(store: Store) {
  return {
    movies: await store.listMovies(),
    users: await store.listUsers(),
    ratings: await store.listRatings(),
    tags: await store.listTags(),
  };
}
