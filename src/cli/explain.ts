import { Command } from 'commander';
import { z } from 'zod';
import type { Explanation } from '../recommend/explain.js';
import { jsonFlag, parseFlags, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { movieIdFlag, serviceFlags, userIdFlag, withService, withServiceOptions } from './service.js';

const flagsSchema = z.object({ db: storeFlag, ...serviceFlags, user: userIdFlag, movie: movieIdFlag, json: jsonFlag });

function explanationText(userId: number, explanation: Explanation): string {
  const names = (shared: { name: string; likedMovies: number }[]) =>
    shared.length === 0 ? '–' : shared.map((item) => `${item.name} (${item.likedMovies} liked)`).join(', ');
  const { modalities } = explanation;
  return [
    `Why ${explanation.title} for user ${userId}: taste cosine ${explanation.score.toFixed(3)}.`,
    '',
    explanation.pulledBy.length === 0
      ? 'None of the user’s ratings pulls it in: it comes from their taste as a whole.'
      : `Pulled in by (similarity in the DNA × the rating's pull in the profile):\n\n${formatTable(
          ['movie', 'title', 'rating', 'similarity', 'pull', 'contribution'],
          explanation.pulledBy.map((pull) => [
            String(pull.movieId),
            pull.title,
            pull.rating.toFixed(1),
            pull.similarity.toFixed(3),
            pull.weight.toFixed(3),
            pull.contribution.toFixed(3),
          ]),
        )}`,
    '',
    `Shared with movies they liked: directors ${names(explanation.shared.directors)}; cast ${names(explanation.shared.cast)}; genres ${names(explanation.shared.genres)}; keywords ${names(explanation.shared.keywords)}.`,
    modalities
      ? `Text vs poster: its text alone scores ${modalities.textOnlyScore.toFixed(3)}; text ${(100 * modalities.text).toFixed(0)}%, poster ${(100 * modalities.poster).toFixed(0)}% of the score.`
      : 'Text vs poster: not available (no saved fusion or no content vectors for this movie).',
  ].join('\n');
}

export function explainCommand(): Command {
  return withServiceOptions(
    new Command('explain').description('why a movie suits a user: the ratings that pulled it in, what it shares with what they liked, text vs poster'),
  )
    .requiredOption('--user <id>', 'a user in the store')
    .requiredOption('--movie <id>', 'the movie to explain')
    .option('--json', 'print JSON instead of text')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const explanation = await withService(flags, (service) => service.explain(flags.user, flags.movie));
        if (flags.json) printJson(explanation);
        else process.stdout.write(`${explanationText(flags.user, explanation)}\n`);
      }),
    );
}
