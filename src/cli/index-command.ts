import { Command } from 'commander';
import { z } from 'zod';
import { indexCatalog, type IndexReport } from '../index/stage.js';
import { artifactsOption, dbOption, defaultArtifactsDir, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { commandProgress } from './progress.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const flagsSchema = z.object({ db: storeFlag, artifacts: pathFlag.optional(), rebuild: z.boolean().optional(), json: jsonFlag });

export function indexReportText(report: IndexReport): string {
  const what = `${report.movies} movies of ${report.space} (version ${report.spaceVersion}, ${report.dim}-d)`;
  if (report.built) return `Built the index over ${what} in ${report.seconds.toFixed(1)} s (${report.reason}); saved to ${report.artifact}.`;
  if (report.added + report.changed + report.removed === 0) return `The index in ${report.artifact} is up to date: ${what}, none added, changed or removed.`;
  return (
    `Updated the index in ${report.artifact} in ${report.seconds.toFixed(1)} s: ${report.added} added, ${report.changed} changed, ${report.removed} removed, ` +
    `${report.unchanged} unchanged; it holds ${what}.`
  );
}

export function indexCommand(): Command {
  return new Command('index')
    .description('the approximate nearest-neighbour index (HNSW) over the movie DNA, for fast candidates; a re-run applies only the movies added, changed or removed')
    .addOption(dbOption())
    .addOption(artifactsOption())
    .option('--rebuild', 'build the index from scratch even when the saved one could be updated')
    .option('--json', 'print the report as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const options = { artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db), force: flags.rebuild ?? false };
        const report = await withStore(flags.db, { create: false }, (store) => indexCatalog(store, options, commandProgress()));
        if (flags.json) printJson(report);
        else process.stdout.write(`${indexReportText(report)}\n`);
      }),
    );
}
