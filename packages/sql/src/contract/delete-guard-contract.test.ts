/**
 * Nothing is deleted (issue 22), held by the database and written once for every database (not a test
 * file itself: each adapter's `delete-guards.int.test.ts` calls {@link describeDeleteGuardContract}). On a
 * freshly migrated database, one row goes into every table by raw SQL, built from the expected schema,
 * then a raw `DELETE FROM <table>` is refused (`IMMUTABLE_ROW`) and the row stays, in every table but the
 * caches a KPI rebuild makes again and the migration journal (`DELETABLE_TABLES`), which stay deletable. The tables carry the
 * seed's names.
 */
import {
  type Column,
  DELETABLE_TABLES,
  expectedSchema,
  migrations,
  type TableModel,
} from '@pet-ops/migrations';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDatabase, PetDialect, ValueCodecs } from '../dialect.js';
import { newId } from './event-store-contract.test.js';

/** One database under test: freshly migrated with `prefix`, reached through Kysely and its {@link PetDialect}. */
export interface DeleteGuardTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly close: () => Promise<void>;
}

/** The seed's 33 table names: normative (issue 22). */
const SEED_TABLES = [
  'employees',
  'teams',
  'team_memberships',
  'org_structure_versions',
  'leads',
  'lead_schema_versions',
  'qualifications',
  'opportunities',
  'quotes',
  'quote_versions',
  'quote_line_groups',
  'quote_lines',
  'sales',
  'projects',
  'project_sold_constraints',
  'milestones',
  'tasks',
  'project_variances',
  'time_entries',
  'time_entry_adjustments',
  'resource_allocations',
  'tickets',
  'sla_definitions',
  'sla_assignments',
  'sla_events',
  'knowledge_articles',
  'knowledge_versions',
  'knowledge_comments',
  'domain_events',
  'kpi_definitions',
  'kpi_definition_versions',
  'kpi_results',
  'activity_feed_projections',
] as const;

/** A valid value of a column of any logical type (`undefined`: the database makes it). */
export function sampleValue(c: Column, codecs: ValueCodecs): unknown {
  switch (c.type) {
    case 'id':
      return codecs.encodeId(newId());
    case 'bigintAutoIncrement':
      return undefined;
    case 'int':
    case 'smallint':
    case 'money':
    case 'minutes':
    case 'basisPoints':
      return 1;
    case 'text':
    case 'longText':
      return 'x';
    case 'json':
      return codecs.encodeJson({});
    case 'instant':
      return codecs.encodeInstant('2026-12-06T10:00:00.000000Z');
    case 'enum':
      return c.values[0];
    case 'bool':
      return codecs.encodeBool(false);
  }
}

/**
 * Declares the delete-guard tests for one database.
 *
 * @example
 * ```ts
 * describeDeleteGuardContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', close }));
 * ```
 */
export function describeDeleteGuardContract(name: string, open: () => Promise<DeleteGuardTarget>): void {
  describe(`nothing is deleted: the database refuses DELETE (${name})`, () => {
    let t: DeleteGuardTarget;
    const model = expectedSchema(migrations);
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    /** The logical names of the database's tables (its prefix taken off). */
    async function liveTables(): Promise<string[]> {
      const tables = await t.db.introspection.getTables();
      return tables
        .map((x) => x.name)
        .filter((n) => n.startsWith(t.prefix))
        .map((n) => n.slice(t.prefix.length))
        .sort();
    }

    const count = async (table: string): Promise<number> => {
      const r = await sql<{
        n: unknown;
      }>`SELECT COUNT(*) AS n FROM ${sql.table(`${t.prefix}${table}`)}`.execute(t.db);
      return Number(r.rows[0]?.n);
    };

    async function insertOne(table: TableModel): Promise<void> {
      const row = Object.fromEntries(
        table.columns
          .map((c) => [c.name, sampleValue(c, t.dialect.codecs)] as const)
          .filter(([, v]) => v !== undefined),
      );
      const columns = Object.keys(row);
      await sql`INSERT INTO ${sql.table(`${t.prefix}${table.name}`)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES (${sql.join(columns.map((c) => row[c]))})`.execute(
        t.db,
      );
    }

    /** `ok`, or the typed code the dialect gives the raw statement's failure. */
    async function deleteAll(table: string): Promise<string> {
      try {
        await sql`DELETE FROM ${sql.table(`${t.prefix}${table}`)}`.execute(t.db);
        return 'ok';
      } catch (e) {
        return t.dialect.classifyError(e, 'raw').code;
      }
    }

    it('given a freshly migrated database, then its tables are the migrations’ and include the seed’s 33 under their names (kpi_definition_versions, activity_feed_projections, project_sold_constraints)', async () => {
      const live = await liveTables();
      expect(live).toEqual(model.tables.map((x) => x.name).sort());
      expect(live).toEqual(
        expect.arrayContaining([
          'kpi_definition_versions',
          'activity_feed_projections',
          'project_sold_constraints',
        ]),
      );
      for (const old of ['kpi_def_versions', 'activity_feed', 'proj_sold_constraints'])
        expect(live).not.toContain(old);
      // The seed's 33 tables (seeds/000, "Table Categories"), live under their names.
      expect(live).toEqual(expect.arrayContaining([...SEED_TABLES]));
    });

    it('given one row in every table, when a raw DELETE FROM <table> runs, then the database refuses it (IMMUTABLE_ROW) and the row stays, in every table but the rebuildable KPI caches and the journal, which empty', async () => {
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const name of await liveTables()) {
        const table = model.tables.find((x) => x.name === name);
        if (table === undefined) throw new Error(`table ${name} is not in the migrations`);
        await insertOne(table);
        const before = await count(name);
        const code = await deleteAll(name);
        const after = await count(name);
        outcomes[name] =
          `${code}: ${after === before ? 'every row kept' : after === 0 ? 'emptied' : 'some deleted'}`;
        expected[name] = DELETABLE_TABLES.includes(name) ? 'ok: emptied' : 'IMMUTABLE_ROW: every row kept';
      }
      expect(outcomes).toEqual(expected);
      expect(Object.keys(outcomes).length).toBeGreaterThan(40);
    });
  });
}
