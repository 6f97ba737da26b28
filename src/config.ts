import { UsageError } from './errors.js';

/** Settings every command shares: built-in defaults, overridden by REELSENSE_* environment variables, then by flags. */
export interface Config {
  /** Where the store lives: a SQLite file path or a postgres:// URL. */
  db: string;
  /** The dataset name inside a data directory laid out like shared/data. */
  dataset: string;
  /** Where to read posters from instead of the posters root the store recorded at import (REELSENSE_POSTERS). */
  posters?: string;
}

/** Each setting's environment variable and built-in default (none: unset unless given). */
const SETTINGS = {
  db: { variable: 'REELSENSE_DB', fallback: 'reelsense.db' },
  dataset: { variable: 'REELSENSE_DATASET', fallback: 'ml-latest-small' },
  posters: { variable: 'REELSENSE_POSTERS', fallback: undefined },
} as const satisfies Record<keyof Config, { variable: string; fallback: string | undefined }>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const posters = settingValue('posters', environment);
  return { db: settingValue('db', environment), dataset: settingValue('dataset', environment), ...(posters ? { posters } : {}) };
}

function settingValue<Name extends keyof Config>(name: Name, environment: NodeJS.ProcessEnv): (typeof SETTINGS)[Name]['fallback'] | string {
  const { variable, fallback } = SETTINGS[name];
  const value = environment[variable];
  if (value === undefined) return fallback;
  if (value.trim() === '') throw new UsageError(`environment variable ${variable} is empty: unset it or give it a value`);
  return value;
}

/** Where a setting's default comes from, for help texts: `$REELSENSE_DB or reelsense.db`. */
export function settingSource(name: keyof Config): string {
  const { variable, fallback } = SETTINGS[name];
  return fallback === undefined ? `$${variable}` : `$${variable} or ${fallback}`;
}
