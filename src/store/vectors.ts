/** Checks and kernels for stored vectors that both back ends share. */
import type { VectorOwner, VectorRows, VectorSpace, VectorSpaceKey } from './store.js';

/** pgvector's limit for a `vector(d)` column; SQLite keeps to it too so every space can move between back ends. */
export const MAX_VECTOR_DIM = 16_000;

/** Kinds become part of table and index names in PostgreSQL, so they are plain identifiers. */
const KIND_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

/** The table and id column that a space's vectors belong to. */
export const OWNER_TABLES: Record<VectorOwner, { table: 'movies' | 'users'; id: 'movie_id' | 'user_id' }> = {
  movie: { table: 'movies', id: 'movie_id' },
  user: { table: 'users', id: 'user_id' },
};

/** Vectors that cannot be stored as given; the message names the space and the row. */
export class VectorInputError extends Error {
  override name = 'VectorInputError';
}

/** `owner/kind/producer`, for messages and count reports. */
export const spaceName = (key: VectorSpaceKey) => `${key.owner}/${key.kind}/${key.producer}`;

export function checkSpaceKey(key: VectorSpaceKey): void {
  if (!(key.owner in OWNER_TABLES)) throw new VectorInputError(`vector owner must be 'movie' or 'user', got ${JSON.stringify(key.owner)}`);
  if (!KIND_PATTERN.test(key.kind)) {
    throw new VectorInputError(`vector kind must be lowercase letters, digits and _ (at most 31, starting with a letter), got ${JSON.stringify(key.kind)}`);
  }
  if (key.producer.trim() === '') throw new VectorInputError(`vectors ${spaceName(key)}: the producer name is empty`);
}

/** Throws a VectorInputError unless the rows fit the space: shapes, unique positive ids, finite non-zero vectors. */
export function checkVectorRows(space: VectorSpace, rows: VectorRows): void {
  checkSpaceKey(space);
  const name = spaceName(space);
  if (space.version.trim() === '') throw new VectorInputError(`vectors ${name}: the producer version is empty`);
  if (space.trainedOn !== null && (typeof space.trainedOn !== 'string' || space.trainedOn.trim() === '')) {
    throw new VectorInputError(
      `vectors ${name}: trainedOn must be the fingerprint of the ratings the producer was fitted on, or null, got ${JSON.stringify(space.trainedOn)}`,
    );
  }
  if (!Number.isInteger(space.dim) || space.dim < 1 || space.dim > MAX_VECTOR_DIM) {
    throw new VectorInputError(`vectors ${name}: dimension must be an integer from 1 to ${MAX_VECTOR_DIM}, got ${space.dim}`);
  }
  const { ids, vectors, contentHashes } = rows;
  if (vectors.length !== ids.length * space.dim) {
    throw new VectorInputError(`vectors ${name}: expected ${ids.length} × ${space.dim} = ${ids.length * space.dim} values for ${ids.length} ids, got ${vectors.length}`);
  }
  if (contentHashes && contentHashes.length !== ids.length) {
    throw new VectorInputError(`vectors ${name}: ${contentHashes.length} content hashes for ${ids.length} ids`);
  }
  const seen = new Set<number>();
  for (let row = 0; row < ids.length; row++) {
    const id = ids[row]!;
    if (!Number.isSafeInteger(id) || id < 1) throw new VectorInputError(`vectors ${name}: row ${row}: id must be a positive integer, got ${id}`);
    if (seen.has(id)) throw new VectorInputError(`vectors ${name}: row ${row}: id ${id} appears twice`);
    seen.add(id);
    let squares = 0;
    for (let j = row * space.dim, end = j + space.dim; j < end; j++) {
      const value = vectors[j]!;
      if (!Number.isFinite(value)) throw new VectorInputError(`vectors ${name}: row ${row} (id ${id}): value ${j - row * space.dim} is ${value}`);
      squares += value * value;
    }
    if (squares === 0) throw new VectorInputError(`vectors ${name}: row ${row} (id ${id}) is all zeros, which has no cosine similarity`);
  }
}

export function missingOwnersError(space: VectorSpaceKey, missing: number[]): VectorInputError {
  const { table } = OWNER_TABLES[space.owner];
  const shown = missing.slice(0, 10).join(', ');
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : '';
  return new VectorInputError(`vectors ${spaceName(space)}: ${missing.length} id(s) not in ${table}: ${shown}${more}`);
}

export function checkNearestQuery(key: VectorSpaceKey, dim: number, query: Float32Array, k: number): void {
  const name = spaceName(key);
  if (query.length !== dim) throw new VectorInputError(`nearest in ${name}: query has ${query.length} values, the space has dimension ${dim}`);
  if (!query.every(Number.isFinite) || !query.some((value) => value !== 0)) {
    throw new VectorInputError(`nearest in ${name}: the query must be finite and not all zeros`);
  }
  if (!Number.isInteger(k) || k < 1) throw new VectorInputError(`nearest in ${name}: k must be a positive integer, got ${k}`);
}
