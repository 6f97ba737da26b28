import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { ingest } from '../ingest/ingest.js';
import { commandProgress } from './progress.js';
import { ingestReportText } from './reports.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

interface IngestFlags {
  db: string;
  movielens?: string;
  catalog?: string;
  posters?: string;
  tmdb5000?: string;
  json?: boolean;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('import datasets into the store: all-or-nothing, and idempotent (a re-run updates changed rows only)')
    .option('--db <path>', 'SQLite file (created if missing) or postgres:// URL', loadConfig().db)
    .option('--movielens <dir>', 'MovieLens directory: movies.csv, ratings.csv (required), links.csv, tags.csv (optional)')
    .option('--catalog <file>', 'catalog JSONL, one movie per line')
    .option('--posters <dir>', 'posters named <movieId>.jpg; corrupt files are warned about and skipped')
    .option('--tmdb5000 <file>', 'TMDB-5000 movies CSV; fills gaps of linked movies, adds the others as catalog movies')
    .option('--json', 'print the import summary as JSON')
    .action(
      runCommand(async (flags: IngestFlags) => {
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
