// Issue 29, item 3: the entries of `@pet-ops/sql` (createEventStore, createUnitOfWork, migrate) answer
// wrongly typed input with VALIDATION_FAILED (a ValidationError naming the field) — never a raw
// TypeError — and write nothing (row counts of domain_events and schema_migrations unchanged), on SQLite.
import { isPetError, type PetError, type ValidationError } from '@pet-ops/core';
import { createEventStore, createUnitOfWork, migrate, type SqlEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshFile } from './fixtures.test.js';
import type { SqliteDatabase } from './open.js';

const PREFIX = 'pet_';
let file: Awaited<ReturnType<typeof freshFile>>;
let conn: SqliteDatabase;
let store: SqlEventStore;

/** Wrongly typed values: numbers for strings, objects, arrays, null, NaN, huge strings, `__proto__`… */
const CONFUSED: readonly unknown[] = [
  undefined,
  null,
  42,
  Number.NaN,
  -1,
  true,
  '',
  'x'.repeat(200_000),
  "'; DROP TABLE pet_domain_events; --",
  { evil: true },
  [],
  ['a'],
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  10n,
  () => 'x',
  new Date(Number.NaN),
];
const STREAM = '019b76da-a800-7000-8000-0000000000cc';

/** The values of {@link CONFUSED} that are wrong for a field (42 is a fine timeout or version). */
function wrongFor(field: string): readonly unknown[] {
  const numeric = ['latchTimeoutMs', 'lockTimeoutMs', 'expectedVersion', 'schemaVersion'];
  return CONFUSED.filter(
    (v) =>
      !(numeric.includes(field) && v === 42) &&
      !(field === 'tables' && Array.isArray(v) && v.length === 0) &&
      // Any plain record is a context.
      !(
        field === 'context' &&
        typeof v === 'object' &&
        v !== null &&
        Object.getPrototypeOf(v) === Object.prototype
      ),
  );
}

