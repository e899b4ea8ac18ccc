import { defineConfig } from 'tsup';

export default defineConfig({
  // `node`: the report's chart library loader, the one part that reads files (uplot stays external).
  entry: ['src/index.ts', 'src/node/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
