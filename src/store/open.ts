import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** Refuse to create a new database (for commands that only read). */
  mustExist?: boolean;
}

/** Thrown when the --db value cannot be opened; the CLI prints its message as is. */
export class StoreLocationError extends Error {
  override name = 'StoreLocationError';
}

/** Opens the store that a --db value names: a file path means SQLite. */
export async function openStore(target: string, options: OpenOptions = {}): Promise<Store> {
  const path = resolve(target);
  if (!existsSync(path)) {
    if (options.mustExist) throw new StoreLocationError(`database not found: ${target} (run \`reelsense ingest --db ${target} …\` first)`);
    if (!existsSync(dirname(path))) throw new StoreLocationError(`cannot create database ${target}: directory ${dirname(path)} does not exist`);
  }
  return new SqliteStore(path);
}

/** Whether a --db value names a database that already exists (so a failed first import can remove what it created). */
export function storeExists(target: string): boolean {
  return existsSync(resolve(target));
}
