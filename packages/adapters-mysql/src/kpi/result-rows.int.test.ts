import type { KpiResult } from '@pet-ops/kpi';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { installSchema } from '../testing/schema.js';
import type { TestDatabase } from '../testing/test-database.js';
import { writeResultRows } from './result-rows.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;
useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

beforeAll(async () => {
  await installSchema(db.url);
});

const result = (i: number, reason = `value ${i} ≥ good threshold (version 1)`): KpiResult => ({
  id: `sales.sold-value@1/customer:c-${i}/2026-0${(i % 9) + 1}-01`,
  definitionKey: 'sales.sold-value',
  definitionVersion: 1,
  unit: 'money_minor',
  scopeType: 'customer',
  scopeId: `c-${i}`,
  periodStart: `2026-0${(i % 9) + 1}-01`,
  periodEnd: `2026-0${(i % 9) + 1}-28`,
  value: 9_007_199_254_740_991 - i,
  numerator: i,
  denominator: i % 2 === 0 ? null : i,
  target: i % 3 === 0 ? null : -i,
  classification: 'good',
  classificationReason: reason,
  orgStructureVersion: i % 2 === 0 ? null : 2,
  watermark: 10n ** 15n + BigInt(i),
  contributingEventCount: i,
});

async function stored(setId: Uint8Array): Promise<KpiResult[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT * FROM kpi_results WHERE result_set_id = ? ORDER BY result_id',
    [setId],
  );
  return rows.map((r) => ({
    id: r['result_id'],
    definitionKey: r['definition_key'],
    definitionVersion: Number(r['definition_version']),
    unit: r['unit'],
    scopeType: r['scope_type'],
    scopeId: r['scope_id'],
    periodStart: r['period_start'],
    periodEnd: r['period_end'],
    value: Number(r['value']),
    numerator: Number(r['numerator']),
    denominator: r['denominator'] === null ? null : Number(r['denominator']),
    target: r['target'] === null ? null : Number(r['target']),
    classification: r['classification'],
    classificationReason: r['classification_reason'],
    orgStructureVersion: r['org_structure_version'] === null ? null : Number(r['org_structure_version']),
    watermark: BigInt(r['input_watermark']),
    contributingEventCount: Number(r['contributing_event_count']),
  }));
}

async function inTransaction<T>(
  work: (c: Awaited<ReturnType<Pool['getConnection']>>) => Promise<T>,
): Promise<T> {
  const c = await pool.getConnection();
  try {
    await c.beginTransaction();
    const out = await work(c);
    await c.commit();
    return out;
  } catch (e) {
    await c.rollback();
    throw e;
  } finally {
    c.release();
  }
}

describe('writeResultRows', () => {
  it('given a fresh set, when written, then it is bulk-loaded and reads back exactly (NULLs, big numbers, escapes, unicode)', async () => {
    const setId = new Uint8Array(16).fill(1);
    const rows = Array.from({ length: 1200 }, (_, i) =>
      result(i, i === 7 ? 'tab\there, newline\nthere, backslash \\ and \\N, ≤ ≥ é' : undefined),
    );
    const { method } = await inTransaction((c) =>
      writeResultRows(c, '`kpi_results`', setId, rows, '2026-12-03 10:00:00.000000', { upsert: false }),
    );
    expect(method).toBe('load-data');
    expect(await stored(setId)).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('given a server that stops reading (a row lock), when 100 000 rows are bulk-loaded, then the rows stream: the client holds at most a chunk of them unsent, never the rest', async () => {
    const setId = new Uint8Array(16).fill(9);
    // Another transaction holds the first row's key: the load waits on it and the server stops reading.
    const holder = await pool.getConnection();
    await holder.beginTransaction();
    await writeResultRows(holder, '`kpi_results`', setId, [result(0)], '2026-12-03 10:00:00.000000', {
      upsert: false,
    });
    let queuedAtMost = 0;
    const loading = inTransaction((c) => {
      const socket = (c as unknown as { connection: { stream: { writableLength: number } } }).connection
        .stream;
      // Samples what the socket holds unsent while the rows are produced (about 25 MB of TSV in all).
      function* rows(): Generator<KpiResult> {
        for (let i = 0; i < 100_000; i++) {
          queuedAtMost = Math.max(queuedAtMost, socket.writableLength);
          yield result(i);
        }
      }
      return writeResultRows(c, '`kpi_results`', setId, rows(), '2026-12-03 10:00:00.000000', {
        upsert: false,
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await holder.rollback();
    holder.release();
    const { rows: written } = await loading;
    expect(written).toBe(100_000);
    const [[count]] = (await conn.query('SELECT COUNT(*) AS n FROM kpi_results WHERE result_set_id = ?', [
      setId,
    ])) as unknown as [[{ n: number }]];
    expect(Number(count.n)).toBe(100_000);
    expect(queuedAtMost).toBeLessThan(1 << 20);
  });

  it('given a value the column cannot hold, when bulk-loaded, then the write fails and nothing is kept', async () => {
    const setId = new Uint8Array(16).fill(2);
    const rows = [result(1), result(2, 'x'.repeat(600))];
    await expect(
      inTransaction((c) =>
        writeResultRows(c, '`kpi_results`', setId, rows, '2026-12-03 10:00:00.000000', { upsert: false }),
      ),
    ).rejects.toMatchObject({ code: 'CONSTRAINT_VIOLATION' });
    expect(await stored(setId)).toEqual([]);
  });

  it('given a server that refuses local loads, when written, then multi-row INSERTs write and upsert the same rows', async () => {
    const setId = new Uint8Array(16).fill(3);
    const rows = Array.from({ length: 700 }, (_, i) => result(i));
    await conn.query('SET GLOBAL local_infile = 0');
    try {
      const { method } = await inTransaction((c) =>
        writeResultRows(c, '`kpi_results`', setId, rows, '2026-12-03 10:00:00.000000', { upsert: false }),
      );
      expect(method).toBe('insert');
      const { method: upserted } = await inTransaction((c) =>
        writeResultRows(
          c,
          '`kpi_results`',
          setId,
          [{ ...result(5), value: 1 }],
          '2026-12-03 10:00:01.000000',
          {
            upsert: true,
          },
        ),
      );
      expect(upserted).toBe('insert');
    } finally {
      await conn.query('SET GLOBAL local_infile = 1');
    }
    const expected = rows.map((r) => (r.id === result(5).id ? { ...r, value: 1 } : r));
    expect(await stored(setId)).toEqual(expected.sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('given existing rows, when upserted, then rows of the same id are replaced and the others kept', async () => {
    const setId = new Uint8Array(16).fill(4);
    const first = [result(1), result(2)];
    await inTransaction((c) =>
      writeResultRows(c, '`kpi_results`', setId, first, '2026-12-03 10:00:00.000000', { upsert: false }),
    );
    const changed = [{ ...result(2), value: 5, classificationReason: 'changed' }, result(3)];
    const { method } = await inTransaction((c) =>
      writeResultRows(c, '`kpi_results`', setId, changed, '2026-12-03 10:00:01.000000', { upsert: true }),
    );
    expect(method).toBe('load-data');
    expect(await stored(setId)).toEqual([result(1), ...changed]);
  });
});
