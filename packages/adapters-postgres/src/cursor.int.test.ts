// streamRows, the server-side cursor the event log's readers use on PostgreSQL: batches bounded and in
// order, the connection given back however the read ends, errors as the driver raised them.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamRows } from './cursor.js';
import { freshPostgres } from './fixtures.test.js';
import type { PostgresDatabase } from './open.js';

let fx: Awaited<ReturnType<typeof freshPostgres>>;
let o: PostgresDatabase;

beforeAll(async () => {
  fx = await freshPostgres('', 'cursor');
  // Two connections: a read that kept one would make the third read below wait forever.
  o = await fx.open(2);
  await sql`CREATE TABLE numbers (n bigint PRIMARY KEY, at timestamptz NOT NULL)`.execute(o.db);
  await sql`INSERT INTO numbers SELECT g, timestamptz '2026-01-02 03:04:05.123456+00' + g * interval '1 second' FROM generate_series(1, 1200) g`.execute(
    o.db,
  );
});

afterAll(async () => {
  await o?.close();
  await fx?.drop();
});

const query = (after: number, limit: number) =>
  o.db
    .selectFrom('numbers')
    .select(['n', 'at'])
    .where('n', '>', String(after))
    .orderBy('n')
    .limit(limit)
    .compile();

describe('streamRows', () => {
  it('given any start, limit and batch size, then it yields the rows in order, each once, in batches of at most the batch size, in the session of the dialect (search_path, UTC, int8 as text)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1300 }),
        fc.integer({ min: 0, max: 1300 }),
        fc.integer({ min: 1, max: 700 }),
        async (after, limit, batch) => {
          const seen: unknown[] = [];
          for await (const rows of streamRows(o.db, query(after, limit), batch)) {
            expect(rows.length).toBeGreaterThan(0);
            expect(rows.length).toBeLessThanOrEqual(batch);
            seen.push(...rows);
          }
          const expected = Math.max(0, Math.min(limit, 1200 - after));
          expect(seen).toHaveLength(expected);
          seen.forEach((r, i) => {
            expect(r).toEqual({
              n: String(after + i + 1),
              at: expect.stringMatching(/^2026-01-02 \d\d:\d\d:\d\d\.123456\+00$/),
            });
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('given consumers that stop after the first batch, then each gives its connection back (more reads than the pool has connections all finish)', async () => {
    for (let i = 0; i < 5; i++) {
      for await (const rows of streamRows(o.db, query(0, 1200), 100)) {
        expect(rows[0]).toMatchObject({ n: '1' });
        break;
      }
    }
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM numbers`.execute(o.db);
    expect(r.rows[0]?.n).toBe('1200');
  });

  it('given a statement the server refuses, then the read rejects with the driver error and the connection serves the next statement', async () => {
    const bad = sql`SELECT n / 0 AS q FROM numbers`.compile(o.db);
    const read = async () => {
      for await (const _ of streamRows(o.db, bad, 10)) {
        // nothing: the first batch already fails
      }
    };
    for (let i = 0; i < 3; i++) await expect(read()).rejects.toMatchObject({ code: '22012' });
    let n = 0;
    for await (const rows of streamRows(o.db, query(0, 50), 20)) n += rows.length;
    expect(n).toBe(50);
  });
});
