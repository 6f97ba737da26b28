import { Option } from 'commander';
import { z } from 'zod';
import { loadConfig, settingSource } from '../config.js';
import { resolve } from 'node:path';
import { formatLocation, UsageError } from '../errors.js';
import { isPostgresUrl } from '../store/open.js';

/** A --db, --from or --to value. */
export const storeFlag = z.string().trim().min(1, 'expected a SQLite file or a postgres:// URL');

/** A file or directory argument. */
export const pathFlag = z.string().min(1, 'expected a path');

export const jsonFlag = z.boolean().optional();

/** `--db`, the same in every command: its default comes from the environment, and the help says so. */
export function dbOption(): Option {
  return new Option('--db <db>', 'SQLite file or postgres:// URL').default(loadConfig().db, settingSource('db'));
}

/**
 * Where a store's fitted artifacts live unless --artifacts says otherwise: beside a SQLite file (`films.db` →
 * `films.artifacts/`), `./reelsense-artifacts` for a PostgreSQL store.
 */
export function defaultArtifactsDir(db: string): string {
  return isPostgresUrl(db) ? resolve('reelsense-artifacts') : resolve(db).replace(/(\.[^./]*)?$/, '.artifacts');
}

/** `--artifacts`, the same in every command that reads or writes fitted encoders and models. */
export function artifactsOption(): Option {
  return new Option('--artifacts <dir>', 'directory of fitted encoders and models').default(
    loadConfig().artifacts,
    '$REELSENSE_ARTIFACTS, or <db>.artifacts beside a SQLite file',
  );
}

/** The flag as typed, from the camelCase key commander stores its value under: `maxItems` → `--max-items`. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** Validates a command's flags; the first problem becomes one line naming the flag: `command line (field "--k"): …`. */
export function parseFlags<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [key] = issue.path;
  const location = key === undefined ? { file: 'command line' } : { file: 'command line', field: flagName(key) };
  throw new UsageError(`${formatLocation(location)}: ${issue.message}`);
}
