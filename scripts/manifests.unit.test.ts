// The published manifests (issue 28): ESM only on the Node versions that can load it, an exports map kept
// twice (the repository's, with the `@pet-ops/source` condition its tests resolve through, and the
// published one in `publishConfig.exports`, which pnpm puts in the tarball) that must not drift, the
// licence in every tarball, and drivers as peer dependencies. `scripts/consumer-test.sh` checks the packed
// result; this catches a drift without building anything.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
// Libraries have an exports map; `cli` is a bin only (checked on its own below).
const dirs = readdirSync(join(root, 'packages')).filter((d) => !d.startsWith('.') && d !== 'cli');

type Target = string | Record<string, string>;
interface Manifest {
  name: string;
  engines: { node: string };
  exports: Record<string, Target>;
  publishConfig?: { exports?: Record<string, Target> };
  main: string;
  module?: string;
  types: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  files: string[];
  repository: { type: string; url: string; directory: string };
  homepage: string;
  bugs: { url: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest;

/** The exports map without the repository-only source condition: what the tarball must carry. */
function withoutSource(exports: Record<string, Target>): Record<string, Target> {
  return Object.fromEntries(
    Object.entries(exports).map(([path, target]) => {
      if (typeof target === 'string') return [path, target];
      const { '@pet-ops/source': _source, ...rest } = target;
      return [path, rest];
    }),
  );
}

describe('package manifests', () => {
  test('every package is found', () => {
    expect(dirs).toEqual(
      expect.arrayContaining(['core', 'migrations', 'kpi', 'sql', 'adapters-mysql', 'adapters-sqlite']),
    );
  });

  test.each(dirs)('%s: ESM only, on Node ≥ 22.12 (≥ 22.13 for node:sqlite)', (dir) => {
    const m = manifest(dir);
    expect(m.engines.node).toBe(dir === 'adapters-sqlite' ? '>=22.13' : '>=22.12');
    for (const [path, target] of Object.entries(m.exports)) {
      if (path === './package.json') continue;
      expect(target, path).toEqual({
        '@pet-ops/source': expect.stringMatching(/^\.\/src\/.+\.ts$/),
        types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/),
        default: expect.stringMatching(/^\.\/dist\/.+\.js$/),
      });
    }
    const main = m.exports['.'] as Record<string, string>;
    expect([m.main, m.module ?? m.main, m.types]).toEqual([main['default'], main['default'], main['types']]);
    expect(readFileSync(join(root, 'packages', dir, 'tsup.config.ts'), 'utf8')).toMatch(/format: \['esm'\]/);
  });

  test.each(dirs)('%s: the published exports are the repository’s without the source condition', (dir) => {
    const m = manifest(dir);
    expect(m.publishConfig?.exports).toEqual(withoutSource(m.exports));
  });

  test.each(dirs)('%s: subpaths resolve for node10 type resolution too (typesVersions)', (dir) => {
    const m = manifest(dir);
    const subpaths = Object.keys(m.exports).filter((p) => p !== '.' && p !== './package.json');
    const mapped = Object.fromEntries(
      subpaths.map((p) => [p.slice(2), [(m.exports[p] as Record<string, string>)['types']]]),
    );
    if (subpaths.length === 0) expect(m.typesVersions).toBeUndefined();
    else expect(m.typesVersions).toEqual({ '*': mapped });
  });

  test.each(dirs)('%s: the licence, repository links, and no test files in the tarball', (dir) => {
    const m = manifest(dir);
    expect(readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    );
    expect(m.files).toEqual(
      expect.arrayContaining(['dist', 'LICENSE', '!src/**/*.test.ts', '!src/**/__fixtures__']),
    );
    expect(m.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/pet-ops/pet-ops.git',
      directory: `packages/${dir}`,
    });
    expect(m.homepage).toBe(`https://github.com/pet-ops/pet-ops/tree/main/packages/${dir}#readme`);
    expect(m.bugs.url).toBe('https://github.com/pet-ops/pet-ops/issues');
  });

  test('the vitest global set-up of adapters-mysql is not shipped', () => {
    expect(manifest('adapters-mysql').files).toContain('!src/testing/global-setup.ts');
  });

  test('a driver is a peer dependency of its adapter (its types are in the public API)', () => {
    const m = manifest('adapters-mysql');
    expect(m.dependencies?.['mysql2']).toBeUndefined();
    expect(m.peerDependencies?.['mysql2']).toBeDefined();
    expect(m.devDependencies?.['mysql2']).toBeDefined();
  });

  test('cli: a bin only, the one package that carries the CLI and driver dependencies', () => {
    const m = manifest('cli') as Manifest & { bin: Record<string, string> };
    expect(m.name).toBe('@pet-ops/cli');
    expect(m.bin).toEqual({ pet: './dist/main.js' });
    expect(m.exports).toEqual({ './package.json': './package.json' });
    expect(m.engines.node).toBe('>=22.13');
    expect(Object.keys(m.dependencies ?? {})).toEqual(
      expect.arrayContaining(['commander', 'cli-progress', 'mysql2', '@pet-ops/adapters-sqlite']),
    );
    for (const lib of dirs) {
      const deps = manifest(lib).dependencies ?? {};
      expect([deps['commander'], deps['cli-progress']], lib).toEqual([undefined, undefined]);
    }
    expect(readFileSync(join(root, 'packages/cli/LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    );
  });

  test('the source condition is stripped on pack', () => {
    expect(
      withoutSource({ '.': { '@pet-ops/source': './src/index.ts', default: './dist/index.js' } }),
    ).toEqual({
      '.': { default: './dist/index.js' },
    });
  });
});
