/** A figure as one self-contained HTML page: Plotly's bundle inlined, so it opens offline and needs no CDN. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Figure } from './figures.js';

const require = createRequire(import.meta.url);

/** `</script>` inside the JSON would end the script element early. */
const scriptSafe = (json: string) => json.replace(/<\//g, '<\\/');

export async function figureHtml(figure: Figure): Promise<string> {
  const plotly = await readFile(require.resolve('plotly.js-dist-min'), 'utf8');
  const escapedTitle = figure.title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const spec = scriptSafe(JSON.stringify({ data: figure.data, layout: { ...figure.layout, title: { text: figure.title }, margin: { l: 0, r: 0, t: 40, b: 0 } } }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapedTitle}</title>
<style>html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; } #plot { width: 100vw; height: 100vh; }</style>
<script>${plotly}</script>
</head>
<body>
<div id="plot"></div>
<script>
const figure = ${spec};
Plotly.newPlot('plot', figure.data, figure.layout, { responsive: true, displaylogo: false });
</script>
</body>
</html>
`;
}
