import { UsageError } from './errors.js';

/** Settings every command shares: built-in defaults, overridden by REELSENSE_* environment variables, then by flags. */
export interface Config {
  /** Where the store lives: a SQLite file path or a postgres:// URL. */
  db: string;
  /** The dataset name inside a data directory laid out like shared/data. */
  dataset: string;
}

/** Each setting's environment variable and built-in default. */
const SETTINGS: Record<keyof Config, { variable: string; fallback: string }> = {
  db: { variable: 'REELSENSE_DB', fallback: 'reelsense.db' },
  dataset: { variable: 'REELSENSE_DATASET', fallback: 'ml-latest-small' },
};

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  return { db: settingValue('db', environment), dataset: settingValue('dataset', environment) };
}

function settingValue(name: keyof Config, environment: NodeJS.ProcessEnv): string {
  const { variable, fallback } = SETTINGS[name];
  const value = environment[variable];
  if (value === undefined) return fallback;
  if (value.trim() === '') throw new UsageError(`environment variable ${variable} is empty: unset it or give it a value`);
  return value;
}

/** Where a setting's default comes from, for help texts: `$REELSENSE_DB or reelsense.db`. */
export function settingSource(name: keyof Config): string {
  const { variable, fallback } = SETTINGS[name];
  return `$${variable} or ${fallback}`;
}
