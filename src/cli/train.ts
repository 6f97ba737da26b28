import { Command } from 'commander';
import { z } from 'zod';
import { fuseCatalog, type FuseReport } from '../fuse/stage.js';
import { TASK_NAMES, type TaskName } from '../fuse/tasks.js';
import { FUSION_DEFAULTS, type EpochSummary, type FusionParams } from '../fuse/train.js';
import { artifactsOption, dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { commandProgress } from './progress.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';
import { trainProfiles, type ProfileOptions, type ProfileReport } from '../profile/stage.js';
import { fitCollaborative, type CollaborativeReport } from '../cf/stage.js';
import { RANKER_DEFAULTS, trainProductionRanker, type RankerReport } from '../rank/stage.js';
import { UPDATER_DEFAULTS, type UpdaterEpoch } from '../profile/train-updater.js';

const positiveInt = (what: string) =>
  z.coerce
    .number()
    .int(`expected a whole number of ${what}`)
    .positive(`expected at least 1 ${what.replace(/s$/, '')}`);

/** The fusion's flags, shared by `train fusion` and the main job. */
export const fusionFlags = {
  dim: positiveInt('dimensions').max(2048, 'expected at most 2048 dimensions').optional(),
  epochs: positiveInt('epochs').optional(),
  seed: z.coerce.number().int('expected a whole-number seed').optional(),
  tasks: z
    .string()
    .transform((text) => text.split(',').map((task) => task.trim()))
    .pipe(z.array(z.enum(TASK_NAMES, { message: `expected tasks among ${TASK_NAMES.join(', ')}` })).min(1, 'expected at least one task'))
    .optional(),
  fusionText: z.string().trim().min(1).optional(),
  fusionImage: z.string().trim().min(1).optional(),
  retrain: z.boolean().optional(),
};

const flagsSchema = z.object({ db: storeFlag, artifacts: pathFlag.optional(), ...fusionFlags, json: jsonFlag });

type FusionFlags = Omit<z.infer<typeof flagsSchema>, 'db' | 'json'>;

export function fusionParams(flags: FusionFlags): FusionParams {
  return {
    ...FUSION_DEFAULTS,
    ...(flags.dim ? { dim: flags.dim } : {}),
    ...(flags.epochs ? { epochs: flags.epochs } : {}),
    ...(flags.tasks ? { tasks: [...new Set<TaskName>(flags.tasks)] } : {}),
  };
}

/** The fuse stage's options from the flags; shared by `train fusion` and the main job. */
export function fuseOptions(flags: FusionFlags, db: string, onEpoch?: (summary: EpochSummary) => void) {
  return {
    artifacts: flags.artifacts ?? defaultArtifactsDir(db),
    params: fusionParams(flags),
    seed: flags.seed ?? 1,
    ...(flags.fusionText ? { text: flags.fusionText } : {}),
    ...(flags.fusionImage ? { image: flags.fusionImage } : {}),
    force: flags.retrain ?? false,
    ...(onEpoch ? { onEpoch } : {}),
  };
}

/** The fusion's options, on `train fusion` and on the main job. */
export function withFusionOptions(command: Command): Command {
  return command
    .option('--dim <n>', `dimension of the movie DNA (default ${FUSION_DEFAULTS.dim})`)
    .option('--epochs <n>', `at most this many epochs; early stopping on the validation movies usually ends sooner (default ${FUSION_DEFAULTS.epochs})`)
    .option('--seed <n>', 'seed of the movie split, initialisation and batches (default 1)')
    .option('--tasks <list>', `comma-separated tasks to train on (default: all of ${TASK_NAMES.join(',')}; leave one out to disable it)`)
    .option('--fusion-text <producers>', 'comma-separated text spaces to fuse (default: every text space the store has, of minilm and tfidf-svd)')
    .option('--fusion-image <producer>', 'poster space to fuse, or none (default: clip when the store has it, else mobilenet)')
    .option('--retrain', 'train the fusion again even when nothing it was trained from changed');
}

/** One line per epoch: loss per task, validation triplet accuracy per task. */
export function epochLine(summary: EpochSummary): string {
  const losses = Object.entries(summary.losses)
    .map(([name, value]) => `${name} ${value.toFixed(3)}`)
    .join(' ');
  const accuracy = Object.entries(summary.validationAccuracy)
    .map(([name, value]) => `${name} ${value.toFixed(3)}`)
    .join(' ');
  const quality = summary.validationQuality;
  return (
    `epoch ${summary.epoch}: loss ${losses} | validation triplet accuracy ${accuracy} | validation genre P@10 ${quality.genrePrecision10.toFixed(3)} ` +
    `director R@10 ${quality.directorRecall10.toFixed(3)} lead actor R@10 ${quality.castRecall10.toFixed(3)} | ${summary.score.toFixed(3)} × fixed fusion${summary.improved ? ' (best)' : ''}`
  );
}

/** Prints each epoch's line on stderr, beside the progress bars. */
export const printEpoch = (summary: EpochSummary) => void process.stderr.write(`${epochLine(summary)}\n`);

export function fuseReportText(report: FuseReport): string {
  // A reused fusion's record comes from JSON, where a NaN (nothing to measure) became null.
  const accuracy = (value: number | null) => (value === null || Number.isNaN(value) ? '–' : value.toFixed(3));
  const lines = [
    report.trained
      ? `Trained the fusion in ${report.trainingSeconds.toFixed(1)} s: ${report.epochs} epochs, best at epoch ${report.bestEpoch}; saved to ${report.artifact}.`
      : `The fusion in ${report.artifact} is up to date (trained in ${report.trainingSeconds.toFixed(1)} s): nothing it was trained from changed.`,
    `Inputs: text ${report.inputs.text.map((space) => `${space.producer} (${space.dim}-d)`).join(' + ')}${report.inputs.image ? `, posters ${report.inputs.image.producer} (${report.inputs.image.dim}-d)` : ', no posters'}.`,
    '',
    formatTable(
      ['task', 'anchors', 'groups', 'validation acc', 'test acc', 'fixed fusion test acc', 'text-only test acc'],
      report.tasks.map((task) => [
        task.name,
        task.anchors,
        task.groups,
        accuracy(task.validationAccuracy),
        accuracy(task.testAccuracy),
        accuracy(task.fixedTestAccuracy),
        accuracy(task.textOnlyTestAccuracy),
      ]),
    ),
    '',
    `Triplet accuracy: share of (movie, positive, random negative) triplets where the positive is nearer. Test movies take part in no training; a movie's text-only DNA lies at cosine ${accuracy(report.textOnlyAlignment)} from its full DNA on average.`,
    '',
    formatTable(
      ['space', 'movies', 'written'],
      report.spaces.map((space) => [space.space, space.movies, space.written ? 'yes' : 'up to date']),
    ),
  ];
  return lines.join('\n');
}

function fusionCommand(): Command {
  return withFusionOptions(
    new Command('fusion')
      .description(
        "train the movie DNA: a fusion network over each movie's text and poster vectors, with a multi-task triplet loss; writes the dna and fixed movie spaces",
      )
      .addOption(dbOption())
      .addOption(artifactsOption()),
  )
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const report = await withStore(flags.db, { create: false }, (store) => fuseCatalog(store, fuseOptions(flags, flags.db, printEpoch), commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${fuseReportText(report)}\n`);
      }),
    );
}

/** The updater's flags, on `train updater` and (as --updater-epochs) on the main job. */
export const rankerFlags = { rankerEpochs: positiveInt('epochs').optional() };

export const updaterFlags = {
  updaterEpochs: positiveInt('epochs').optional(),
  seed: fusionFlags.seed,
  retrain: fusionFlags.retrain,
};

type UpdaterFlags = { artifacts?: string | undefined; updaterEpochs?: number | undefined; seed?: number | undefined; retrain?: boolean | undefined };

/** The profile stage's options from the flags; shared by `train updater` and the main job. */
export function profileOptions(flags: UpdaterFlags, db: string, onEpoch?: (epoch: UpdaterEpoch) => void): ProfileOptions {
  return {
    artifacts: flags.artifacts ?? defaultArtifactsDir(db),
    params: { ...UPDATER_DEFAULTS, ...(flags.updaterEpochs ? { epochs: flags.updaterEpochs } : {}) },
    seed: flags.seed ?? 1,
    force: flags.retrain ?? false,
    ...(onEpoch ? { onEpoch } : {}),
  };
}

const updaterLine = (epoch: UpdaterEpoch) =>
  `updater epoch ${epoch.epoch}: ${epoch.epoch === 0 ? 'untrained (moving average)' : `loss ${epoch.loss.toFixed(3)}`} | validation next-liked hit rate@10 ${epoch.validationHitRate.toFixed(4)}`;

/** Prints each updater epoch's line on stderr, beside the progress bars. */
export const printUpdaterEpoch = (epoch: UpdaterEpoch) => void process.stderr.write(`${updaterLine(epoch)}\n`);

export function profileReportText(report: ProfileReport): string {
  const best = report.epochs[report.bestEpoch]!;
  return [
    report.trained
      ? `Trained the taste updater in ${report.trainingSeconds.toFixed(1)} s: ${report.epochs.length - 1} epochs, best at epoch ${report.bestEpoch}; saved to ${report.artifact}.`
      : `The taste updater in ${report.artifact} is up to date (trained in ${report.trainingSeconds.toFixed(1)} s): nothing it was trained from changed.`,
    `It moves tastes in ${report.space} (version ${report.spaceVersion}); trained on ${report.users} users' histories (${report.examples} next-liked steps), validated on ${report.validationUsers} others.`,
    `Validation next-liked hit rate@10: ${best.validationHitRate.toFixed(4)}, against ${report.epochs[0]!.validationHitRate.toFixed(4)} for the untrained moving average.`,
  ].join('\n');
}

const updaterSchema = z.object({
  db: storeFlag,
  artifacts: pathFlag.optional(),
  epochs: updaterFlags.updaterEpochs,
  seed: updaterFlags.seed,
  retrain: updaterFlags.retrain,
  json: jsonFlag,
});

function updaterCommand(): Command {
  return new Command('updater')
    .description("train the taste updater: how one rating moves a user's taste in the movie DNA, learned from every user's history (needs `train fusion` first)")
    .addOption(dbOption())
    .addOption(artifactsOption())
    .option('--epochs <n>', `at most this many epochs; early stopping on held-out users usually ends sooner (default ${UPDATER_DEFAULTS.epochs})`)
    .option('--seed <n>', 'seed of the user split, initialisation and batches (default 1)')
    .option('--retrain', 'train the updater again even when nothing it was trained from changed')
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const { epochs, ...flags } = parseFlags(updaterSchema, raw);
        const options = profileOptions({ ...flags, updaterEpochs: epochs }, flags.db, printUpdaterEpoch);
        const report = await withStore(flags.db, { create: false }, (store) => trainProfiles(store, options, commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${profileReportText(report)}\n`);
      }),
    );
}

export function collaborativeReportText(report: CollaborativeReport): string {
  return report.models
    .map((model) =>
      model.fitted
        ? `Fitted ${model.name} on every rating in ${model.seconds.toFixed(1)} s; saved to ${model.artifact}.`
        : `The ${model.name} model in ${model.artifact} is up to date: the ratings are the ones it was fitted on.`,
    )
    .join('\n');
}

const collaborativeSchema = z.object({ db: storeFlag, artifacts: pathFlag.optional(), seed: fusionFlags.seed, retrain: fusionFlags.retrain, json: jsonFlag });

function collaborativeCommand(): Command {
  return new Command('cf')
    .description("fit the collaborative models (item-kNN, MF and EASE) on every rating, for the recommendation path's candidates and the ranker's signals")
    .addOption(dbOption())
    .addOption(artifactsOption())
    .option('--seed <n>', 'seed of the models (default 1)')
    .option('--retrain', 'fit again even when the ratings are the ones the saved models were fitted on')
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(collaborativeSchema, raw);
        const options = { artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db), seed: flags.seed ?? 1, force: flags.retrain ?? false };
        const report = await withStore(flags.db, { create: false }, (store) => fitCollaborative(store, options, commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${collaborativeReportText(report)}\n`);
      }),
    );
}

