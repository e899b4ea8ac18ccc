// Fifty tenants in one PostgreSQL server at once (issue 27, "past one server"): each tenant is a schema
// owned by a role of its own that may touch nothing else, so a statement of the library that crossed a
// schema would fail with "permission denied". All fifty run the event store's contract workload at the same
// time; each ends with exactly its own events at positions 1…N (sequences per schema; its migrations' events first), its own lock names,
// and nothing of anyone else's.
import { randomBytes } from 'node:crypto';
import { type EventDraft, isPetError, type PetError } from '@pet-ops/core';
import { migrations } from '@pet-ops/migrations';
import { createEventStore, lockName, migrate, type SqlEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft, newId } from '../../sql/src/contract/event-store-contract.test.js';
import { freshDatabase, POSTGRES_URL } from './fixtures.test.js';
import { advisoryKey } from './locks.js';
import { openPostgres, type PostgresDatabase } from './open.js';

const TENANTS = 50;
const PREFIX = 'pet_';
// The journal and the event log: what the event store's contract needs (the full list is migrate.int's).
const LIST = migrations.slice(0, 2);

async function caught(work: Promise<unknown>): Promise<PetError> {
  try {
    await work;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

interface Tenant {
  readonly schema: string;
  readonly role: string;
  readonly url: string;
  client?: PostgresDatabase;
}

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
const tenants: Tenant[] = [];
const tag = randomBytes(4).toString('hex');

/** Runs `work` over `items`, at most `width` at a time (the server's connection limit is shared). */
async function inBatches<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

beforeAll(async () => {
  fresh = await freshDatabase();
  const admin = new pg.Client({ connectionString: fresh.url });
  await admin.connect();
  try {
    // Nobody but its owner may use a tenant's schema; the public schema is closed to the tenants too.
    await admin.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (let i = 1; i <= TENANTS; i++) {
      const schema = `tenant_${String(i).padStart(2, '0')}`;
      const role = `pet_${tag}_${schema}`;
      await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${role}'`);
      await admin.query(`CREATE SCHEMA "${schema}" AUTHORIZATION "${role}"`);
      const url = new URL(fresh.url);
      url.username = role;
      url.password = role;
      tenants.push({ schema, role, url: url.toString() });
    }
  } finally {
    await admin.end();
  }
  // Each tenant migrates its own schema as its own role (a migrator pins one connection for its lock).
  await inBatches(tenants, 10, async (t) => {
    const o = await openPostgres({ url: t.url, schema: t.schema, max: 2 });
    try {
      await migrate(o.db, o.dialect, { prefix: PREFIX, migrations: LIST });
    } finally {
      await o.close();
    }
  });
  // Two at most per tenant; the workload runs one statement at a time, so one connection each is used.
  for (const t of tenants) t.client = await openPostgres({ url: t.url, schema: t.schema, max: 2 });
}, 120_000);

afterAll(async () => {
  for (const t of tenants) await t.client?.close();
  await fresh?.drop();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    for (const t of tenants) await admin.query(`DROP ROLE IF EXISTS "${t.role}"`);
  } finally {
    await admin.end();
  }
});

const drafts = (n: number, mark: string): EventDraft[] =>
  Array.from({ length: n }, (_, i) => draft({ payload: { tenant: mark, i } }));

/** The event store contract's workload for one tenant; answers the positions it committed. */
async function workload(t: Tenant, store: SqlEventStore): Promise<bigint[]> {
  const committed: bigint[] = [];
  const stream = newId();
  const first = await store.append(stream, 'no_stream', drafts(3, t.schema));
  committed.push(...first.positions);
  // Optimistic concurrency, idempotent replay, refused edits: each answered inside the tenant.
  expect((await caught(store.append(stream, 1, drafts(1, t.schema)))).code).toBe('CONCURRENCY_CONFLICT');
  const batch = drafts(2, t.schema);
  const second = await store.append(stream, 3, batch);
  committed.push(...second.positions);
  expect(await store.append(stream, 3, batch)).toEqual({ ...second, duplicate: true });
  // A rolled-back append burns positions in this tenant's sequence only.
  await store
    .transaction(async (trx) => {
      await store.appendIn(trx, newId(), 'no_stream', drafts(2, t.schema));
      throw new Error('roll back');
    })
    .catch(() => undefined);
  for (let i = 0; i < 5; i++) {
    const r = await store.append(newId(), 'no_stream', drafts(1 + (i % 3), t.schema));
    committed.push(...r.positions);
  }
  const read = (await store.readStream(stream)).map((e) => e.streamVersion);
  expect(read).toEqual([1, 2, 3, 4, 5]);
  const client = t.client as PostgresDatabase;
  const refused = await sql`UPDATE pet_domain_events SET event_type = 'x.y'`
    .execute(client.db)
    .catch((e: unknown) => e);
  expect(client.dialect.classifyError(refused, 'update').code).toBe('IMMUTABLE_ROW');
  return committed;
}

describe(`${TENANTS} tenant schemas in one PostgreSQL server at once`, () => {
  it('given fifty tenants, each a schema owned by its own role, when all run the event store workload at once, then each reads back exactly its own events at its own positions 1…N (its migrations’ events first), and no statement reached another schema', async () => {
    const results = await Promise.all(
      tenants.map(async (t) => {
        const o = t.client as PostgresDatabase;
        const store = createEventStore({ db: o.db, dialect: o.dialect, prefix: PREFIX });
        const committed = await workload(t, store);
        const all = [];
        for await (const e of store.readAll({})) all.push(e);
        return { t, committed, all };
      }),
    );
    for (const { t, committed, all } of results) {
      // Positions are the tenant's own sequence: 1… are its migrations' events, then its workload's
      // follow on; the rolled-back pair left its gap.
      const migrated = all.filter((e) => e.streamType === 'migration').length;
      expect(migrated).toBeGreaterThan(0);
      expect(all.slice(0, migrated).map((e) => e.position)).toEqual(
        Array.from({ length: migrated }, (_, i) => BigInt(i + 1)),
      );
      const own = all.slice(migrated);
      expect(committed[0]).toBe(BigInt(migrated + 1));
      expect(own.map((e) => e.position)).toEqual(committed);
      expect(new Set(own.map((e) => (e.payload as { tenant: string }).tenant))).toEqual(new Set([t.schema]));
    }
  });

  it('given one tenant’s role, when it reaches for another tenant’s table or the public schema, then the server refuses it', async () => {
    const [a, b] = [tenants[0] as Tenant, tenants[1] as Tenant];
    const db = (a.client as PostgresDatabase).db;
    const dialect = (a.client as PostgresDatabase).dialect;
    const across = await sql
      .raw(`SELECT count(*) FROM "${b.schema}".pet_domain_events`)
      .execute(db)
      .catch((e: unknown) => e);
    expect((across as { code?: string }).code).toBe('42501');
    expect(dialect.classifyError(across, 'read').code).toBe('DATABASE_ERROR');
    const pub = await sql
      .raw('CREATE TABLE public.leak (id int)')
      .execute(db)
      .catch((e: unknown) => e);
    expect((pub as { code?: string }).code).toBe('42501');
  });

  it('gives every tenant its own lock names and advisory keys, so no tenant waits on another', () => {
    const names = tenants.map((t) =>
      lockName((t.client as PostgresDatabase).dialect.database, PREFIX, 'migrate'),
    );
    expect(new Set(names).size).toBe(TENANTS);
    expect(new Set(names.map(advisoryKey)).size).toBe(TENANTS);
  });
});
