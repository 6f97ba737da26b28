import { describe, expect, it } from 'vitest';
import { blendScores, fitBlend, HISTORY_KNOTS, knotShares, SIGNALS, standardise, weightsFor, type BlendQuery } from '../../src/rank/blend.js';
import { seededRandom } from '../../src/math/random.js';

const S = SIGNALS.length;
const signal = (name: (typeof SIGNALS)[number]) => SIGNALS.indexOf(name);

describe('standardise', () => {
  it('gives every signal mean 0 and deviation 1 over the candidates; a constant or unscored signal becomes 0', () => {
    const count = 4;
    const signals = new Float32Array(count * S);
    for (let c = 0; c < count; c++) {
      signals[c * S + signal('tower')] = c;
      signals[c * S + signal('ease')] = 7;
      signals[c * S + signal('mf')] = Number.NaN;
    }
    standardise(signals, count);
    const column = (k: number) => Array.from({ length: count }, (_, c) => signals[c * S + k]!);
    const tower = column(signal('tower'));
    expect(tower.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(tower.reduce((a, b) => a + b * b, 0) / count).toBeCloseTo(1, 5);
    expect(column(signal('ease'))).toEqual([0, 0, 0, 0]);
    expect(column(signal('mf'))).toEqual([0, 0, 0, 0]);
  });
});

describe('knotShares', () => {
  it('puts a history on its knot, or between its two neighbours in log length, and holds the ends', () => {
    const at = (length: number) => Array.from(knotShares(length));
    expect(at(0)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(at(HISTORY_KNOTS[1])).toEqual([0, 1, 0, 0, 0, 0]);
    expect(at(100_000)).toEqual([0, 0, 0, 0, 0, 1]);
    const between = at(5);
    expect(between[1]! + between[2]!).toBeCloseTo(1, 12);
    expect(between[1]).toBeCloseTo((Math.log1p(10) - Math.log1p(5)) / (Math.log1p(10) - Math.log1p(3)), 12);
  });
});

describe('fitBlend', () => {
  /**
   * Histories of one rating like what popularity ranks first, of 20 what the taste signal does, of 400 what EASE
   * does; the other signals are noise. A blend whose weights were a straight line in history length could not learn
   * all three; one that sees the length at its knots must.
   */
  const regimes = [
    { historyLength: 1, guide: signal('popularity') },
    { historyLength: 20, guide: signal('taste') },
    { historyLength: 400, guide: signal('ease') },
  ];
  function queries(seed: number): BlendQuery[] {
    const random = seededRandom(seed);
    return Array.from({ length: 450 }, (_, q) => {
      const count = 40;
      const { historyLength, guide } = regimes[q % regimes.length]!;
      const signals = Float32Array.from({ length: count * S }, () => random() * 2 - 1);
      let best = 0;
      for (let c = 1; c < count; c++) if (signals[c * S + guide]! > signals[best * S + guide]!) best = c;
      return { signals: standardise(signals, count), count, positives: Int32Array.of(best), historyLength };
    });
  }

  it('learns weights that move with history length, and ranks held-out queries by them', () => {
    const fit = fitBlend(queries(1));
    expect(fit.loss.end).toBeLessThan(fit.loss.start * 0.7);
    const weightAt = (length: number, name: (typeof SIGNALS)[number]) => weightsFor(fit.weights, length)[signal(name)]!;
    for (const { historyLength, guide } of regimes) {
      const others = SIGNALS.filter((name) => signal(name) !== guide).map((name) => Math.abs(weightAt(historyLength, name)));
      expect(weightAt(historyLength, SIGNALS[guide]!)).toBeGreaterThan(2 * Math.max(...others));
    }
    let hits = 0;
    const held = queries(2);
    for (const query of held) {
      const scores = blendScores(fit.weights, query.signals, query.count, query.historyLength);
      let best = 0;
      for (let c = 1; c < query.count; c++) if (scores[c]! > scores[best]!) best = c;
      if (best === query.positives[0]) hits++;
    }
    expect(hits / held.length).toBeGreaterThan(0.8);
  });
});
