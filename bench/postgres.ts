// Plumbing of the PostgreSQL cases: a database of their own on POSTGRES_URL's server (made fresh by each
// case, dropped by `bench/run.ts` after it), reached raw through `pg` with the adapter's type parsers.

import { finished } from 'node:stream/promises';
import {
  createDatabase,
  openPostgres,
  type PostgresDatabase,
  postgresTypes,
} from '@pet-ops/adapters-postgres';
import type { EventDraft, Uuid } from '@pet-ops/core';
import { migrate } from '@pet-ops/sql';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { eventRow, type RawEventRow } from './events.js';
import { dropPostgresDatabase, postgresServerUrl, withPostgresDatabase } from './postgres-server.js';

export { dropPostgresDatabase, postgresServerUrl, withPostgresDatabase } from './postgres-server.js';

export interface PostgresCaseArgs {
  readonly mode: 'lib' | 'raw' | 'raw-min' | 'raw-copy';
  readonly size: number;
  /** The case's database URL (server of POSTGRES_URL, database of its own). */
  readonly url: string;
}

export function parsePostgresArgs(argv: readonly string[]): PostgresCaseArgs {
  const get = (k: string): string | undefined => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode = get('mode');
  if (mode !== 'lib' && mode !== 'raw' && mode !== 'raw-min' && mode !== 'raw-copy')
    throw new Error('--mode lib|raw|raw-min|raw-copy required');
  const database = get('database');
  if (database === undefined) throw new Error('--database <name> required');
  return {
    mode,
    size: Number(get('size') ?? '1000'),
    url: withPostgresDatabase(get('url') ?? postgresServerUrl(), database),
  };
}

/** A fresh database migrated to head by the library (schema `public`, prefix ''), not measured. */
export async function freshPostgresDatabase(url: string): Promise<void> {
  await dropPostgresDatabase(url);
  await createDatabase({ url });
  const o = await openPostgres({ url });
  try {
    await migrate(o.db, o.dialect, { prefix: '' });
  } finally {
    await o.close();
  }
}

export function openLib(url: string): Promise<PostgresDatabase> {
  return openPostgres({ url });
}

/** A raw client with the adapter's type parsers and session settings (UTC). */
export async function rawClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, types: postgresTypes });
  await c.connect();
  await c.query("SET TIME ZONE 'UTC'");
  return c;
}

export const PG_EVENT_COLUMNS =
  'event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id, correlation_id, causation_id, idempotency_key, context, payload';

/** An events row as {@link rawClient} reads it (`position, PG_EVENT_COLUMNS, recorded_at`): int8 as text. */
export type PgEventRow = RawEventRow<string>;

/**
 * Every row of `SELECT position, <columns> FROM domain_events` in position order, one keyset page of 1000
 * rows at a time (as the library's readers page): memory stays bounded however many events are stored.
 */
export async function* rawPages<R extends { position: string }>(
  c: pg.Client,
  columns: string,
): AsyncGenerator<R[], void, undefined> {
  let after = '0';
  for (;;) {
    const page = await c.query<R>(
      `SELECT position, ${columns} FROM domain_events WHERE position > $1 ORDER BY position LIMIT 1000`,
      [after],
    );
    yield page.rows;
    const last = page.rows.at(-1);
    if (last === undefined || page.rows.length < 1000) return;
    after = last.position;
  }
}

/** Rows per batch of {@link rawCursor}: what the library's streamed reads fetch at a time. */
export const RAW_CURSOR_BATCH = 100;

/**
 * Every row of `SELECT position, <columns> FROM domain_events` in position order through one server-side
 * cursor (`pg-cursor`), {@link RAW_CURSOR_BATCH} rows per fetch, the next fetched when the caller asks:
 * what a hand-written pg script streams with, as the library's readers do on PostgreSQL.
 */
