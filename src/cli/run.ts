import { isUserError } from '../errors.js';

/** Errors a user can fix get one line naming what was wrong; anything else is a bug and keeps its stack. */
export function runCommand<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      if (isUserError(error)) {
        process.stderr.write(`error: ${error.message}\n`);
      } else {
        process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 1;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
