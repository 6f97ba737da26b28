/**
 * The leakage guard: a model that records every training set it is fitted on, run through the whole harness
 * (tuning included) under every protocol. No test-split interaction may ever reach `fit`.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LeakageError, saveArtifact } from '../../src/artifacts.js';
import { popularityModel } from '../../src/cf/popularity.js';
import type { Rating } from '../../src/domain.js';
import { evaluate, testUsers } from '../../src/eval/evaluate.js';
import { PROTOCOL_NAMES, PROTOCOLS } from '../../src/eval/protocols.js';
import { interactionMatrix, interactionsFingerprint, interactionsFromRatings, ratingsOf, type Interactions } from '../../src/interactions.js';
import { trainingSet, type TrainingSet } from '../../src/recommender.js';
import { loadRecommender } from '../../src/registry.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { randomVectors } from '../support/datasets.js';
import { testDefinition, testModel } from '../support/models.js';
import { tempDir } from '../support/tmp.js';
import { pairKey, syntheticEvaluationData } from './synthetic.js';

function recordingModel(fits: TrainingSet[]) {
  return testDefinition('recorder', { defaults: { variant: 0 }, grid: { variant: [0, 1] } }, () =>
    testModel('recorder', { fit: async (train) => void fits.push(train) }),
  );
}

const keysOf = (interactions: Interactions) => new Set(ratingsOf(interactions).map(pairKey));
const exact = (rating: Rating) => `${pairKey(rating)}:${rating.rating}:${rating.timestamp}`;

describe.each(PROTOCOL_NAMES)('under the %s protocol', (protocol) => {
  it('fit never sees a test interaction, tuning never sees a validation one, and the final fit sees all of training', async () => {
    const data = syntheticEvaluationData();
    const fits: TrainingSet[] = [];
    const seed = 7;
    await evaluate(data, { protocol, models: [recordingModel(fits)], k: 10, seed, relevance: 'rated4', tune: true });

    const split = PROTOCOLS[protocol].split(data.interactions, seed);
    const validation = PROTOCOLS[protocol].split(split.train, seed + 1);
    const test = keysOf(split.test);
    expect(test.size).toBeGreaterThan(0);
    expect(fits).toHaveLength(3);
    for (const fit of fits) {
      expect(ratingsOf(fit.interactions).filter((rating) => test.has(pairKey(rating)))).toEqual([]);
      const train = new Set(ratingsOf(split.train).map(exact));
      expect(ratingsOf(fit.interactions).every((rating) => train.has(exact(rating)))).toBe(true);
    }
    const [tuneA, tuneB, final] = fits;
    const validationTest = keysOf(validation.test);
    expect(validationTest.size).toBeGreaterThan(0);
    for (const tuning of [tuneA!, tuneB!]) expect(ratingsOf(tuning.interactions).filter((rating) => validationTest.has(pairKey(rating)))).toEqual([]);
    expect(keysOf(final!.interactions)).toEqual(keysOf(split.train));
  });
});

describe('the split check', () => {
  it('refuses a split whose test interactions are also in training', () => {
    const rating: Rating = { userId: 1, movieId: 2, rating: 4, timestamp: 3 };
    const train = interactionsFromRatings([rating]);
    const split = { train, test: interactionsFromRatings([{ ...rating, timestamp: 9 }]) };
    expect(() => testUsers(split, 'rated4', interactionMatrix([], train))).toThrow(/leak: user 1's rating of movie 2/);
  });
});

describe('artifacts fitted on other ratings', () => {
  /** A pop model fitted on every rating, test split included, and saved: what a careless pipeline would reuse. */
  async function savedOnAllRatings(data: ReturnType<typeof syntheticEvaluationData>): Promise<string> {
    const model = popularityModel.create(popularityModel.defaults, 1);
    await model.fit(trainingSet({ movies: data.movies, interactions: data.interactions }));
    const dir = join(tempDir(), 'pop-on-everything');
    await model.save(dir);
    return dir;
  }

  it.each(PROTOCOL_NAMES)('a model that builds on an artifact fitted on all ratings is refused under %s', async (protocol) => {
    const data = syntheticEvaluationData();
    const dir = await savedOnAllRatings(data);
    const reader = testDefinition('artifact-reader', { defaults: {} }, () =>
      testModel('artifact-reader', { fit: async (train) => void (await train.loadArtifact(dir)) }),
    );
    await expect(evaluate(data, { protocol, models: [reader], k: 10, seed: 1, relevance: 'rated4', tune: false })).rejects.toThrow(LeakageError);
    await expect(evaluate(data, { protocol, models: [reader], k: 10, seed: 1, relevance: 'rated4', tune: false })).rejects.toThrow(
      /the model "pop" in .* was fitted on ratings ratings:\d+:\w+, not on this training part/,
    );
  });

  it('loads a saved model only where it was fitted on exactly the given training part; one fitted on no ratings always', async () => {
    const data = syntheticEvaluationData();
    const dir = await savedOnAllRatings(data);
    const split = PROTOCOLS.temporal.split(data.interactions, 1);
    await expect(loadRecommender(dir, { trainedOn: interactionsFingerprint(split.train) })).rejects.toThrow(LeakageError);
    const loaded = await loadRecommender(dir, { trainedOn: interactionsFingerprint(data.interactions) });
    expect(loaded.name).toBe('pop');
    const contentOnly = join(tempDir(), 'encoder');
    await saveArtifact(contentOnly, { kind: 'encoder', name: 'tfidf', version: '1', params: {}, seed: null, datasetHash: null, trainedOn: null }, {});
    const train = trainingSet({ movies: data.movies, interactions: split.train });
    expect((await train.loadArtifact(contentOnly)).manifest.name).toBe('tfidf');
  });
});

