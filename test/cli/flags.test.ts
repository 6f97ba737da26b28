import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { dbOption, flagName, parseFlags, storeFlag } from '../../src/cli/flags.js';
import { isUserError, UsageError } from '../../src/errors.js';

const schema = z.object({
  db: storeFlag,
  k: z.coerce.number().int().min(1),
  maxUsers: z.coerce.number().int().min(1).optional(),
});

/** The error `parseFlags` throws for `raw`. */
function rejection(raw: unknown, against: z.ZodType = schema): Error {
  try {
    parseFlags(against, raw);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
}

describe('parseFlags', () => {
  it('returns the parsed flags', () => {
    expect(parseFlags(schema, { db: ' my.db ', k: '10' })).toEqual({ db: 'my.db', k: 10 });
  });

  it('turns the first bad flag into one usage error that names the flag as typed', () => {
    const error = rejection({ db: 'my.db', k: '0' });
    expect(error).toBeInstanceOf(UsageError);
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/^command line \(field "--k"\): .*>=1/);
  });

  it('names a camelCase flag the way commander reads it from the command line', () => {
    expect(rejection({ db: 'my.db', k: '1', maxUsers: 'many' }).message).toMatch(/^command line \(field "--max-users"\): /);
    expect(flagName('tmdb5000')).toBe('--tmdb5000');
  });

  it('says what a store flag expects', () => {
    expect(rejection({ db: '  ', k: '1' }).message).toBe('command line (field "--db"): expected a SQLite file or a postgres:// URL');
  });

  it('reports a problem with the flags together without a field', () => {
    const together = z.object({ a: z.string().optional(), b: z.string().optional() }).refine((flags) => flags.a ?? flags.b, 'give --a or --b');
    expect(rejection({}, together).message).toBe('command line: give --a or --b');
  });
});

describe('dbOption', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to REELSENSE_DB, else reelsense.db', () => {
    vi.stubEnv('REELSENSE_DB', 'postgres://db.example/reelsense');
    expect(dbOption().defaultValue).toBe('postgres://db.example/reelsense');
    vi.stubEnv('REELSENSE_DB', undefined);
    expect(dbOption().defaultValue).toBe('reelsense.db');
  });
});
