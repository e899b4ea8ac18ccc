import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The test set StrykerJS runs (`pnpm mutate`, stryker.config.mjs): only the pure unit tests of the two
// mutated packages — no database, no spawned process — with the workspace's source resolution.
export default defineConfig({
  resolve: base.resolve,
  ssr: base.ssr,
  test: {
    name: 'unit',
    include: ['packages/core/src/**/*.unit.test.ts', 'packages/kpi/src/**/*.unit.test.ts'],
  },
});
