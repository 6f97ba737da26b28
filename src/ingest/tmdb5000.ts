import { z } from 'zod';
import { readCsv, type BytesRead } from './csv.js';
import { InputError, showValue, type InputLocation } from '../errors.js';
import { parseId } from './fields.js';
import type { TmdbRecord } from './sources.js';

export const TMDB5000_HEADER = [
  'budget',
  'genres',
  'homepage',
  'id',
  'keywords',
  'original_language',
  'original_title',
  'overview',
  'popularity',
  'production_companies',
  'production_countries',
  'release_date',
  'revenue',
  'runtime',
  'spoken_languages',
  'status',
  'tagline',
  'title',
  'vote_average',
  'vote_count',
] as const;

const column = (name: (typeof TMDB5000_HEADER)[number]) => TMDB5000_HEADER.indexOf(name);

/** TMDB names some genres differently from MovieLens; the rest (History, TV Movie, Foreign) are kept as they are. */
const MOVIELENS_GENRE: Record<string, string> = {
  'Science Fiction': 'Sci-Fi',
  Family: 'Children',
  Music: 'Musical',
};

const namedList = z.array(z.object({ name: z.string() }));

/** Reads the TMDB-5000 movies table: JSON-in-CSV `genres` and `keywords` columns. */
export async function readTmdb5000(path: string, onBytes?: BytesRead): Promise<TmdbRecord[]> {
  return (await readCsv(path, path, TMDB5000_HEADER, onBytes)).map(({ line, values }) => {
    const at = (field: string): InputLocation => ({ file: path, line, field });
    const text = (name: (typeof TMDB5000_HEADER)[number]) => {
      const value = values[column(name)]!.trim();
      return value === '' ? null : value;
    };
    const title = text('title');
    if (title === null) throw new InputError(at('title'), 'expected a non-empty title');
    const releaseDate = text('release_date');
    if (releaseDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(releaseDate)) {
      throw new InputError(at('release_date'), `expected a date as YYYY-MM-DD, got ${showValue(releaseDate)}`);
    }
    const year = releaseDate === null ? null : Number(releaseDate.slice(0, 4));
    return {
      tmdbId: parseId(values[column('id')]!, at('id')),
      fields: {
        title: year === null ? title : `${title} (${year})`,
        year,
        genres: parseNamedList(values[column('genres')]!, at('genres')).map((name) => MOVIELENS_GENRE[name] ?? name),
        overview: text('overview'),
        tagline: text('tagline'),
        keywords: parseNamedList(values[column('keywords')]!, at('keywords')),
        releaseDate,
        runtime: parseRuntime(text('runtime'), at('runtime')),
        language: text('original_language'),
      },
      at: { file: path, line },
    };
  });
}

function parseNamedList(raw: string, at: InputLocation): string[] {
  if (raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new InputError(at, `expected a JSON list like [{"id": 1, "name": "..."}], got invalid JSON (${(error as Error).message})`);
  }
  const parsed = namedList.safeParse(json);
  if (!parsed.success) throw new InputError(at, `expected a JSON list of objects with a "name" string, got ${showValue(json)}`);
  return parsed.data.map(({ name }) => name.trim()).filter((name) => name !== '');
}

/** Minutes; TMDB writes 0 or nothing when unknown, and sometimes a float like "162.0". */
function parseRuntime(raw: string | null, at: InputLocation): number | null {
  if (raw === null) return null;
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0) throw new InputError(at, `expected a runtime in minutes, got ${showValue(raw)}`);
  return minutes === 0 ? null : Math.round(minutes);
}
