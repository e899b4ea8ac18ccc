/**
 * The database's own immutability guards for versioned definitions, written once and run against every
 * database (not a test file itself: each adapter's `immutability.int.test.ts` calls
 * {@link describeImmutabilityContract}). Raw SQL, past the domain, tries every way a row changes —
 * UPDATE, DELETE, MySQL's REPLACE and `INSERT … ON DUPLICATE KEY UPDATE`, SQLite's and PostgreSQL's
 * `INSERT … ON CONFLICT DO UPDATE` — on a published SLA version, a KPI definition version and a
 * knowledge version (issue 29).
 */
import { expectedSchema, migrations } from '@pet-ops/migrations';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { sampleValue } from './delete-guard-contract.test.js';
import { newId } from './event-store-contract.test.js';

/** One database under test: migrated with `prefix`, reached through Kysely and its {@link PetDialect}. */
export interface ImmutabilityTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly close: () => Promise<void>;
}

type Row = Record<string, unknown>;
/** How a raw write meets an existing key: not at all, REPLACE (MySQL), or an upsert's update part. */
type Conflict = { readonly replace: true } | { readonly set: Row };

/**
 * Declares the immutability guard tests for one database.
 *
 * @example
 * ```ts
 * describeImmutabilityContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', close }));
 * ```
 */
