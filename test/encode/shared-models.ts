import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelSource, type ModelSource } from '../../src/encode/models.js';
import { SHARED_DATA } from '../support/paths.js';

/** The shared pretrained models beside the shared data; fails loudly when missing, so no test passes by skipping. */
export function sharedModels(): ModelSource {
  const dir = join(dirname(SHARED_DATA), 'models');
  if (!existsSync(dir)) throw new Error(`shared models not found at ${dir}: put shared/ beside the repository or set REELSENSE_SHARED_DATA`);
  return modelSource({ models: dir });
}
