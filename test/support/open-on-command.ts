/**
 * Child process for the first-open race test: loads everything, says `ready`, then for each line of stdin (a --db
 * value) opens and closes that store and answers `opened` or `failed: <message>`. The parent sends one path to every
 * child at once, so all of them open the same new file within a millisecond or so.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/open.js';

process.stdout.write('ready\n');
for await (const target of createInterface({ input: process.stdin })) {
  try {
    await (await openStore(target)).close();
    process.stdout.write('opened\n');
  } catch (error) {
    process.stdout.write(`failed: ${(error as Error).message}\n`);
  }
}