async function counts(): Promise<number[]> {
  return Promise.all(
    ['domain_events', 'schema_migrations'].map(async (t) => {
      const r = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(`${PREFIX}${t}`)}`.execute(
        conn.db,
      );
      return Number(r.rows[0]?.n);
    }),
  );
}

/** The entry refused with VALIDATION_FAILED naming a field, and nothing was written. */
async function expectRefused(what: string, call: () => unknown): Promise<void> {
  const before = await counts();
  let thrown: unknown;
  try {
    await call();
  } catch (e) {
    thrown = e;
  }
  expect(
    isPetError(thrown),
    `${what}: ${String((thrown as Error)?.constructor?.name)} ${String((thrown as Error)?.message)}`,
  ).toBe(true);
  expect((thrown as PetError).code, what).toBe('VALIDATION_FAILED');
  expect((thrown as ValidationError).issues?.length ?? 0, `${what}: names a field`).toBeGreaterThan(0);
  expect(await counts(), `${what}: nothing written`).toEqual(before);
}

const label = (v: unknown): string => {
  try {
    return String(v).slice(0, 24);
  } catch {
    return typeof v;
  }
};

beforeAll(async () => {
  file = await freshFile(PREFIX);
  conn = file.open();
  store = createEventStore({ db: conn.db, dialect: conn.dialect, prefix: PREFIX });
});
afterAll(async () => {
  await conn?.close();
  file?.remove();
});

describe('public input of @pet-ops/sql on SQLite', () => {
  it('given wrongly typed event store options, when creating the store, then VALIDATION_FAILED', async () => {
    for (const value of CONFUSED) {
      await expectRefused(`createEventStore options=${label(value)}`, () => createEventStore(value as never));
      for (const field of ['db', 'dialect', 'prefix', 'latchTimeoutMs']) {
        if (value === undefined && field === 'latchTimeoutMs') continue;
        if (!wrongFor(field).includes(value)) continue;
        if (field === 'prefix' && value === '') continue; // the empty prefix is a prefix
        await expectRefused(`createEventStore ${field}=${label(value)}`, () =>
          createEventStore({ db: conn.db, dialect: conn.dialect, prefix: PREFIX, [field]: value } as never),
        );
      }
    }
  });

  it('given wrongly typed appends, when appending, then VALIDATION_FAILED and nothing written', async () => {
    const draft = {
      eventId: '019b76da-a800-7000-8000-0000000000dd',
      streamType: 'thing',
      type: 'thing.happened',
      schemaVersion: 1,
      occurredAt: '2026-11-22T10:00:00.000000Z',
      actor: { type: 'system', id: null },
      correlationId: null,
      causationId: null,
      context: {},
      payload: {},
    };
    for (const value of CONFUSED) {
      await expectRefused(`append streamId=${label(value)}`, () =>
        store.append(value as never, 'no_stream', [draft as never]),
      );
      if (wrongFor('expectedVersion').includes(value)) {
        await expectRefused(`append expectedVersion=${label(value)}`, () =>
          store.append(STREAM as never, value as never, [draft as never]),
        );
      }
      await expectRefused(`append events=${label(value)}`, () =>
        store.append(STREAM as never, 'no_stream', value as never),
      );
      await expectRefused(`append event=${label(value)}`, () =>
        store.append(STREAM as never, 'no_stream', [value as never]),
      );
      for (const field of ['eventId', 'type', 'schemaVersion', 'occurredAt', 'actor', 'context', 'payload']) {
        if (!wrongFor(field).includes(value)) continue;
        if (
          field === 'payload' &&
          value !== undefined &&
          typeof value !== 'bigint' &&
          typeof value !== 'function'
        ) {
          continue; // any JSON value is a payload
        }
        await expectRefused(`append ${field}=${label(value)}`, () =>
          store.append(STREAM as never, 'no_stream', [{ ...draft, [field]: value } as never]),
        );
      }
      if (value !== undefined) {
        await expectRefused(`readStream streamId=${label(value)}`, () => store.readStream(value as never));
      }
    }
  });

  it('given wrongly typed unit-of-work options, when creating or running it, then VALIDATION_FAILED', async () => {
    for (const value of CONFUSED) {
      await expectRefused(`createUnitOfWork options=${label(value)}`, () => createUnitOfWork(value as never));
      for (const field of ['dialect', 'prefix', 'events', 'tables']) {
        if (!wrongFor(field).includes(value)) continue;
        if (field === 'prefix' && value === '') continue;
        await expectRefused(`createUnitOfWork ${field}=${label(value)}`, () =>
          createUnitOfWork({
            dialect: conn.dialect,
            prefix: PREFIX,
            events: store,
            tables: [],
            [field]: value,
          } as never),
        );
      }
      const unitOfWork = createUnitOfWork({
        dialect: conn.dialect,
        prefix: PREFIX,
        events: store,
        tables: [],
      });
      if (typeof value !== 'function') {
        await expectRefused(`unitOfWork.run work=${label(value)}`, () => unitOfWork.run(value as never));
      }
    }
  });

  it('given wrongly typed migrate options, when migrating, then VALIDATION_FAILED and nothing written', async () => {
    for (const value of CONFUSED) {
      await expectRefused(`migrate options=${label(value)}`, () =>
        migrate(conn.db, conn.dialect, value as never),
      );
      await expectRefused(`migrate dialect=${label(value)}`, () =>
        migrate(conn.db, value as never, { prefix: PREFIX }),
      );
      for (const field of ['prefix', 'target', 'lockTimeoutMs', 'migrations']) {
        if (value === undefined && field !== 'prefix') continue;
        if (!wrongFor(field).includes(value)) continue;
        if (field === 'prefix' && value === '') continue;
        if (field === 'migrations' && Array.isArray(value) && value.length === 0) continue;
        await expectRefused(`migrate ${field}=${label(value)}`, () =>
          migrate(conn.db, conn.dialect, { prefix: PREFIX, [field]: value } as never),
        );
      }
    }
  });
});
