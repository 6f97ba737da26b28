/** The quality of a store's movie spaces (embedding-quality.ts), read from the store, and cached per set of spaces. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { MovieId } from '../domain.js';
import { UsageError } from '../errors.js';
import { DNA_SPACE, loadFusion } from '../fuse/dna.js';
import type { Store } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { spaceQuality, type SpaceQuality } from './embedding-quality.js';

/**
 * The movies to average over: with a trained DNA in the store, the movies its fusion held out of training (every
 * space is then judged on the same movies, none of which the DNA learned from); otherwise every movie.
 */
export async function qualityQueries(store: Store, artifacts: string, choice: 'auto' | 'held-out' | 'all'): Promise<ReadonlySet<MovieId> | undefined> {
  if (choice === 'all') return undefined;
  const hasDna = (await store.listVectorSpaces()).some((space) => spaceName(space) === spaceName(DNA_SPACE));
  const dir = join(artifacts, 'fusion');
  if (!existsSync(join(dir, 'manifest.json'))) {
    if (choice === 'held-out' || hasDna) {
      throw new UsageError(
        `no trained fusion in ${dir} to take the held-out movies from: run \`reelsense train fusion\`, give its --artifacts, or measure every movie with --queries all`,
      );
    }
    return undefined;
  }
  return new Set((await loadFusion(dir)).testMovies);
}

/** Every movie space, or the one `--space` names (`movie/text/minilm`, `text/minilm` or `minilm`). */
export async function qualityOfSpaces(store: Store, wanted?: string, queries?: ReadonlySet<MovieId>): Promise<SpaceQuality[]> {
  const spaces = (await store.listVectorSpaces()).filter((space) => space.owner === 'movie');
  const names = spaces.map(spaceName);
  const chosen = wanted ? spaces.filter((space) => [spaceName(space), `${space.kind}/${space.producer}`, space.producer].includes(wanted)) : spaces;
  if (chosen.length === 0) {
    throw new UsageError(
      wanted
        ? `no movie vector space "${wanted}" in ${store.location}; there are: ${names.join(', ') || 'none'}`
        : `no movie vector spaces in ${store.location}: run \`reelsense encode\` first`,
    );
  }
  const catalog = new Map((await store.listMovies()).map((movie) => [movie.movieId, movie]));
  const results: SpaceQuality[] = [];
  for (const space of chosen) {
    const set = (await store.readVectors(space))!;
    results.push(await spaceQuality({ name: spaceName(space), dim: space.dim, ids: set.ids, vectors: set.vectors }, catalog, queries));
  }
  return results;
}

/**
 * Every movie space's quality over the held-out movies (as `embed-quality` reports it), kept in
 * `<artifacts>/quality/` under a fingerprint of the spaces (names, versions, counts, write times): measured once per
 * set of vectors, since it takes seconds.
 */
export async function cachedQualityOfSpaces(store: Store, artifacts: string): Promise<SpaceQuality[]> {
  const spaces = (await store.listVectorSpaces()).filter((space) => space.owner === 'movie');
  if (spaces.length === 0) return [];
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(spaces.map((space) => [spaceName(space), space.version, space.count, space.updatedAt])))
    .digest('hex')
    .slice(0, 16);
  const file = join(artifacts, 'quality', `${fingerprint}.json`);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as SpaceQuality[];
  const quality = await qualityOfSpaces(store, undefined, await qualityQueries(store, artifacts, 'auto'));
  await mkdir(join(artifacts, 'quality'), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(quality));
  await rename(`${file}.tmp`, file);
  return quality;
}
