import { Command } from 'commander';
import { z } from 'zod';
import { migrateStore, type MigrateReport } from '../store/migrate.js';
import { jsonFlag, parseFlags, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { withStore } from './store.js';

const migrateFlags = z.object({ from: storeFlag, to: storeFlag, json: jsonFlag });

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('copy a whole store (catalog, users, ratings, tags, vectors) into an empty one, SQLite ↔ PostgreSQL: one transaction, counts checked at the end')
    .requiredOption('--from <db>', 'the store to copy: a SQLite file or a postgres:// URL')
    .requiredOption('--to <db>', 'an empty store to copy into: a SQLite file (created if missing) or a postgres:// URL')
    .option('--json', 'print the copied counts as JSON')
    .action(
      runCommand(async (raw: unknown) => {
        const { from, to, json } = parseFlags(migrateFlags, raw);
        const started = performance.now();
        const report = await withStore(from, { create: false }, (source) => withStore(to, { create: true }, (target) => migrateStore(source, target)));
        const seconds = (performance.now() - started) / 1000;
        if (json) printJson({ from: report.from, to: report.to, seconds, ...report.counts });
        else process.stdout.write(`${migrateReportText(report, seconds)}\n`);
      }),
    );
}

function migrateReportText({ from, to, counts }: MigrateReport, seconds: number): string {
  return [
    `Copied ${from} into ${to} in ${seconds.toFixed(1)} s (one transaction; counts checked on both sides).`,
    '',
    formatTable(
      ['table', 'rows'],
      [
        ...(['movies', 'users', 'ratings', 'tags'] as const).map((table) => [table, counts[table]]),
        ...Object.entries(counts.vectors).map(([space, count]) => [`vectors ${space}`, count]),
      ],
    ),
  ].join('\n');
}
