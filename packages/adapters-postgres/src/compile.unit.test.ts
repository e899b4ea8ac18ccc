import { col, migrations } from '@pet-ops/migrations';
import { describe, expect, it } from 'vitest';
import { compilePostgres, pgIndexName } from './compile.js';

describe('the PostgreSQL compiler of the logical schema', () => {
  it('keeps index names within 63 characters, unique by a hash of the whole name when cut', () => {
    expect(pgIndexName('pet_', 'leads', 'ix_state')).toBe('pet_leads__ix_state');
    const long = pgIndexName('p'.repeat(20), 't'.repeat(44), 'uq_a');
    const other = pgIndexName('p'.repeat(20), 't'.repeat(44), 'uq_b');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(other);
    expect(pgIndexName('p'.repeat(20), 't'.repeat(44), 'uq_a')).toBe(long);
  });

  it('compiles types to uuid, timestamptz, jsonb and bigint, and guards to triggers including BEFORE TRUNCATE', () => {
    const [create] = compilePostgres(
      {
        op: 'createTable',
        table: 'things',
        columns: [
          col.id('id'),
          col.money('amount'),
          col.instant('at'),
          col.json('doc'),
          col.int('n', { unsigned: true }),
          col.text('code', 16, { binary: true }),
          col.enum('state', ['a', 'b'], { default: 'a' }),
        ],
        primaryKey: ['id'],
      },
      'pet_',
    );
    expect(create).toContain('"id" uuid NOT NULL');
    expect(create).toContain('"amount" bigint NOT NULL');
    expect(create).toContain('"at" timestamptz(6) NOT NULL');
    expect(create).toContain('"doc" jsonb NOT NULL');
    expect(create).toContain('"n" bigint NOT NULL CHECK ("n" BETWEEN 0 AND 4294967295)');
    expect(create).toContain('"code" varchar(16) COLLATE "C" NOT NULL');
    expect(create).toContain(`"state" text NOT NULL DEFAULT 'a' CHECK ("state" IN ('a', 'b'))`);
    const del = compilePostgres({ op: 'appendOnlyGuard', table: 'things', event: 'delete' }, 'pet_');
    expect(del).toHaveLength(3);
    expect(del[1]).toMatch(/^CREATE TRIGGER "things_no_delete" BEFORE DELETE ON "pet_things" FOR EACH ROW/);
    expect(del[2]).toMatch(
      /^CREATE TRIGGER "things_no_truncate" BEFORE TRUNCATE ON "pet_things" FOR EACH STATEMENT/,
    );
  });

  it('compiles every operation of the migration list', () => {
    const statements = migrations.flatMap((m) =>
      m.operations.flatMap((op) => compilePostgres(op, 'wp_pet_')),
    );
    expect(statements.length).toBeGreaterThan(migrations.length);
    expect(statements.every((s) => s.length > 0 && !s.includes('undefined'))).toBe(true);
  });
});

describe('renameTable on PostgreSQL', () => {
  it('compiles to ALTER TABLE … RENAME TO, prefixed on both sides', () => {
    expect(
      compilePostgres({ op: 'renameTable', table: 'activity_feed', to: 'activity_feed_projections' }, 'pet_'),
    ).toEqual(['ALTER TABLE "pet_activity_feed" RENAME TO "pet_activity_feed_projections"']);
  });

  it('refuses a prefix of 21 characters, naming the 20-character limit', () => {
    expect(() => compilePostgres({ op: 'renameTable', table: 'a', to: 'b' }, 'p'.repeat(21))).toThrow(
      /validation|prefix/i,
    );
  });
});
