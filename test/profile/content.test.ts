import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LeakageError } from '../../src/artifacts.js';
import { UsageError } from '../../src/errors.js';
import { interactionsFingerprint, interactionsFromRatings } from '../../src/interactions.js';
import { contentModel, type MovieSpace } from '../../src/profile/content.js';
import { RECENCY_WEIGHTED, weightedProfile } from '../../src/profile/taste.js';
import { trainingSet, type Recommender, type TrainingSet } from '../../src/recommender.js';
import { modelByName } from '../../src/registry.js';
import { openStore } from '../../src/store/open.js';
import type { Store, VectorSpace } from '../../src/store/store.js';
import { movie } from '../support/datasets.js';
import { tempDir } from '../support/tmp.js';

/**
 * Hand-written 3-d text vectors. Movies 1, 2 and 7 lie along x, 3 and 4 along y, 5 between x and z; movie 6 has no
 * vector; movie 7 has no rating at all (a new movie).
 */
const TEXT_VECTORS: Record<number, number[]> = {
  1: [1, 0, 0],
  2: [0.9, 0.1, 0],
  3: [0, 1, 0],
  4: [0, 0.9, 0.1],
  5: [0.7, 0, 0.7],
  7: [1, 0.05, 0],
};
/** A poster space in which movie 4, not 7, is nearest to movie 1: content-image must rank by it, not by text. */
const IMAGE_VECTORS: Record<number, number[]> = { 1: [1, 0], 2: [0, 1], 3: [0, 1], 4: [1, 0.1], 5: [0.2, 1], 7: [0, 1] };

const RATINGS = [
  // User 1 loves movie 1 and dislikes movie 3.
  { userId: 1, movieId: 1, rating: 5, timestamp: 1 },
  { userId: 1, movieId: 3, rating: 1, timestamp: 2 },
  { userId: 2, movieId: 3, rating: 5, timestamp: 3 },
  { userId: 2, movieId: 4, rating: 4.5, timestamp: 4 },
  { userId: 3, movieId: 2, rating: 4, timestamp: 5 },
];

const TEXT_SPACE = { owner: 'movie', kind: 'text', producer: 'tfidf-svd', version: '1', dim: 3, trainedOn: null } as const;
const IMAGE_SPACE = { owner: 'movie', kind: 'image', producer: 'mobilenet', version: '1', dim: 2, trainedOn: null } as const;

async function storeWith(spaces: { space: VectorSpace; vectors: Record<number, number[]> }[]): Promise<Store> {
  const store = await openStore(join(tempDir(), 'content.db'));
  onTestFinished(() => store.close());
  await store.importDataset({ movies: [1, 2, 3, 4, 5, 6, 7].map((id) => movie(id)), users: [1, 2, 3], ratings: interactionsFromRatings(RATINGS), tags: [] });
  for (const { space, vectors } of spaces) {
    const ids = Object.keys(vectors).map(Number);
    await store.writeVectors(space, { ids, vectors: Float32Array.from(ids.flatMap((id) => vectors[id]!)) });
  }
  return store;
}

async function trainOn(store: Store): Promise<TrainingSet> {
  return trainingSet({ movies: await store.listMovies(), interactions: await store.readInteractions(), vectorStore: store });
}

async function fittedText(): Promise<{ model: Recommender; train: TrainingSet }> {
  const train = await trainOn(await storeWith([{ space: TEXT_SPACE, vectors: TEXT_VECTORS }]));
  const model = modelByName('content-text')!.create({}, 1);
  await model.fit(train);
  return { model, train };
}

/** The cosine in float64 of a movie's text vector with a direction, written apart from the model. */
function cosineTo(direction: number[], movieId: number): number {
  const vector = TEXT_VECTORS[movieId]!;
  const dot = vector.reduce((sum, value, i) => sum + value * direction[i]!, 0);
  return dot / (Math.hypot(...vector) * Math.hypot(...direction));
}

const ids = (list: { movieId: number }[]) => list.map((entry) => entry.movieId);

