import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  // Keep `node:` on imports: `node:sqlite` exists only under that name (without it, `sqlite` is a bare package).
  removeNodeProtocol: false,
});
