import { Command } from 'commander';
import { z } from 'zod';
import { jsonFlag, parseFlags, storeFlag } from './flags.js';
import { itemJson, recommendationTable } from './recommend.js';
import { printJson, runCommand } from './run.js';
import { movieIdFlag, serviceFlags, withService, withServiceOptions } from './service.js';

const flagsSchema = z.object({
  db: storeFlag,
  ...serviceFlags,
  movie: movieIdFlag,
  n: z.coerce.number().int('expected a whole number of movies').min(1, 'expected at least 1 movie').max(1000, 'expected at most 1000 movies'),
  json: jsonFlag,
});

export function similarCommand(): Command {
  return withServiceOptions(new Command('similar').description('the movies nearest to one movie in the DNA (through the ANN index)'))
    .requiredOption('--movie <id>', 'the movie')
    .option('--n <count>', 'how many movies', '10')
    .option('--json', 'print JSON instead of a table')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const { movie, items } = await withService(flags, async (service) => ({ movie: service.movie(flags.movie), items: await service.similar(flags.movie, flags.n) }));
        if (flags.json) printJson({ movieId: flags.movie, title: movie?.title, items: items.map(itemJson) });
        else process.stdout.write(`Movies nearest to ${movie?.title ?? flags.movie} in the DNA:\n\n${recommendationTable(items, 'cosine')}\n`);
      }),
    );
}
