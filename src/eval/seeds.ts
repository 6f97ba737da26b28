/**
 * One protocol evaluated under several seeds (each its own split, validation split and model seeds): every figure as
 * mean ± sample standard deviation over the seeds, beside each seed's own value, so a result never rests on one
 * lucky split. Written as summary.md and summary.json next to each seed's own report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationResult, Metrics } from './evaluate.js';
import { METRICS, metricName } from './metrics.js';

/** The columns of the summary: accuracy, the next-item walk, and beyond-accuracy figures. */
const SUMMARY_METRICS = METRICS.filter((metric) => ['ndcg', 'hitrate', 'recall', 'next_hitrate', 'ild', 'coverage', 'novelty'].includes(metric.key));

export interface Spread {
  mean: number;
  sd: number;
  values: number[];
}

export interface SeedSummary {
  protocol: string;
  seeds: number[];
  k: number;
  /** Per table (overall, a user group, cold-only, a λ), per model, per metric. */
  tables: { title: string; rows: { model: string; metrics: Record<string, Spread> }[] }[];
}

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, values: [...values] };
}

export function summariseSeeds(results: readonly EvaluationResult[]): SeedSummary {
  const first = results[0]!;
  const { k } = first;
  const table = (title: string, metricsOf: (result: EvaluationResult, model: string) => Metrics | undefined) => ({
    title,
    rows: first.models.map(({ name }) => ({
      model: name,
      metrics: Object.fromEntries(
        SUMMARY_METRICS.flatMap((metric) => {
          const key = metricName(metric, k);
          const values = results.map((result) => metricsOf(result, name)?.[key]).filter((value): value is number => value !== undefined && Number.isFinite(value));
          return values.length === results.length ? [[key, spread(values)]] : [];
        }),
      ),
    })),
  });
  const modelOf = (result: EvaluationResult, name: string) => result.models.find((model) => model.name === name);
  const segments = Object.keys(first.models[0]?.segments ?? {});
  const sweep = Object.entries(first.lambdaSweep ?? {});
  return {
    protocol: first.protocol,
    seeds: results.map((result) => result.seed),
    k,
    tables: [
      table('all scored users', (result, name) => modelOf(result, name)?.metrics),
      ...segments.map((segment) => table(`users with their ${segment} ratings known`, (result, name) => modelOf(result, name)?.segments[segment])),
      ...(first.split.heldOutMovies === undefined ? [] : [table('ranked among the held-out movies only', (result, name) => modelOf(result, name)?.coldOnly)]),
      ...sweep
        .flatMap(([model, points]) =>
          points.map((point, i) => table(`${model} at λ = ${point.lambda}`, (result, name) => (name === model ? result.lambdaSweep?.[model]?.[i]?.metrics : undefined))),
        )
        .map((swept) => ({ ...swept, rows: swept.rows.filter((row) => Object.keys(row.metrics).length > 0) })),
    ],
  };
}

const cell = (value: Spread) => `${value.mean.toFixed(4)} ± ${value.sd.toFixed(4)}`;

export function seedSummaryMarkdown(summary: SeedSummary, command: string): string {
  const keys = SUMMARY_METRICS.map((metric) => metricName(metric, summary.k));
  const labels = SUMMARY_METRICS.map((metric) => `${metric.label}@${summary.k}`);
  return [
    `# Evaluation over seeds ${summary.seeds.join(', ')}: ${summary.protocol}`,
    '',
    `Reproduce with \`${command}\`. Each seed has its own split, validation split and model seeds; its full report is in \`seed-<n>/\`.`,
    'Figures are the mean ± sample standard deviation over the seeds.',
    '',
    ...summary.tables.flatMap((table) => [
      `## ${table.title}`,
      '',
      `| model | ${labels.join(' | ')} |`,
      `| --- | ${labels.map(() => '---:').join(' | ')} |`,
      ...table.rows.map((row) => `| ${row.model} | ${keys.map((key) => (row.metrics[key] ? cell(row.metrics[key]) : '–')).join(' | ')} |`),
      '',
    ]),
  ].join('\n');
}

export function writeSeedSummary(dir: string, summary: SeedSummary, command: string): { report: string; results: string } {
  const written = { report: join(dir, 'summary.md'), results: join(dir, 'summary.json') };
  writeFileSync(written.report, seedSummaryMarkdown(summary, command));
  writeFileSync(written.results, `${JSON.stringify({ command, ...summary }, null, 2)}\n`);
  return written;
}
