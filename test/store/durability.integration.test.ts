import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { writeFixture } from '../support/fixtures.js';
import { runProcess } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { closing, STORE_TARGETS } from '../support/stores.js';

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
});
