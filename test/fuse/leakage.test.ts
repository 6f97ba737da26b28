/**
 * The co-rated task is the one part of the movie DNA that learns from ratings. Under `evaluate`, content-dna trains its
 * fusion inside fit, and the co-rated neighbours must come from the training part only, under every protocol; the
 * stored production DNA (fitted on every rating) sits in the store and is never read there. profile-updater also
 * trains its taste updater inside fit: on the training users' training ratings, and nothing else; pipeline trains
 * both, and its two-tower ranker and blend, on the training part alone.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { PROTOCOL_NAMES, PROTOCOLS } from '../../src/eval/protocols.js';
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { forgetTrainedDnas } from '../../src/fuse/spaces.js';
import { interactionsFingerprint, ratingsOf, type Interactions } from '../../src/interactions.js';
import type { UpdaterCorpus } from '../../src/profile/train-updater.js';
import type { TowerExample } from '../../src/rank/train-tower.js';
import { RatingTimes } from '../../src/rank/trending.js';
import type { TrainingSet } from '../../src/recommender.js';
import { modelByName } from '../../src/registry.js';
import { openStore } from '../../src/store/open.js';
import { randomVectors } from '../support/datasets.js';
import { tempDir } from '../support/tmp.js';
import { pairKey, syntheticEvaluationData } from '../eval/synthetic.js';

const recorded = vi.hoisted(() => [] as Interactions[]);
const updaterCorpora = vi.hoisted(() => [] as UpdaterCorpus[]);
const rankerFits = vi.hoisted(() => [] as TrainingSet[]);
/** Per tower training: the movie ids of the item rows, then the examples. */
const towerCorpora = vi.hoisted(() => [] as { ids: readonly number[]; examples: readonly TowerExample[] }[]);

// Records what the co-rated neighbours are computed from, and computes them as usual.
vi.mock('../../src/fuse/corated.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/fuse/corated.js')>();
  return {
    ...original,
    coRatedNeighbours: (...args: Parameters<typeof original.coRatedNeighbours>) => {
      recorded.push(args[1]);
      return original.coRatedNeighbours(...args);
    },
  };
});

// Records what the taste updater trains on, and trains it as usual.
vi.mock('../../src/profile/train-updater.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/profile/train-updater.js')>();
  return {
    ...original,
    trainUpdater: (...args: Parameters<typeof original.trainUpdater>) => {
      updaterCorpora.push(args[0]);
      return original.trainUpdater(...args);
    },
  };
});

// Records what the ranker and its blend are fitted on, and fits them as usual.
vi.mock('../../src/rank/fit-ranker.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rank/fit-ranker.js')>();
  return {
    ...original,
    fitRanker: (...args: Parameters<typeof original.fitRanker>) => {
      rankerFits.push(args[0]);
      return original.fitRanker(...args);
    },
  };
});

// Records which movie each item row of the towers is, then what the towers train on.
vi.mock('../../src/rank/two-tower.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rank/two-tower.js')>();
  return {
    ...original,
    itemInputs: (...args: Parameters<typeof original.itemInputs>) => {
      towerCorpora.push({ ids: args[0].ids, examples: [] });
      return original.itemInputs(...args);
    },
  };
});
vi.mock('../../src/rank/train-tower.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rank/train-tower.js')>();
  return {
    ...original,
    trainTowers: (...args: Parameters<typeof original.trainTowers>) => {
      towerCorpora.at(-1)!.examples = args[0];
      return original.trainTowers(...args);
    },
  };
});

/** Per user, the number and the sum of their ratings: what a corpus of timelines can be compared on. */
function perUser(users: ArrayLike<number>, ratings: ArrayLike<number>): Map<number, [number, number]> {
  const totals = new Map<number, [number, number]>();
  for (let row = 0; row < users.length; row++) {
    const [count, sum] = totals.get(users[row]!) ?? [0, 0];
    totals.set(users[row]!, [count + 1, sum + ratings[row]!]);
  }
  return totals;
}

const keysOf = (interactions: Interactions) => new Set(ratingsOf(interactions).map(pairKey));

