/**
 * The co-rated task is the one part of the movie DNA that learns from ratings. Under `evaluate`, content-dna trains its
 * fusion inside fit, and the co-rated neighbours must come from the training part only, under every protocol; the
 * stored production DNA (fitted on every rating) sits in the store and is never read there. profile-updater also
 * trains its taste updater inside fit: on the training users' training ratings, and nothing else.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { PROTOCOL_NAMES, PROTOCOLS } from '../../src/eval/protocols.js';
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { forgetTrainedDnas } from '../../src/fuse/spaces.js';
import { interactionsFingerprint, ratingsOf, type Interactions } from '../../src/interactions.js';
import type { UpdaterCorpus } from '../../src/profile/train-updater.js';
import { modelByName } from '../../src/registry.js';
import { openStore } from '../../src/store/open.js';
import { randomVectors } from '../support/datasets.js';
import { tempDir } from '../support/tmp.js';
import { pairKey, syntheticEvaluationData } from '../eval/synthetic.js';

const recorded = vi.hoisted(() => [] as Interactions[]);
const updaterCorpora = vi.hoisted(() => [] as UpdaterCorpus[]);

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

describe.each(PROTOCOL_NAMES.flatMap((protocol) => ['content-dna', 'profile-updater'].map((model) => [model, protocol] as const)))(
  '%s under the %s protocol',
  (model, protocol) => {
    it('learns its co-rated task (and taste updater) from the training part only, and never reads the production DNA', async () => {
      const data = syntheticEvaluationData();
      const ids = data.movies.map((movie) => movie.movieId);
      const store = await openStore(join(tempDir(), 'films.db'));
      onTestFinished(() => store.close());
      await store.importDataset({ movies: data.movies, users: [...new Set(data.ratings.map((rating) => rating.userId))], ratings: data.interactions, tags: [] });
      await store.writeVectors({ owner: 'movie', kind: 'text', producer: 'tfidf-svd', version: '1', dim: 12, trainedOn: null }, randomVectors(ids, 12, 1));
      await store.writeVectors({ owner: 'movie', kind: 'image', producer: 'mobilenet', version: '1', dim: 10, trainedOn: null }, randomVectors(ids, 10, 2));
      await store.writeVectors({ ...DNA_SPACE, version: '1', dim: 8, trainedOn: interactionsFingerprint(data.interactions) }, randomVectors(ids, 8, 3));

      const definition = modelByName(model)!;
      const quick = { ...definition, defaults: { ...definition.defaults, dim: 8, epochs: 2, tasks: 'genre,corated', updaterEpochs: 1 } };
      recorded.length = 0;
      updaterCorpora.length = 0;
      forgetTrainedDnas();
      const seed = 3;
      await evaluate({ ...data, vectorStore: store }, { protocol, models: [quick], k: 10, seed, relevance: 'rated4', tune: true });

      const split = PROTOCOLS[protocol].split(data.interactions, seed);
      const test = keysOf(split.test);
      expect(test.size).toBeGreaterThan(0);
      expect(recorded).toHaveLength(1);
      expect([...keysOf(recorded[0]!)].filter((key) => test.has(key))).toEqual([]);
      expect(keysOf(recorded[0]!)).toEqual(keysOf(split.train));
      if (model === 'profile-updater') {
        expect(updaterCorpora).toHaveLength(1);
        const { userIds, timelines } = updaterCorpora[0]!;
        const corpusUsers = new Int32Array(timelines.movies.length);
        for (let user = 0; user + 1 < timelines.indptr.length; user++) corpusUsers.fill(userIds[user]!, timelines.indptr[user], timelines.indptr[user + 1]);
        expect(perUser(corpusUsers, timelines.ratings)).toEqual(perUser(split.train.users, split.train.ratings));
      }
    });
  },
);
