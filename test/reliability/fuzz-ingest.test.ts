/**
 * Property-based tests (fast-check) of every file the import reads: movies.csv, ratings.csv, links.csv, tags.csv, the
 * catalog JSONL and the TMDB-5000 CSV, each mutated at random (a field replaced by a boundary or random value, a line
 * added or cut, lone surrogates). Whatever the input: the import either lands whole, or fails with
 * an InputError that names the file, and then the store is exactly as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/cli/store.js';
import { InputError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/open.js';
import { join } from 'node:path';
import { defaultFixture, writeFixture, type FixtureFiles } from '../support/fixtures.js';
import { dumpStore } from '../support/dump.js';
import { closing } from '../support/stores.js';
import { tempDir } from '../support/tmp.js';

type TextFile = Exclude<keyof FixtureFiles, 'catalog'>;

/** Values that have broken parsers before: empty, signs, huge, fractional, NaN, quotes, separators, unicode, JSON. */
const boundary = fc.constantFrom('', '-1', '0', '1e309', '9007199254740993', '2.75', 'NaN', '"', '""', ',', '\t', '|', '\u0000', 'é', '🎬', '{}', '[1,', 'null', ' 5 ');
const value = fc.oneof(boundary, fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String));

type Mutation =
  | { kind: 'field'; line: number; field: number; value: string }
  | { kind: 'add'; line: number; text: string }
  | { kind: 'cut'; line: number }
  | { kind: 'bytes'; line: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), line: fc.nat(8), field: fc.nat(20), value }),
  fc.record({
    kind: fc.constant('add' as const),
    line: fc.nat(8),
    text: fc.oneof(
      fc.array(value, { maxLength: 6 }).map((fields) => fields.join(',')),
      fc.string(),
    ),
  }),
  fc.record({ kind: fc.constant('cut' as const), line: fc.nat(8) }),
  fc.record({ kind: fc.constant('bytes' as const), line: fc.nat(8) }),
);

/** Applies a mutation to a file's lines (CSV fields split naïvely: a mutation may well break the quoting, as typos do). */
function mutate(lines: string[], change: Mutation): string[] {
  const out = [...lines];
  const at = change.line % Math.max(1, out.length);
  if (change.kind === 'add') out.splice(at, 0, change.text);
  else if (change.kind === 'cut') out.splice(at, 1);
  else if (change.kind === 'bytes') out[at] = `${out[at] ?? ''}\udc80\ud800`;
  else {
    const fields = (out[at] ?? '').split(',');
    fields[change.field % Math.max(1, fields.length)] = change.value;
    out[at] = fields.join(',');
  }
  return out;
}

/** A catalog line's field replaced by another JSON value (or the line by raw text). */
const catalogMutation = fc.record({
  line: fc.nat(3),
  field: fc.constantFrom('movieId', 'title', 'year', 'genres', 'keywords', 'cast', 'runtime', 'tmdbId', 'poster', 'releaseDate', 'language'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), boundary),
  raw: fc.boolean(),
});

const FILES: TextFile[] = ['movies', 'ratings', 'links', 'tags', 'tmdb5000'];

describe('the import under random and boundary input', () => {
  it('lands whole or fails with an InputError naming the file, and then leaves the store as it was', { timeout: 300_000 }, async () => {
    // A store that already holds the good dataset: a failed import must not touch it.
    const db = join(tempDir(), 'fuzz.db');
    const good = writeFixture();
    await withStore(db, { create: true }, (store) => ingest(store, good));
    const outcomes = { landed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES, 'catalog' as const),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        catalogMutation,
        async (file, changes, catalogChange) => {
          const files = defaultFixture();
          if (file === 'catalog') {
            const lines = [...files.catalog];
            const index = catalogChange.line % lines.length;
            const parsed = JSON.parse(lines[index]!) as Record<string, unknown>;
            lines[index] =
              catalogChange.raw && typeof catalogChange.value === 'string'
                ? catalogChange.value
                : JSON.stringify({ ...parsed, [catalogChange.field]: catalogChange.value });
            files.catalog = lines;
          } else {
            files[file] = changes.reduce((lines, change) => mutate(lines, change), (files[file] ?? '').split('\n')).join('\n');
          }
          const sources = writeFixture(files);
          await closing(openStore(db, { mustExist: true }), async (store) => {
            const before = await dumpStore(store);
            try {
              await ingest(store, sources);
              outcomes.landed++;
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              outcomes.refused++;
              expect(error.location.file).toMatch(/\.(csv|jsonl)$|ml$|posters$/);
              expect(await dumpStore(store)).toEqual(before);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
    // The mutations reach both outcomes, so each check above has run.
    expect(outcomes.landed).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});
