import { describe, expect, it } from 'vitest';
import { saveArtifact } from '../../src/artifacts.js';
import { seededRandom } from '../../src/math/random.js';
import { dot } from '../../src/math/vector.js';
import { TfidfSvdEncoder } from '../../src/encode/tfidf-svd.js';
import { textEncoder } from '../../src/encode/text.js';
import { tempDir } from '../support/tmp.js';

const TOPICS = [
  ['space', 'rocket', 'astronaut', 'planet', 'orbit', 'alien', 'galaxy', 'station'],
  ['detective', 'murder', 'police', 'crime', 'clue', 'suspect', 'heist', 'gang'],
  ['love', 'wedding', 'romance', 'heart', 'kiss', 'bride', 'couple', 'date'],
];

/** Texts of ten words each from one topic (index i % 3), plus some shared filler. */
function corpus(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    const words = Array.from({ length: 10 }, () => topic[Math.floor(random() * topic.length)]!);
    return `${words.join(' ')} film story`;
  });
}

const texts = corpus(60, 1);
const options = { dim: 6, seed: 3, minDf: 2, maxDfRatio: 0.9 };

describe('tfidf-svd', () => {
  it('gives unit vectors that put texts of one topic together', async () => {
    const encoder = TfidfSvdEncoder.fit(texts, options);
    expect(encoder.dim).toBe(6);
    const vectors = await encoder.encode(texts);
    for (let i = 0; i < texts.length; i++) expect(dot(vectors, vectors, 6, i * 6, i * 6)).toBeCloseTo(1, 5);
    const similarity = (a: number, b: number) => dot(vectors, vectors, 6, a * 6, b * 6);
    expect(similarity(0, 3)).toBeGreaterThan(similarity(0, 1) + 0.3);
    expect(similarity(1, 4)).toBeGreaterThan(similarity(1, 2) + 0.3);
  });

  it('encodes the fitted corpus and the same texts given later alike', async () => {
    const encoder = TfidfSvdEncoder.fit(texts, options);
    const whole = await encoder.encode(texts);
    const one = await encoder.encode([texts[5]!]);
    Array.from(one).forEach((value, j) => expect(value).toBeCloseTo(whole[5 * 6 + j]!, 5));
  });

  it('is deterministic: the same corpus and seed give the same vectors and version; another corpus another version', async () => {
    const first = TfidfSvdEncoder.fit(texts, options);
    const again = TfidfSvdEncoder.fit([...texts], options);
    expect(again.version).toBe(first.version);
    expect(Array.from(await again.encode(texts))).toEqual(Array.from(await first.encode(texts)));
    expect(TfidfSvdEncoder.fit(corpus(60, 2), options).version).not.toBe(first.version);
  });

  it('has fewer dimensions than asked when the corpus is small, and all-zero rows for texts with no known word', async () => {
    const encoder = TfidfSvdEncoder.fit(['space rocket', 'space orbit', 'rocket orbit'], { minDf: 1 });
    expect(encoder.dim).toBe(3);
    const [x, y, z] = await encoder.encode(['nothing known']);
    expect([x, y, z]).toEqual([0, 0, 0]);
  });

  it('saves its fit as an encoder artifact that encodes new texts the same way', async () => {
    const dir = tempDir();
    const fitted = (await textEncoder('tfidf-svd', { corpus: texts, tfidfSvd: options })) as TfidfSvdEncoder;
    await fitted.save(`${dir}/tfidf-svd`);
    const loaded = await textEncoder('tfidf-svd', { fitted: `${dir}/tfidf-svd` });
    expect([loaded.id, loaded.version, loaded.dim]).toEqual([fitted.id, fitted.version, fitted.dim]);
    const query = ['a heist by a gang of police suspects', 'rocket to a galaxy far away'];
    expect(Array.from(await loaded.encode(query))).toEqual(Array.from(await fitted.encode(query)));
  });

  it('refuses an artifact that is not a tfidf-svd fit', async () => {
    const dir = tempDir();
    await saveArtifact(`${dir}/other`, { kind: 'model', name: 'popularity', version: '1', params: {}, seed: null, datasetHash: null, trainedOn: null }, {});
    await expect(TfidfSvdEncoder.load(`${dir}/other`)).rejects.toThrow('expected a tfidf-svd encoder, found the model "popularity"');
  });
});
