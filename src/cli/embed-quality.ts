import { Command } from 'commander';
import { z } from 'zod';
import type { SpaceQuality } from '../eval/embedding-quality.js';
import { qualityOfSpaces, qualityQueries } from '../eval/store-quality.js';
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
