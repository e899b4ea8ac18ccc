// postgresKpiAccelerator's COPY writer against the INSERT the runner sends: the same values, stored the
// same, byte for byte (each row compared as PostgreSQL's own text of it); its errors typed, the
// connection usable after them.
import { isPetError } from '@pet-ops/core';
import { type AnyDatabase, type KpiResultWrite, kpiResultRow } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField } from './copy.js';
import { freshPostgres } from './fixtures.test.js';
import { postgresKpiAccelerator } from './kpi.js';
import type { PostgresDatabase } from './open.js';

type Result = KpiResultWrite['rows'] extends Iterable<infer R> ? R : never;

const TABLE = 'pet_kpi_results';
const COPY_SET = '0190a6f0-0000-7000-8000-00000000c0b1';
const INSERT_SET = '0190a6f0-0000-7000-8000-0000000015e7';
const AT = '2026-03-04T05:06:07.123456Z';

const base: Result = {
  id: 'sales.win-rate@1/org:org/2026-01-01',
  definitionKey: 'sales.win-rate',
  definitionVersion: 1,
  unit: 'basis_points',
  scopeType: 'org',
  scopeId: 'org',
  periodStart: '2026-01-01',
  periodEnd: '2026-01-31',
  value: 5000,
  numerator: 1,
  denominator: 2,
  target: null,
  classification: 'unclassified',
  classificationReason: 'no target',
  orgStructureVersion: null,
  watermark: 42n,
  contributingEventCount: 2,
} as Result;

/** Rows whose text needs every escape of the COPY text format, and the extremes of the numeric columns. */
const nasty: Result[] = [
  base,
  { ...base, id: 'tab\there', scopeId: 'a\tb', classificationReason: 'tab\tnewline\ncr\rback\\slash' },
  { ...base, id: 'end-of-data', scopeId: '\\.', classificationReason: '\\.\n\\N' },
  { ...base, id: 'null-text', scopeId: '\\N', classificationReason: 'N\\' },
  {
    ...base,
    id: 'unicode',
    scopeId: 'Zoë ✓ 日本',
    classificationReason: '"quoted" \'single\' , ; {} [] \u0001\u007f',
  },
  {
    ...base,
    id: 'extremes',
    value: -9_007_199_254_740_991,
    numerator: 9_007_199_254_740_991,
    denominator: null,
    target: 0,
    orgStructureVersion: 4_294_967_295,
    watermark: 9_223_372_036_854_775_807n,
    contributingEventCount: 0,
    classification: 'breach',
  },
  { ...base, id: 'crlf\r\n', classificationReason: '\r\n\r\n', scopeType: 'employee', scopeId: '' },
];

/** The runner's portable INSERT of the same rows (its own row mapping, `kpiResultRow`). */
async function insertRows(db: AnyDatabase, setId: string, rows: readonly Result[]): Promise<void> {
  await db
    .insertInto(TABLE)
    .values(rows.map((r) => kpiResultRow(setId, r, AT)))
    .execute();
}

/** Each row of a set as PostgreSQL prints it (every column but the set id), by result id. */
async function printed(db: AnyDatabase, setId: string): Promise<string[]> {
  const r = await sql<{ t: string }>`
    SELECT (result_id, definition_key, definition_version, scope_type, scope_id, period_start, period_end,
            unit, value, numerator, denominator, target, classification, classification_reason,
            org_structure_version, input_watermark, contributing_event_count, computed_at)::text AS t
    FROM ${sql.table(TABLE)} WHERE result_set_id = ${setId} ORDER BY result_id`.execute(db);
  return r.rows.map((x) => x.t);
}

const writeResults = postgresKpiAccelerator().writeResults;
const write = (db: AnyDatabase, setId: string, rows: Iterable<Result>, replace = false): Promise<number> => {
  if (writeResults === undefined) throw new Error('postgresKpiAccelerator writes results');
  return db
    .transaction()
    .execute((trx) => writeResults(trx, { table: TABLE, setId, rows, computedAt: AT, replace }));
};

