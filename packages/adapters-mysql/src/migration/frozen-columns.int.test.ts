import { randomUUID } from 'node:crypto';
import { isPetError } from '@pet-ops/core';
import type { Connection, Pool } from 'mysql2/promise';
import { beforeAll, describe, expect, test } from 'vitest';
import { mapDriverError } from '../errors.js';
import { migrate, verify } from './engine.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
let conn: Connection;
const prefix = 'fz_';
const t = (table: string): string => `\`${prefix}${table}\``;
const id = (): Buffer => Buffer.from(randomUUID().replace(/-/g, ''), 'hex');

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

beforeAll(async () => {
  await migrate(pool, { prefix });
});

/** The typed code a raw statement ends with: `ok`, or the PetError code the adapter maps it to. */
async function outcome(sql: string, params: unknown[] = []): Promise<string> {
  try {
    await conn.query(sql, params);
    return 'ok';
  } catch (e) {
    const mapped = mapDriverError(e, 'raw');
    return isPetError(mapped) ? mapped.code : 'unknown';
  }
}

/** BIGINT (money) columns come back as strings from mysql2. */
async function row(table: string, key: Buffer, columns: string): Promise<Record<string, unknown>> {
  const [rows] = await conn.query(`SELECT ${columns} FROM ${t(table)} WHERE id = ?`, [key]);
  return (rows as Record<string, unknown>[])[0] ?? {};
}

async function insertSale(): Promise<Buffer> {
  const key = id();
  await conn.query(
    `INSERT INTO ${t('sales')} (id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id,
       currency, sold_value, sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role,
       payment_schedule_json, accepted_by, accepted_at)
     VALUES (?, 1, 'created', ?, ?, 1, ?, ?, 'EUR', 100000, 60000, 40000, 600, '{"dev":600}', '[]', 'ann', '2026-12-01 10:00:00.000000')`,
    [key, key, id(), id(), id()],
  );
  return key;
}

