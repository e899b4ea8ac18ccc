/**
 * Aggregate content in the seed's tables — a quote's `quote_versions`, `quote_line_groups` and
 * `quote_lines`, a malleable schema's `lead_schema_versions` — written once and run against every
 * database (not a test file itself: each adapter's `content-rows.int.test.ts` calls
 * {@link describeContentRowsContract}): the data moves of existing rows (migrations 0963 and 0965), the
 * rows the unit of work keeps in step with the aggregate, and the database's own guards on them
 * (issue 22).
 */
import { type CommandMetadata, type Commercial, createCommandHandler, type Instant } from '@pet-ops/core';
import { migrations } from '@pet-ops/migrations';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMalleableSchema, commercialBindings } from '../contexts/commercial.js';
import { dataStep } from '../data-steps.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { aggregateOf, decodeColumn, encodeColumn } from '../state-table.js';
import { malleableSchemasTable, quotesTable } from '../tables/commercial.js';
import {
  assembleQuoteVersions,
  type QUOTE_CONTENT_TABLES,
  quoteLineGroupsTable,
  quoteLinesTable,
  quoteVersionsTable,
} from '../tables/quote-content.js';
import { assembleSchemaVersions, leadSchemaVersionsTable } from '../tables/schema-versions.js';
import { runtimeOn, unitOfWorkOn } from './crm-contract.test.js';
import { newId } from './event-store-contract.test.js';
import { storedQuote } from './quote-arbitrary.test.js';

/** A fresh, empty database; `migrate(target)` runs PET's migrations up to `target` (default: all). */
export interface ContentRowsTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  migrate(target?: string): Promise<void>;
  close(): Promise<void>;
}

/** The migration just before the quote content tables: a database "made before this change". */
const BEFORE = (() => {
  const i = migrations.findIndex((m) => m.id === '2026_12_06_0960_create_quote_versions');
  return migrations[i - 1]?.id as string;
})();

type Row = Record<string, unknown>;

const field = (key: string, type: Commercial.MalleableField['type'] = 'text'): Commercial.MalleableField => ({
  key,
  label: key.toUpperCase(),
  type,
  required: false,
});
const schemaVersion = (
  entityType: string,
  version: number,
  status: Commercial.SchemaVersionStatus,
  fields: readonly Commercial.MalleableField[],
): Commercial.MalleableSchemaVersion => ({
  entityType,
  version,
  status,
  fields,
  publishedAt: status === 'draft' ? null : (`2026-0${version}-01T10:00:00.000000Z` as Instant),
});
/** Schemas written the old way (their versions only in the `versions` snapshot): every status mix. */
const OLD_SCHEMAS: readonly Commercial.MalleableSchemaState[] = [
  {
    status: 'defined',
    schemaId: newId() as Commercial.MalleableSchemaId,
    entityType: 'lead',
    lastVersion: 4,
    // Version 3 was a discarded draft: its number is never reused.
    versions: [
      schemaVersion('lead', 1, 'historical', [field('budget', 'number')]),
      schemaVersion('lead', 2, 'active', [field('budget', 'number'), field('region')]),
      schemaVersion('lead', 4, 'draft', [
        field('budget', 'number'),
        field('region'),
        field('notes', 'textarea'),
      ]),
    ],
  },
  {
    status: 'defined',
    schemaId: newId() as Commercial.MalleableSchemaId,
    entityType: 'ticket',
    lastVersion: 1,
    versions: [schemaVersion('ticket', 1, 'draft', [field('asset')])],
  },
];

/**
 * Declares the content rows tests for one database.
 *
 * @example
 * ```ts
 * describeContentRowsContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', migrate, close }));
 * ```
 */
