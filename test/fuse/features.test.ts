import { describe, expect, it } from 'vitest';
import { fitProjection, fusionInput, fusionInputWidth, projectContent } from '../../src/fuse/features.js';
import { fixedFusion, FIXED_WEIGHTS } from '../../src/fuse/fixed.js';
import { syntheticCatalog } from '../../bench/support/synthetic-catalog.js';

describe('fusion inputs and the modality mask', async () => {
  const { inputs } = syntheticCatalog({ movies: 60 });
  const content = await projectContent(await fitProjection(inputs, { text: 8, image: 6 }, 1), inputs);
  const withPoster = inputs.hasImage.indexOf(1);
  const without = inputs.hasImage.indexOf(0);

  it('lays out [text ; image ; mask] with unit-size blocks', () => {
    const input = fusionInput(content, [withPoster, without]);
    const width = fusionInputWidth(content);
    expect(width).toBe(8 + 6 + 2);
    const row = (i: number) => input.data.subarray(i * width, (i + 1) * width);
    expect(Math.hypot(...row(0).subarray(0, 8))).toBeCloseTo(Math.sqrt(8), 4);
    expect(Math.hypot(...row(0).subarray(8, 14))).toBeCloseTo(Math.sqrt(6), 4);
    expect(Array.from(row(0).subarray(14))).toEqual([1, 1]);
    // No poster: the image block is zero and the mask says so.
    expect(Array.from(row(1).subarray(8, 14)).every((value) => value === 0)).toBe(true);
    expect(Array.from(row(1).subarray(14))).toEqual([1, 0]);
  });

  it('hides a poster on request exactly as if the movie had none (the text-only path)', () => {
    const width = fusionInputWidth(content);
    const dropped = fusionInput(content, [withPoster], () => true).data;
    const shown = fusionInput(content, [withPoster]).data;
    expect(Array.from(dropped.subarray(0, 8))).toEqual(Array.from(shown.subarray(0, 8)));
    expect(Array.from(dropped.subarray(8, width - 2)).every((value) => value === 0)).toBe(true);
    expect(Array.from(dropped.subarray(width - 2))).toEqual([1, 0]);
  });
});

describe('the fixed fusion', () => {
  it('is 0.7·text + 0.3·image of the unit projections, renormalised, and the text alone without a poster', async () => {
    const { inputs } = syntheticCatalog({ movies: 60 });
    const fixed = await fixedFusion(inputs, 6, 1);
    const content = await projectContent(await fitProjection(inputs, { text: 6, image: 6 }, 1), inputs);
    expect(fixed.dim).toBe(6);
    for (const row of [inputs.hasImage.indexOf(1), inputs.hasImage.indexOf(0)]) {
      const expected = Array.from({ length: 6 }, (_, j) =>
        inputs.hasImage[row] ? FIXED_WEIGHTS.text * content.text[row * 6 + j]! + FIXED_WEIGHTS.image * content.image[row * 6 + j]! : content.text[row * 6 + j]!,
      );
      const length = Math.hypot(...expected);
      expect(Array.from(fixed.vectors.subarray(row * 6, (row + 1) * 6)).map((value) => value.toFixed(5))).toEqual(expected.map((value) => (value / length).toFixed(5)));
    }
  });
});