describe('content-text', () => {
  it("recommends the movies nearest the user's taste first, a movie nobody rated included, by cosine", async () => {
    const { model } = await fittedText();
    // User 1's mean is (5 + 1 + 6) / 4 = 3: the taste is normalise(2·v1 − 2·v3) = (1, −1, 0)/√2.
    const list = await model.recommend({ userId: 1 }, 10);
    expect(ids(list)).toEqual([7, 2, 5, 4]);
    list.forEach((entry) => expect(entry.score).toBeCloseTo(cosineTo([1, -1, 0], entry.movieId), 5));
  });

  it('never returns a rated, excluded or filtered movie, nor one without a vector', async () => {
    const { model } = await fittedText();
    expect(ids(await model.recommend({ userId: 1 }, 10, { exclude: new Set([7]), filter: (movieId) => movieId !== 2 }))).toEqual([5, 4]);
    expect(ids(await model.recommend({ userId: 1 }, 10, { includeRated: true }))).toEqual([1, 7, 2, 5, 4, 3]);
    const scores = await model.score({ userId: 1 }, [6, 1, 999]);
    expect(scores[0]).toBeNaN();
    expect(scores[1]).toBeCloseTo(cosineTo([1, -1, 0], 1), 5);
    expect(scores[2]).toBeNaN();
  });

  it("takes a query's history for a user it never saw, and a taste vector of its own space", async () => {
    const { model } = await fittedText();
    // A lone 5 for movie 4: the taste is movie 4's direction, so movie 3 comes first and movie 4 itself never.
    const list = await model.recommend({ userId: 99, history: [{ movieId: 4, rating: 5, timestamp: 0 }] }, 3);
    expect(ids(list)).toEqual([3, 2, 5]);
    expect(list[0]!.score).toBeCloseTo(cosineTo(TEXT_VECTORS[4]!, 3), 5);
    expect(await model.recommend({ userId: 99 }, 3)).toEqual([]);
    // A taste need not be unit length; a taste of another dimension belongs to another space.
    expect(ids(await model.recommend({ taste: Float32Array.of(0, 0, 5) }, 2))).toEqual([5, 4]);
    await expect(model.recommend({ taste: Float32Array.of(0, 1) }, 2)).rejects.toThrow(UsageError);
  });

  it('finds cosine neighbours in the space; a movie without a vector has none', async () => {
    const { model } = await fittedText();
    expect(ids(await model.similarItems(1, 3))).toEqual([7, 2, 5]);
    expect(await model.similarItems(6, 3)).toEqual([]);
  });

  it('saves and loads to identical scores, without the store', async () => {
    const { model } = await fittedText();
    const dir = join(tempDir(), 'content-text');
    await model.save(dir);
    const loaded = modelByName('content-text')!.create({}, 1);
    await loaded.load(dir);
    const everyMovie = [1, 2, 3, 4, 5, 6, 7];
    for (const query of [{ userId: 1 }, { userId: 2 }, { history: [{ movieId: 5, rating: 1, timestamp: 0 }] }]) {
      expect(await loaded.score(query, everyMovie)).toEqual(await model.score(query, everyMovie));
      expect(await loaded.recommend(query, 5)).toEqual(await model.recommend(query, 5));
    }
    expect(await loaded.similarItems(2, 4)).toEqual(await model.similarItems(2, 4));
    await expect(modelByName('content-image')!.create({}, 1).load(dir)).rejects.toThrow(/not a content-image model/);
  });

  it('refuses a space fitted on other ratings than the training set (leakage), and reads one fitted on exactly them', async () => {
    const otherRatings = interactionsFingerprint(interactionsFromRatings(RATINGS.slice(1)));
    const leaky = await trainOn(await storeWith([{ space: { ...TEXT_SPACE, trainedOn: otherRatings }, vectors: TEXT_VECTORS }]));
    await expect(modelByName('content-text')!.create({}, 1).fit(leaky)).rejects.toThrow(LeakageError);
    const own = await trainOn(
      await storeWith([{ space: { ...TEXT_SPACE, trainedOn: interactionsFingerprint(interactionsFromRatings(RATINGS)) }, vectors: TEXT_VECTORS }]),
    );
    await expect(modelByName('content-text')!.create({}, 1).fit(own)).resolves.toBeUndefined();
  });

  it('says to run `reelsense encode` when there are no vectors to read', async () => {
    const noStore = trainingSet({ movies: [1, 2].map((id) => movie(id)), interactions: interactionsFromRatings(RATINGS) });
    await expect(modelByName('content-text')!.create({}, 1).fit(noStore)).rejects.toThrow(UsageError);
    await expect(modelByName('content-text')!.create({}, 1).fit(noStore)).rejects.toThrow(/reelsense encode/);
    const imageOnly = await trainOn(await storeWith([{ space: IMAGE_SPACE, vectors: IMAGE_VECTORS }]));
    await expect(modelByName('content-text')!.create({}, 1).fit(imageOnly)).rejects.toThrow(/no movie text vectors .* run `reelsense encode`/);
  });
});

