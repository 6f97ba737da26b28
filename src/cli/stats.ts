import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { statsJson, statsText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

export function statsCommand(): Command {
  return new Command('stats')
    .description('print counts (movies, users, ratings, tags) and metadata coverage of a store')
    .option('--db <path>', 'SQLite file or postgres:// URL', loadConfig().db)
    .option('--json', 'print JSON instead of tables')
    .action(
      runCommand(async (flags: { db: string; json?: boolean }) => {
        const { stats, location } = await withStore(flags.db, { create: false }, async (store) => ({ stats: await store.stats(), location: store.location }));
        if (flags.json) printJson(statsJson(stats));
        else process.stdout.write(`${statsText(stats, location)}\n`);
      }),
    );
}