async function insertQuote(state: 'open' | 'accepted'): Promise<Buffer> {
  const key = id();
  await conn.query(
    `INSERT INTO ${t('quotes')} (id, version, state, quote_id, quote_number, opportunity_id, customer_id, currency,
       current_version, current_version_state, title, total_sell, total_cost, total_margin, versions, due_item_ids)
     VALUES (?, 1, ?, ?, ?, ?, ?, 'EUR', 1, 'sent', 'Website', 100000, 60000, 40000, '[{"version":1}]', '[]')`,
    [key, state, key, `Q-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, id(), id()],
  );
  return key;
}

async function insertTimeEntry(state: 'draft' | 'submitted' | 'locked'): Promise<Buffer> {
  const key = id();
  await conn.query(
    `INSERT INTO ${t('time_entries')} (id, version, state, employee_id, ticket_id, start_time, end_time, duration_minutes,
       description, net_minutes, adjustments_json, locked_at, commercial_snapshot_json)
     VALUES (?, 1, ?, ?, ?, '2026-12-01 09:00:00.000000', '2026-12-01 10:00:00.000000', 60, 'Fixing the build', 60, '[]', ?, ?)`,
    [
      key,
      state,
      id(),
      id(),
      state === 'locked' ? '2026-12-02 09:00:00.000000' : null,
      state === 'locked' ? '{"billable":true}' : null,
    ],
  );
  return key;
}

describe('the database refuses edits of immutable content (issue 29, item 4)', () => {
  test('given a fresh database migrated to head, when verified, then the frozen-columns triggers are in place and the schema is clean', async () => {
    const result = await verify(pool, { prefix });
    expect(result.drifts).toEqual([]);
    expect(result.ok).toBe(true);
    const [rows] = await conn.query(
      `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'fz\\_%frozen%' ORDER BY TRIGGER_NAME`,
    );
    // Contained, not equal: later migrations freeze more tables.
    expect((rows as { name: string }[]).map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'fz_quotes_frozen',
        'fz_sales_frozen',
        'fz_sla_definitions_frozen_archive',
        'fz_sla_definitions_frozen_terms',
        'fz_time_entries_frozen_content',
        'fz_time_entries_frozen_lock',
      ]),
    );
  });

  test('given a sale, when its sold values are changed by UPDATE or INSERT … ON DUPLICATE KEY UPDATE, then IMMUTABLE_ROW and nothing changes; its state still changes', async () => {
    const sale = await insertSale();
    expect(await outcome(`UPDATE ${t('sales')} SET sold_value = 1 WHERE id = ?`, [sale])).toBe(
      'IMMUTABLE_ROW',
    );
    expect(
      await outcome(`UPDATE ${t('sales')} SET payment_schedule_json = '[{"x":1}]' WHERE id = ?`, [sale]),
    ).toBe('IMMUTABLE_ROW');
    // NULL-safe: NULL → a value is a change.
    expect(
      await outcome(`UPDATE ${t('sales')} SET created_by_employee_id = ? WHERE id = ?`, [id(), sale]),
    ).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(
        `INSERT INTO ${t('sales')} (id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id,
           currency, sold_value, sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role,
           payment_schedule_json, accepted_by, accepted_at)
         SELECT id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id, currency, 1,
           sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role, payment_schedule_json, accepted_by, accepted_at
         FROM ${t('sales')} AS s WHERE s.id = ?
         ON DUPLICATE KEY UPDATE sold_value = 1`,
        [sale],
      ),
    ).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(`REPLACE INTO ${t('sales')} SELECT * FROM ${t('sales')} AS s WHERE s.id = ?`, [sale]),
    ).toBe('IMMUTABLE_ROW');
    expect(await row('sales', sale, 'sold_value, state')).toEqual({ sold_value: '100000', state: 'created' });

    // Rewriting a frozen column with its own value is no change.
    expect(
      await outcome(
        `UPDATE ${t('sales')} SET state = 'fulfilled', fulfilled_at = '2026-12-03 10:00:00.000000', version = 2, sold_value = 100000, archived_at = NULL WHERE id = ?`,
        [sale],
      ),
    ).toBe('ok');
    expect(await row('sales', sale, 'state, version')).toEqual({ state: 'fulfilled', version: 2 });
  });

  test('given an open quote, when its content changes, then it is written; once accepted, its content, acceptance and state are refused by UPDATE and ODKU, while its due items still change', async () => {
    const quote = await insertQuote('open');
    expect(
      await outcome(`UPDATE ${t('quotes')} SET title = 'Shop', total_sell = 1 WHERE id = ?`, [quote]),
    ).toBe('ok');
    expect(
      await outcome(
        `UPDATE ${t('quotes')} SET state = 'accepted', current_version_state = 'accepted', accepted_version = 1, accepted_by = 'ann', accepted_at = '2026-12-02 10:00:00.000000' WHERE id = ?`,
        [quote],
      ),
    ).toBe('ok');

    for (const set of [
      'total_sell = 2',
      "versions = '[]'",
      "title = 'Other'",
      "state = 'open'",
      'accepted_version = NULL',
      "valid_until = '2027-01-01'",
    ]) {
      expect(await outcome(`UPDATE ${t('quotes')} SET ${set} WHERE id = ?`, [quote]), set).toBe(
        'IMMUTABLE_ROW',
      );
    }
    expect(
      await outcome(
        `INSERT INTO ${t('quotes')} (id, version, state, quote_id, quote_number, opportunity_id, customer_id, currency,
           current_version, current_version_state, title, total_sell, total_cost, total_margin, versions, due_item_ids)
         VALUES (?, 1, 'open', ?, 'Q-x', ?, ?, 'EUR', 1, 'draft', 'x', 0, 0, 0, '[]', '[]')
         ON DUPLICATE KEY UPDATE total_sell = VALUES(total_sell)`,
        [quote, quote, id(), id()],
      ),
    ).toBe('IMMUTABLE_ROW');
    expect(await row('quotes', quote, 'title, total_sell, state')).toEqual({
      title: 'Shop',
      total_sell: '1',
      state: 'accepted',
    });
    expect(
      await outcome(`UPDATE ${t('quotes')} SET due_item_ids = '["i1"]', version = version + 1 WHERE id = ?`, [
        quote,
      ]),
    ).toBe('ok');
  });

  test('given a time entry, when it is a draft, then its content changes; once submitted, content edits are refused (UPDATE and ODKU) while the lock goes through; once locked, the state and the lock are frozen too, adjustments still fold', async () => {
    const entry = await insertTimeEntry('draft');
    expect(
      await outcome(
        `UPDATE ${t('time_entries')} SET description = 'CI', duration_minutes = 45 WHERE id = ?`,
        [entry],
      ),
    ).toBe('ok');
    expect(
      await outcome(
        `UPDATE ${t('time_entries')} SET state = 'submitted', submitted_at = '2026-12-01 11:00:00.000000', work_date = '2026-12-01' WHERE id = ?`,
        [entry],
      ),
    ).toBe('ok');
    for (const set of [
      "description = 'edited'",
      'duration_minutes = 600',
      'is_billable = 1',
      "start_time = '2026-12-01 08:00:00.000000'",
      'ticket_id = NULL',
      'submitted_at = NULL',
    ]) {
      expect(await outcome(`UPDATE ${t('time_entries')} SET ${set} WHERE id = ?`, [entry]), set).toBe(
        'IMMUTABLE_ROW',
      );
    }
    expect(
      await outcome(
        `INSERT INTO ${t('time_entries')} (id, version, state, employee_id, start_time, end_time, duration_minutes, description, net_minutes, adjustments_json)
         VALUES (?, 1, 'draft', ?, '2026-12-01 09:00:00.000000', '2026-12-01 10:00:00.000000', 60, 'x', 60, '[]')
         ON DUPLICATE KEY UPDATE duration_minutes = 1`,
        [entry, id()],
      ),
    ).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(
        `UPDATE ${t('time_entries')} SET state = 'locked', locked_at = '2026-12-02 09:00:00.000000', commercial_snapshot_json = '{"billable":true}', version = 3 WHERE id = ?`,
        [entry],
      ),
    ).toBe('ok');
    for (const set of [
      "state = 'submitted'",
      'locked_at = NULL',
      "commercial_snapshot_json = '{}'",
      "description = 'late'",
    ]) {
      expect(await outcome(`UPDATE ${t('time_entries')} SET ${set} WHERE id = ?`, [entry]), set).toBe(
        'IMMUTABLE_ROW',
      );
    }
    expect(
      await outcome(
        `UPDATE ${t('time_entries')} SET net_minutes = 30, adjustments_json = '[{"deltaMinutes":-15}]' WHERE id = ?`,
        [entry],
      ),
    ).toBe('ok');
    expect(await row('time_entries', entry, 'state, description, duration_minutes, net_minutes')).toEqual({
      state: 'locked',
      description: 'CI',
      duration_minutes: 45,
      net_minutes: 30,
    });
  });

  test('given a frozen-columns trigger dropped by hand, when verified, then the drift names the missing trigger', async () => {
    await conn.query('DROP TRIGGER `fz_sales_frozen`');
    try {
      const result = await verify(pool, { prefix });
      expect(result.ok).toBe(false);
      expect(result.drifts.map((d) => [d.kind, d.name])).toEqual([['missing_trigger', 'fz_sales_frozen']]);
    } finally {
      const [rows] = await conn.query(
        "SELECT ACTION_STATEMENT AS s FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'fz_quotes_frozen'",
      );
      expect((rows as { s: string }[])[0]?.s).toContain('<=>');
    }
  });
});
