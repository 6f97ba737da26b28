import { Command } from 'commander';
import { z } from 'zod';
import { ingest } from '../ingest/ingest.js';
import { dbOption, jsonFlag, parseFlags, pathFlag, storeFlag } from './flags.js';
import { commandProgress } from './progress.js';
import { ingestReportText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const ingestFlags = z.object({
  db: storeFlag,
  movielens: pathFlag.optional(),
  catalog: pathFlag.optional(),
  posters: pathFlag.optional(),
  tmdb5000: pathFlag.optional(),
  json: jsonFlag,
});

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('import datasets into the store (a SQLite file is created if missing): all-or-nothing, and idempotent (a re-run updates changed rows only)')
    .addOption(dbOption())
    .option('--movielens <dir>', 'MovieLens directory: movies.csv and ratings.csv, and links.csv and tags.csv if present')
    .option('--catalog <file>', 'catalog JSONL, one movie per line')
    .option('--posters <dir>', 'posters named <movieId>.jpg, .jpeg, .png or .webp; corrupt files are warned about and skipped')
    .option('--tmdb5000 <file>', 'TMDB-5000 movies CSV; fills gaps of linked movies, adds the others as catalog movies')
    .option('--json', 'print the import summary as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(ingestFlags, raw);
        const started = performance.now();
        const { report, location } = await withStore(flags.db, { create: true }, async (store) => ({
          report: await ingest(store, flags, commandProgress()),
          location: store.location,
        }));
        const seconds = (performance.now() - started) / 1000;
        if (flags.json) printJson({ db: location, seconds, ...report });
        else process.stdout.write(`${ingestReportText(report, location, seconds)}\n`);
      }),
    );
}
