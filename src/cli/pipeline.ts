import { Command, Option } from 'commander';
import { z } from 'zod';
import { loadConfig, settingSource } from '../config.js';
import { datasetSources, runPipeline } from '../pipeline.js';
import { encodeFlags, encodeOptions, encodeReportText, withEncodeOptions } from './encode.js';
import { fuseOptions, fuseReportText, fusionFlags, printEpoch, printUpdaterEpoch, profileOptions, profileReportText, updaterFlags, withFusionOptions } from './train.js';
import { dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { indexReportText } from './index-command.js';
import { collaborativeReportText, rankerFlags, rankerReportText } from './train.js';
import { RANKER_DEFAULTS } from '../rank/stage.js';
import { commandProgress } from './progress.js';
import { ingestReportText, statsJson, statsText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';
import { serveFlags, serveUntilStopped, withServeOptions } from './serve.js';

const pipelineFlags = z.object({
  data: pathFlag,
  dataset: z.string().trim().min(1, 'expected a dataset name'),
  db: storeFlag,
  tmdb5000: pathFlag.optional(),
  ...encodeFlags,
  ...fusionFlags,
  updaterEpochs: updaterFlags.updaterEpochs,
  ...rankerFlags,
  ...serveFlags,
  serve: z.boolean(),
  models: pathFlag.optional(),
  json: jsonFlag,
});

export function pipelineCommand(): Command {
  const command = new Command('pipeline')
    .description(
      'the main job: import a data directory laid out like shared/data into the store, encode every movie, train its DNA and the taste updater, index the DNA, fit the collaborative models and the ranker, draw the map, report on it, then serve the web UI and the API (unless --no-serve)',
    )
    .requiredOption('--data <dir>', 'data directory with <dataset>/, catalog/<dataset>.jsonl, posters/<dataset>/')
    .addOption(new Option('--dataset <name>', 'dataset inside the data directory').default(loadConfig().dataset, settingSource('dataset')))
    .addOption(dbOption())
    .option('--tmdb5000 <file>', 'also import a TMDB-5000 movies CSV');
  return withServeOptions(withFusionOptions(withEncodeOptions(command)))
    .option('--updater-epochs <n>', 'at most this many epochs for the taste updater (default 10)')
    .option('--ranker-epochs <n>', `at most this many epochs for the two-tower ranker (default ${RANKER_DEFAULTS.epochs})`)
    .option('--no-serve', 'stop after the report instead of serving the web UI and the API')
    .option('--json', 'print JSON instead of tables')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(pipelineFlags, raw);
        const started = performance.now();
        const sources = { ...datasetSources(flags.data, flags.dataset), ...(flags.tmdb5000 ? { tmdb5000: flags.tmdb5000 } : {}) };
        const { report, location } = await withStore(flags.db, { create: true }, async (store) => ({
          report: await runPipeline(
            store,
            sources,
            {
              encode: encodeOptions(flags, flags.db),
              fuse: fuseOptions(flags, flags.db, printEpoch),
              profile: profileOptions(flags, flags.db, printUpdaterEpoch),
              ranker: { ...RANKER_DEFAULTS, ...(flags.rankerEpochs === undefined ? {} : { epochs: flags.rankerEpochs }) },
              artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db),
              seed: flags.seed ?? 1,
              force: flags.retrain ?? false,
            },
            commandProgress(),
          ),
          location: store.location,
        }));
        const seconds = (performance.now() - started) / 1000;
        if (flags.json) {
          printJson({
            db: location,
            seconds,
            stageSeconds: report.seconds,
            ingest: report.ingest,
            encode: report.encode,
            fuse: report.fuse,
            profile: report.profile,
            index: report.index,
            collaborative: report.collaborative,
            ranker: report.ranker,
            map: report.map,
            stats: statsJson(report.stats),
          });
        } else {
          process.stdout.write(
            `${ingestReportText(report.ingest, location, report.seconds.ingest)}\n\n${encodeReportText(report.encode)}\n\n${fuseReportText(report.fuse)}\n\n${profileReportText(report.profile)}\n\n${indexReportText(report.index)}\n${collaborativeReportText(report.collaborative)}\n\n${rankerReportText(report.ranker)}\n\n` +
              `Map: ${report.map.method.toUpperCase()} of ${report.map.movies} movies ${report.map.built ? `drawn in ${report.seconds.map.toFixed(1)} s` : 'up to date'}.\n\n${statsText(report.stats, location)}\n\n` +
              `Main job done in ${seconds.toFixed(1)} s.\n`,
          );
        }
        if (flags.serve) await serveUntilStopped(flags);
      }),
    );
}
