import { Command } from 'commander';
import { z } from 'zod';
import { jsonFlag, parseFlags, storeFlag } from './flags.js';
import { printJson, runCommand } from './run.js';
import { movieIdFlag, ratingFlag, serviceFlags, userIdFlag, withService, withServiceOptions } from './service.js';

const rateSchema = z.object({ db: storeFlag, ...serviceFlags, user: userIdFlag, movie: movieIdFlag, rating: ratingFlag, json: jsonFlag });
const notInterestedSchema = z.object({ db: storeFlag, ...serviceFlags, user: userIdFlag, movie: movieIdFlag, json: jsonFlag });

export function rateCommand(): Command {
  return withServiceOptions(new Command('rate').description("record a user's rating (durably) and move their taste by it; a new user id starts a new user"))
    .requiredOption('--user <id>', 'the user')
    .requiredOption('--movie <id>', 'the movie')
    .requiredOption('--rating <r>', 'from 0.5 to 5 in steps of 0.5')
    .option('--json', 'print JSON instead of text')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(rateSchema, raw);
        const taste = await withService(flags, (service) => service.recordRating(flags.user, flags.movie, flags.rating));
        if (flags.json) printJson({ userId: flags.user, movieId: flags.movie, rating: flags.rating, ratings: taste.count });
        else process.stdout.write(`Recorded: user ${flags.user} rated movie ${flags.movie} ${flags.rating}; their taste now stands on ${taste.count} ratings.\n`);
      }),
    );
}

export function notInterestedCommand(): Command {
  return withServiceOptions(new Command('not-interested').description('record that a user does not want a movie: it never comes back in their recommendations'))
    .requiredOption('--user <id>', 'the user')
    .requiredOption('--movie <id>', 'the movie')
    .option('--json', 'print JSON instead of text')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(notInterestedSchema, raw);
        await withService(flags, (service) => service.markNotInterested(flags.user, flags.movie));
        if (flags.json) printJson({ userId: flags.user, movieId: flags.movie, notInterested: true });
        else process.stdout.write(`Recorded: user ${flags.user} is not interested in movie ${flags.movie}.\n`);
      }),
    );
}
