/**
 * Charts as SVG (small multiples: one panel per metric, each with its own scale), rasterised to PNG by sharp: bars of
 * one value per model, and lines of a metric against a parameter (the λ sweep).
 */
import sharp from 'sharp';

export interface ChartPanel {
  title: string;
  values: { label: string; value: number | undefined }[];
  lowerIsBetter?: boolean;
}

/** A line per series (model) through its points; an undefined or NaN y leaves a gap. */
export interface LinePanel {
  title: string;
  xLabel: string;
  series: { label: string; points: { x: number; y: number | undefined }[] }[];
}

/** Tableau 10: distinct, colour-blind-friendlier than a rainbow. A model keeps its colour in every panel. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const PANEL = { width: 340, height: 250, top: 34, bottom: 16, left: 52, right: 14 };
/** Line panels leave room below the plot for the x axis's ticks and label. */
const LINE_PANEL = { ...PANEL, height: 270, bottom: 36, right: 24 };
type PanelLayout = typeof PANEL;
const HEADER = 74;

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escapeXml(content)}</text>`;
}

/** A tick step of 1, 2 or 5 × 10ⁿ that gives about four gridlines up to `max`. */
function tickStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? rough;
}

function formatTick(value: number, step: number): string {
  return value.toFixed(Math.max(0, -Math.floor(Math.log10(step))));
}

const defined = (value: number | undefined): value is number => value !== undefined && !Number.isNaN(value);

/** Where a panel plots, and its y scale. */
interface PanelFrame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  y: (value: number) => number;
}

/** A panel's title, gridlines and labelled y ticks every `step` from `low` to `high`. */
function panelFrame(parts: string[], title: string, layout: PanelLayout, x0: number, y0: number, low: number, high: number, step: number): PanelFrame {
  const frame = { left: x0 + layout.left, right: x0 + layout.width - layout.right, top: y0 + layout.top, bottom: y0 + layout.height - layout.bottom };
  const y = (value: number) => frame.bottom - ((frame.bottom - frame.top) * (value - low)) / (high - low);
  parts.push(text(x0 + layout.width / 2, y0 + 20, title, 'text-anchor="middle" font-size="15" font-weight="bold"'));
  for (let tick = low; tick <= high + step / 2; tick += step) {
    parts.push(`<line x1="${frame.left}" x2="${frame.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(text(frame.left - 6, y(tick) + 4, formatTick(tick, step), 'text-anchor="end" font-size="11" fill="#555"'));
  }
  return { ...frame, y };
}

function barPanelSvg(panel: ChartPanel, colours: Map<string, string>, x0: number, y0: number): string {
  const max = Math.max(...panel.values.map((entry) => (defined(entry.value) ? entry.value : 0)), 1e-9);
  const step = tickStep(max);
  const parts: string[] = [];
  const title = panel.title + (panel.lowerIsBetter ? ' (lower is better)' : '');
  const { left, right, bottom, y } = panelFrame(parts, title, PANEL, x0, y0, 0, Math.ceil((max * 1.12) / step) * step, step);
  const slot = (right - left) / panel.values.length;
  const barWidth = Math.min(44, slot * 0.7);
  panel.values.forEach((entry, i) => {
    if (!defined(entry.value)) return;
    const x = left + slot * i + (slot - barWidth) / 2;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y(entry.value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(bottom - y(entry.value)).toFixed(1)}" fill="${colours.get(entry.label)}"/>`,
    );
    const digits = entry.value >= 10 ? 2 : entry.value >= 1 ? 3 : 4;
    parts.push(text(x + barWidth / 2, y(entry.value) - 4, entry.value.toFixed(digits), 'text-anchor="middle" font-size="10" fill="#333"'));
  });
  parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#888"/>`);
  return parts.join('');
}

/** The range [low, high] widened to whole tick steps; a single value gets a step either side. */
function niceRange(low: number, high: number): { low: number; high: number; step: number } {
  const step = tickStep(high > low ? high - low : Math.abs(high) || 1);
  const from = Math.floor(low / step) * step;
  const to = Math.ceil(high / step) * step;
  return to > from ? { low: from, high: to, step } : { low: from - step, high: to + step, step };
}

