/**
 * The movie DNA in three dimensions, for maps: UMAP (umap-js, seeded, on the unit DNA rows, where Euclidean distance
 * orders pairs as cosine does) or PCA (the top three principal components). A taste is placed among the movies it is
 * closest to, so a user's journey lands where the movies like it are, whichever projection drew the map.
 */
import { UMAP } from 'umap-js';
import { matrix } from '../math/gemm.js';
import { fitPca, projectPca } from '../math/pca.js';
import { seededRandom } from '../math/random.js';
import type { Progress } from '../progress.js';

export const MAP_METHODS = ['umap', 'pca'] as const;
export type MapMethod = (typeof MAP_METHODS)[number];

export const MAP_DIMENSIONS = 3;

/** UMAP's neighbourhood size and how tightly it packs points: umap-learn's defaults. */
const UMAP_NEIGHBOURS = 15;
const UMAP_MIN_DIST = 0.1;

/** `rows × dim` unit vectors → `rows × 3` map coordinates; UMAP shows a bar over its epochs (after its neighbour graph). */
export async function projectRows(vectors: Float32Array, rows: number, dim: number, method: MapMethod, seed: number, progress: Progress): Promise<Float32Array> {
  if (method === 'pca') {
    const pca = await fitPca(matrix(vectors, rows, dim), MAP_DIMENSIONS, seed);
    return (await projectPca(pca, matrix(vectors, rows, dim))).data;
  }
  const data = Array.from({ length: rows }, (_, row) => Array.from(vectors.subarray(row * dim, (row + 1) * dim)));
  const umap = new UMAP({ nComponents: MAP_DIMENSIONS, nNeighbors: Math.min(UMAP_NEIGHBOURS, rows - 1), minDist: UMAP_MIN_DIST, random: seededRandom(seed) });
  const epochs = umap.initializeFit(data);
  const bar = progress(`UMAP of ${rows} movies`, epochs);
  for (let epoch = 0; epoch < epochs; epoch++) {
    umap.step();
    bar.tick();
  }
  bar.done();
  return Float32Array.from(umap.getEmbedding().flat());
}

/** How many of its nearest movies place a taste on the map. */
export const PLACING_NEIGHBOURS = 10;

/** The similarity-weighted mean of the neighbours' map points (weights floored at 0; the plain mean when none is positive). */
export function placeAmong(neighbours: readonly { row: number; similarity: number }[], points: Float32Array): [number, number, number] {
  const weights = neighbours.map((neighbour) => Math.max(0, neighbour.similarity));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const placed: [number, number, number] = [0, 0, 0];
  neighbours.forEach((neighbour, i) => {
    const weight = total > 0 ? weights[i]! / total : 1 / neighbours.length;
    for (let axis = 0; axis < MAP_DIMENSIONS; axis++) placed[axis]! += weight * points[neighbour.row * MAP_DIMENSIONS + axis]!;
  });
  return placed;
}
