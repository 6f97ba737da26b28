import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/ingest/catalog.js';
import { readCsv } from '../../src/ingest/csv.js';
import { InputError } from '../../src/errors.js';
import { parseId, parseRating, parseTimestamp, yearFromTitle } from '../../src/ingest/fields.js';
import { readMovieLens } from '../../src/ingest/movielens.js';
import { ratingAt } from '../../src/interactions.js';
import { posterProblem, scanPosters } from '../../src/ingest/posters.js';
import { readTmdb5000 } from '../../src/ingest/tmdb5000.js';
import { silentProgress } from '../../src/progress.js';
import { defaultFixture, writeFixture } from '../support/fixtures.js';
import { solidPng } from '../support/images.js';
import { sharedData } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

const at = { file: 'f.csv', line: 7, field: 'x' };

describe('field parsers', () => {
  it('reads positive integer ids and rejects anything else with the location', () => {
    expect(parseId(' 42 ', at)).toBe(42);
    for (const bad of ['abc', '0', '-3', '1.5', '', '1e3']) {
      expect(() => parseId(bad, at)).toThrow(/^f\.csv:7 \(field "x"\): expected a positive integer id/);
    }
  });

  it('accepts ratings 0.5–5.0 in steps of 0.5 only', () => {
    expect([0.5, 1, 3.5, 5].map((r) => parseRating(String(r), at))).toEqual([0.5, 1, 3.5, 5]);
    expect(() => parseRating('5.5', at)).toThrow(/expected a rating from 0.5 to 5 in steps of 0.5, got "5.5"/);
    expect(() => parseRating('0', at)).toThrow(/in steps of 0.5/);
    expect(() => parseRating('3.3', at)).toThrow(/in steps of 0.5, got "3.3"/);
    expect(() => parseRating('great', at)).toThrow(/expected a rating number/);
  });

  it('reads Unix timestamps and years in titles', () => {
    expect(parseTimestamp('964982703', at)).toBe(964982703);
    expect(() => parseTimestamp('2001-01-01', at)).toThrow(/Unix timestamp/);
    expect(yearFromTitle('Heat (1995)')).toBe(1995);
    expect(yearFromTitle('Babylon 5 (1994–1998)')).toBe(1994);
    expect(yearFromTitle('Hyena Road')).toBeNull();
  });
});

