import { randomUUID } from 'node:crypto';
import { migrate } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySqliteError } from './dialect.js';
import { openSqlite, type SqliteDatabase } from './open.js';

let handle: SqliteDatabase;

beforeAll(async () => {
  handle = openSqlite();
  await migrate(handle.db, handle.dialect, { prefix: 'fz_' });
});

afterAll(async () => {
  await handle.close();
});

/** `ok`, or the typed code the adapter gives the raw statement's failure. */
async function outcome(statement: string): Promise<string> {
  try {
    await sql.raw(statement).execute(handle.db);
    return 'ok';
  } catch (e) {
    return classifySqliteError(e, 'raw').code;
  }
}

async function value(table: string, id: string, column: string): Promise<unknown> {
  const r = await sql
    .raw<Record<string, unknown>>(`SELECT "${column}" AS v FROM "fz_${table}" WHERE id = '${id}'`)
    .execute(handle.db);
  return r.rows[0]?.['v'];
}

const at = (day: number, hour: number): string =>
  `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000000Z`;

describe('on SQLite, the database refuses edits of immutable content (issue 29, item 4)', () => {
  it('given a sale, when a sold value is changed by UPDATE or INSERT … ON CONFLICT DO UPDATE, then IMMUTABLE_ROW and the value stays; its state still changes', async () => {
    const id = randomUUID();
    const insert = `INSERT INTO "fz_sales" (id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id,
        currency, sold_value, sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role, payment_schedule_json,
        accepted_by, accepted_at)
      VALUES ('${id}', 1, 'created', '${id}', '${randomUUID()}', 1, '${randomUUID()}', '${randomUUID()}', 'EUR',
        100000, 60000, 40000, 600, '{"dev":600}', '[]', 'ann', '${at(1, 10)}')`;
    expect(await outcome(insert)).toBe('ok');
    expect(await outcome(`UPDATE "fz_sales" SET sold_value = 1 WHERE id = '${id}'`)).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(`UPDATE "fz_sales" SET created_by_employee_id = '${randomUUID()}' WHERE id = '${id}'`),
    ).toBe('IMMUTABLE_ROW');
    expect(await outcome(`${insert} ON CONFLICT (id) DO UPDATE SET sold_value = 1`)).toBe('IMMUTABLE_ROW');
    expect(await value('sales', id, 'sold_value')).toBe(100000);
    expect(
      await outcome(
        `UPDATE "fz_sales" SET state = 'fulfilled', fulfilled_at = '${at(3, 10)}', version = 2, sold_value = 100000 WHERE id = '${id}'`,
      ),
    ).toBe('ok');
    expect(await value('sales', id, 'state')).toBe('fulfilled');
  });

  it('given a quote, when open, then its content changes; once accepted, content and state are refused by UPDATE and ON CONFLICT DO UPDATE, its due items still change', async () => {
    const id = randomUUID();
    const insert = `INSERT INTO "fz_quotes" (id, version, state, quote_id, quote_number, opportunity_id, customer_id, currency,
        current_version, current_version_state, title, total_sell, total_cost, total_margin, versions, due_item_ids)
      VALUES ('${id}', 1, 'open', '${id}', 'Q-2026-000001', '${randomUUID()}', '${randomUUID()}', 'EUR', 1, 'sent',
        'Website', 100000, 60000, 40000, '[{"version":1}]', '[]')`;
    expect(await outcome(insert)).toBe('ok');
    expect(await outcome(`UPDATE "fz_quotes" SET title = 'Shop' WHERE id = '${id}'`)).toBe('ok');
    expect(
      await outcome(
        `UPDATE "fz_quotes" SET state = 'accepted', current_version_state = 'accepted', accepted_version = 1 WHERE id = '${id}'`,
      ),
    ).toBe('ok');
    for (const set of ['total_sell = 2', `versions = '[]'`, `state = 'open'`, 'accepted_version = NULL']) {
      expect(await outcome(`UPDATE "fz_quotes" SET ${set} WHERE id = '${id}'`), set).toBe('IMMUTABLE_ROW');
    }
    expect(await outcome(`${insert} ON CONFLICT (id) DO UPDATE SET title = 'Other'`)).toBe('IMMUTABLE_ROW');
    expect(await value('quotes', id, 'title')).toBe('Shop');
    expect(
      await outcome(`UPDATE "fz_quotes" SET due_item_ids = '["i1"]', version = 2 WHERE id = '${id}'`),
    ).toBe('ok');
  });

  it('given a time entry, when submitted, then content edits are refused and the lock goes through; once locked, the state and lock are frozen, the adjustments fold still changes', async () => {
    const id = randomUUID();
    const insert = `INSERT INTO "fz_time_entries" (id, version, state, employee_id, ticket_id, start_time, end_time,
        duration_minutes, description, net_minutes, adjustments_json)
      VALUES ('${id}', 1, 'draft', '${randomUUID()}', '${randomUUID()}', '${at(1, 9)}', '${at(1, 10)}', 60, 'Build', 60, '[]')`;
    expect(await outcome(insert)).toBe('ok');
    expect(await outcome(`UPDATE "fz_time_entries" SET description = 'CI' WHERE id = '${id}'`)).toBe('ok');
    expect(
      await outcome(
        `UPDATE "fz_time_entries" SET state = 'submitted', submitted_at = '${at(1, 11)}' WHERE id = '${id}'`,
      ),
    ).toBe('ok');
    for (const set of [`description = 'edited'`, 'duration_minutes = 600', 'ticket_id = NULL']) {
      expect(await outcome(`UPDATE "fz_time_entries" SET ${set} WHERE id = '${id}'`), set).toBe(
        'IMMUTABLE_ROW',
      );
    }
    expect(await outcome(`${insert} ON CONFLICT (id) DO UPDATE SET duration_minutes = 1`)).toBe(
      'IMMUTABLE_ROW',
    );
    expect(
      await outcome(
        `UPDATE "fz_time_entries" SET state = 'locked', locked_at = '${at(2, 9)}', commercial_snapshot_json = '{}' WHERE id = '${id}'`,
      ),
    ).toBe('ok');
    for (const set of [`state = 'submitted'`, 'locked_at = NULL']) {
      expect(await outcome(`UPDATE "fz_time_entries" SET ${set} WHERE id = '${id}'`), set).toBe(
        'IMMUTABLE_ROW',
      );
    }
    expect(
      await outcome(
        `UPDATE "fz_time_entries" SET net_minutes = 30, adjustments_json = '[]', version = 4 WHERE id = '${id}'`,
      ),
    ).toBe('ok');
    expect(await value('time_entries', id, 'description')).toBe('CI');
    expect(await value('time_entries', id, 'net_minutes')).toBe(30);
  });
});
