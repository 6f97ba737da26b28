import { describe, expect, it } from 'vitest';
import { loadConfig, settingSource } from '../src/config.js';
import { UsageError } from '../src/errors.js';

describe('loadConfig', () => {
  it('uses the built-in defaults without REELSENSE_* variables', () => {
    expect(loadConfig({})).toEqual({ db: 'reelsense.db', dataset: 'ml-latest-small' });
  });

  it('takes REELSENSE_DB and REELSENSE_DATASET from the environment', () => {
    expect(loadConfig({ REELSENSE_DB: 'postgres://db.example/r', REELSENSE_DATASET: 'ml-25m' })).toEqual({ db: 'postgres://db.example/r', dataset: 'ml-25m' });
  });

  it('refuses an empty variable with a usage error naming it', () => {
    expect(() => loadConfig({ REELSENSE_DATASET: ' ' })).toThrow(new UsageError('environment variable REELSENSE_DATASET is empty: unset it or give it a value'));
  });

  it('says where a default comes from, for help texts', () => {
    expect(settingSource('db')).toBe('$REELSENSE_DB or reelsense.db');
  });
});