describe.each(PROTOCOL_NAMES.flatMap((protocol) => ['content-dna', 'profile-updater', 'pipeline'].map((model) => [model, protocol] as const)))(
  '%s under the %s protocol',
  (model, protocol) => {
    it('learns its co-rated task (and taste updater, ranker and blend) from the training part only, and never reads the production DNA', async () => {
      const data = syntheticEvaluationData();
      const ids = data.movies.map((movie) => movie.movieId);
      const store = await openStore(join(tempDir(), 'films.db'));
      onTestFinished(() => store.close());
      await store.importDataset({ movies: data.movies, users: [...new Set(data.ratings.map((rating) => rating.userId))], ratings: data.interactions, tags: [] });
      await store.writeVectors({ owner: 'movie', kind: 'text', producer: 'tfidf-svd', version: '1', dim: 12, trainedOn: null }, randomVectors(ids, 12, 1));
      await store.writeVectors({ owner: 'movie', kind: 'image', producer: 'mobilenet', version: '1', dim: 10, trainedOn: null }, randomVectors(ids, 10, 2));
      await store.writeVectors({ ...DNA_SPACE, version: '1', dim: 8, trainedOn: interactionsFingerprint(data.interactions) }, randomVectors(ids, 8, 3));

      const definition = modelByName(model)!;
      const quick = { ...definition, defaults: { ...definition.defaults, dim: 8, epochs: 2, tasks: 'genre,corated', updaterEpochs: 1, rankerEpochs: 1 } };
      recorded.length = 0;
      updaterCorpora.length = 0;
      rankerFits.length = 0;
      towerCorpora.length = 0;
      forgetTrainedDnas();
      const ratingTimes = vi.spyOn(RatingTimes, 'of');
      onTestFinished(() => ratingTimes.mockRestore());
      const seed = 3;
      await evaluate({ ...data, vectorStore: store }, { protocol, models: [quick], k: 10, seed, relevance: 'rated4', tune: true });

      const split = PROTOCOLS[protocol].split(data.interactions, seed);
      const test = keysOf(split.test);
      expect(test.size).toBeGreaterThan(0);
      expect(recorded).toHaveLength(1);
      expect([...keysOf(recorded[0]!)].filter((key) => test.has(key))).toEqual([]);
      expect(keysOf(recorded[0]!)).toEqual(keysOf(split.train));
      if (model === 'pipeline') {
        // The ranker is fitted on the training part; its blend's validation part is carved from it, and every pair its
        // towers learn from (the history before a cut, the movies liked after it) is a training rating.
        expect(rankerFits).toHaveLength(1);
        expect(keysOf(rankerFits[0]!.interactions)).toEqual(keysOf(split.train));
        // What its trending signal counts (when each movie was rated) comes from the training part too: the carve's
        // kept part for the blend, all of it for the path.
        expect(ratingTimes.mock.calls).toHaveLength(2);
        const [inner, full] = ratingTimes.mock.calls.map(([interactions]) => keysOf(interactions));
        expect([...inner!].filter((key) => !keysOf(split.train).has(key))).toEqual([]);
        expect(inner!.size).toBeLessThan(full!.size);
        expect(full).toEqual(keysOf(split.train));
        expect(towerCorpora).toHaveLength(2);
        const train = keysOf(split.train);
        for (const { ids, examples } of towerCorpora) {
          expect(examples.length).toBeGreaterThan(0);
          const pairs = examples.flatMap((example) => [...example.targets, ...example.seen].map((row) => pairKey({ userId: example.userId, movieId: ids[row]! })));
          expect(pairs.filter((pair) => !train.has(pair))).toEqual([]);
        }
      }
      if (model !== 'content-dna') {
        expect(updaterCorpora).toHaveLength(1);
        const { userIds, timelines } = updaterCorpora[0]!;
        const corpusUsers = new Int32Array(timelines.movies.length);
        for (let user = 0; user + 1 < timelines.indptr.length; user++) corpusUsers.fill(userIds[user]!, timelines.indptr[user], timelines.indptr[user + 1]);
        expect(perUser(corpusUsers, timelines.ratings)).toEqual(perUser(split.train.users, split.train.ratings));
      }
    });
  },
);