describe('postgresKpiAccelerator: results by COPY', () => {
  let fx: Awaited<ReturnType<typeof freshPostgres>>;
  let pg: PostgresDatabase;
  beforeAll(async () => {
    fx = await freshPostgres('pet_');
    pg = fx.client();
  });
  afterAll(async () => {
    await pg?.close();
    await fx?.drop();
  });

  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\.')).toBe('\\\\.');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(-12)).toBe('-12');
    expect(copyField(9_223_372_036_854_775_807n)).toBe('9223372036854775807');
    expect(copyField({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });

  it('given rows needing every escape, when copied, then they are stored byte for byte as the INSERT stores them (text, uuid, timestamptz, bigint, NULL)', async () => {
    expect(await write(pg.db, COPY_SET, nasty)).toBe(nasty.length);
    await insertRows(pg.db, INSERT_SET, nasty);
    const copied = await printed(pg.db, COPY_SET);
    expect(copied).toHaveLength(nasty.length);
    expect(copied).toEqual(await printed(pg.db, INSERT_SET));
    // And read back through the driver as the values written.
    const back = await pg.db
      .selectFrom(TABLE)
      .select(['result_id', 'scope_id', 'classification_reason', 'input_watermark', 'computed_at'])
      .where('result_set_id', '=', COPY_SET)
      .execute();
    const byId = new Map(back.map((r) => [r.result_id as string, r]));
    for (const r of nasty) {
      expect(byId.get(r.id)).toMatchObject({
        scope_id: r.scopeId,
        classification_reason: r.classificationReason,
      });
      expect(String(byId.get(r.id)?.input_watermark)).toBe(r.watermark.toString());
    }
  });

  it('given a replacing write (a catch-up), then rows of the same ids are replaced and the others stay', async () => {
    const changed = nasty.slice(1, 3).map((r) => ({ ...r, value: 7, classificationReason: `new\t${r.id}` }));
    expect(await write(pg.db, COPY_SET, changed, true)).toBe(2);
    await pg.db.deleteFrom(TABLE).where('result_set_id', '=', INSERT_SET).execute();
    await insertRows(pg.db, INSERT_SET, [nasty[0] as Result, ...changed, ...nasty.slice(3)]);
    expect(await printed(pg.db, COPY_SET)).toEqual(await printed(pg.db, INSERT_SET));
  });

  it('given a duplicate key, then the write fails with a typed DUPLICATE_KEY, nothing of it stays, and the pool goes on', async () => {
    const setId = '0190a6f0-0000-7000-8000-0000000d0b1e';
    const e = await write(pg.db, setId, [base, { ...base, scopeId: 'other' }]).catch((x: unknown) => x);
    expect(isPetError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(await printed(pg.db, setId)).toEqual([]);
    expect(await write(pg.db, setId, [base])).toBe(1);
  });

  it('given rows that fail to encode mid-stream, then the COPY is abandoned (CopyFail), the error is typed, and the connection is usable', async () => {
    const setId = '0190a6f0-0000-7000-8000-0000000bad00';
    function* rows(): Generator<Result> {
      for (let i = 0; i < 3000; i++) yield { ...base, id: `r${i}`, classificationReason: 'x'.repeat(100) };
      yield { ...base, id: 'bad', scopeId: Symbol('no') as unknown as string };
    }
    const e = await write(pg.db, setId, rows()).catch((x: unknown) => x);
    expect(isPetError(e)).toBe(true);
    expect((e as Error).message).not.toMatch(/\n\s+at /);
    expect(await printed(pg.db, setId)).toEqual([]);
    // Every connection of the pool still answers.
    await Promise.all([1, 2, 3, 4, 5].map(() => sql`SELECT 1`.execute(pg.db)));
  });
});
