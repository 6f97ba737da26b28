import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MovieId } from '../domain.js';
import { UsageError } from '../errors.js';
import { DNA_SPACE, loadFusion } from '../fuse/dna.js';
import { spaceQuality, type SpaceQuality } from '../eval/embedding-quality.js';
import type { Store } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { artifactsOption, dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const flagsSchema = z.object({
  db: storeFlag,
  space: z.string().trim().min(1).optional(),
  artifacts: pathFlag.optional(),
  queries: z.enum(['auto', 'held-out', 'all'], { message: 'expected auto, held-out or all' }),
  json: jsonFlag,
});

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

function qualityTable(spaces: readonly SpaceQuality[]): string {
  const cell = (measured: number, random: number) => (Number.isNaN(measured) ? '–' : `${measured.toFixed(3)} (${random.toFixed(3)})`);
  return formatTable(
    ['space', 'dim', 'movies', 'genre P@10', 'director R@10', 'lead actor R@10'],
    spaces.map((space) => [
      space.name,
      space.dim,
      space.count,
      cell(space.genrePrecision10, space.random.genrePrecision10),
      cell(space.directorRecall10, space.random.directorRecall10),
      cell(space.castRecall10, space.random.castRecall10),
    ]),
  );
}

export function embedQualityCommand(): Command {
  return new Command('embed-quality')
    .description("how well each movie vector space knows a movie: its 10 nearest movies' shared genres, directors and lead actors, beside chance")
    .addOption(dbOption())
    .option('--space <name>', 'only this space: movie/text/minilm, text/minilm or minilm (default: every movie space)')
    .addOption(artifactsOption())
    .option('--queries <which>', 'average over the movies the trained fusion held out (held-out), every movie (all), or held-out when a fusion is there (auto)', 'auto')
    .option('--json', 'print {spaces: [{name, dim, count, genrePrecision10, directorRecall10, castRecall10, random: {…}}]}')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const artifacts = flags.artifacts ?? defaultArtifactsDir(flags.db);
        const spaces = await withStore(flags.db, { create: false }, async (store) =>
          qualityOfSpaces(store, flags.space, await qualityQueries(store, artifacts, flags.queries)),
        );
        if (flags.json) printJson({ spaces });
        else {
          process.stdout.write(`${qualityTable(spaces)}\n\n`);
          if (spaces[0]?.queries === 'held-out') {
            process.stdout.write(
              `Averaged over the ${spaces[0].evaluated.genre} movies (with genres) that the fusion held out of training; their neighbours are sought among every movie.\n`,
            );
          }
          process.stdout.write(
            'Each cell: measured (random). genre P@10: share of the 10 nearest sharing a genre; director / lead actor R@10: their other films found among the 10 nearest, over min(10, such films).\n',
          );
        }
      }),
    );
}
