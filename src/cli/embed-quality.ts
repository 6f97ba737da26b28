import { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { spaceQuality, type SpaceQuality } from '../eval/embedding-quality.js';
import type { Store } from '../store/store.js';
import { spaceName } from '../store/vectors.js';
import { dbOption, jsonFlag, parseFlags, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const flagsSchema = z.object({ db: storeFlag, space: z.string().trim().min(1).optional(), json: jsonFlag });

/** Every movie space, or the one `--space` names (`movie/text/minilm`, `text/minilm` or `minilm`). */
export async function qualityOfSpaces(store: Store, wanted?: string): Promise<SpaceQuality[]> {
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
    results.push(await spaceQuality({ name: spaceName(space), dim: space.dim, ids: set.ids, vectors: set.vectors }, catalog));
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
    .option('--json', 'print {spaces: [{name, dim, count, genrePrecision10, directorRecall10, castRecall10, random: {…}}]}')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const spaces = await withStore(flags.db, { create: false }, (store) => qualityOfSpaces(store, flags.space));
        if (flags.json) printJson({ spaces });
        else {
          process.stdout.write(`${qualityTable(spaces)}\n\n`);
          process.stdout.write(
            'Each cell: measured (random). genre P@10: share of the 10 nearest sharing a genre; director / lead actor R@10: their other films found among the 10 nearest, over min(10, such films).\n',
          );
        }
      }),
    );
}
