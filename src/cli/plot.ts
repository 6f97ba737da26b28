import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { MAP_METHODS } from '../map/projection.js';
import { movieMap } from '../map/stage.js';
import { journeyFigure, lambdaFigure, moviesFigure, type Figure } from '../plots/figures.js';
import { figureHtml } from '../plots/html.js';
import { figurePng } from '../plots/png.js';
import { defaultArtifactsDir, parseFlags, pathFlag, storeFlag } from './flags.js';
import { commandProgress } from './progress.js';
import { runCommand } from './run.js';
import { serviceFlags, userIdFlag, withService, withServiceOptions } from './service.js';

const PLOTS = ['movies', 'journey', 'lambda'] as const;

const flagsSchema = z
  .object({
    db: storeFlag,
    ...serviceFlags,
    user: userIdFlag.optional(),
    out: pathFlag.refine((path) => ['.html', '.png'].includes(extname(path).toLowerCase()), 'expected a file ending in .html (interactive) or .png'),
    method: z.enum(MAP_METHODS, { message: `expected one of ${MAP_METHODS.join(', ')}` }),
    seed: z.coerce.number().int('expected a whole number'),
    n: z.coerce.number().int('expected a whole number').min(2, 'expected at least 2 movies').max(100, 'expected at most 100 movies'),
  })
  .strict();

/** λ from 0 (diversity) to 1 (relevance) in tenths. */
const LAMBDAS = Array.from({ length: 11 }, (_, i) => i / 10);

export function plotCommand(): Command {
  return withServiceOptions(
    new Command('plot')
      .description(
        "draw the movie map (movies), a user's taste journey over it (journey), or a user's relevance–diversity curve over λ (lambda), as interactive HTML or a PNG",
      )
      .argument('<plot>', PLOTS.join(', ')),
  )
    .option('--user <id>', 'the user (journey, lambda)')
    .requiredOption('--out <file>', 'FILE.html (self-contained, interactive) or FILE.png')
    .option('--method <method>', 'the map projection: umap or pca (drawn once per DNA, then cached)', 'umap')
    .option('--seed <n>', 'the projection seed', '1')
    .option('--n <count>', 'list length for the λ curve', '10')
    .action(
      runCommand(async (plot: string, raw: Record<string, unknown>) => {
        if (!(PLOTS as readonly string[]).includes(plot)) throw new UsageError(`command line (argument "plot"): expected one of ${PLOTS.join(', ')}, not "${plot}"`);
        const flags = parseFlags(flagsSchema, raw);
        if (plot !== 'movies' && flags.user === undefined) throw new UsageError(`command line (field "--user"): the ${plot} plot is of one user: give --user ID`);
        const artifacts = flags.artifacts ?? defaultArtifactsDir(flags.db);
        const figure = await withService(flags, async (service, store): Promise<Figure> => {
          const movie = (movieId: number) => service.movie(movieId);
          if (plot === 'lambda') return lambdaFigure(flags.user!, await service.lambdaCurve(flags.user!, flags.n, LAMBDAS));
          const { map } = await movieMap(store, { artifacts, method: flags.method, seed: flags.seed }, commandProgress());
          if (plot === 'movies') return moviesFigure(map, movie);
          return journeyFigure(map, movie, flags.user!, await service.tasteJourney(flags.user!, map));
        });
        await writeFile(flags.out, extname(flags.out).toLowerCase() === '.png' ? await figurePng(figure) : await figureHtml(figure));
        process.stdout.write(`Wrote ${figure.title} to ${flags.out}.\n`);
      }),
    );
}
