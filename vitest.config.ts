import { defineConfig } from 'vitest/config';

// Tests read each package's source through the `@pet-ops/source` export condition, so no build
// step and no hand-kept path map is needed. No explicit 'import' condition: it would also reach
// Node's require() of externalised dependencies (mysql2 → long would load ESM and break BIGINTs).
const conditions = ['@pet-ops/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@pet-ops/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.unit.test.ts',
            'examples/*/src/**/*.unit.test.ts',
            'bench/**/*.unit.test.ts',
            'scripts/**/*.unit.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['packages/*/src/**/*.int.test.ts'],
          globalSetup: ['packages/adapters-mysql/src/testing/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Two cores: more parallel files only add lock contention on one server.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['packages/*/src/**/*.e2e.test.ts', 'examples/*/src/**/*.e2e.test.ts'],
          globalSetup: ['packages/adapters-mysql/src/testing/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // Each test spawns processes of its own; two files at a time is what two cores carry.
          maxWorkers: 2,
        },
      },
    ],
  },
});
