/** Errors a user can fix: the CLI prints their message as one line, the server answers them with a 4xx. */

/** Where a bad value sits: the file, the 1-based line (a JSON line counts as one), and the field. */
export interface InputLocation {
  file: string;
  line?: number;
  field?: string;
}

/** Bad input: the message names the file, line and field, and what was expected. The import writes nothing. */
export class InputError extends Error {
  readonly location: InputLocation;

  constructor(location: InputLocation, problem: string) {
    super(`${formatLocation(location)}: ${problem}`);
    this.name = 'InputError';
    this.location = location;
  }
}

/** Input that is imported anyway, with something left out (e.g. a corrupt poster). */
export interface InputWarning {
  location: InputLocation;
  message: string;
}

export function formatLocation({ file, line, field }: InputLocation): string {
  let text = file;
  if (line !== undefined) text += `:${line}`;
  if (field !== undefined) text += ` (field "${field}")`;
  return text;
}

export function formatWarning(warning: InputWarning): string {
  return `${formatLocation(warning.location)}: ${warning.message}`;
}

/** Quotes a raw value for an error message, shortened so one bad line cannot flood the terminal. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A --db value that cannot be used as asked (missing, unreachable, not empty); the CLI prints its message as is. */
export class StoreLocationError extends Error {
  override name = 'StoreLocationError';
}

/** A command line that cannot be run as given: a bad flag value, a missing flag, flags that do not go together. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A movie, user, rating or key that is not there: the CLI prints one line, the server answers 404. */
export class NotFoundError extends UsageError {
  override name = 'NotFoundError';
}

/** Whether an error is the user's to fix (one clear line) rather than a bug (a stack trace). */
export function isUserError(error: unknown): error is InputError | StoreLocationError | UsageError {
  return error instanceof InputError || error instanceof StoreLocationError || error instanceof UsageError;
}
