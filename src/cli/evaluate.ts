import { Command } from 'commander';
import { z } from 'zod';
import { evaluate, RELEVANCE_KINDS, type EvaluationResult } from '../eval/evaluate.js';
import { PROTOCOL_NAMES } from '../eval/protocols.js';
import { summaryHeader, summaryRows, writeReport, resultsJson } from '../eval/report.js';
import { MODEL_NAMES, modelByName } from '../registry.js';
import { dbOption, parseFlags } from './flags.js';
import { commandProgress } from './progress.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const DEFAULT_MODELS = MODEL_NAMES.join(',');

const flagsSchema = z.object({
  db: z.string().min(1),
  protocol: z.enum(PROTOCOL_NAMES),
  models: z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(
      z
        .array(
          z.string().superRefine((name, context) => {
            if (!modelByName(name)) context.addIssue({ code: 'custom', message: `unknown model "${name}"; known: ${MODEL_NAMES.join(', ')}` });
          }),
        )
        .min(1, 'name at least one model')
        .refine((names) => new Set(names).size === names.length, 'a model is named twice'),
    ),
  k: z.coerce.number().int().min(1).max(100),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1),
  relevance: z.enum(RELEVANCE_KINDS),
  out: z.string().min(1),
  tune: z.boolean(),
  json: z.boolean().optional(),
});

type EvaluateFlags = z.infer<typeof flagsSchema>;

/** The command line that reproduces a run, with every setting spelled out. */
function reproducingCommand(flags: EvaluateFlags): string {
  return [
    'reelsense evaluate', `--db ${flags.db}`, `--protocol ${flags.protocol}`, `--models ${flags.models.join(',')}`, `--k ${flags.k}`,
    `--seed ${flags.seed}`, `--relevance ${flags.relevance}`, `--out ${flags.out}`, ...(flags.tune ? [] : ['--no-tune']),
  ].join(' ');
}

function resultText(result: EvaluationResult, files: string[]): string {
  const { split } = result;
  return [
    `${result.protocol}: ${result.protocolDescription}`,
    `seed ${result.seed}, relevance ${result.relevance}; ${split.trainRatings} training / ${split.testRatings} test ratings; ` +
      `${split.evaluatedUsers} users scored (${split.usersWithoutHistory} without training history, ${split.usersWithoutRelevant} without a relevant test movie: not scored)`,
    '',
    formatTable(summaryHeader(result.k), summaryRows(result)),
    '',
    `wrote ${files.join(', ')}`,
  ].join('\n');
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('split the ratings, tune and fit models on the training part only, and score full rankings on the held-out part')
    .addOption(dbOption())
    .option('--protocol <name>', `split: ${PROTOCOL_NAMES.join(' | ')}`, 'temporal')
    .option('--models <list>', 'comma-separated model names', DEFAULT_MODELS)
    .option('--k <n>', 'cutoff for the table and for tuning (metrics are also reported at 5, 10 and 20)', '10')
    .option('--seed <n>', 'seed of the split, the validation split and the models', '1')
    .option('--relevance <kind>', 'rated4: a test rating ≥ 4.0 is relevant; watched: every test rating is', 'rated4')
    .option('--no-tune', 'use default hyper-parameters instead of tuning them on a validation split carved from training')
    .requiredOption('--out <dir>', 'directory for results.json, report.md and metrics.png')
    .option('--json', 'print results.json to stdout instead of the table')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const command = reproducingCommand(flags);
        const data = await withStore(flags.db, { create: false }, async (store) => ({ movies: await store.listMovies(), ratings: await store.listRatings() }));
        const result = await evaluate(data, {
          protocol: flags.protocol,
          models: flags.models.map((name) => modelByName(name)!),
          k: flags.k,
          seed: flags.seed,
          relevance: flags.relevance,
          tune: flags.tune,
          progress: commandProgress(),
        });
        const written = await writeReport(flags.out, result, command);
        if (flags.json) printJson(resultsJson(result, command));
        else process.stdout.write(`${resultText(result, Object.values(written))}\n`);
      }),
    );
}
