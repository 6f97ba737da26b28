/**
 * What an evaluation writes: results.json, report.md and metrics.png in the output directory (and lambda-sweep.png
 * after a λ sweep), and the summary table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChartsSvg, metricChartsSvg, writePng, type ChartPanel, type LinePanel } from './charts.js';
import type { EvaluationResult, Metrics, ModelResult } from './evaluate.js';
import { METRICS, metricName, type MetricDefinition } from './metrics.js';

/** The key of a metric at k in a result's flat metrics. */
const keyAt = (metric: MetricDefinition, k: number) => metricName(metric, k);

export function summaryHeader(k: number): string[] {
  return ['model', ...METRICS.map((metric) => columnLabel(metric, k)), 'fit s', 'tune s'];
}

const columnLabel = (metric: MetricDefinition, k: number) => (metric.kind === 'rating' ? metric.label : `${metric.label}@${k}`);

function metricCells(metrics: Metrics, k: number, columns: readonly MetricDefinition[] = METRICS): string[] {
  return columns.map((metric) => formatMetric(metrics[keyAt(metric, k)]));
}

export function summaryRows(result: EvaluationResult, k = result.k): string[][] {
  return result.models.map((model) => [model.name, ...metricCells(model.metrics, k), model.fitSeconds.toFixed(2), model.tuneSeconds.toFixed(1)]);
}

/** The ranking metrics (no rating error): the columns of tables over lists only. */
const RANKING_METRICS = METRICS.filter((metric) => metric.kind !== 'rating');
/** The metrics of one list per user: what lists ranked among the held-out movies are scored on (no walk through the test there). */
const LIST_METRICS = RANKING_METRICS.filter((metric) => metric.kind !== 'next');

export interface ResultTable {
  title: string;
  header: string[];
  rows: string[][];
}

/**
 * Under cold-items, every model ranked among the held-out movies only (ModelResult.coldOnly): where content models
 * are compared with each other, since ratings-only models score 0 on the full ranking there. Null under other protocols.
 */
export function coldOnlyTable(result: EvaluationResult, k = result.k): ResultTable | null {
  const { heldOutMovies } = result.split;
  if (heldOutMovies === undefined) return null;
  return {
    title: `Ranked among the ${heldOutMovies} held-out movies only, k = ${k}`,
    header: ['model', ...LIST_METRICS.map((metric) => columnLabel(metric, k))],
    rows: result.models.map((model) => [model.name, ...metricCells(model.coldOnly ?? {}, k, LIST_METRICS)]),
  };
}

/** One table per model swept over λ (`--lambda-sweep`): a row per λ, the list metrics at k. */
export function lambdaSweepTables(result: EvaluationResult, k = result.k): ResultTable[] {
  return Object.entries(result.lambdaSweep ?? {}).map(([name, points]) => ({
    title: `${name}: MMR re-rank at each λ, k = ${k}`,
    header: ['λ', ...LIST_METRICS.map((metric) => columnLabel(metric, k))],
    rows: points.map((point) => [String(point.lambda), ...metricCells(point.metrics, k, LIST_METRICS)]),
  }));
}

/** Accuracy, diversity and coverage at k against λ, a line per swept model. */
export function lambdaSweepPanels(result: EvaluationResult): LinePanel[] {
  const sweeps = Object.entries(result.lambdaSweep ?? {});
  return ['ndcg', 'ild', 'coverage'].map((key) => {
    const metric = METRICS.find((entry) => entry.key === key)!;
    return {
      title: keyAt(metric, result.k),
      xLabel: 'λ (1 = pure relevance)',
      series: sweeps.map(([label, points]) => ({ label, points: points.map((point) => ({ x: point.lambda, y: point.metrics[keyAt(metric, result.k)] })) })),
    };
  });
}

/** The λ-sweep section of report.md: what was swept, the chart, a table per model; empty without a sweep. */
function lambdaSweepSection(result: EvaluationResult): string[] {
  if (!result.lambdaSweep) return [];
  const tables = lambdaSweepTables(result);
  const skipped = result.lambdaSweepSkipped ?? [];
  return [
    '',
    `## λ sweep, k = ${result.k}`,
    '',
    'Models that re-rank with MMR (λ·relevance − (1−λ)·max similarity to the movies above), fitted once, ranked again at each λ: ' +
      'λ = 1 is pure relevance, lower λ trades accuracy for diversity.',
    ...(skipped.length ? ['', `Not swept (they do not re-rank with MMR): ${skipped.join(', ')}.`] : []),
    ...(tables.length ? ['', '![λ sweep](lambda-sweep.png)'] : ['', 'No listed model re-ranks with MMR: nothing was swept.']),
    ...tables.flatMap((table) => ['', `### ${table.title}`, '', markdownTable(table.header, table.rows)]),
  ];
}

function formatMetric(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(4);
}

/** results.json: the whole result plus the command that reproduces it. */
export function resultsJson(result: EvaluationResult, command: string) {
  return { command, ...result };
}

/** Text columns (the first `textColumns`) left-aligned, figures right-aligned. */
function markdownTable(header: string[], rows: string[][], textColumns = 1): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < textColumns ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

function paramsText(model: ModelResult): string {
  const entries = Object.entries(model.params);
  return entries.length ? entries.map(([name, value]) => `${name}=${value}`).join(', ') : '(none)';
}

