import { defineConfig } from 'vitest/config';

/**
 * Integration tests spawn the CLI or other processes, read the whole shared data or import it: they are named
 * *.integration.test.ts and sit beside the unit tests of the same stage.
 */
const INTEGRATION_TESTS = 'test/**/*.integration.test.ts';

export default defineConfig({
  test: {
    // The PostgreSQL server the postgres store target runs on. Set on the root config, which neither project extends:
    // it starts once for both, and both projects see what it provides.
    globalSetup: ['test/support/pg-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [INTEGRATION_TESTS],
          // Two cores: more workers only thrash.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [INTEGRATION_TESTS],
          // One file at a time, after the unit tests: each of these can keep both cores busy on its own.
          fileParallelism: false,
          // Budgeted for a loaded 2-core machine: the slowest (evaluate on the whole shared data) takes minutes there.
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