function linePanelSvg(panel: LinePanel, colours: Map<string, string>, x0: number, y0: number): string {
  const points = panel.series.flatMap((series) => series.points);
  const values = points.flatMap((point) => (defined(point.y) ? [point.y] : []));
  // A metric undefined at every point (ILD of one-movie lists) still gets an axis, and no line.
  const yRange = values.length ? niceRange(Math.min(...values), Math.max(...values)) : niceRange(0, 1);
  const xRange = niceRange(Math.min(...points.map((point) => point.x)), Math.max(...points.map((point) => point.x)));
  const parts: string[] = [];
  const { left, right, bottom, y } = panelFrame(parts, panel.title, LINE_PANEL, x0, y0, yRange.low, yRange.high, yRange.step);
  const x = (value: number) => left + ((right - left) * (value - xRange.low)) / (xRange.high - xRange.low);
  for (let tick = xRange.low; tick <= xRange.high + xRange.step / 2; tick += xRange.step) {
    parts.push(text(x(tick), bottom + 14, formatTick(tick, xRange.step), 'text-anchor="middle" font-size="11" fill="#555"'));
  }
  parts.push(text((left + right) / 2, bottom + 30, panel.xLabel, 'text-anchor="middle" font-size="12" fill="#333"'));
  parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#888"/>`);
  for (const series of panel.series) {
    const colour = colours.get(series.label);
    // Sorted by x so the line reads left to right whatever order the points were measured in; a gap splits it.
    const runs: string[][] = [[]];
    for (const point of [...series.points].sort((a, b) => a.x - b.x)) {
      if (!defined(point.y)) runs.push([]);
      else {
        runs.at(-1)!.push(`${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`);
        parts.push(`<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3" fill="${colour}"/>`);
      }
    }
    for (const run of runs.filter((coordinates) => coordinates.length > 1)) {
      parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
  }
  return parts.join('');
}

/** One bar per model in each panel. */
export function metricChartsSvg(title: string, panels: ChartPanel[], columns = 3): string {
  const labels = panels.flatMap((panel) => panel.values.map((entry) => entry.label));
  return gridSvg(title, labels, PANEL, panels.length, columns, (i, colours, x0, y0) => barPanelSvg(panels[i]!, colours, x0, y0));
}

/** One line per series (model) in each panel. */
export function lineChartsSvg(title: string, panels: LinePanel[], columns = 3): string {
  const labels = panels.flatMap((panel) => panel.series.map((series) => series.label));
  return gridSvg(title, labels, LINE_PANEL, panels.length, columns, (i, colours, x0, y0) => linePanelSvg(panels[i]!, colours, x0, y0));
}

/** Panels in a grid under a title and a legend of the series (models). */
function gridSvg(
  title: string,
  seriesLabels: string[],
  layout: PanelLayout,
  count: number,
  columns: number,
  panelSvg: (i: number, colours: Map<string, string>, x0: number, y0: number) => string,
): string {
  const labels = [...new Set(seriesLabels)];
  const colours = new Map(labels.map((label, i) => [label, PALETTE[i % PALETTE.length]!]));
  const rows = Math.ceil(count / columns);
  const width = columns * layout.width;
  const height = HEADER + rows * layout.height + 10;
  const legend = labels.map((label, i) => {
    const x = 20 + (i % 6) * 165;
    const y = 50 + Math.floor(i / 6) * 18;
    return `<rect x="${x}" y="${y - 11}" width="14" height="14" fill="${colours.get(label)}"/>${text(x + 20, y + 1, label, 'font-size="13"')}`;
  });
  const body = Array.from({ length: count }, (_, i) => panelSvg(i, colours, (i % columns) * layout.width, HEADER + Math.floor(i / columns) * layout.height));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(20, 26, title, 'font-size="17" font-weight="bold"'),
    ...legend,
    ...body,
    '</svg>',
  ].join('\n');
}

export async function writePng(svg: string, path: string): Promise<void> {
  await sharp(Buffer.from(svg), { density: 144 }).png().toFile(path);
}
