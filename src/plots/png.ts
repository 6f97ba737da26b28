/**
 * A figure as a PNG, without a browser: drawn as SVG here (3D traces seen by a fixed camera, orthographic, far points
 * first; 2D traces on plain axes) and rasterised by sharp (libvips/librsvg).
 */
import sharp from 'sharp';
import type { Figure, Trace } from './figures.js';

const WIDTH = 1400;
const HEIGHT = 1000;
const PLOT = { left: 90, top: 70, right: 1080, bottom: 930 };

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Scales values onto [from, to] of the plot box. */
function scale(values: number[], from: number, to: number): (value: number) => number {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  return (value) => from + ((value - min) / span) * (to - from);
}

/** A camera 45° around the vertical axis and 25° above the plane: screen x, screen y and depth for each 3D point. */
function view(x: number, y: number, z: number): [number, number, number] {
  const [azimuth, elevation] = [Math.PI / 4, (25 * Math.PI) / 180];
  const sx = x * Math.cos(azimuth) - y * Math.sin(azimuth);
  const depth = x * Math.sin(azimuth) + y * Math.cos(azimuth);
  return [sx, z * Math.cos(elevation) - depth * Math.sin(elevation), depth * Math.cos(elevation) + z * Math.sin(elevation)];
}

function draw3d(traces: readonly Trace[]): string {
  const projected = traces.map((trace) => trace.x.map((x, i) => view(x, trace.y[i]!, trace.z![i]!)));
  const all = projected.flat();
  const sx = scale(
    all.map((point) => point[0]),
    PLOT.left,
    PLOT.right,
  );
  const sy = scale(
    all.map((point) => point[1]),
    PLOT.bottom,
    PLOT.top,
  );
  const marks: { depth: number; svg: string }[] = [];
  traces.forEach((trace, t) => {
    const points = projected[t]!;
    const colour = trace.marker?.color ?? '#333';
    const opacity = trace.marker?.opacity ?? 1;
    const radius = Math.max(1.5, (trace.marker?.size ?? 2) * 0.9);
    points.forEach(([x, y, depth]) =>
      marks.push({ depth, svg: `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="${radius}" fill="${colour}" fill-opacity="${opacity}"/>` }),
    );
    if (trace.mode.includes('lines')) {
      const path = points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      marks.push({
        depth: Number.NEGATIVE_INFINITY,
        svg: `<polyline points="${path}" fill="none" stroke="${trace.line?.color ?? colour}" stroke-width="${trace.line?.width ?? 2}"/>`,
      });
    }
  });
  // Far points first, so near ones cover them; lines on top of every point.
  marks.sort((a, b) => (a.depth === b.depth ? 0 : a.depth === Number.NEGATIVE_INFINITY ? 1 : b.depth === Number.NEGATIVE_INFINITY ? -1 : b.depth - a.depth));
  return marks.map((mark) => mark.svg).join('');
}

function draw2d(traces: readonly Trace[], layout: Figure['layout']): string {
  const xs = traces.flatMap((trace) => trace.x);
  const ys = traces.flatMap((trace) => trace.y);
  const sx = scale(xs, PLOT.left, PLOT.right);
  const sy = scale(ys, PLOT.bottom, PLOT.top);
  const axisTitle = (axis: string) => ((layout[axis] as { title?: { text?: string } } | undefined)?.title?.text ?? '').trim();
  const ticks = (values: number[], place: (value: number) => string) => {
    const [min, max] = [Math.min(...values), Math.max(...values)];
    return Array.from({ length: 5 }, (_, i) => min + ((max - min) * i) / 4)
      .map(place)
      .join('');
  };
  const axes =
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/><line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333"/>` +
    ticks(xs, (value) => `<text x="${sx(value)}" y="${PLOT.bottom + 22}" text-anchor="middle" font-size="14">${value.toFixed(3)}</text>`) +
    ticks(ys, (value) => `<text x="${PLOT.left - 8}" y="${sy(value) + 5}" text-anchor="end" font-size="14">${value.toFixed(3)}</text>`) +
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 50}" text-anchor="middle" font-size="16">${escape(axisTitle('xaxis'))}</text>` +
    `<text transform="translate(24 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="16">${escape(axisTitle('yaxis'))}</text>`;
  const series = traces
    .map((trace) => {
      const colour = trace.marker?.color ?? '#333';
      const points = trace.x.map((x, i) => [sx(x), sy(trace.y[i]!)] as const);
      const line = trace.mode.includes('lines')
        ? `<polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`
        : '';
      const labels = points.map(
        ([x, y], i) => `<circle cx="${x}" cy="${y}" r="5" fill="${colour}"/><text x="${x + 8}" y="${y - 8}" font-size="13">${escape(trace.text?.[i] ?? '')}</text>`,
      );
      return line + labels.join('');
    })
    .join('');
  return axes + series;
}

export async function figurePng(figure: Figure): Promise<Buffer> {
  const is3d = figure.data.some((trace) => trace.type === 'scatter3d');
  const legend = figure.data
    .map(
      (trace, i) =>
        `<circle cx="${PLOT.right + 40}" cy="${PLOT.top + 10 + i * 24}" r="6" fill="${trace.marker?.color ?? '#333'}"/><text x="${PLOT.right + 54}" y="${PLOT.top + 15 + i * 24}" font-size="15">${escape(trace.name)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="38" text-anchor="middle" font-size="22">${escape(figure.title)}</text>
${is3d ? draw3d(figure.data) : draw2d(figure.data, figure.layout)}
${legend}
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
