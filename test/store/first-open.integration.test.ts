import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

const CHILDREN = 6;
const ROUNDS = 20;

/** A child that opens the store named by each line it is sent and answers with one line. */
async function opener() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'support', 'open-on-command.ts')], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  onTestFinished(() => void child.kill());
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => (await lines.next()).value as string | undefined;
  expect(await nextLine()).toBe('ready');
  return {
    async open(target: string): Promise<string | undefined> {
      child.stdin.write(`${target}\n`);
      return nextLine();
    },
    async close() {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

describe('first open of a new SQLite file', () => {
  it(`${CHILDREN} processes opening one new file at once all succeed and apply the schema once (${ROUNDS} rounds)`, async () => {
    const children = await Promise.all(Array.from({ length: CHILDREN }, opener));
    const dir = tempDir();
    for (let round = 0; round < ROUNDS; round++) {
      const db = join(dir, `round-${round}.db`);
      expect(await Promise.all(children.map((child) => child.open(db)))).toEqual(Array(CHILDREN).fill('opened'));
      const raw = new Database(db, { readonly: true });
      try {
        expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
      } finally {
        raw.close();
      }
    }
    await Promise.all(children.map((child) => child.close()));
  });
});
