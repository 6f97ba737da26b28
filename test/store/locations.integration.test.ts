import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreLocationError } from '../../src/errors.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../support/cli.js';
import { writeFixture } from '../support/fixtures.js';
import { tempDir } from '../support/tmp.js';

/** A --db value that exists but is no reelsense database, and the one line every command answers it with. */
function badTargets() {
  const dir = tempDir();
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'shopping list: milk, eggs, a SQLite manual\n'.repeat(20));
  const foreign = join(dir, 'other-app.db');
  const other = new Database(foreign);
  other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
  other.close();
  const folder = join(dir, 'data');
  mkdirSync(folder);
  return [
    { what: 'a file that is not a SQLite database', db: text, error: `error: ${text} is not a reelsense database (file is not a SQLite database)\n` },
    { what: "another program's SQLite database", db: foreign, error: `error: ${foreign} is not a reelsense database (it holds other tables: notes)\n` },
    {
      what: 'a directory',
      db: folder,
      error: `error: ${folder} is a directory, not a database: name a SQLite file (e.g. ${join(folder, 'reelsense.db')}) or a postgres:// URL\n`,
    },
  ];
}

describe('--db naming something that is not a reelsense database', () => {
  it('a command that reads and one that writes say so in one line, exit 1 and leave the file as it was', async () => {
    const sources = writeFixture();
    for (const { db, error } of badTargets()) {
      const before = statSync(db).isFile() ? readFileSync(db) : null;
      for (const args of [
        ['stats', '--db', db],
        ['ingest', '--db', db, '--movielens', sources.movielens!],
      ]) {
        const result = await runCli(args);
        expect(result.stderr).toBe(error);
        expect(result.status).toBe(1);
      }
      if (before) expect(readFileSync(db)).toEqual(before);
      expect(existsSync(`${db}-wal`)).toBe(false);
    }
  });

  it('openStore throws a StoreLocationError', async () => {
    for (const { db } of badTargets()) await expect(openStore(db)).rejects.toThrow(StoreLocationError);
  });
});