describe('content-image', () => {
  it('ranks by the poster space, not the text one', async () => {
    const train = await trainOn(
      await storeWith([
        { space: TEXT_SPACE, vectors: TEXT_VECTORS },
        { space: IMAGE_SPACE, vectors: IMAGE_VECTORS },
      ]),
    );
    const model = modelByName('content-image')!.create({}, 1);
    await model.fit(train);
    expect(ids(await model.recommend({ userId: 1 }, 1))).toEqual([4]);
  });
});

describe('a content model over any space provider', () => {
  it('fits on the space its provider gives for the training set, dropping movies outside the catalog', async () => {
    const seen: TrainingSet[] = [];
    const space: MovieSpace = { ids: [2, 1, 42], vectors: Float32Array.of(0, 3, 2, 0, 1, 1), dim: 2 };
    const definition = contentModel({ name: 'content-test', description: 'a fixed test space', provider: async (train) => (seen.push(train), space) });
    expect(definition).toMatchObject({ defaults: {}, grid: {}, tuneOn: 'ranking', needsRatedMovies: false });
    const train = trainingSet({ movies: [1, 2, 3].map((id) => movie(id)), interactions: interactionsFromRatings(RATINGS.slice(0, 1)) });
    const model = definition.create({}, 1);
    await model.fit(train);
    expect(seen).toEqual([train]);
    expect(ids(await model.similarItems(1, 5))).toEqual([2]);
    expect(await model.score({ taste: Float32Array.of(0, 1) }, [1, 2, 3, 42])).toEqual(Float32Array.of(0, 1, Number.NaN, Number.NaN));
    const malformed = contentModel({ name: 'content-bad', description: 'a space of the wrong size', provider: async () => ({ ...space, dim: 4 }) });
    await expect(malformed.create({}, 1).fit(train)).rejects.toThrow(/not 3 movies × 4 dimensions/);
  });
});

describe('a content model with the weighted profile', () => {
  /** Movies 1 and 2 orthogonal, 3 between them; user 1 rated 2 then 1 (rows listed the other way round), both 5. */
  const space: MovieSpace = { ids: [1, 2, 3], vectors: Float32Array.of(1, 0, 0, 1, 0.6, 0.8), dim: 2 };
  const ratings = [
    { userId: 1, movieId: 1, rating: 5, timestamp: 20 },
    { userId: 2, movieId: 3, rating: 4, timestamp: 5 },
    { userId: 1, movieId: 2, rating: 5, timestamp: 10 },
  ];
  const definition = contentModel({ name: 'profile-test', description: 'a fixed test space', provider: async () => space, taste: RECENCY_WEIGHTED });
  const fittedProfile = async () => {
    const model = definition.create({}, 1);
    await model.fit(trainingSet({ movies: [1, 2, 3].map((id) => movie(id)), interactions: interactionsFromRatings(ratings) }));
    return model;
  };

  it("reads a known user's training history in time order, as the same history given in the query", async () => {
    const model = await fittedProfile();
    // Movie 1 was rated last, so the taste leans to it: movie 3 scores the cosine of (1, 0.966)/|…| with (0.6, 0.8).
    const taste = weightedProfile(space.vectors, 2, [1, 0], [5, 5])!;
    expect(taste[0]).toBeGreaterThan(taste[1]!);
    const [score] = await model.score({ userId: 1 }, [3]);
    expect(score).toBeCloseTo(0.6 * taste[0]! + 0.8 * taste[1]!, 5);
    const history = [ratings[2]!, ratings[0]!].map(({ movieId, rating, timestamp }) => ({ movieId, rating, timestamp }));
    expect(await model.score({ history }, [3])).toEqual(await model.score({ userId: 1 }, [3]));
    // Given in the wrong order with their timestamps, the history is read by time all the same.
    expect(await model.score({ history: history.slice().reverse() }, [3])).toEqual(await model.score({ userId: 1 }, [3]));
  });

  it('keeps the time order through save and load', async () => {
    const model = await fittedProfile();
    const dir = join(tempDir(), 'profile-test');
    await model.save(dir);
    const loaded = definition.create({}, 1);
    await loaded.load(dir);
    expect(await loaded.score({ userId: 1 }, [1, 2, 3])).toEqual(await model.score({ userId: 1 }, [1, 2, 3]));
  });
});
