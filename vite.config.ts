// The web UI (ui/): bundled at build time into dist/ui, which `reelsense serve` serves at /. No CDN at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'ui',
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: '../dist/ui', emptyOutDir: true, chunkSizeWarningLimit: 5000 },
});
