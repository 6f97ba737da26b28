import { Command } from 'commander';
import { z } from 'zod';
import { isValidRating, MAX_RATING, MIN_RATING, RATING_STEP, type Movie } from '../domain.js';
import { DEFAULT_MODELS_DIR, MODELS_ENV, modelSource } from '../encode/models.js';
import { RecommendationService } from '../recommend/service.js';
import type { Store } from '../store/store.js';
import { artifactsOption, dbOption, defaultArtifactsDir, pathFlag } from './flags.js';
import { withStore } from './store.js';

/** The flags every command on the recommendation service takes. */
export const serviceFlags = { artifacts: pathFlag.optional(), models: pathFlag.optional() };

export const movieIdFlag = z
  .string()
  .regex(/^[1-9]\d*$/, 'expected a movie id (a positive whole number)')
  .transform(Number);
export const userIdFlag = z
  .string()
  .regex(/^[1-9]\d*$/, 'expected a user id (a positive whole number)')
  .transform(Number);
export const ratingFlag = z
  .string()
  .regex(/^\d+(\.\d+)?$/, `expected a rating from ${MIN_RATING} to ${MAX_RATING}`)
  .transform(Number)
  .refine(isValidRating, `expected a rating from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}`);

export function withServiceOptions(command: Command): Command {
  return command
    .addOption(dbOption())
    .addOption(artifactsOption())
    .option('--models <dir>', `pretrained model directory, for free-text tastes (default: $${MODELS_ENV}, else ${DEFAULT_MODELS_DIR})`);
}

/** Opens the store and the service on it (the fitted stages from the artifacts directory), runs `work`, closes the store. */
export function withService<T>(
  flags: { db: string; artifacts?: string | undefined; models?: string | undefined },
  work: (service: RecommendationService, store: Store) => Promise<T>,
): Promise<T> {
  return withStore(flags.db, { create: false }, async (store) => {
    const service = await RecommendationService.open(store, {
      artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db),
      models: modelSource(flags.models ? { models: flags.models } : {}),
    });
    return work(service, store);
  });
}

/** A movie as one table cell: `Title (1999)` already carries the year in MovieLens titles. */
export const movieCells = (movie: Movie | undefined) => [movie?.title ?? '?', movie?.genres.join('|') ?? ''];
