import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { EVENTS_TABLE, JOURNAL_TABLE, journalMigration, migrations } from './list/index.js';
import { MIGRATION_ID_PATTERN, migrationSchema, validateMigrations } from './migration.js';

/**
 * Fingerprints of the released migrations' logical content (sha256 of their JSON). A released migration
 * is immutable: if this test fails because you edited one, revert the edit and write a new migration.
 * When you release a new migration, add its fingerprint here (the failure message prints it).
 * The MySQL driver freezes the compiled checksums the same way.
 */
const RELEASED: Readonly<Record<string, string>> = {
  '2026_11_22_0001_create_schema_migrations':
    'fc080c69a33986ff1eb6f52408a147c1a9363c23fe5591923cbc8a57705c76b4',
  '2026_11_22_0002_create_domain_events': '0126e31c9700de0be59fd451fcea56dc0f959df4d82d222a0ad95bd01f70cacb',
};

const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the migration registry', () => {
  test('every entry is a valid migration', () => {
    for (const m of migrations) expect(migrationSchema.safeParse(m).error).toBeUndefined();
  });

  test('ids are unique and strictly increasing, and the list folds without breaking a rule', () => {
    const ids = migrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(MIGRATION_ID_PATTERN);
    expect(validateMigrations(migrations)).toEqual([]);
  });

  test('the first migration is the journal bootstrap and the second creates the event log', () => {
    expect(migrations[0]).toBe(journalMigration);
    expect(journalMigration.operations).toHaveLength(1);
    expect(journalMigration.operations[0]).toMatchObject({ op: 'createTable', table: JOURNAL_TABLE });
    expect(migrations[1]?.operations[0]).toMatchObject({ op: 'createTable', table: EVENTS_TABLE });
  });

  test('released migrations are frozen (an edit fails this test)', () => {
    const actual = Object.fromEntries(migrations.map((m) => [m.id, fingerprint(m)]));
    expect(actual).toEqual(RELEASED);
  });

  test('the list cannot be changed at run time', () => {
    expect(Object.isFrozen(migrations)).toBe(true);
    expect(Object.isFrozen(migrations[1]?.operations[0])).toBe(true);
  });

  test('given broken lists, when validated, then each broken rule is named', () => {
    const [a, b] = migrations as [(typeof migrations)[0], (typeof migrations)[0]];
    expect(validateMigrations([a, a])).toContainEqual({
      field: '1.id',
      rule: `duplicate id ${a.id}`,
    });
    expect(validateMigrations([b, a])).toContainEqual({
      field: '1.id',
      rule: `must come after ${b.id} (ids alone order the list)`,
    });
    expect(validateMigrations([{ ...a, id: '2026_02_30_0001_x' }])).toContainEqual({
      field: '0.id',
      rule: 'must start with a real calendar date',
    });
    expect(validateMigrations([{ ...b, operations: [...b.operations, b.operations[1]!] }])).toContainEqual({
      field: '0.operations.3',
      rule: 'domain_events already has its update guard',
    });
  });
});