const rankerSchema = z.object({
  db: storeFlag,
  artifacts: pathFlag.optional(),
  seed: fusionFlags.seed,
  retrain: fusionFlags.retrain,
  epochs: rankerFlags.rankerEpochs,
  json: jsonFlag,
});

export function rankerReportText(report: RankerReport): string {
  const { metrics } = report;
  const towers = metrics.towers;
  const weights = Object.entries(metrics.blend.weights)
    .map(([name, weight]) => `${name} ${weight.base.toFixed(2)}${weight.byHistory >= 0 ? '+' : '−'}${Math.abs(weight.byHistory).toFixed(2)}·h`)
    .join(', ');
  return [
    report.fitted ? `Fitted the ranker in ${report.seconds.toFixed(1)} s → ${report.artifact}` : `The ranker in ${report.artifact} is up to date.`,
    `two towers: ${towers.trainExamples} examples, best epoch ${towers.bestEpoch} of ${towers.epochs}, held-out next-liked recall@10 ${towers.recallAt10[0]!.toFixed(3)} → ${towers.recallAt10[towers.bestEpoch]!.toFixed(3)}`,
    `blend (fitted on ${metrics.validation.queries} validation users; listwise loss ${metrics.blend.lossStart.toFixed(3)} → ${metrics.blend.lossEnd.toFixed(3)}): ${weights}`,
  ].join('\n');
}

function rankerCommand(): Command {
  return new Command('ranker')
    .description('fit the two-tower ranker and the blend of its signals on every rating (after `train updater` and `train cf`)')
    .addOption(dbOption())
    .addOption(artifactsOption())
    .option('--seed <n>', 'seed of the towers and the validation carve (default 1)')
    .option('--epochs <n>', `most training epochs of the towers (default ${RANKER_DEFAULTS.epochs})`)
    .option('--retrain', 'fit again even when the saved ranker matches')
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(rankerSchema, raw);
        const options = {
          artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db),
          seed: flags.seed ?? 1,
          force: flags.retrain ?? false,
          params: { ...RANKER_DEFAULTS, ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }) },
        };
        const report = await withStore(flags.db, { create: false }, (store) => trainProductionRanker(store, options, commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${rankerReportText(report)}\n`);
      }),
    );
}

export function trainCommand(): Command {
  return new Command('train')
    .description(
      'train a learned stage on the store: fusion (the movie DNA), updater (how ratings move a taste), cf (collaborative models), ranker (two towers and the blend)',
    )
    .addCommand(fusionCommand())
    .addCommand(updaterCommand())
    .addCommand(collaborativeCommand())
    .addCommand(rankerCommand());
}