describe('CSV reader', () => {
  const write = (text: string) => {
    const path = join(tempDir(), 'x.csv');
    writeFileSync(path, text);
    return path;
  };

  it('gives each row the line it starts on, across quoted newlines and blank lines', async () => {
    const rows = await readCsv(write('a,b\n1,"two\nlines"\n\n3,x\n'), 'x.csv', ['a', 'b']);
    expect(rows).toEqual([
      { line: 2, values: ['1', 'two\nlines'] },
      { line: 5, values: ['3', 'x'] },
    ]);
    // csv-parse counts a CRLF inside quotes as two lines; the rows after it still get their own line.
    const crlf = await readCsv(write('a,b\r\n1,"two\r\nlines"\r\n3,x\r\n\r\n4,"y"\r\n'), 'x.csv', ['a', 'b']);
    expect(crlf.map((row) => row.line)).toEqual([2, 4, 6]);
  });

  it('strips a byte-order mark before the header', async () => {
    expect(await readCsv(write('\uFEFFa,b\n1,2\n'), 'x.csv', ['a', 'b'])).toEqual([{ line: 2, values: ['1', '2'] }]);
  });

  it('names the line of a row with the wrong number of columns', async () => {
    await expect(readCsv(write('a,b\n1,2\n1,2,3\n'), 'x.csv', ['a', 'b'])).rejects.toThrow('x.csv:3: expected 2 columns (a,b), got 3');
  });

  it('names the line of malformed quoting', async () => {
    await expect(readCsv(write('a,b\n1,2\n3,"open\n'), 'x.csv', ['a', 'b'])).rejects.toThrow(/^x\.csv:3: malformed CSV: Quote Not Closed/);
  });

  it('names the line where an unclosed quote opens, not the end of the file', async () => {
    const lines = ['a,b', '1,2', '3,"open', ...Array.from({ length: 500 }, (_, i) => `${i},x`)];
    await expect(readCsv(write(`${lines.join('\n')}\n`), 'x.csv', ['a', 'b'])).rejects.toThrow(
      'x.csv:3: malformed CSV: Quote Not Closed: the quote that opens a field on this line is never closed',
    );
    // Quoted fields that close, over several lines and with doubled quotes, come before the one that does not.
    const text = 'a,b\r\n"x\r\ny","say ""hi"""\r\n\r\n5,"still ""open\r\n6,7\r\n';
    await expect(readCsv(write(text), 'x.csv', ['a', 'b'])).rejects.toThrow(/^x\.csv:5: malformed CSV: Quote Not Closed/);
  });

  it('names the line with a foreign line ending in a CRLF file, and says so', async () => {
    const text = ['a,b,c', '1,2,3', '4,5,6\n7,8,9', '10,11,12'].join('\r\n');
    await expect(readCsv(write(`${text}\r\n`), 'x.csv', ['a', 'b', 'c'])).rejects.toThrow(
      'x.csv:3: mixed line endings: this line ends with LF, but the lines before it end with CRLF',
    );
    const quotedBreakFirst = ['a,b,c', '"multi\r\nline",2,3\n7,8,9', '10,11,12'].join('\r\n');
    await expect(readCsv(write(quotedBreakFirst), 'x.csv', ['a', 'b', 'c'])).rejects.toThrow(/^x\.csv:3: mixed line endings/);
  });

  it('rejects a wrong header and an empty file', async () => {
    await expect(readCsv(write('a,c\n'), 'x.csv', ['a', 'b'])).rejects.toThrow('x.csv:1: expected the header a,b, got a,c');
    await expect(readCsv(write(''), 'x.csv', ['a', 'b'])).rejects.toThrow('x.csv:1: empty file');
  });

  it('names a missing file and a directory', async () => {
    const dir = tempDir();
    await expect(readCsv(join(dir, 'none.csv'), 'none.csv', ['a'])).rejects.toThrow(new InputError({ file: 'none.csv' }, 'file not found'));
    await expect(readCsv(dir, 'dir.csv', ['a'])).rejects.toThrow('dir.csv: expected a file, found a directory');
  });
});

describe('MovieLens reader', () => {
  it('reads movies, links, ratings and tags with their lines', async () => {
    const { movielens } = writeFixture();
    const data = await readMovieLens(movielens!);
    const movies = join(movielens!, 'movies.csv');
    expect(data.movieRecords[1]).toEqual({
      fields: { movieId: 2, title: 'Heat, the Movie (1995)', genres: ['Action', 'Crime', 'Thriller'] },
      at: { file: movies, line: 3 },
    });
    expect(data.movieRecords[2]!.fields.genres).toEqual([]);
    expect(data.movieRecords.find((r) => r.fields.movieId === 3 && 'tmdbId' in r.fields)!.fields).toEqual({ movieId: 3, imdbId: null, tmdbId: null });
    expect(data.ratings.file).toBe(join(movielens!, 'ratings.csv'));
    expect(ratingAt(data.ratings.interactions, 3)).toEqual({ userId: 2, movieId: 3, rating: 0.5, timestamp: 964983815 });
    expect([0, 5].map((row) => data.ratings.lines.lineOf(row))).toEqual([2, 7]);
    expect(data.tags.map((t) => t.value.tag)).toEqual(['pixar', 'heist, classic']);
    expect(data.missingOptional).toEqual([]);
  });

  it('treats links.csv and tags.csv as optional, movies.csv and ratings.csv as required', async () => {
    const { movielens, dir } = writeFixture({ ...defaultFixture(), links: null, tags: null });
    const data = await readMovieLens(movielens!);
    expect(data.missingOptional).toEqual([join(movielens!, 'links.csv'), join(movielens!, 'tags.csv')]);
    await expect(readMovieLens(join(dir, 'nowhere'))).rejects.toThrow(/MovieLens directory not found/);
  });
});

