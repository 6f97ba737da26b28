import { COVERAGE_FIELDS } from '../domain.js';
import { formatWarning } from '../errors.js';
import type { IngestReport } from '../ingest/ingest.js';
import type { PosterFiles } from '../posters.js';
import type { StoreStats } from '../store/store.js';
import { formatNumber, formatPercent, formatTable } from './format.js';

export function ingestReportText(report: IngestReport, location: string, seconds: number): string {
  const tables = ['movies', 'users', 'ratings', 'tags'] as const;
  const lines = [
    `Imported into ${location} in ${seconds.toFixed(1)} s (one transaction).`,
    '',
    formatTable(
      ['table', 'inserted', 'updated', 'unchanged'],
      tables.map((table) => [table, report.summary[table].inserted, report.summary[table].updated, report.summary[table].unchanged]),
    ),
  ];
  if (report.notes.length) lines.push('', ...report.notes.map((note) => `note: ${note}`));
  if (report.warnings.length) {
    lines.push('', `${report.warnings.length} warning(s):`, ...report.warnings.map((warning) => `warning: ${formatWarning(warning)}`));
  }
  return lines.join('\n');
}

/** Stats as JSON: counts, then coverage per field with the count and the share of movies. */
export function statsJson(stats: StoreStats) {
  return {
    movies: stats.movies,
    users: stats.users,
    ratings: stats.ratings,
    tags: stats.tags,
    coverage: Object.fromEntries(
      COVERAGE_FIELDS.map((field) => [field, { movies: stats.coverage[field], share: stats.movies ? stats.coverage[field] / stats.movies : 0 }]),
    ),
  };
}

export function statsText(stats: StoreStats, location: string): string {
  return [
    location,
    '',
    formatTable(
      ['table', 'rows'],
      [
        ['movies', stats.movies],
        ['users', stats.users],
        ['ratings', stats.ratings],
        ['tags', stats.tags],
      ],
    ),
    '',
    formatTable(
      ['field', 'movies', 'coverage'],
      COVERAGE_FIELDS.map((field) => [field, stats.coverage[field], formatPercent(stats.coverage[field], stats.movies)]),
    ),
  ].join('\n');
}

/** Missing files are listed up to this many: enough to see the pattern, e.g. a posters directory that moved. */
const MISSING_SHOWN = 3;

export function posterFilesText({ root, found, missing }: PosterFiles): string {
  if (found + missing.length === 0) return 'posters: none';
  const line = `posters: ${formatNumber(found)} of ${formatNumber(found + missing.length)} files found under ${root}`;
  if (missing.length === 0) return line;
  const more = missing.length > MISSING_SHOWN ? `, … (${formatNumber(missing.length - MISSING_SHOWN)} more)` : '';
  return `${line}; missing: ${missing.slice(0, MISSING_SHOWN).join(', ')}${more} (point --posters or REELSENSE_POSTERS at where they are now)`;
}
