import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { findPosterFiles, postersRoot } from '../posters.js';
import { dbOption, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { posterFilesText, statsJson, statsText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const statsFlags = z.object({ db: storeFlag, posters: pathFlag.optional(), json: jsonFlag });

export function statsCommand(): Command {
  return new Command('stats')
    .description('print counts (movies, users, ratings, tags), metadata coverage, and whether the poster files are there')
    .addOption(dbOption())
    .option('--posters <dir>', 'read posters from this directory instead of the one the store was imported with (default: $REELSENSE_POSTERS)', loadConfig().posters)
    .option('--json', 'print JSON instead of tables')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(statsFlags, raw);
        const { stats, posters, location } = await withStore(flags.db, { create: false }, async (store) => ({
          stats: await store.stats(),
          posters: findPosterFiles(await store.listMovies(), await postersRoot(store, flags.posters)),
          location: store.location,
        }));
        if (flags.json) printJson({ ...statsJson(stats), posters: { root: posters.root, found: posters.found, missing: posters.missing.length } });
        else process.stdout.write(`${statsText(stats, location)}\n\n${posterFilesText(posters)}\n`);
      }),
    );
}
