import { Command, Help, type Option } from 'commander';
import { createRequire } from 'node:module';
import { embedQualityCommand } from './embed-quality.js';
import { encodeCommand } from './encode.js';
import { evaluateCommand } from './evaluate.js';
import { indexCommand } from './index-command.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { pipelineCommand } from './pipeline.js';
import { statsCommand } from './stats.js';
import { recommendCommand } from './recommend.js';
import { similarCommand } from './similar.js';
import { explainCommand } from './explain.js';
import { notInterestedCommand, rateCommand } from './feedback.js';
import { trainCommand } from './train.js';
import { keysCommand } from './keys.js';
import { serveCommand } from './serve.js';
import { plotCommand } from './plot.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Commander's help, with required options marked: commander's own help shows them like optional ones. */
class ReelsenseHelp extends Help {
  override optionDescription(option: Option): string {
    const description = super.optionDescription(option);
    return option.mandatory ? `${description} (required)` : description;
  }
}

/** `reelsense` and its commands; the description names each command in parentheses. */
export function reelsenseProgram(): Command {
  const program = new Command('reelsense')
    .description(
      'movie recommender: import datasets into a store (pipeline, ingest), report on it (stats), give every movie text and poster vectors (encode), fuse them into its DNA and learn how ratings move a taste (train), index the DNA for fast nearest neighbours (index), copy it between SQLite and PostgreSQL (migrate), ' +
        'recommend from a user, favourites or a sentence (recommend), find similar movies (similar), explain a recommendation (explain), record ratings (rate) and dislikes (not-interested), score recommendation models on it (evaluate), judge its movie vector spaces (embed-quality), draw the movie map, a taste journey or the λ curve (plot), serve it over HTTP (serve) and manage the API keys (keys)',
    )
    .version(version)
    .showHelpAfterError()
    .addCommand(pipelineCommand())
    .addCommand(ingestCommand())
    .addCommand(statsCommand())
    .addCommand(encodeCommand())
    .addCommand(migrateCommand())
    .addCommand(trainCommand())
    .addCommand(indexCommand())
    .addCommand(recommendCommand())
    .addCommand(similarCommand())
    .addCommand(explainCommand())
    .addCommand(rateCommand())
    .addCommand(notInterestedCommand())
    .addCommand(evaluateCommand())
    .addCommand(embedQualityCommand())
    .addCommand(plotCommand())
    .addCommand(serveCommand())
    .addCommand(keysCommand());
  for (const command of [program, ...program.commands]) command.createHelp = () => new ReelsenseHelp();
  return program;
}