export function describeImmutabilityContract(name: string, open: () => Promise<ImmutabilityTarget>): void {
  describe(`immutability guards (${name})`, () => {
    let t: ImmutabilityTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    const mysql = (): boolean => t.dialect.name === 'mysql';
    const table = (logical: string) => sql.table(`${t.prefix}${logical}`);
    const instant = (day: number): unknown =>
      t.dialect.codecs.encodeInstant(`2026-12-${String(day).padStart(2, '0')}T10:00:00.000000Z`);

    /** A raw INSERT of `row`, as REPLACE or with the dialect's upsert clause when `conflict` is given. */
    function insert(logical: string, row: Row, conflict?: Conflict): RawBuilder<unknown> {
      const columns = Object.keys(row);
      const verb = conflict !== undefined && 'replace' in conflict ? sql`REPLACE INTO` : sql`INSERT INTO`;
      const statement = sql`${verb} ${table(logical)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES (${sql.join(columns.map((c) => row[c]))})`;
      if (conflict === undefined || !('set' in conflict)) return statement;
      const sets = sql.join(Object.entries(conflict.set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
      return mysql()
        ? sql`${statement} ON DUPLICATE KEY UPDATE ${sets}`
        : sql`${statement} ON CONFLICT (id) DO UPDATE SET ${sets}`;
    }

    const update = (logical: string, id: unknown, set: Row): RawBuilder<unknown> =>
      sql`UPDATE ${table(logical)} SET ${sql.join(Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`))} WHERE id = ${id}`;
    const remove = (logical: string, id: unknown): RawBuilder<unknown> =>
      sql`DELETE FROM ${table(logical)} WHERE id = ${id}`;

    /** `ok`, or the typed code the dialect gives the raw statement's failure. */
    async function outcome(statement: RawBuilder<unknown>): Promise<string> {
      try {
        await statement.execute(t.db);
        return 'ok';
      } catch (e) {
        return t.dialect.classifyError(e, 'raw').code;
      }
    }

    async function rowOf(logical: string, id: unknown): Promise<Row | undefined> {
      const rows = await sql<Row>`SELECT * FROM ${table(logical)} WHERE id = ${id}`.execute(t.db);
      return rows.rows[0];
    }

    /** Every write that would change `row` (stored under `row.id`) past the domain, named for the failure message. */
    function attempts(logical: string, row: Row, change: Row): readonly [string, RawBuilder<unknown>][] {
      return [
        ['UPDATE', update(logical, row['id'], change)],
        ['DELETE', remove(logical, row['id'])],
        [
          mysql() ? 'ON DUPLICATE KEY UPDATE' : 'ON CONFLICT DO UPDATE',
          insert(logical, row, { set: change }),
        ],
        ...(mysql()
          ? [
              ['REPLACE', insert(logical, { ...row, ...change }, { replace: true })] as [
                string,
                RawBuilder<unknown>,
              ],
            ]
          : []),
      ];
    }

    function slaRow(): Row {
      return {
        id: t.dialect.codecs.encodeId(newId()),
        version: 1,
        state: 'draft',
        name: `Gold support ${newId()}`,
        version_number: 1,
        tier: 'gold',
        response_target_minutes: 60,
        resolution_target_minutes: 480,
        warning_threshold_bp: 8000,
        calendar_id: null,
        escalation_rules: t.dialect.codecs.encodeJson([
          { thresholdBp: 10000, action: 'notify', notifyMethod: 'email', roleId: null, enabled: true },
        ]),
      };
    }

    it('given a draft SLA version, when its terms change by UPDATE or by an upsert, then they are written; DELETE (and REPLACE) stay refused', async () => {
      const row = slaRow();
      expect(await outcome(insert('sla_definitions', row))).toBe('ok');
      expect(await outcome(update('sla_definitions', row['id'], { response_target_minutes: 30 }))).toBe('ok');
      expect(
        await outcome(
          insert('sla_definitions', row, { set: { resolution_target_minutes: 240, tier: 'silver' } }),
        ),
      ).toBe('ok');
      expect(await outcome(remove('sla_definitions', row['id']))).toBe('IMMUTABLE_ROW');
      if (mysql())
        expect(await outcome(insert('sla_definitions', row, { replace: true }))).toBe('IMMUTABLE_ROW');
      expect(await rowOf('sla_definitions', row['id'])).toMatchObject({
        state: 'draft',
        tier: 'silver',
        response_target_minutes: 30,
        resolution_target_minutes: 240,
      });
    });

    it('given a published SLA version, when any term changes by UPDATE, DELETE, REPLACE or an upsert, then IMMUTABLE_ROW and the row is unchanged; it is still deprecated and archived, and once archived its state is frozen too', async () => {
      const row = slaRow();
      expect(await outcome(insert('sla_definitions', row))).toBe('ok');
      const published = { state: 'published', published_at: instant(2), version: 2 };
      expect(await outcome(update('sla_definitions', row['id'], published))).toBe('ok');
      const before = await rowOf('sla_definitions', row['id']);
      const stored = { ...row, ...published };
      const changes: Row[] = [
        { response_target_minutes: 1 },
        { resolution_target_minutes: 1 },
        { warning_threshold_bp: 1 },
        { tier: 'bronze' },
        { name: 'Renamed' },
        { version_number: 9 },
        { escalation_rules: t.dialect.codecs.encodeJson([]) },
        { calendar_id: t.dialect.codecs.encodeId(newId()) }, // NULL → a value is a change
        { published_at: null },
        { created_by_employee_id: t.dialect.codecs.encodeId(newId()) },
      ];
      for (const change of changes) {
        for (const [how, statement] of attempts('sla_definitions', stored, change)) {
          expect(await outcome(statement), `${how} ${Object.keys(change).join()}`).toBe('IMMUTABLE_ROW');
        }
      }
      expect(await rowOf('sla_definitions', row['id'])).toEqual(before);

      // Rewriting a frozen column with its own value is no change: the store saves whole rows.
      expect(
        await outcome(
          update('sla_definitions', row['id'], {
            state: 'deprecated',
            version: 3,
            response_target_minutes: 60,
          }),
        ),
      ).toBe('ok');
      expect(
        await outcome(
          update('sla_definitions', row['id'], { state: 'archived', archived_at: instant(3), version: 4 }),
        ),
      ).toBe('ok');
      for (const change of [{ state: 'published' }, { archived_at: null }, { response_target_minutes: 1 }]) {
        expect(await outcome(update('sla_definitions', row['id'], change)), Object.keys(change).join()).toBe(
          'IMMUTABLE_ROW',
        );
      }
      expect(await rowOf('sla_definitions', row['id'])).toMatchObject({
        state: 'archived',
        response_target_minutes: 60,
      });
    });

    it('given a KPI definition version, when it is changed by UPDATE, DELETE, REPLACE or an upsert, then IMMUTABLE_ROW and the row is unchanged', async () => {
      const row: Row = {
        id: t.dialect.codecs.encodeId(newId()),
        definition_key: `margin-${newId()}`,
        version_number: 1,
        definition: t.dialect.codecs.encodeJson({ target: 30, thresholds: { good: 30, warning: 20 } }),
      };
      expect(await outcome(insert('kpi_definition_versions', row))).toBe('ok');
      const before = await rowOf('kpi_definition_versions', row['id']);
      for (const change of [
        { definition: t.dialect.codecs.encodeJson({ target: 1 }) },
        { version_number: 2 },
        { definition_key: 'other' },
      ]) {
        for (const [how, statement] of attempts('kpi_definition_versions', row, change)) {
          expect(await outcome(statement), `${how} ${Object.keys(change).join()}`).toBe('IMMUTABLE_ROW');
        }
      }
      expect(await rowOf('kpi_definition_versions', row['id'])).toEqual(before);
    });

    it('given a knowledge version, when it is changed by UPDATE, DELETE, REPLACE or an upsert, then IMMUTABLE_ROW and the row is unchanged', async () => {
      const row: Row = {
        id: t.dialect.codecs.encodeId(newId()),
        article_id: t.dialect.codecs.encodeId(newId()),
        version_number: 1,
        title: 'Resetting a password',
        content: 'Open the portal, then …',
        change_summary: 'First version',
        author_employee_id: t.dialect.codecs.encodeId(newId()),
      };
      expect(await outcome(insert('knowledge_versions', row))).toBe('ok');
      const before = await rowOf('knowledge_versions', row['id']);
      for (const change of [{ content: 'Silently edited' }, { title: 'Other' }, { version_number: 2 }]) {
        for (const [how, statement] of attempts('knowledge_versions', row, change)) {
          expect(await outcome(statement), `${how} ${Object.keys(change).join()}`).toBe('IMMUTABLE_ROW');
        }
      }
      expect(await rowOf('knowledge_versions', row['id'])).toEqual(before);
    });

    it('given any state row whose JSON history only grows (every appendOnly column of the migrated schema), when an element is appended, then the row takes it; when one already there changes or goes, by UPDATE or an upsert, then IMMUTABLE_ROW', async () => {
      const json = (v: unknown): unknown => t.dialect.codecs.encodeJson(v);
      const grown: string[] = [];
      for (const table of expectedSchema(migrations).tables) {
        const histories = table.frozen.flatMap((f) => f.appendOnly ?? []);
        for (const column of histories) {
          const row: Row = Object.fromEntries(
            table.columns
              .map((c) => [c.name, sampleValue(c, t.dialect.codecs)] as const)
              .filter(([, v]) => v !== undefined),
          );
          for (const h of histories) row[h] = json([]);
          row[column] = json([{ n: 1 }]);
          const what = `${table.name}.${column}`;
          expect(await outcome(insert(table.name, row)), `INSERT ${what}`).toBe('ok');
          const two = json([{ n: 1 }, { n: 2 }]);
          expect(await outcome(update(table.name, row['id'], { [column]: two })), `UPDATE ${what}`).toBe(
            'ok',
          );
          const stored = { ...row, [column]: two };
          for (const change of [
            [{ n: 9 }, { n: 2 }],
            [{ n: 1 }],
            [],
            [{ n: 2 }, { n: 1 }],
            [{ n: 1 }, { n: 2, m: 3 }],
          ]) {
            for (const [how, statement] of attempts(table.name, stored, { [column]: json(change) })) {
              if (how === 'DELETE') continue; // the delete guards have their own contract
              expect(await outcome(statement), `${how} ${what} ${JSON.stringify(change)}`).toBe(
                'IMMUTABLE_ROW',
              );
            }
          }
          const kept = (await rowOf(table.name, row['id']))?.[column];
          expect(typeof kept === 'string' ? JSON.parse(kept) : kept, what).toEqual([{ n: 1 }, { n: 2 }]);
          grown.push(what);
        }
      }
      expect(grown).toEqual(
        expect.arrayContaining([
          'knowledge_articles.versions_json',
          'time_entries.adjustments_json',
          'tickets.links',
        ]),
      );
    });

    it('given a knowledge article, when its versions, publications or links are appended to, then the row takes them; when one already there is changed, removed or reordered, or its identity changes, then IMMUTABLE_ROW and the row is unchanged; once archived, nothing changes', async () => {
      const json = (v: unknown): unknown => t.dialect.codecs.encodeJson(v);
      const author = t.dialect.codecs.encodeId(newId());
      const version = (n: number, content: string) => ({
        versionId: newId(),
        versionNumber: n,
        title: 'Resetting a password',
        content,
        changeSummary: n === 1 ? 'First version' : 'Clearer steps',
        authorEmployeeId: newId(),
        createdAt: '2026-12-01T10:00:00.000000Z',
      });
      const [v1, v2] = [version(1, 'Open the portal, then …'), version(2, 'Open the portal; click Reset.')];
      const publication = {
        versionId: v1.versionId,
        versionNumber: 1,
        publishedBy: newId(),
        publishedAt: '2026-12-02T10:00:00.000000Z',
      };
      const link = {
        target: { kind: 'ticket', id: newId() },
        linkedBy: null,
        linkedAt: '2026-12-03T10:00:00.000000Z',
      };
      const row: Row = {
        id: t.dialect.codecs.encodeId(newId()),
        version: 1,
        state: 'draft',
        title: v1.title,
        current_version_id: t.dialect.codecs.encodeId(v1.versionId),
        current_version_number: 1,
        versions_json: json([v1]),
        publications_json: json([]),
        links_json: json([]),
        created_by_employee_id: author,
        created_at: instant(1),
      };
      expect(await outcome(insert('knowledge_articles', row))).toBe('ok');
      // The store saves whole rows: rewriting the history with itself is no change.
      expect(
        await outcome(update('knowledge_articles', row['id'], { versions_json: json([v1]), version: 2 })),
      ).toBe('ok');
      const grown: Row = {
        ...row,
        version: 3,
        state: 'published',
        versions_json: json([v1, v2]),
        publications_json: json([publication]),
        links_json: json([link]),
      };
      const { id: _id, ...growth } = grown;
      expect(await outcome(update('knowledge_articles', row['id'], growth))).toBe('ok');
      const before = await rowOf('knowledge_articles', row['id']);

      const changes: Row[] = [
        { versions_json: json([{ ...v1, content: 'Silently edited' }, v2]) }, // an old version edited
        { versions_json: json([v1, { ...v2, content: 'Open the portal; click Reset!' }]) }, // the last one
        { versions_json: json([v2, v1]) }, // reordered
        { versions_json: json([v1]) }, // one removed
        { versions_json: json([]) },
        { publications_json: json([]) },
        { publications_json: json([{ ...publication, versionNumber: 2 }]) },
        { links_json: json([{ ...link, linkedBy: newId() }]) },
        { created_by_employee_id: t.dialect.codecs.encodeId(newId()) },
        { created_at: instant(9) },
      ];
      for (const change of changes) {
        for (const [how, statement] of attempts('knowledge_articles', grown, change)) {
          expect(await outcome(statement), `${how} ${JSON.stringify(change).slice(0, 120)}`).toBe(
            'IMMUTABLE_ROW',
          );
        }
      }
      expect(await rowOf('knowledge_articles', row['id'])).toEqual(before);

      // An element is whole: a number cannot grow digits, though an array of numbers can grow.
      const numbers = { ...row, id: t.dialect.codecs.encodeId(newId()), links_json: json([1]) };
      expect(await outcome(insert('knowledge_articles', numbers))).toBe('ok');
      expect(await outcome(update('knowledge_articles', numbers['id'], { links_json: json([12]) }))).toBe(
        'IMMUTABLE_ROW',
      );
      expect(await outcome(update('knowledge_articles', numbers['id'], { links_json: json([1, 2]) }))).toBe(
        'ok',
      );

      const archived = {
        state: 'archived',
        archived_by_employee_id: author,
        archive_reason: 'Outdated',
        archived_at: instant(4),
        version: 4,
      };
      expect(await outcome(update('knowledge_articles', row['id'], archived))).toBe('ok');
      const v3 = version(3, 'After archive');
      for (const change of [
        { state: 'published' },
        { title: 'Renamed' },
        { archived_at: null },
        { version: 5 },
        { versions_json: json([v1, v2, v3]) },
        { links_json: json([link, { ...link, target: { kind: 'project', id: newId() } }]) },
      ]) {
        expect(
          await outcome(update('knowledge_articles', row['id'], change)),
          Object.keys(change).join(),
        ).toBe('IMMUTABLE_ROW');
      }
      const last = await rowOf('knowledge_articles', row['id']);
      // PostgreSQL reads an unsigned int (bigint) back as a string.
      expect([last?.['state'], Number(last?.['version'])]).toEqual(['archived', 4]);
    });
  });
}
