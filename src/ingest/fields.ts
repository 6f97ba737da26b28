import { MAX_RATING, MIN_RATING, RATING_STEP } from '../domain.js';
import { InputError, showValue, type InputLocation } from '../errors.js';

/** A positive integer id such as movieId, userId or tmdbId. */
export function parseId(raw: string, at: InputLocation): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InputError(at, `expected a positive integer id, got ${showValue(raw)}`);
  }
  return Number(value);
}

const INT32_MAX = 2 ** 31 - 1;

/** An id that is stored in an Int32Array (userId and movieId of a rating). */
export function parseInt32Id(raw: string, at: InputLocation): number {
  const value = parseId(raw, at);
  if (value > INT32_MAX) throw new InputError(at, `expected a positive integer id up to ${INT32_MAX}, got ${showValue(raw)}`);
  return value;
}

/** A rating on the MovieLens scale: 0.5–5.0 in steps of 0.5. */
export function parseRating(raw: string, at: InputLocation): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new InputError(at, `expected a rating number from ${MIN_RATING} to ${MAX_RATING}, got ${showValue(raw)}`);
  }
  if (value < MIN_RATING || value > MAX_RATING || !Number.isInteger(value / RATING_STEP)) {
    throw new InputError(at, `expected a rating from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}, got ${showValue(raw)}`);
  }
  return value;
}

/** Unix time in whole seconds, as MovieLens writes it. */
export function parseTimestamp(raw: string, at: InputLocation): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InputError(at, `expected a Unix timestamp in seconds (a non-negative integer), got ${showValue(raw)}`);
  }
  return Number(value);
}

/** The year in a MovieLens title such as "Heat (1995)", or null. */
export function yearFromTitle(title: string): number | null {
  const match = /\((\d{4})(?:[–-]\d{0,4})?\)\s*$/.exec(title);
  return match ? Number(match[1]) : null;
}
