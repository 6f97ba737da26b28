/**
 * Training speed of the fusion network at ml-latest-small's shape (9,742 movies, MiniLM + tfidf-svd text = 640-d,
 * MobileNet posters = 1,280-d, the default network), on a synthetic catalog so it needs no encoded store: milliseconds
 * per training step (batch), seconds per epoch of steps, and the whole run (PCA, baseline, validation, test measures).
 * `npm run bench -- fusion [--json] [EPOCHS]`.
 */
import { FUSION_DEFAULTS, trainFusion } from '../src/fuse/train.js';
import { interactionsFingerprint } from '../src/interactions.js';
import type { Benchmark } from './run.js';
import { syntheticCatalog } from './support/synthetic-catalog.js';

export const run: Benchmark = async (args) => {
  const epochs = Number(args[0] ?? 3);
  const catalog = syntheticCatalog({ movies: 9742, textDim: 640, imageDim: 1280, posterShare: 0.977 });
  const started = performance.now();
  const trained = await trainFusion(
    { inputs: catalog.inputs, movies: catalog.movies, interactions: catalog.interactions, trainedOn: interactionsFingerprint(catalog.interactions) },
    { ...FUSION_DEFAULTS, epochs, patience: epochs },
    1,
  );
  const seconds = (performance.now() - started) / 1000;
  const steps = trained.epochs.reduce((sum, epoch) => sum + epoch.steps, 0);
  const stepSeconds = trained.epochs.reduce((sum, epoch) => sum + epoch.stepSeconds, 0);
  return {
    name: 'fusion training (synthetic catalog at ml-latest-small shape, default network)',
    context: {
      movies: catalog.movies.length,
      'text dim': catalog.inputs.textDim,
      'image dim': catalog.inputs.imageDim,
      epochs,
      'steps per epoch': trained.epochs[0]!.steps,
    },
    figures: {
      'ms per step': Number(((1000 * stepSeconds) / steps).toFixed(1)),
      'seconds per epoch (steps only)': Number((stepSeconds / epochs).toFixed(2)),
      'seconds in all (PCA, fixed fusion, epochs, test measures)': Number(seconds.toFixed(1)),
    },
  };
};
