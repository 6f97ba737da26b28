import { Command } from 'commander';
import { z } from 'zod';
import { dbOption, jsonFlag, parseFlags, storeFlag } from './flags.js';
import { statsJson, statsText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const statsFlags = z.object({ db: storeFlag, json: jsonFlag });

export function statsCommand(): Command {
  return new Command('stats')
    .description('print counts (movies, users, ratings, tags) and metadata coverage of a store')
    .addOption(dbOption())
    .option('--json', 'print JSON instead of tables')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(statsFlags, raw);
        const { stats, location } = await withStore(flags.db, { create: false }, async (store) => ({ stats: await store.stats(), location: store.location }));
        if (flags.json) printJson(statsJson(stats));
        else process.stdout.write(`${statsText(stats, location)}\n`);
      }),
    );
}
