// The design's layering (core pure on zod; kpi and migrations pure on core; only the adapter does I/O)
// and scenarios 66/69 (core tests run without a database; no test crosses layers) held by review only.
// This reads every import of every TypeScript file and fails naming the file and the import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every `.ts` file under `dir`, relative to the repository root. */
function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.includes('node_modules') && !f.includes('/dist/'));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** The packages a file imports (relative imports left out). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? '';
    if (!spec.startsWith('.')) out.push(spec);
  }
  return out;
}

const isTest = (f: string): boolean => /\.test\.ts$/.test(f);
const TEST_TOOLS = ['vitest', '@fast-check/vitest', 'fast-check'];

/** What a package's source (not its tests) may import. */
const SOURCE_MAY_IMPORT: Record<string, readonly string[]> = {
  core: ['zod', 'temporal-polyfill', 'fast-check'], // fast-check: the optional `testing` entry's arbitraries (peer dependency)
  kpi: ['zod', '@pet-ops/core'],
  migrations: ['zod', '@pet-ops/core'],
  // The persistence seam: Kysely, the logical schema and the KPI engine, no driver; node:crypto for
  // checksums and lock names, node:zlib and node:stream to compress stored KPI checkpoints (CPU, not I/O).
  sql: [
    'zod',
    '@pet-ops/core',
    '@pet-ops/migrations',
    '@pet-ops/kpi',
    'kysely',
    'node:crypto',
    'node:zlib',
    'node:stream',
  ],
};

/**
 * Single files allowed more than their package: kpi's `node` entry, kept out of the pure main entry, reads
 * the HTML report's chart library (uPlot) from the installed package so the report can inline it.
 */
const FILE_MAY_ALSO_IMPORT: Record<string, readonly string[]> = {
  'packages/kpi/src/node/index.ts': ['node:fs', 'node:module', 'node:path'],
};

/** Database drivers: only adapter packages may import one. */
const DRIVERS = [/^mysql2/, /^pg($|\/)/, /^pg-cursor/, /^node:sqlite$/, /^better-sqlite3/];
/** What no unit test may import: a database driver, the adapter, or its test-database helpers. */
const NOT_IN_UNIT_TESTS = [
  /^mysql2/,
  /^kysely/,
  /^@pet-ops\/adapters-mysql/,
  /test-database/,
  /fresh-database/,
];

function violations(pkg: string, allowed: readonly string[]): string[] {
  return files(`packages/${pkg}/src`)
    .filter((f) => !isTest(f))
    .flatMap((f) =>
      importsOf(readFileSync(join(root, f), 'utf8'))
        .filter((spec) => !allowed.includes(spec) && !allowed.some((a) => spec.startsWith(`${a}/`)))
        .filter((spec) => !(FILE_MAY_ALSO_IMPORT[f] ?? []).includes(spec))
        .map((spec) => `${f} imports ${spec}`),
    );
}

describe('layers', () => {
  test('the import reader finds static, re-exported and dynamic imports, and skips relative ones', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { Pool } from 'mysql2/promise';",
      "export { x } from './x.js';",
      "export * as Y from '@pet-ops/core';",
      "const m = await import('node:fs');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['zod', 'mysql2/promise', '@pet-ops/core', 'node:fs']);
  });

  test.each(Object.entries(SOURCE_MAY_IMPORT))(
    '%s source imports only %j (no I/O, no Node APIs)',
    (pkg, allowed) => {
      expect(files(`packages/${pkg}/src`).filter((f) => !isTest(f)).length).toBeGreaterThan(5);
      expect(violations(pkg, allowed)).toEqual([]);
    },
  );

  test('no package but an adapter imports a database driver (source and tests)', () => {
    const packages = readdirSync(join(root, 'packages')).filter((p) => !p.startsWith('adapters-'));
    expect(packages).toContain('sql');
    const bad = packages.flatMap((pkg) =>
      files(`packages/${pkg}/src`).flatMap((f) =>
        importsOf(readFileSync(join(root, f), 'utf8'))
          .filter((spec) => DRIVERS.some((re) => re.test(spec)))
          .map((spec) => `${f} imports ${spec}`),
      ),
    );
    expect(bad).toEqual([]);
  });

  test('a violation is reported with its file', () => {
    expect(violations('kpi', ['zod']).some((v) => v.endsWith('imports @pet-ops/core'))).toBe(true);
  });

  test('no unit test reaches a database, the adapter or a test database (scenarios 66, 69)', () => {
    const unit = [...files('packages'), ...files('examples'), ...files('scripts')].filter((f) =>
      f.endsWith('.unit.test.ts'),
    );
    expect(unit.length).toBeGreaterThan(50);
    const bad = unit.flatMap((f) =>
      importsOf(readFileSync(join(root, f), 'utf8'))
        .filter((spec) => NOT_IN_UNIT_TESTS.some((re) => re.test(spec)))
        .map((spec) => `${f} imports ${spec}`),
    );
    expect(bad).toEqual([]);
    // It reads every unit test of the repository: seconds on a busy machine.
  }, 30_000);

  test('tests of the pure packages use only test tools beside what their source may import', () => {
    const bad = Object.entries(SOURCE_MAY_IMPORT).flatMap(([pkg, allowed]) =>
      files(`packages/${pkg}/src`)
        .filter(isTest)
        .flatMap((f) =>
          importsOf(readFileSync(join(root, f), 'utf8'))
            .filter((spec) => !spec.startsWith('node:'))
            .filter(
              (spec) => ![...allowed, ...TEST_TOOLS].some((a) => spec === a || spec.startsWith(`${a}/`)),
            )
            .map((spec) => `${f} imports ${spec}`),
        ),
    );
    expect(bad).toEqual([]);
  });
});
