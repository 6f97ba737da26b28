/**
 * vitest globalSetup: the PostgreSQL server the postgres store target runs on. REELSENSE_TEST_PG_URL (a superuser
 * URL to a maintenance database on a server with pgvector) names one to use; otherwise a throw-away cluster is
 * started for the run. A missing PostgreSQL or pgvector fails the run: the postgres target is never skipped.
 */
import type { TestProject } from 'vitest/node';
import { requirePgvector, startCluster } from './pg-cluster.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.REELSENSE_TEST_PG_URL;
  if (external) {
    await requirePgvector(
      external,
      "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'",
      'check REELSENSE_TEST_PG_URL (a superuser URL of a server with pgvector 0.8), or unset it to use a throw-away cluster',
    );
    project.provide('postgresAdminUrl', external);
    return async () => undefined;
  }
  const cluster = await startCluster();
  project.provide('postgresAdminUrl', cluster.url);
  return () => cluster.stop();
}
