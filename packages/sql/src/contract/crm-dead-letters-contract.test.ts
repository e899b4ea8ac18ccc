/**
 * The keyed CRM dead letters on a database that had dead letters before the key (migration
 * `2026_12_06_0950_key_crm_dead_letters`), written once and run against every database (not a test file
 * itself: each adapter's CRM import runner calls {@link describeDeadLetterKeyContract}). The database is
 * migrated in two halves, before and after the change, like a host's database.
 */
import { migrations } from '@pet-ops/migrations';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCompaniesCsv } from '../contexts/crm-import.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { newId } from './event-store-contract.test.js';

/** A fresh, empty database that the test migrates itself (to `target`, or to head without one). */
export interface MigratingTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly migrate: (target?: string) => Promise<void>;
  readonly close: () => Promise<void>;
}

const KEYED = '2026_12_06_0950_key_crm_dead_letters';

/**
 * Declares the dead-letter key migration tests for one database.
 *
 * @example
 * ```ts
 * describeDeadLetterKeyContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', migrate, close }));
 * ```
 */
export function describeDeadLetterKeyContract(name: string, open: () => Promise<MigratingTarget>): void {
  describe(`CRM dead-letter key migration (${name})`, () => {
    let t: MigratingTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('given duplicate dead letters written by re-runs before the key, when migrating to head, then nothing breaks or is lost, and a keyed re-run adds no letter', async () => {
      const before = migrations[migrations.findIndex((m) => m.id === KEYED) - 1]?.id;
      expect(before).toBeDefined();
      await t.migrate(before);
      const table = `${t.prefix}crm_dead_letters`;
      // The same bad line of one file, dead-lettered by three runs (what every re-run used to write).
      const letter = (n: number) => ({
        id: t.dialect.codecs.encodeId(newId()),
        run_id: t.dialect.codecs.encodeId(newId()),
        file_name: 'old.csv',
        source_row: 3,
        raw_text: ',nameless.test',
        reason: 'MISSING_NAME',
        detail: `run ${n}`,
      });
      await t.db
        .insertInto(table)
        .values([letter(1), letter(2), letter(3)])
        .execute();
      await t.migrate();
      const rows = (
        await sql`SELECT detail, letter_key FROM ${sql.table(table)} ORDER BY detail`.execute(t.db)
      ).rows as { detail: string; letter_key: unknown }[];
      expect(rows).toEqual([
        { detail: 'run 1', letter_key: null },
        { detail: 'run 2', letter_key: null },
        { detail: 'run 3', letter_key: null },
      ]);
      const file = (async function* () {
        yield new TextEncoder().encode('name,website\nFine,fine.test\n,nameless.test\n');
      })();
      const again = () =>
        importCompaniesCsv({
          db: t.db,
          dialect: t.dialect,
          prefix: t.prefix,
          source: (async function* () {
            yield new TextEncoder().encode('name,website\nFine,fine.test\n,nameless.test\n');
          })(),
          fileName: 'old.csv',
        });
      const first = await importCompaniesCsv({
        db: t.db,
        dialect: t.dialect,
        prefix: t.prefix,
        source: file,
        fileName: 'old.csv',
      });
      expect(first).toMatchObject({ created: 1, rejected: 1, deadLettersWritten: 1 });
      expect(await again()).toMatchObject({ exists: 1, rejected: 1, deadLettersWritten: 0 });
      const count = (await sql`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(t.db)).rows[0] as {
        n: unknown;
      };
      expect(Number(count.n)).toBe(4);
    });
  });
}