function tuningText(model: ModelResult): string {
  if (!model.tuning) return 'defaults (not tuned)';
  if (model.tuning.skipped) return `defaults (${model.tuning.skipped})`;
  const { metric, candidates } = model.tuning;
  const chosen = JSON.stringify(model.params);
  const best = candidates.find((candidate) => JSON.stringify(candidate.params) === chosen) ?? candidates[0]!;
  return `best of ${candidates.length} on validation ${metric} = ${best.score.toFixed(4)}`;
}

export function reportMarkdown(result: EvaluationResult, command: string): string {
  const { split, dataset } = result;
  const sections = [
    `# Evaluation: ${result.protocol}`,
    '',
    `Reproduce with \`${command}\`.`,
    '',
    `- Protocol: ${result.protocolDescription}.`,
    `- Seed ${result.seed}; relevance: ${result.relevance === 'rated4' ? 'test rating ≥ 4.0' : 'any test rating (watched)'}; full ranking over every movie not in the user's training history.`,
    `- Dataset ${dataset.hash}: ${dataset.movies} movies, ${dataset.users} users, ${dataset.ratings} ratings.`,
    `- Split: ${split.trainRatings} training and ${split.testRatings} test ratings (fingerprint ${split.trainedOn}); ` +
      `${split.evaluatedUsers} users scored${split.sampledFrom ? ` (a seeded sample of the ${split.sampledFrom} that could be)` : ''}, ` +
      `${split.usersWithoutHistory} test users without training history and ${split.usersWithoutRelevant} without a relevant test movie left out.`,
    '',
    `## Results at k = ${result.k}`,
    '',
    markdownTable(summaryHeader(result.k), summaryRows(result)),
    '',
    '![metrics](metrics.png)',
  ];
  for (const k of result.cutoffs.filter((cutoff) => cutoff !== result.k)) {
    sections.push('', `## At k = ${k}`, '', markdownTable(summaryHeader(k), summaryRows(result, k)));
  }
  const coldOnly = coldOnlyTable(result);
  if (coldOnly) {
    sections.push(
      '',
      `## ${coldOnly.title}`,
      '',
      'Every list above ranks the whole catalog, where models that rank from ratings alone cannot reach a held-out movie. ' +
        "Here each user's list is ranked among the held-out movies only (coverage: share of them shown), so content models can be compared with each other.",
      '',
      markdownTable(coldOnly.header, coldOnly.rows),
    );
  }
  sections.push(...lambdaSweepSection(result));
  const segments = [...new Set(result.models.flatMap((model) => Object.keys(model.segments)))];
  if (segments.length) {
    sections.push('', `## By group of test users, k = ${result.k}`, '');
    const header = ['model', 'group', ...RANKING_METRICS.map((metric) => columnLabel(metric, result.k))];
    const rows = result.models.flatMap((model) =>
      segments.map((segment) => [model.name, segment, ...metricCells(model.segments[segment] ?? {}, result.k, RANKING_METRICS)]),
    );
    sections.push(markdownTable(header, rows, 2));
  }
  sections.push(
    '',
    '## Parameters',
    '',
    markdownTable(
      ['model', 'parameters', 'chosen by'],
      result.models.map((model) => [model.name, paramsText(model), tuningText(model)]),
      3,
    ),
    '',
    '## Columns',
    '',
    ...METRICS.map((metric) => `- **${metric.label}**: ${metric.meaning}.`),
    '- **fit s**: seconds of the final fit on the training split; **tune s**: seconds spent on the validation grid.',
    '',
  );
  return sections.join('\n');
}

/** One panel per summary metric at k, a bar per model; MAE stays in the tables, as RMSE already shows rating error. */
export function metricPanels(result: EvaluationResult): ChartPanel[] {
  return METRICS.filter((metric) => metric.key !== 'mae').flatMap((metric) => {
    const key = keyAt(metric, result.k);
    const values = result.models.map((model) => ({ label: model.name, value: model.metrics[key] }));
    if (values.every((entry) => entry.value === undefined)) return [];
    return [{ title: key, values, lowerIsBetter: metric.lowerIsBetter ?? false }];
  });
}

export interface WrittenReport {
  results: string;
  report: string;
  chart: string;
  /** lambda-sweep.png, when a λ sweep swept a model. */
  sweepChart?: string;
}

export async function writeReport(dir: string, result: EvaluationResult, command: string): Promise<WrittenReport> {
  mkdirSync(dir, { recursive: true });
  const written = { results: join(dir, 'results.json'), report: join(dir, 'report.md'), chart: join(dir, 'metrics.png') };
  writeFileSync(written.results, `${JSON.stringify(resultsJson(result, command), null, 2)}\n`);
  writeFileSync(written.report, reportMarkdown(result, command));
  const title = `${result.protocol} · seed ${result.seed} · relevance ${result.relevance} · ${result.split.evaluatedUsers} users`;
  await writePng(metricChartsSvg(title, metricPanels(result)), written.chart);
  if (!Object.keys(result.lambdaSweep ?? {}).length) return written;
  const sweepChart = join(dir, 'lambda-sweep.png');
  await writePng(lineChartsSvg(`${title} · MMR λ sweep`, lambdaSweepPanels(result)), sweepChart);
  return { ...written, sweepChart };
}
