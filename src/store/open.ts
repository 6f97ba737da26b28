import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import { StoreLocationError } from '../errors.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** Refuse to create a new database (for commands that only read). */
  mustExist?: boolean;
}

/** Whether a --db value is a PostgreSQL URL rather than a SQLite file path. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Opens the store that a --db value names: a `postgres://` or `postgresql://` URL means PostgreSQL, anything else a SQLite file. */
export async function openStore(target: string, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(target)) return PostgresStore.open(target, options);
  const path = resolve(target);
  if (!existsSync(path)) {
    if (options.mustExist) throw new StoreLocationError(`database not found: ${target} (run \`reelsense ingest --db ${target} …\` first)`);
    if (!existsSync(dirname(path))) throw new StoreLocationError(`cannot create database ${target}: directory ${dirname(path)} does not exist`);
  } else if (statSync(path).isDirectory()) {
    throw new StoreLocationError(`${target} is a directory, not a database: name a SQLite file (e.g. ${join(target, 'reelsense.db')}) or a postgres:// URL`);
  }
  return new SqliteStore(path);
}

/**
 * Whether a --db value names a database that already exists (so a failed first import can remove what it created).
 * A PostgreSQL database always counts as existing: reelsense never creates or drops one.
 */
export function storeExists(target: string): boolean {
  return isPostgresUrl(target) || existsSync(resolve(target));
}
