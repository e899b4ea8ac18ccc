// @ts-check
/**
 * Mutation testing with StrykerJS: `pnpm mutate` (see the README's testing section). Too slow for
 * `.ci/run`; run it by hand after changing the mutated code or its tests.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  // Named explicitly: with pnpm's strict layout the default '@stryker-mutator/*' glob, read beside
  // @stryker-mutator/core, does not see the runner.
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  vitest: {
    // Only the unit tests of core and kpi (vitest.stryker.config.ts), and of those only the ones whose
    // imports reach the mutated file: no database is touched.
    configFile: 'vitest.stryker.config.ts',
    related: true,
  },
  coverageAnalysis: 'perTest',
  // Mutants that only run while a module loads (the zod schemas of events and commands) would each need
  // a fresh test environment and the whole test set; they are left out (reported as ignored).
  ignoreStatic: true,
  mutate: [
    'packages/core/src/kernel/**/*.ts',
    'packages/core/src/commercial/quote/**/*.ts',
    'packages/core/src/commercial/sale/**/*.ts',
    // The KPI engine's classification and percentile bucketing.
    'packages/kpi/src/classify.ts',
    'packages/kpi/src/histogram.ts',
    '!**/*.test.ts',
    '!**/__fixtures__/**',
  ],
  // Not needed by the unit tests; keeps the sandbox copy small (node_modules is linked, not copied).
  ignorePatterns: [
    '/.tools',
    '/.bench-out',
    '/docs-api',
    '/coverage',
    '/examples',
    '/bench',
    '/docs',
    'dist',
    '*.db',
    '*.db-wal',
    '*.db-shm',
  ],
  // Re-tests only what changed since the last run; the file stays out of git (.gitignore).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine has 2 cores and other work on it.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The README keeps the score at 90 % or more: below it the run fails.
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

export default config;
