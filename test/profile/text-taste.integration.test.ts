/**
 * A free-text taste through the production text path: the real MiniLM and tfidf-svd encode the sentence, the fusion's
 * text-only path maps it into the DNA, on the served sample of the real catalog (test/support/served-sample.ts);
 * test/fuse/shared-data runs the same CLI on the whole catalog with tfidf-svd alone.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { servedSample } from '../support/served-sample.js';
import { tempDir } from '../support/tmp.js';

describe('a free-text taste through MiniLM, tfidf-svd and the fusion text-only path', () => {
  it('fills the top of the list with the genres the sentence names, among ~400 real movies', { timeout: 600_000 }, async () => {
    const { db, models, movies: sample } = await servedSample();

    const recommend = await runCli(['recommend', '--db', db, '--models', models, '--text', 'animated family adventure', '--n', '10', '--json']);
    expect([recommend.status, recommend.stderr]).toEqual([0, '']);
    const items = (JSON.parse(recommend.stdout) as { items: { genres: string[] }[] }).items;
    const family = (genres: string[]) => genres.some((genre) => genre === 'Animation' || genre === 'Children');
    const catalogShare = sample.filter((movie) => family(movie.genres)).length / sample.length;
    expect(catalogShare).toBeLessThan(0.15);
    expect(items.filter((item) => family(item.genres)).length / items.length).toBeGreaterThanOrEqual(0.6);

    // Without the model directory the sentence cannot be encoded: one line that says where the weights were looked for.
    const missing = await runCli(['recommend', '--db', db, '--models', tempDir(), '--text', 'space opera']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*minilm.*\n$/i);
  });
});