describe('catalog reader', () => {
  const write = (lines: string[]) => {
    const path = join(tempDir(), 'catalog.jsonl');
    writeFileSync(path, lines.join('\n'));
    return path;
  };

  it('reads every field, turning empty strings into null and ignoring the poster path', () => {
    const path = write([
      JSON.stringify({
        movieId: 7,
        title: ' Se7en (1995) ',
        year: 1995,
        genres: ['Crime'],
        overview: '',
        tagline: 'Seven deadly sins.',
        keywords: ['serial killer', ''],
        cast: ['Brad Pitt'],
        directors: ['David Fincher'],
        releaseDate: '1995-09-22',
        runtime: 0,
        language: 'en',
        imdbId: 'tt0114369',
        tmdbId: 807,
        poster: 'posters/x/7.jpg',
        extra: 'ignored',
      }),
      '',
      JSON.stringify({ movieId: 8, title: 'Sparse' }),
    ]);
    const records = readCatalog(path);
    expect(records[0]).toEqual({
      fields: {
        movieId: 7,
        title: 'Se7en (1995)',
        year: 1995,
        genres: ['Crime'],
        overview: null,
        tagline: 'Seven deadly sins.',
        keywords: ['serial killer'],
        cast: ['Brad Pitt'],
        directors: ['David Fincher'],
        releaseDate: '1995-09-22',
        runtime: null,
        language: 'en',
        imdbId: '0114369',
        tmdbId: 807,
      },
      at: { file: path, line: 1 },
    });
    expect(records[1]!.at.line).toBe(3);
    expect(records[1]!.fields).toMatchObject({ movieId: 8, genres: [], cast: [], overview: null, year: null, tmdbId: null });
  });

  it('names the line of invalid JSON, a non-object and a wrongly typed field', () => {
    const good = JSON.stringify({ movieId: 1, title: 'A' });
    expect(() => readCatalog(write([good, '{"movieId": 2,']))).toThrow(/catalog\.jsonl:2: invalid JSON/);
    expect(() => readCatalog(write(['[1,2]']))).toThrow(/catalog\.jsonl:1: expected a JSON object/);
    expect(() => readCatalog(write([good, JSON.stringify({ movieId: 2, title: 'B', year: 'nineteen' })]))).toThrow(
      /catalog\.jsonl:2 \(field "year"\): expected number.*got "nineteen"/,
    );
    expect(() => readCatalog(write([JSON.stringify({ movieId: 2, title: 'B', cast: ['A', 3] })]))).toThrow(/\(field "cast\.1"\): expected string/);
    expect(() => readCatalog(write([JSON.stringify({ title: 'No id' })]))).toThrow(/\(field "movieId"\).*got nothing/);
  });
});

describe('TMDB-5000 reader', () => {
  it('parses the JSON-in-CSV columns and maps genre names to MovieLens ones', async () => {
    const { tmdb5000 } = writeFixture();
    const rows = await readTmdb5000(tmdb5000!);
    expect(rows[1]).toEqual({
      tmdbId: 19995,
      fields: {
        title: 'Avatar (2009)',
        year: 2009,
        genres: ['Sci-Fi', 'Children'],
        overview: 'Pandora.',
        tagline: null,
        keywords: ['alien'],
        releaseDate: '2009-12-10',
        runtime: 162,
        language: 'en',
      },
      at: { file: tmdb5000, line: 3 },
    });
  });

  it('names the field of a broken JSON cell', async () => {
    const { tmdb5000 } = writeFixture();
    const text = readFileSync(tmdb5000!, 'utf8').replace('""name"":""alien""', '""name"":');
    writeFileSync(tmdb5000!, text);
    await expect(readTmdb5000(tmdb5000!)).rejects.toThrow(/tmdb_5000_movies\.csv:3 \(field "keywords"\): expected a JSON list/);
  });

  it('reads the real TMDB-5000 file', async () => {
    const rows = await readTmdb5000(sharedData('tmdb-5000', 'tmdb_5000_movies.csv'));
    expect(rows).toHaveLength(4803);
    expect(rows.find((row) => row.tmdbId === 19995)!.fields.title).toBe('Avatar (2009)');
  });
});

