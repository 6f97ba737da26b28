import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { writeFixture } from '../support/fixtures.js';
import { runProcess } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { adminQuery } from '../support/pg-cluster.js';
import { closing, STORE_TARGETS } from '../support/stores.js';

/** What each back end's own connections must report: SQLite synchronous = FULL (2), PostgreSQL synchronous_commit = on. */
const DURABLE = { sqlite: { synchronous: '2' }, postgres: { synchronous_commit: 'on' } };

describe.each(STORE_TARGETS)('durability on $backend', (target) => {
  it('an acknowledged import survives the process being killed right after', async () => {
    const db = await target.freshTarget();
    const { dir: _dir, ...sources } = writeFixture();
    const child = await runProcess(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'support', 'write-then-crash.ts'), db, JSON.stringify(sources)]);
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('acknowledged 6 ratings\n');
    expect(child.signal).toBe('SIGKILL');
    await closing(openStore(db, { mustExist: true }), async (store) => {
      expect(await store.stats()).toMatchObject({ movies: 4, users: 3, ratings: 6, tags: 2 });
    });
  });

  it("the store's own connections sync every commit to disk, whatever the server's default", async () => {
    const db = await target.freshTarget();
    if (target.backend === 'postgres') await adminQuery(db, `ALTER DATABASE ${new URL(db).pathname.slice(1)} SET synchronous_commit = off`);
    await closing(openStore(db), async (store) => {
      // As many at once as the pool holds connections, so every connection is asked.
      const answers = await Promise.all(Array.from({ length: 4 }, () => store.commitDurability()));
      expect(answers).toEqual(Array(4).fill(DURABLE[target.backend]));
    });
  });
});
