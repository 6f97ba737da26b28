// The web UI (ui/): bundled at build time into dist/ui, which `reelsense serve` serves at /. No CDN at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'ui',
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    // Plotly (4.6 MB) is one chunk of its own, loaded by the map page only.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
