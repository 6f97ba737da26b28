import { describe, expect, it } from 'vitest';
import { blendScores, fitBlend, historyShare, SIGNALS, standardise, type BlendQuery } from '../../src/rank/blend.js';
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

describe('fitBlend', () => {
  /**
   * Short histories like what the taste signal ranks first, long ones what EASE ranks first; the other signals are
   * noise. A blend that sees history length must learn both.
   */
  function queries(seed: number): BlendQuery[] {
    const random = seededRandom(seed);
    return Array.from({ length: 500 }, (_, q) => {
      const count = 40;
      const historyLength = q % 2 === 0 ? 1 : 400;
      const signals = Float32Array.from({ length: count * S }, () => random() * 2 - 1);
      const guide = historyLength === 1 ? signal('taste') : signal('ease');
      let best = 0;
      for (let c = 1; c < count; c++) if (signals[c * S + guide]! > signals[best * S + guide]!) best = c;
      return {
        movieIds: Int32Array.from({ length: count }, (_, c) => c + 1),
        signals: standardise(signals, count),
        count,
        positives: Int32Array.of(best),
        historyLength,
      };
    });
  }

  it('learns weights that move with history length, and ranks held-out queries by them', () => {
    const fit = fitBlend(queries(1));
    expect(fit.loss.end).toBeLessThan(fit.loss.start * 0.7);
    const weightAt = (length: number, name: (typeof SIGNALS)[number]) => fit.weights.base[signal(name)]! + historyShare(length) * fit.weights.byHistory[signal(name)]!;
    expect(weightAt(1, 'taste')).toBeGreaterThan(2 * Math.abs(weightAt(1, 'ease')));
    expect(weightAt(400, 'ease')).toBeGreaterThan(2 * Math.abs(weightAt(400, 'taste')));
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
