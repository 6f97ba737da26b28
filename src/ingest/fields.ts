import { isValidRating, MAX_RATING, MIN_RATING, RATING_STEP } from '../domain.js';
import { InputError, showValue, type InputLocation } from '../errors.js';

/**
 * The value of `raw` when it is ASCII digits (whitespace around them allowed), else NaN. Runs for every id and
 * timestamp of an import, so plain digits take a loop without regex or trimming.
 */
function wholeNumber(raw: string): number {
  let value = 0;
  for (let i = 0; i < raw.length; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      const trimmed = raw.trim();
      return trimmed !== raw && /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    }
    value = value * 10 + digit;
  }
  return raw.length === 0 ? Number.NaN : value;
}

/** A positive integer id such as movieId, userId or tmdbId. */
export function parseId(raw: string, at: InputLocation): number {
  const value = wholeNumber(raw);
  if (!(value >= 1) || !Number.isSafeInteger(value)) throw new InputError(at, `expected a positive integer id, got ${showValue(raw)}`);
  return value;
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
  // Number() ignores the same whitespace as trim(); an empty string gives 0, which the range check turns away.
  const value = Number(raw);
  if (isValidRating(value)) return value;
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new InputError(at, `expected a rating number from ${MIN_RATING} to ${MAX_RATING}, got ${showValue(raw)}`);
  }
  throw new InputError(at, `expected a rating from ${MIN_RATING} to ${MAX_RATING} in steps of ${RATING_STEP}, got ${showValue(raw)}`);
}

/** Unix time in whole seconds, as MovieLens writes it. */
export function parseTimestamp(raw: string, at: InputLocation): number {
  const value = wholeNumber(raw);
  if (!Number.isSafeInteger(value)) throw new InputError(at, `expected a Unix timestamp in seconds (a non-negative integer), got ${showValue(raw)}`);
  return value;
}

/** The year in a MovieLens title such as "Heat (1995)", or null. */
export function yearFromTitle(title: string): number | null {
  const match = /\((\d{4})(?:[–-]\d{0,4})?\)\s*$/.exec(title);
  return match ? Number(match[1]) : null;
}
