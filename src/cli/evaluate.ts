import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seedSummaryMarkdown, summariseSeeds, writeSeedSummary } from '../eval/seeds.js';
import { z } from 'zod';
import { evaluate, RELEVANCE_KINDS, type EvaluationResult } from '../eval/evaluate.js';
import { PROTOCOL_NAMES } from '../eval/protocols.js';
import { coldOnlyTable, lambdaSweepTables, summaryHeader, summaryRows, writeReport, resultsJson } from '../eval/report.js';
import { UsageError } from '../errors.js';
import { MODEL_NAMES, MODELS, modelByName } from '../registry.js';
import { dbOption, parseFlags, storeFlag } from './flags.js';
import { commandProgress } from './progress.js';
import { formatTable } from './format.js';
import { isPostgresUrl } from '../store/open.js';
import { maskPassword } from '../store/postgres.js';
import { printJson, runCommand } from './run.js';
import { shellCommand } from './shell.js';
import { withStore } from './store.js';

const DEFAULT_MODELS = MODEL_NAMES.join(',');

const isLambda = (item: string) => item !== '' && Number(item) >= 0 && Number(item) <= 1;

const fieldsSchema = z.object({
  db: storeFlag,
  protocol: z.enum(PROTOCOL_NAMES),
  models: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
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
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  seeds: z
    .string()
    .transform((list) => list.split(',').map((item) => item.trim()))
    .pipe(
      z
        .array(z.string().regex(/^\d+$/, 'expected comma-separated whole-number seeds, e.g. 1,2,3').transform(Number))
        .min(2, 'name at least two seeds (one seed is --seed)')
        .refine((seeds) => new Set(seeds).size === seeds.length, 'a seed is listed twice'),
    )
    .optional(),
  relevance: z.enum(RELEVANCE_KINDS),
  out: z.string().min(1),
  maxUsers: z.coerce.number().int().min(1).optional(),
  lambdaSweep: z
    .string()
    .transform((list) => list.split(',').map((item) => item.trim()))
    .pipe(
      z
        .array(
          z.string().superRefine((item, context) => {
            if (!isLambda(item)) context.addIssue({ code: 'custom', message: `expected comma-separated λ values in [0, 1] (1 = pure relevance), not "${item}"` });
          }),
        )
        .transform((items) => items.map(Number))
        .refine((lambdas) => new Set(lambdas).size === lambdas.length, 'a λ is listed twice'),
    )
    .optional(),
  tune: z.boolean(),
  json: z.boolean().optional(),
});

// Found out before the store is read and models fitted: a sweep needs a listed model that honours λ.
const flagsSchema = fieldsSchema.superRefine((flags, context) => {
  if (!flags.lambdaSweep || flags.models.some((name) => modelByName(name)?.diversifies)) return;
  const able = MODELS.filter((model) => model.diversifies).map((model) => model.name);
  context.addIssue({
    code: 'custom',
    path: ['lambdaSweep'],
    message: `no listed model re-ranks with MMR, so there is nothing to sweep (${able.length ? `models that do: ${able.join(', ')}` : 'none does yet'})`,
  });
});

export type EvaluateFlags = z.infer<typeof flagsSchema>;

/**
 * The command line that reproduces a run, with every setting spelled out, each argument shell-quoted, and a
 * database password masked: results.json and report.md get shared, a password must not travel with them.
 */
export function reproducingCommand(flags: EvaluateFlags): string {
  return shellCommand([
    'reelsense',
    'evaluate',
    '--db',
    isPostgresUrl(flags.db) ? maskPassword(flags.db) : flags.db,
    '--protocol',
    flags.protocol,
    '--models',
    flags.models.join(','),
    '--k',
    String(flags.k),
    ...(flags.seeds ? ['--seeds', flags.seeds.join(',')] : ['--seed', String(flags.seed)]),
    '--relevance',
    flags.relevance,
    '--out',
    flags.out,
    ...(flags.maxUsers ? ['--max-users', String(flags.maxUsers)] : []),
    ...(flags.lambdaSweep ? ['--lambda-sweep', flags.lambdaSweep.join(',')] : []),
    ...(flags.tune ? [] : ['--no-tune']),
  ]);
}

