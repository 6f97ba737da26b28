import { z } from 'zod';

/** Settings every command shares: built-in defaults, overridden by REELSENSE_* environment variables, then by flags. */
export interface Config {
  /** Where the store lives: a SQLite file path or a postgres:// URL. */
  db: string;
  /** The dataset name inside a data directory laid out like shared/data. */
  dataset: string;
  /** Where to read posters from instead of the posters root the store recorded at import (REELSENSE_POSTERS). */
  posters?: string;
}

const environmentSchema = z.object({
  REELSENSE_DB: z.string().min(1).optional(),
  REELSENSE_DATASET: z.string().min(1).optional(),
  REELSENSE_POSTERS: z.string().min(1).optional(),
});

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return {
    db: parsed.data.REELSENSE_DB ?? 'reelsense.db',
    dataset: parsed.data.REELSENSE_DATASET ?? 'ml-latest-small',
    posters: parsed.data.REELSENSE_POSTERS,
  };
}
