import { migrations } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { compileList, migrationChecksums } from './checksum.js';
import { widgetMigrations } from './fixtures.test.js';

/**
 * The compiled checksums of the released migrations, as recorded in every installed journal. A released
 * migration is immutable: if this fails because you edited one (or changed how the MySQL driver
 * compiles it), revert and write a new migration — installed databases would refuse to run
 * (MIGRATION_TAMPERED). When you release a new migration, add its checksum here.
 */
const RELEASED_CHECKSUMS: Readonly<Record<string, string>> = {
  '2026_11_22_0001_create_schema_migrations':
    '52beb79772d2087627f8485faf24b91d27df259151cac50f31aadc1a085f31ef',
  '2026_11_22_0002_create_domain_events': '00c5fdfc453ad154085a6a5651468b01fcaec02c0f9d1bdb338fdd90918ab77f',
};

describe('migration checksums', () => {
  test('released migrations keep their compiled checksums (an edit fails this test)', () => {
    expect(Object.fromEntries(migrations.map((m) => [m.id, migrationChecksums(m).checksum]))).toEqual(
      RELEASED_CHECKSUMS,
    );
  });

  test('given any prefix, then the checksums are the same (they are computed for the empty prefix)', () => {
    const plain = compileList(migrations, '');
    const prefixed = compileList(migrations, 'wp_pet_');
    expect(prefixed.map((m) => [m.checksum, m.stepChecksums])).toEqual(
      plain.map((m) => [m.checksum, m.stepChecksums]),
    );
    expect(prefixed[1]?.statements[0]).toContain('CREATE TABLE `wp_pet_domain_events`');
  });

  test('given one changed statement, then the migration checksum and only that statement checksum change', () => {
    const m = widgetMigrations[1]!;
    const edited = {
      ...m,
      operations: m.operations.map((op, i) => (i === 3 ? { ...op, table: 'gadgets' } : op)),
    };
    const a = migrationChecksums(m);
    const b = migrationChecksums(edited);
    expect(b.checksum).not.toBe(a.checksum);
    expect(a.stepChecksums.map((c, i) => c === b.stepChecksums[i])).toEqual([true, true, true, false, true]);
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