describe('vector spaces fitted on other ratings', () => {
  /** A store with the synthetic catalog and ratings, and one movie space whose producer was fitted on `trainedOn`. */
  async function storeWithSpace(data: ReturnType<typeof syntheticEvaluationData>, trainedOn: string | null): Promise<Store> {
    const store = await openStore(join(tempDir(), 'leak.db'));
    onTestFinished(() => store.close());
    const users = [...new Set(data.ratings.map((rating) => rating.userId))];
    await store.importDataset({ movies: data.movies, users, ratings: data.interactions, tags: [] });
    await store.writeVectors(
      { ...CO_RATED, trainedOn },
      randomVectors(
        data.movies.map((movie) => movie.movieId),
        CO_RATED.dim,
      ),
    );
    return store;
  }

  const CO_RATED = { owner: 'movie', kind: 'dna', producer: 'co-rated', version: '1', dim: 8 } as const;
  const spaceReader = testDefinition('space-reader', { defaults: {} }, () =>
    testModel('space-reader', { fit: async (train) => void (await train.vectors!.read(CO_RATED)) }),
  );

  it.each(PROTOCOL_NAMES)('a model reading a space fitted on all ratings is refused under %s', async (protocol) => {
    const data = syntheticEvaluationData();
    const store = await storeWithSpace(data, interactionsFingerprint(data.interactions));
    const run = evaluate({ ...data, vectorStore: store }, { protocol, models: [spaceReader], k: 10, seed: 1, relevance: 'rated4', tune: false });
    await expect(run).rejects.toThrow(LeakageError);
    await expect(run).rejects.toThrow(/the vector space movie\/dna\/co-rated was fitted on ratings ratings:\d+:\w+, not on this training part/);
  });

  it('a space fitted on no ratings, or on exactly the training part, is read', async () => {
    const data = syntheticEvaluationData();
    const options = { protocol: 'temporal' as const, models: [spaceReader], k: 10, seed: 1, relevance: 'rated4' as const, tune: false };
    await expect(evaluate({ ...data, vectorStore: await storeWithSpace(data, null) }, options)).resolves.toBeDefined();
    const trainPart = interactionsFingerprint(PROTOCOLS.temporal.split(data.interactions, 1).train);
    await expect(evaluate({ ...data, vectorStore: await storeWithSpace(data, trainPart) }, options)).resolves.toBeDefined();
  });
});
