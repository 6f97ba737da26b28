import { randomBytes } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';
import { adminQuery, createDatabase } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL to the maintenance database of the test PostgreSQL server (pg-global-setup.ts). */
    postgresAdminUrl: string;
  }
}

/**
 * The URL of a new, empty database on the test server, dropped when the current test finishes, or through `dropWith`
 * (e.g. afterAll) for a database a whole suite shares.
 */
export async function freshPostgresDatabase(dropWith: (drop: () => Promise<void>) => void = onTestFinished): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `reelsense_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(adminUrl, name);
  dropWith(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return url;
}