export function describeContentRowsContract(name: string, open: () => Promise<ContentRowsTarget>): void {
  describe(`content rows (${name})`, () => {
    let t: ContentRowsTarget;
    /** Quotes written the old way (only the `versions` snapshot) before the migration. */
    let old: Commercial.QuoteState[] = [];
    beforeAll(async () => {
      t = await open();
      await t.migrate(BEFORE);
      // Quote numbers are unique: the sample gets its own year.
      old = fc
        .sample(storedQuote(), 40)
        .map((q, i) =>
          q.status === 'absent'
            ? q
            : { ...q, quoteNumber: `Q-2025-${String(i + 1).padStart(6, '0')}` as Commercial.QuoteNumber },
        );
      for (const q of old) {
        if (q.status === 'absent') continue;
        const logical = quotesTable.toRow(q) as Row;
        const row: Row = { id: t.dialect.codecs.encodeId(q.quoteId), version: 3 };
        for (const [column, spec] of Object.entries(quotesTable.columns)) {
          row[column] = encodeColumn(t.dialect.codecs, spec, logical[column]);
        }
        await t.db.insertInto(`${t.prefix}quotes`).values(row).execute();
      }
      for (const schema of OLD_SCHEMAS) {
        if (schema.status === 'absent') continue;
        const logical = malleableSchemasTable.toRow(schema) as Row;
        const row: Row = { id: t.dialect.codecs.encodeId(schema.schemaId), version: 5 };
        for (const [column, spec] of Object.entries(malleableSchemasTable.columns)) {
          row[column] = encodeColumn(t.dialect.codecs, spec, logical[column]);
        }
        await t.db.insertInto(`${t.prefix}malleable_schemas`).values(row).execute();
      }
      await t.migrate();
    });
    afterAll(async () => {
      await t?.close();
    });

    async function rowsOf(
      table: (typeof QUOTE_CONTENT_TABLES)[number] | typeof leadSchemaVersionsTable,
      quoteId: string,
      owner = 'quote_id',
    ): Promise<Row[]> {
      const raw = (await t.db
        .selectFrom(`${t.prefix}${table.table}`)
        .selectAll()
        .where(owner, '=', t.dialect.codecs.encodeId(quoteId))
        .execute()) as Row[];
      return raw.map((r) => {
        const out: Row = {};
        for (const [c, spec] of Object.entries(table.columns))
          out[c] = decodeColumn(t.dialect.codecs, spec, r[c]);
        return out;
      });
    }
    const assembled = async (quoteId: string) =>
      assembleQuoteVersions(
        await rowsOf(quoteVersionsTable, quoteId),
        await rowsOf(quoteLineGroupsTable, quoteId),
        await rowsOf(quoteLinesTable, quoteId),
      );

    it('property: given quotes written before the change (random versions, groups, lines), when migrated, then their rows re-assemble to exactly the old aggregate, and the step run again writes nothing', async () => {
      expect(old.length).toBe(40);
      for (const q of old) {
        if (q.status === 'absent') continue;
        expect(await assembled(q.quoteId)).toEqual(q.versions);
      }
      const step = dataStep('quote_content_rows');
      expect(step).toBeDefined();
      expect(await step?.run({ db: t.db, dialect: t.dialect, prefix: t.prefix })).toEqual({ rows: 0 });
    });

    const meta: CommandMetadata = { actor: { type: 'employee', id: newId() } };
    const eur = (n: number) => ({ amountMinor: n, currency: 'EUR' }) as never;
    const product = (n: number, price: number): Commercial.QuoteLine => ({
      lineId: newId(),
      kind: 'product',
      description: `Licence ${n}`,
      quantity: 1,
      unitPrice: eur(price),
      unitCost: eur(Math.floor(price / 2)),
      minutes: null,
      catalog: { catalogItemId: newId(), sku: `LIC-${n}`, name: 'Licence' },
      role: null,
      milestone: null,
    });

    /** A quote taken through its life by the command handler; after every command its rows match its state. */
    async function lifecycle(): Promise<{ quoteId: Commercial.QuoteId; removed: string; group: string }> {
      const runtime = runtimeOn(unitOfWorkOn(t, t.prefix), '2026-11-02T09:00:00.000000Z');
      const handle = createCommandHandler(runtime, commercialBindings.quote);
      const quoteId = newId() as Commercial.QuoteId;
      const group = newId();
      const a = product(1, 100_00);
      const b = product(2, 50_00);
      const c = product(3, 20_00);
      const schedule = (total: number): Commercial.QuoteCommand => ({
        type: 'define_payment_schedule',
        items: [{ itemId: newId(), title: 'All', amount: eur(total), dueDate: null }],
      });
      const steps: Commercial.QuoteCommand[] = [
        {
          type: 'create',
          quoteId,
          quoteNumber:
            `Q-2026-${String(Math.floor(Math.random() * 900_000) + 100_000)}` as Commercial.QuoteNumber,
          opportunityId: newId(),
          customerId: newId(),
          currency: 'EUR',
          title: 'Relaunch',
          validUntil: '2026-12-31',
          parentQuoteId: null,
          supersedesQuoteId: null,
        },
        { type: 'add_group', groupId: group, kind: 'catalog', title: 'Licences', recurring: null },
        { type: 'add_line', groupId: group, line: a },
        { type: 'add_line', groupId: group, line: b },
        // The first line goes: the one behind it moves up (its sort_order changes, its content does not).
        { type: 'remove_line', lineId: a.lineId },
        schedule(50_00),
        { type: 'send' },
        { type: 'revise' },
        { type: 'add_line', groupId: group, line: c },
        schedule(70_00),
        { type: 'send' },
        {
          type: 'accept',
          version: 2,
          saleId: newId() as Commercial.SaleId,
          acceptedBy: 'contact-1',
          acceptedAt: '2026-11-03T10:00:00.000000Z' as Instant,
        },
      ];
      for (const command of steps) {
        const r = await handle({ streamId: quoteId, command, metadata: meta });
        expect(r.ok ? command.type : `${command.type}: ${r.error.code}`).toBe(command.type);
        const { state } = await runtime.unitOfWork.run((s) =>
          s.aggregate(aggregateOf(quotesTable)).load(quoteId),
        );
        if (state.status === 'absent') throw new Error('quote missing');
        expect(await assembled(quoteId)).toEqual(state.versions);
      }
      return { quoteId, removed: a.lineId, group };
    }

    it('given a quote taken from create through lines added and removed, sent, revised and accepted, then after every command its rows re-assemble to its versions; the removed draft line keeps its row with removed_at', async () => {
      const { quoteId, removed } = await lifecycle();
      const lines = await rowsOf(quoteLinesTable, quoteId);
      expect(lines.filter((l) => l['removed_at'] !== null).map((l) => l['line_id'])).toEqual([removed]);
      const versions = await rowsOf(quoteVersionsTable, quoteId);
      expect(versions.map((v) => [v['version_number'], v['state']]).sort()).toEqual([
        [1, 'superseded'],
        [2, 'accepted'],
      ]);
      expect(versions.find((v) => v['version_number'] === 2)).toMatchObject({
        accepted_by: 'contact-1',
        total_sell: 70_00,
        supersedes_version_id: versions.find((v) => v['version_number'] === 1)?.['id'],
      });
    });

    const refused = async (statement: Promise<unknown>): Promise<string> => {
      try {
        await statement;
        return 'written';
      } catch {
        return 'refused';
      }
    };

    it('given a sent or accepted version, its lines and groups, when raw SQL changes content or deletes, then the database refuses; a draft version, a line being removed and a group total still move', async () => {
      const { quoteId, group } = await lifecycle();
      const id = t.dialect.codecs.encodeId(quoteId);
      const table = (n: string) => sql.table(`${t.prefix}${n}`);
      const exec = (q: ReturnType<typeof sql>) => q.execute(t.db);
      // Sent (superseded) and accepted versions: content frozen; accepted: state too.
      expect(
        await refused(
          exec(
            sql`UPDATE ${table('quote_versions')} SET title = 'x' WHERE quote_id = ${id} AND version_number = 1`,
          ),
        ),
      ).toBe('refused');
      expect(
        await refused(
          exec(
            sql`UPDATE ${table('quote_versions')} SET total_sell = 1 WHERE quote_id = ${id} AND version_number = 2`,
          ),
        ),
      ).toBe('refused');
      expect(
        await refused(
          exec(
            sql`UPDATE ${table('quote_versions')} SET state = 'draft' WHERE quote_id = ${id} AND version_number = 2`,
          ),
        ),
      ).toBe('refused');
      // Lines: content never changes.
      expect(
        await refused(exec(sql`UPDATE ${table('quote_lines')} SET description = 'x' WHERE quote_id = ${id}`)),
      ).toBe('refused');
      expect(
        await refused(exec(sql`UPDATE ${table('quote_lines')} SET unit_price = 1 WHERE quote_id = ${id}`)),
      ).toBe('refused');
      // Groups: identity and terms never change.
      expect(
        await refused(exec(sql`UPDATE ${table('quote_line_groups')} SET title = 'x' WHERE quote_id = ${id}`)),
      ).toBe('refused');
      // Nothing is deleted.
      for (const n of ['quote_versions', 'quote_line_groups', 'quote_lines']) {
        expect(await refused(exec(sql`DELETE FROM ${table(n)} WHERE quote_id = ${id}`)), n).toBe('refused');
      }
      expect(await rowsOf(quoteVersionsTable, quoteId)).toHaveLength(2);
      // What may still move: a draft version's content, a line's removal stamp, a group's derived totals.
      const draft = newId();
      const runtime = runtimeOn(unitOfWorkOn(t, t.prefix));
      const handle = createCommandHandler(runtime, commercialBindings.quote);
      const r = await handle({
        streamId: draft,
        command: {
          type: 'create',
          quoteId: draft as Commercial.QuoteId,
          quoteNumber: 'Q-2026-000777' as Commercial.QuoteNumber,
          opportunityId: newId(),
          customerId: newId(),
          currency: 'EUR',
          title: 'Draft',
          validUntil: null,
          parentQuoteId: null,
          supersedesQuoteId: null,
        },
        metadata: meta,
      });
      expect(r.ok).toBe(true);
      const draftId = t.dialect.codecs.encodeId(draft);
      expect(
        await refused(
          exec(sql`UPDATE ${table('quote_versions')} SET title = 'Renamed' WHERE quote_id = ${draftId}`),
        ),
      ).toBe('written');
      const at = t.dialect.codecs.encodeInstant('2026-11-04T10:00:00.000000Z');
      expect(
        await refused(
          exec(
            sql`UPDATE ${table('quote_lines')} SET removed_at = ${at} WHERE quote_id = ${id} AND removed_at IS NULL`,
          ),
        ),
      ).toBe('written');
      expect(
        await refused(
          exec(
            sql`UPDATE ${table('quote_line_groups')} SET sell_value = sell_value WHERE group_id = ${t.dialect.codecs.encodeId(group)}`,
          ),
        ),
      ).toBe('written');
    });
    const schemaRows = (schemaId: string) => rowsOf(leadSchemaVersionsTable, schemaId, 'schema_id');

    it('given schema versions written before the change (historical, active, draft; a discarded number skipped), when migrated, then lead_schema_versions holds one row per version that re-assembles to them, and the step run again writes nothing', async () => {
      for (const schema of OLD_SCHEMAS) {
        if (schema.status === 'absent') continue;
        expect(assembleSchemaVersions(await schemaRows(schema.schemaId))).toEqual(schema.versions);
      }
      expect(
        await dataStep('lead_schema_version_rows')?.run({ db: t.db, dialect: t.dialect, prefix: t.prefix }),
      ).toEqual({
        rows: 0,
      });
    });

    it('given a schema drafted, edited, published, drafted again, discarded, drafted and published, then after every command its rows re-assemble to its versions; the discarded draft keeps its row, stamped', async () => {
      const runtime = runtimeOn(unitOfWorkOn(t, t.prefix), '2026-11-05T09:00:00.000000Z');
      const schemaId = newId() as Commercial.MalleableSchemaId;
      const steps: Commercial.MalleableSchemaCommand[] = [
        { type: 'create_draft', schemaId, entityType: 'qualification', fields: [field('budget', 'number')] },
        { type: 'update_draft', fields: [field('budget', 'number'), field('timeline')] },
        { type: 'publish', at: '2026-11-05T10:00:00.000000Z' as Instant },
        { type: 'create_draft', schemaId, entityType: 'qualification', fields: [field('budget', 'number')] },
        { type: 'discard_draft' },
        { type: 'create_draft', schemaId, entityType: 'qualification', fields: [field('authority')] },
        { type: 'publish', at: '2026-11-06T10:00:00.000000Z' as Instant },
      ];
      for (const command of steps) {
        const r = await changeMalleableSchema(runtime, meta, { schemaId, command });
        expect(r.ok ? command.type : `${command.type}: ${r.error.code}`).toBe(command.type);
        const { state } = await runtime.unitOfWork.run((s) =>
          s.aggregate(aggregateOf(malleableSchemasTable)).load(schemaId),
        );
        if (state.status === 'absent') throw new Error('schema missing');
        expect(assembleSchemaVersions(await schemaRows(schemaId))).toEqual(state.versions);
      }
      const rows = await schemaRows(schemaId);
      expect(rows.map((r) => [r['version'], r['status'], r['discarded_at'] === null]).sort()).toEqual([
        [1, 'historical', true],
        [2, 'draft', false],
        [3, 'active', true],
      ]);
      // The database: a published version's content and a historical version's status cannot change.
      const table = sql.table(`${t.prefix}lead_schema_versions`);
      const id = t.dialect.codecs.encodeId(schemaId);
      const json = t.dialect.codecs.encodeJson([field('x')]);
      const exec = (q: ReturnType<typeof sql>) => refused(q.execute(t.db));
      expect(
        await exec(sql`UPDATE ${table} SET schema_json = ${json} WHERE schema_id = ${id} AND version = 3`),
      ).toBe('refused');
      expect(
        await exec(sql`UPDATE ${table} SET status = 'active' WHERE schema_id = ${id} AND version = 1`),
      ).toBe('refused');
      expect(await exec(sql`DELETE FROM ${table} WHERE schema_id = ${id}`)).toBe('refused');
      expect(
        await exec(sql`UPDATE ${table} SET status = 'historical' WHERE schema_id = ${id} AND version = 3`),
      ).toBe('written');
    });
  });
}
