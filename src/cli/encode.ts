import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { formatWarning } from '../errors.js';
import { encodeCatalog, type EncodeOptions, type EncodeReport } from '../encode/encode.js';
import { IMAGE_ENCODER_IDS } from '../encode/image-models.js';
import { DEFAULT_MODELS_DIR, MODELS_ENV, modelSource } from '../encode/models.js';
import { TEXT_ENCODER_IDS } from '../encode/text.js';
import { artifactsOption, dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { commandProgress } from './progress.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

/** The flags of the encode stage, which the main job takes too. */
export const encodeFlags = {
  models: pathFlag.optional(),
  text: z.enum(TEXT_ENCODER_IDS).optional(),
  image: z.enum(['auto', ...IMAGE_ENCODER_IDS, 'none']),
  posters: pathFlag.optional(),
  artifacts: pathFlag.optional(),
  force: z.boolean().optional(),
  allowDownload: z.boolean().optional(),
};

const flagsSchema = z.object({ db: storeFlag, ...encodeFlags, json: jsonFlag });

export type EncodeFlags = z.infer<typeof flagsSchema>;

/** The stage's options from the command's flags; shared by `encode` and the main job. */
export function encodeOptions(flags: Omit<EncodeFlags, 'db' | 'json'>, db: string): EncodeOptions {
  return {
    text: flags.text ?? 'auto',
    image: flags.image,
    models: modelSource({ ...(flags.models ? { models: flags.models } : {}), allowDownload: flags.allowDownload ?? false }),
    artifacts: flags.artifacts ?? defaultArtifactsDir(db),
    ...(flags.posters ? { posters: flags.posters } : {}),
    force: flags.force ?? false,
  };
}

export function encodeReportText(report: EncodeReport): string {
  const rate = (space: EncodeReport['spaces'][number]) => (space.encoded && space.seconds ? (space.encoded / space.seconds).toFixed(1) : '–');
  const lines = [
    formatTable(
      ['space', 'version', 'movies', 'encoded', 'unchanged', 'removed', 'failed', 'seconds', 'movies/s'],
      report.spaces.map((space) => [
        space.space,
        space.version,
        space.inputs,
        space.encoded,
        space.unchanged,
        space.removed,
        space.failed,
        space.seconds.toFixed(1),
        rate(space),
      ]),
    ),
  ];
  if (report.notes.length) lines.push('', ...report.notes.map((note) => `note: ${note}`));
  if (report.warnings.length) lines.push('', `${report.warnings.length} warning(s):`, ...report.warnings.map((warning) => `warning: ${formatWarning(warning)}`));
  const encoded = report.spaces.reduce((sum, space) => sum + space.encoded, 0);
  const seconds = report.spaces.reduce((sum, space) => sum + space.seconds, 0);
  lines.push(
    '',
    `Encoded ${encoded} movie vectors in ${seconds.toFixed(1)} s${encoded ? ` (${(encoded / seconds).toFixed(1)} movies/s)` : ': everything was up to date'}.`,
  );
  return lines.join('\n');
}

/** The encode stage's options, on `encode` and on the main job. */
export function withEncodeOptions(command: Command): Command {
  return command
    .option('--models <dir>', `pretrained model directory (default: $${MODELS_ENV}, else ${DEFAULT_MODELS_DIR})`)
    .option('--text <encoder>', `${TEXT_ENCODER_IDS.join(' | ')} (default: both, minilm when the model directory has it, and tfidf-svd, which needs no weights)`)
    .option('--image <encoder>', `auto | ${IMAGE_ENCODER_IDS.join(' | ')} | none (auto: clip when its weights are there, else mobilenet)`, 'auto')
    .option('--posters <dir>', 'read posters from here instead of the directory the store was imported with (default: $REELSENSE_POSTERS)', loadConfig().posters)
    .addOption(artifactsOption())
    .option('--force', 'encode every movie again and refit the tfidf-svd encoder')
    .option('--allow-download', 'fetch missing models from the Hugging Face hub into the model directory (off: never a network download)');
}

export function encodeCommand(): Command {
  return withEncodeOptions(
    new Command('encode').description('text and poster vectors for every movie, into the store; a re-run encodes only new or changed movies').addOption(dbOption()),
  )
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const report = await withStore(flags.db, { create: false }, (store) => encodeCatalog(store, encodeOptions(flags, flags.db), commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${encodeReportText(report)}\n`);
      }),
    );
}