/** --out must be a directory or not exist yet; found out before minutes of fitting, not after. */
function checkOutDir(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new UsageError(`--out ${out} is a file: expected a directory for results.json, report.md and metrics.png (or a path that does not exist yet)`);
  }
}

function resultText(result: EvaluationResult, files: string[]): string {
  const { split } = result;
  const coldOnly = coldOnlyTable(result);
  return [
    `${result.protocol}: ${result.protocolDescription}`,
    `seed ${result.seed}, relevance ${result.relevance}; ${split.trainRatings} training / ${split.testRatings} test ratings; ` +
      `${split.evaluatedUsers} users scored${split.sampledFrom ? ` (a seeded sample of ${split.sampledFrom})` : ''} ` +
      `(${split.usersWithoutHistory} without training history, ${split.usersWithoutRelevant} without a relevant test movie: not scored)`,
    '',
    formatTable(summaryHeader(result.k), summaryRows(result)),
    '',
    ...(coldOnly ? [`${coldOnly.title}:`, '', formatTable(coldOnly.header, coldOnly.rows), ''] : []),
    ...lambdaSweepTables(result).flatMap((table) => [`${table.title}:`, '', formatTable(table.header, table.rows), '']),
    ...(result.lambdaSweepSkipped?.length ? [`not swept over λ (they do not re-rank with MMR): ${result.lambdaSweepSkipped.join(', ')}`, ''] : []),
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
    .option('--seeds <list>', 'run once per seed (e.g. 1,2,3), each into <out>/seed-<n>/, and write summary.md with the mean ± sd over them')
    .option('--relevance <kind>', 'rated4: a test rating ≥ 4.0 is relevant; watched: every test rating is', 'rated4')
    .option('--no-tune', 'use default hyper-parameters instead of tuning them on a validation split carved from training')
    .requiredOption('--out <dir>', 'directory for results.json, report.md and metrics.png (required)')
    .option('--max-users <n>', 'score a seeded sample of at most n test users (for large datasets; default: every one)')
    .option('--lambda-sweep <list>', 'comma-separated λ values in [0, 1] (1 = pure relevance): rank models that re-rank with MMR again at each; writes lambda-sweep.png')
    .option('--json', 'print results.json to stdout instead of the table')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        checkOutDir(flags.out);
        const results = await withStore(flags.db, { create: false }, async (store) => {
          const data = { movies: await store.listMovies(), interactions: await store.readInteractions(), vectorStore: store };
          const runs: EvaluationResult[] = [];
          for (const seed of flags.seeds ?? [flags.seed]) {
            const run = flags.seeds ? { ...flags, seed, seeds: undefined, out: join(flags.out, `seed-${seed}`) } : flags;
            const result = await evaluate(data, {
              protocol: run.protocol,
              models: run.models.map((name) => modelByName(name)!),
              k: run.k,
              seed: run.seed,
              relevance: run.relevance,
              tune: run.tune,
              ...(run.maxUsers ? { maxUsers: run.maxUsers } : {}),
              ...(run.lambdaSweep ? { lambdaSweep: run.lambdaSweep } : {}),
              progress: commandProgress(),
            });
            const command = reproducingCommand(run);
            const written = await writeReport(run.out, result, command);
            if (flags.json) {
              if (!flags.seeds) printJson(resultsJson(result, command));
            } else process.stdout.write(`${resultText(result, [written.results, written.report, written.chart, ...(written.sweepChart ? [written.sweepChart] : [])])}\n`);
            runs.push(result);
          }
          return runs;
        });
        if (!flags.seeds) return;
        const command = reproducingCommand(flags);
        const summary = summariseSeeds(results);
        const written = writeSeedSummary(flags.out, summary, command);
        if (flags.json) printJson({ command, ...summary });
        else process.stdout.write(`\n${seedSummaryMarkdown(summary, command)}\nwrote ${written.report}, ${written.results}\n`);
      }),
    );
}