export async function* rawCursor<R extends { position: string }>(
  c: pg.Client,
  columns: string,
): AsyncGenerator<R[], void, undefined> {
  const cursor = c.query(
    new Cursor<R>(`SELECT position, ${columns} FROM domain_events WHERE position > $1 ORDER BY position`, [
      '0',
    ]),
  );
  try {
    for (;;) {
      const rows = await cursor.read(RAW_CURSOR_BATCH);
      if (rows.length > 0) yield rows;
      if (rows.length < RAW_CURSOR_BATCH) return;
    }
  } finally {
    await cursor.close();
  }
}

/**
 * One stream's events raw, in one transaction: multi-row INSERTs of `chunk` rows with `RETURNING
 * position`, what a hand-written pg script does. Returns the positions.
 */
export async function rawAppend(
  c: pg.Client,
  streamId: Uuid,
  events: readonly EventDraft[],
  chunk = 1000,
): Promise<bigint[]> {
  const positions: bigint[] = [];
  await c.query('BEGIN');
  try {
    for (let at = 0; at < events.length; at += chunk) {
      const part = events.slice(at, at + chunk);
      const values: unknown[] = [];
      const rows = part.map((e, j) => {
        const b = values.length;
        values.push(...eventRow(streamId, at + j + 1, e));
        return `(${Array.from({ length: 14 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
      });
      const r = await c.query<{ position: string }>(
        `INSERT INTO domain_events (${PG_EVENT_COLUMNS}) VALUES ${rows.join(', ')} RETURNING position`,
        values,
      );
      for (const row of r.rows) positions.push(BigInt(row.position));
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
  return positions;
}

/**
 * One stream's events raw as one bulk statement: `INSERT … SELECT FROM unnest(<one array per column>)`,
 * the least a pg script can send with `pg` alone. Returns the row count.
 */
export async function rawAppendUnnest(
  c: pg.Client,
  streamId: Uuid,
  events: readonly EventDraft[],
): Promise<number> {
  const col = <T>(f: (e: EventDraft, i: number) => T): T[] => events.map(f);
  const r = await c.query(
    `INSERT INTO domain_events (${PG_EVENT_COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::uuid[], $6::bigint[], $7::timestamptz[],
       $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::text[], $13::jsonb[], $14::jsonb[])`,
    [
      col((e) => e.eventId),
      col((e) => e.type),
      col((e) => e.schemaVersion),
      col((e) => e.streamType),
      col(() => streamId),
      col((_, i) => i + 1),
      col((e) => e.occurredAt),
      col((e) => e.actor.type),
      col((e) => e.actor.id),
      col((e) => e.correlationId),
      col((e) => e.causationId),
      col((e) => e.idempotencyKey ?? null),
      col((e) => JSON.stringify(e.context)),
      col((e) => JSON.stringify(e.payload)),
    ],
  );
  return r.rowCount ?? 0;
}

/** COPY's text format: a backslash, tab, newline or carriage return in a value is escaped. */
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const copyField = (v: string | number | null): string =>
  v === null
    ? '\\N'
    : typeof v === 'number'
      ? String(v)
      : v.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch] ?? ch);

/**
 * One stream's events raw as one `COPY domain_events (…) FROM STDIN` (text format, through
 * `pg-copy-streams`): the same rows and values as {@link rawAppend}, the bulk path of PostgreSQL itself;
 * one statement, so one transaction, per stream, and no positions back. Returns the row count.
 */
export async function rawAppendCopy(
  c: pg.Client,
  streamId: Uuid,
  events: readonly EventDraft[],
): Promise<number> {
  const lines = events.map((e, i) =>
    eventRow(streamId, i + 1, e)
      .map(copyField)
      .join('\t'),
  );
  const copy = c.query(copyFrom(`COPY domain_events (${PG_EVENT_COLUMNS}) FROM STDIN`));
  copy.end(`${lines.join('\n')}\n`);
  await finished(copy);
  return copy.rowCount;
}
