// Changesets are read by `changeset version` only at release time, so a broken front matter would go
// unnoticed until then (a markdown formatter once turned them into headings). Checks every pending one.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const dir = new URL('../.changeset/', import.meta.url);
const PACKAGES = [
  '@pet-ops/core',
  '@pet-ops/migrations',
  '@pet-ops/kpi',
  '@pet-ops/sql',
  '@pet-ops/adapters-mysql',
  '@pet-ops/adapters-sqlite',
  '@pet-ops/adapters-postgres',
  '@pet-ops/cli',
];
const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');

/** The `package: bump` lines of a changeset's front matter, or null when there is none. */
function frontMatter(text: string): { pkg: string; bump: string }[] | null {
  const m = /^---\n((?:["']@?[\w/.-]+["']: (?:major|minor|patch)\n)+)---\n\n\S/.exec(text);
  if (m === null) return null;
  return (m[1] ?? '')
    .trim()
    .split('\n')
    .map((l) => {
      const [, pkg = '', bump = ''] = /^["']([^"']+)["']: (\w+)$/.exec(l) ?? [];
      return { pkg, bump };
    });
}

describe('pending changesets', () => {
  test('there is at least one', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s has front matter naming workspace packages, then a summary', (file) => {
    const entries = frontMatter(readFileSync(new URL(file, dir), 'utf8'));
    expect(entries).not.toBeNull();
    for (const e of entries ?? []) expect(PACKAGES).toContain(e.pkg);
  });

  test('a changeset turned into a heading is refused', () => {
    expect(frontMatter('---\n\n## "@pet-ops/core": minor\n\nText\n')).toBeNull();
  });
});
