/** Bar charts as SVG (small multiples: one panel per metric, each with its own scale), rasterised to PNG by sharp. */
import sharp from 'sharp';

export interface ChartPanel {
  title: string;
  values: { label: string; value: number | undefined }[];
  lowerIsBetter?: boolean;
}

/** Tableau 10: distinct, colour-blind-friendlier than a rainbow. A model keeps its colour in every panel. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const PANEL = { width: 340, height: 250, top: 34, bottom: 16, left: 52, right: 14 };
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

function panelSvg(panel: ChartPanel, colours: Map<string, string>, x0: number, y0: number): string {
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const max = Math.max(...panel.values.map((entry) => entry.value ?? 0), 1e-9);
  const step = tickStep(max);
  const top = Math.ceil((max * 1.12) / step) * step;
  const y = (value: number) => y0 + PANEL.top + plotHeight * (1 - value / top);
  const parts = [
    text(x0 + PANEL.width / 2, y0 + 20, panel.title + (panel.lowerIsBetter ? ' (lower is better)' : ''), 'text-anchor="middle" font-size="15" font-weight="bold"'),
  ];
  for (let tick = 0; tick <= top + step / 2; tick += step) {
    parts.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(text(x0 + PANEL.left - 6, y(tick) + 4, formatTick(tick, step), 'text-anchor="end" font-size="11" fill="#555"'));
  }
  const slot = plotWidth / panel.values.length;
  const barWidth = Math.min(44, slot * 0.7);
  panel.values.forEach((entry, i) => {
    if (entry.value === undefined || Number.isNaN(entry.value)) return;
    const x = x0 + PANEL.left + slot * i + (slot - barWidth) / 2;
    const height = y0 + PANEL.top + plotHeight - y(entry.value);
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y(entry.value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${colours.get(entry.label)}"/>`,
    );
    const digits = entry.value >= 10 ? 2 : entry.value >= 1 ? 3 : 4;
    parts.push(text(x + barWidth / 2, y(entry.value) - 4, entry.value.toFixed(digits), 'text-anchor="middle" font-size="10" fill="#333"'));
  });
  parts.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotWidth}" y1="${y(0)}" y2="${y(0)}" stroke="#888"/>`);
  return parts.join('');
}

/** Panels in a grid under a title and a legend of the series (models). */
export function metricChartsSvg(title: string, panels: ChartPanel[], columns = 3): string {
  const labels = [...new Set(panels.flatMap((panel) => panel.values.map((entry) => entry.label)))];
  const colours = new Map(labels.map((label, i) => [label, PALETTE[i % PALETTE.length]!]));
  const rows = Math.ceil(panels.length / columns);
  const width = columns * PANEL.width;
  const height = HEADER + rows * PANEL.height + 10;
  const legend = labels.map((label, i) => {
    const x = 20 + (i % 6) * 165;
    const y = 50 + Math.floor(i / 6) * 18;
    return `<rect x="${x}" y="${y - 11}" width="14" height="14" fill="${colours.get(label)}"/>${text(x + 20, y + 1, label, 'font-size="13"')}`;
  });
  const body = panels.map((panel, i) => panelSvg(panel, colours, (i % columns) * PANEL.width, HEADER + Math.floor(i / columns) * PANEL.height));
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
