import { z } from 'zod';
import { readInputFile } from './csv.js';
import { InputError, showValue } from '../errors.js';
import type { MovieRecord } from './sources.js';

/** Empty strings mean "unknown" just like null. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : null));
const textList = z
  .array(z.string())
  .nullish()
  .transform((values) => (values ?? []).map((value) => value.trim()).filter((value) => value !== ''));
const optionalId = z
  .number()
  .int()
  .positive()
  .nullish()
  .transform((value) => value ?? null);

/** One line of the catalog JSONL (fields as in shared/README.md). Unknown fields are ignored. */
export const catalogLineSchema = z.object({
  movieId: z.number().int().positive(),
  title: z.string().trim().min(1),
  year: z
    .number()
    .int()
    .min(1800)
    .max(2200)
    .nullish()
    .transform((value) => value ?? null),
  genres: textList,
  overview: optionalText,
  tagline: optionalText,
  keywords: textList,
  cast: textList,
  directors: textList,
  releaseDate: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected a date as YYYY-MM-DD')
    .nullish()
    .or(z.literal(''))
    .transform((value) => value || null),
  // TMDB writes 0 for an unknown runtime.
  runtime: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .transform((value) => value || null),
  language: optionalText,
  imdbId: z
    .union([z.string(), z.number().int().nonnegative()])
    .nullish()
    .transform((value) => (value === null || value === undefined || value === '' ? null : String(value).replace(/^tt/, ''))),
  tmdbId: optionalId,
  poster: z.string().nullish(),
});

/** Reads the catalog JSONL: one movie per line; blank lines are allowed. */
export function readCatalog(path: string): MovieRecord[] {
  const lines = readInputFile(path, path).toString('utf8').split('\n');
  const records: MovieRecord[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError({ file: path, line }, `invalid JSON: ${(error as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new InputError({ file: path, line }, `expected a JSON object (one movie per line), got ${showValue(json)}`);
    }
    const parsed = catalogLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], json);
      throw new InputError({ file: path, line, field }, `${issue.message.replace(/^Invalid input: /, '')}, got ${value === undefined ? 'nothing' : showValue(value)}`);
    }
    // The catalog's poster path is relative to a data folder it does not name; posters come from --posters.
    const { poster: _poster, ...fields } = parsed.data;
    records.push({ fields, at: { file: path, line } });
  });
  return records;
}
