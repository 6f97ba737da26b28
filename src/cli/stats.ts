import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { findPosterFiles, postersRoot } from '../posters.js';
import { posterFilesText, statsJson, statsText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

export function statsCommand(): Command {
  const config = loadConfig();
  return new Command('stats')
    .description('print counts (movies, users, ratings, tags), metadata coverage, and whether the poster files are there')
    .option('--db <path>', 'SQLite file or postgres:// URL', config.db)
    .option('--posters <dir>', 'read posters from this directory instead of the one the store was imported with (default: REELSENSE_POSTERS)', config.posters)
    .option('--json', 'print JSON instead of tables')
    .action(
      runCommand(async (flags: { db: string; posters?: string; json?: boolean }) => {
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