describe('poster scan', () => {
  it('keeps whole images by file name and warns, with the path, about empty, unreadable, corrupt and truncated files', async () => {
    const dir = tempDir();
    const posters = join(dir, 'posters');
    mkdirSync(posters);
    const png = solidPng(3, 5);
    const jpeg = readFileSync(sharedData('posters', 'ml-latest-small', '1.jpg'));
    writeFileSync(join(posters, '1.png'), png);
    writeFileSync(join(posters, '2.jpg'), jpeg);
    writeFileSync(join(posters, '3.jpg'), Buffer.alloc(0));
    writeFileSync(join(posters, '4.jpg'), 'not an image at all');
    writeFileSync(join(posters, '5.png'), png.subarray(0, png.length - 20)); // cut inside the image data
    writeFileSync(join(posters, '6.jpg'), jpeg.subarray(0, jpeg.length - 100));
    mkdirSync(join(posters, '7.jpg'));
    writeFileSync(join(posters, '8.jpg'), await sharp(png).gif().toBuffer()); // a whole image, but no poster format
    writeFileSync(join(posters, '99.jpg'), jpeg); // no such movie: ignored

    const scan = await scanPosters(posters, [1, 2, 3, 4, 5, 6, 7, 8, 9], silentProgress);
    expect(scan.root).toBe(posters);
    expect(scan.posters).toEqual(
      new Map([
        [1, '1.png'],
        [2, '2.jpg'],
      ]),
    );
    const problems = Object.fromEntries(scan.warnings.map((w) => [basename(w.location.file), w.message]));
    // The reason in parentheses is libvips' own words, which vary with several decodes at once; it is always one line.
    const doesNotDecode = (movieId: number) =>
      expect.stringMatching(new RegExp(`^corrupt poster: the image does not decode \\([^\\n]+\\); movie ${movieId} is imported without a poster$`)) as string;
    expect(problems).toEqual({
      '3.jpg': 'empty poster file; movie 3 is imported without a poster',
      '4.jpg': 'corrupt poster: not a JPEG, PNG or WebP image; movie 4 is imported without a poster',
      '5.png': doesNotDecode(5),
      '6.jpg': doesNotDecode(6),
      '7.jpg': 'unreadable poster (EISDIR); movie 7 is imported without a poster',
      '8.jpg': 'corrupt poster: not a JPEG, PNG or WebP image; movie 8 is imported without a poster',
    });
    expect(scan.warnings.map((w) => w.location.file)).toEqual(['3.jpg', '4.jpg', '5.png', '6.jpg', '7.jpg', '8.jpg'].map((name) => join(posters, name)));
  });

  it('catches a JPEG cut anywhere, even one that decoders would show half-grey', async () => {
    const path = join(tempDir(), '1.jpg');
    const jpeg = readFileSync(sharedData('posters', 'ml-latest-small', '1.jpg'));
    for (const length of [jpeg.length - 2, Math.floor(jpeg.length / 2), 700]) {
      writeFileSync(path, jpeg.subarray(0, length));
      expect(await posterProblem(path)).toMatch(/^corrupt poster: the image does not decode \(.*premature end of JPEG image\)$/);
    }
  });

  it('rejects a posters path that is missing or not a directory', async () => {
    const dir = tempDir();
    await expect(scanPosters(join(dir, 'none'), [1], silentProgress)).rejects.toThrow(InputError);
    writeFileSync(join(dir, 'file'), '');
    await expect(scanPosters(join(dir, 'file'), [1], silentProgress)).rejects.toThrow(/expected a directory of posters/);
  });

  it('accepts every real poster of the shared data', async () => {
    const posters = sharedData('posters', 'ml-latest-small');
    expect(await posterProblem(join(posters, '1.jpg'))).toBeNull();
  });
});
