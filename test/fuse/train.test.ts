import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { moviePart, trainFusion, FUSION_DEFAULTS, type FusionParams } from '../../src/fuse/train.js';
import { interactionsFingerprint } from '../../src/interactions.js';
import { syntheticCatalog } from '../../bench/support/synthetic-catalog.js';

/** Small enough to train in about a second. */
const SMALL: FusionParams = { ...FUSION_DEFAULTS, dim: 16, hidden: 32, textComponents: 16, imageComponents: 8, epochs: 6, patience: 6, anchorsPerTask: 8 };

describe('training the fusion', () => {
  const catalog = syntheticCatalog();
  const input = { inputs: catalog.inputs, movies: catalog.movies, interactions: catalog.interactions, trainedOn: interactionsFingerprint(catalog.interactions) };

  it('is deterministic for a seed, and another seed gives another network', async () => {
    const a = await trainFusion(input, SMALL, 5);
    const b = await trainFusion(input, SMALL, 5);
    const c = await trainFusion(input, SMALL, 6);
    expect(Array.from(a.weights.w2)).toEqual(Array.from(b.weights.w2));
    // Everything but the seconds an epoch took.
    const withoutTimes = (epochs: typeof a.epochs) => epochs.map(({ stepSeconds: _seconds, ...rest }) => rest);
    expect(withoutTimes(a.epochs)).toEqual(withoutTimes(b.epochs));
    expect(Array.from(a.weights.w2)).not.toEqual(Array.from(c.weights.w2));
  });

  it('reports every task with its anchors, and learns: a trained epoch beats the fixed fusion it starts from', async () => {
    const trained = await trainFusion(input, { ...SMALL, epochs: 40, patience: 40, learningRate: 3e-3, linearRate: 1e-3 }, 2);
    expect(trained.tasks.map((task) => task.name)).toEqual(['genre', 'director', 'cast', 'keywords', 'corated']);
    for (const task of trained.tasks) expect(task.anchors).toBeGreaterThan(0);
    // Epoch 0 is the fixed fusion itself; a later one was kept, and it is better on the tasks the text alone cannot see.
    expect(trained.bestEpoch).toBeGreaterThan(0);
    for (const name of ['cast', 'corated']) {
      const task = trained.tasks.find((t) => t.name === name)!;
      expect(task.validationAccuracy, name).toBeGreaterThan(task.fixedValidationAccuracy + 0.05);
    }
    // The tasks' loss falls from the first epoch to the last.
    const total = (losses: Record<string, number>) => ['genre', 'director', 'cast', 'keywords', 'corated'].reduce((sum, name) => sum + losses[name]!, 0);
    expect(total(trained.epochs.at(-1)!.losses)).toBeLessThan(total(trained.epochs[0]!.losses));
    // Text-only DNA stays near the full DNA for held-out movies.
    expect(trained.textOnlyAlignment).toBeGreaterThan(0.8);
  });

  it('records the ratings the co-rated task learned from, and none when the task is off', async () => {
    expect((await trainFusion(input, SMALL, 1)).trainedOn).toBe(input.trainedOn);
    const withoutRatings = await trainFusion({ ...input, interactions: null, trainedOn: null }, { ...SMALL, tasks: ['genre', 'director'] }, 1);
    expect(withoutRatings.trainedOn).toBeNull();
    expect(withoutRatings.tasks.map((task) => task.name)).toEqual(['genre', 'director']);
  });

  it('refuses a task with no pairs unless it is left out explicitly', async () => {
    const noDirectors = catalog.movies.map((movie) => ({ ...movie, directors: [] }));
    const attempt = trainFusion({ ...input, movies: noDirectors }, SMALL, 1);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/no training pairs for the task director.*--tasks/);
    await expect(trainFusion({ ...input, interactions: null }, SMALL, 1)).rejects.toThrow(/co-rated task needs ratings/);
    const trained = await trainFusion({ ...input, movies: noDirectors }, { ...SMALL, tasks: ['genre', 'cast', 'keywords', 'corated'] }, 1);
    expect(trained.tasks.map((task) => task.name)).not.toContain('director');
  });

  it('splits movies by a seeded hash of their id: stable as the catalog grows, about the asked shares', () => {
    const parts = Array.from({ length: 10_000 }, (_, i) => moviePart(i + 1, 1, SMALL));
    const share = (part: string) => parts.filter((p) => p === part).length / parts.length;
    expect(share('test')).toBeCloseTo(0.1, 1);
    expect(share('validation')).toBeCloseTo(0.1, 1);
    expect(moviePart(42, 1, SMALL)).toBe(parts[41]);
    expect(Array.from({ length: 50 }, (_, i) => moviePart(i + 1, 2, SMALL))).not.toEqual(parts.slice(0, 50));
  });
});
