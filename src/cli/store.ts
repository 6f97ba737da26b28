import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore, storeExists } from '../store/open.js';
import type { Store } from '../store/store.js';

/**
 * Opens the store, runs `work`, and closes it. When `work` fails on a database this call created, the new file is
 * removed, so a failed first import leaves the disk exactly as it was.
 */
export async function withStore<T>(target: string, options: { create: boolean }, work: (store: Store) => Promise<T>): Promise<T> {
  const existed = storeExists(target);
  const store = await openStore(target, { mustExist: !options.create });
  try {
    return await work(store);
  } catch (error) {
    await store.close();
    if (!existed && store.backend === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm']) rmSync(resolve(target) + suffix, { force: true });
    }
    throw error;
  } finally {
    await store.close().catch(() => undefined);
  }
}
