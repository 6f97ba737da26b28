import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared data directory: REELSENSE_SHARED_DATA, else ../shared/data beside the repository. */
export const SHARED_DATA = process.env.REELSENSE_SHARED_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data');

/** Fails loudly when the shared data is missing: an integration test must never pass by skipping. */
export function sharedData(...parts: string[]): string {
  const path = join(SHARED_DATA, ...parts);
  if (!existsSync(path)) throw new Error(`shared data not found at ${path}: put shared/ beside the repository or set REELSENSE_SHARED_DATA`);
  return path;
}
