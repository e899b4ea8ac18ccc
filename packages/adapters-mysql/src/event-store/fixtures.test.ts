/**
 * Shared helpers of the event store's and unit of work's tests (not a test file itself: the `.test.ts`
 * suffix only keeps it out of builds and the published package).
 */
import { type EventDraft, instantFromEpochMs, isPetError, type PetError, type Uuid } from '@pet-ops/core';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { v7 } from 'uuid';
import { connect } from '../connection.js';
import { createTestDatabase, installSchema, type TestDatabase } from '../testing/index.js';

/** A fresh UUIDv7. */
export function newId(): Uuid {
  return v7() as Uuid;
}

/** A valid event draft; override any field. */
export function draft(overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    eventId: newId(),
    type: 'test.happened',
    schemaVersion: 1,
    streamType: 'test',
    occurredAt: instantFromEpochMs(Date.UTC(2026, 0, 2, 3, 4, 5, 678), 901),
    actor: { type: 'system', id: null },
    context: {},
    correlationId: null,
    causationId: null,
    payload: { n: 1 },
    ...overrides,
  };
}

/** `n` drafts. */
export function drafts(n: number, overrides: Partial<EventDraft> = {}): EventDraft[] {
  return Array.from({ length: n }, (_, i) => draft({ payload: { i }, ...overrides }));
}

/** A fresh database with the schema installed and a pool on it. */
export interface Fixture {
  readonly db: TestDatabase;
  readonly pool: Pool;
  close(): Promise<void>;
}

/** Creates a fresh test database with the schema (tables prefixed by `prefix`) and a pool. */
export async function openFixture(serverUrl: string, prefix = '', connectionLimit = 10): Promise<Fixture> {
  const db = await createTestDatabase(serverUrl);
  await installSchema(db.url, prefix);
  const pool = await connect({ url: db.url, connectionLimit });
  return {
    db,
    pool,
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

/** Number of rows in a table. */
export async function countRows(pool: Pool, table: string): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
  return Number(rows[0]?.['n']);
}

/**
 * Polls `check` until it holds (a synchronisation point, not a timing assertion). Every 150 ms: InnoDB
 * refreshes `information_schema.INNODB_TRX` only when it was last read more than 100 ms ago, so faster
 * polling would read a stale snapshot forever.
 */
export async function eventually(check: () => Promise<boolean>, what: string, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** True when some transaction on the server is waiting for a row lock (in this test's database). */
export async function someoneWaitsForALock(pool: Pool): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()",
  );
  return Number(rows[0]?.['n']) > 0;
}

/** A promise with its resolve function, to hold a transaction open until the test says so. */
export function gate(): { readonly wait: Promise<void>; open(): void } {
  let open = (): void => {};
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

/** The `PetError` a promise rejects with (anything else fails the test). */
export async function caught(p: Promise<unknown>): Promise<PetError> {
  try {
    await p;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}
