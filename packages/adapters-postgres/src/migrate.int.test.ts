// PET's migrations on PostgreSQL: transactional DDL (scenario 57 to the letter), concurrent migrators on
// advisory locks, the logical types as PostgreSQL types, and the guards (UPDATE, DELETE, TRUNCATE, frozen
// columns) refusing what they must. One fresh database for the file, a fresh schema per test.
import { randomUUID } from 'node:crypto';
import { isPetError, type PetError } from '@pet-ops/core';
import { col, defineMigration, type Migration, migrations } from '@pet-ops/migrations';
import { assertSchemaCurrent, lockName, logicalChecksums, migrate, migrationStatus } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './fixtures.test.js';
import { openPostgres, type PostgresDatabase } from './open.js';

async function caught(work: Promise<unknown>): Promise<PetError> {
  try {
    await work;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
const opened: PostgresDatabase[] = [];
let schemas = 0;

beforeAll(async () => {
  fresh = await freshDatabase();
});
afterAll(async () => {
  for (const o of opened) await o.close();
  await fresh?.drop();
});

/** A client on a new schema of the file's database (or on `schema`). */
async function tenant(schema = `t${++schemas}`): Promise<PostgresDatabase> {
  const o = await openPostgres({ url: fresh.url, schema, createSchema: true });
  opened.push(o);
  return o;
}

async function tableNames(o: PostgresDatabase): Promise<string[]> {
  const r = await sql<{
    table_name: string;
  }>`SELECT table_name FROM information_schema.tables WHERE table_schema = ${o.schema} ORDER BY table_name`.execute(
    o.db,
  );
  return r.rows.map((x) => x.table_name);
}

const extra = (id: string, table: string): Migration =>
  defineMigration({
    id,
    name: `create ${table}`,
    operations: [
      { op: 'createTable', table, columns: [col.id('id'), col.text('name', 20)], primaryKey: ['id'] },
    ],
  });

/** `ok`, or the typed code of the raw statement's failure. */
async function outcome(o: PostgresDatabase, statement: string): Promise<string> {
  try {
    await sql.raw(statement).execute(o.db);
    return 'ok';
  } catch (e) {
    return o.dialect.classifyError(e, 'raw').code;
  }
}

describe('migrate on PostgreSQL (transactional DDL, schema per tenant)', () => {
  it('given an empty schema, when migrating, then every migration is applied once inside that schema only, the schema is current, and a second run does nothing', async () => {
    const o = await tenant('marketing');
    const first = await migrate(o.db, o.dialect, { prefix: 'wp_pet_' });
    expect(first.applied).toEqual(migrations.map((m) => m.id));
    const tables = await tableNames(o);
    expect(tables).toContain('wp_pet_domain_events');
    expect(tables.every((t) => t.startsWith('wp_pet_'))).toBe(true);
    const elsewhere = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`.execute(o.db);
    expect(Number(elsewhere.rows[0]?.n)).toBe(0);
    const again = await migrate(o.db, o.dialect, { prefix: 'wp_pet_' });
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.id), dataSteps: [] });
    expect(await migrationStatus(o.db, o.dialect, { prefix: 'wp_pet_' })).toMatchObject({ current: true });
    await expect(assertSchemaCurrent(o.db, o.dialect, { prefix: 'wp_pet_' })).resolves.toBeUndefined();
    // Another schema of the same database is a tenant of its own: nothing applied there yet.
    const other = await tenant();
    expect(await migrationStatus(other.db, other.dialect, { prefix: 'wp_pet_' })).toMatchObject({
      applied: [],
      current: false,
    });
  });

  it('given a migrated schema, then its journal records the logical checksums, the same as on MariaDB and SQLite', async () => {
    const o = await tenant();
    await migrate(o.db, o.dialect, { prefix: '' });
    const journal = await sql<{
      id: string;
      checksum: string;
      step_checksums: string;
    }>`SELECT id, checksum, step_checksums FROM schema_migrations ORDER BY id`.execute(o.db);
    const recorded = journal.rows.map((r) => ({
      id: r.id,
      checksum: r.checksum,
      stepChecksums: JSON.parse(r.step_checksums) as string[],
    }));
    expect(recorded).toEqual(migrations.map((m) => ({ id: m.id, ...logicalChecksums(m) })));
    expect(recorded[1]?.checksum).toBe('b4ced8c9297e46ff0e36881aff8483400d3184c982f87df9c2ab46cd597973c0');
  });

  it('given a migration whose second statement fails, when migrating, then it leaves nothing behind and is not recorded (scenario 57), and earlier ones stay applied', async () => {
    const o = await tenant();
    const list = [...migrations.slice(0, 2), extra('2026_11_23_0001_create_widgets', 'widgets')];
    const broken = defineMigration({
      id: '2026_11_23_0002_broken',
      name: 'a table, then an index on a column that does not exist',
      operations: [
        { op: 'createTable', table: 'gadgets', columns: [col.id('id')], primaryKey: ['id'] },
        { op: 'addIndex', table: 'gadgets', index: { name: 'ix_missing', columns: ['missing'] } },
      ],
    });
    const e = await caught(migrate(o.db, o.dialect, { prefix: '', migrations: [...list, broken] }));
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.details).toMatchObject({ migrationId: '2026_11_23_0002_broken', statement: 2 });
    expect(await tableNames(o)).not.toContain('gadgets');
    expect(await tableNames(o)).toContain('widgets');
    const status = await migrationStatus(o.db, o.dialect, { prefix: '', migrations: [...list, broken] });
    expect(status.pending).toEqual(['2026_11_23_0002_broken']);
    const journal = await sql<{ id: string }>`SELECT id FROM schema_migrations ORDER BY id`.execute(o.db);
    expect(journal.rows.map((r) => r.id)).toEqual(list.map((m) => m.id));
  });

  it('given an applied migration edited afterwards, when migrating, then MIGRATION_TAMPERED before anything runs', async () => {
    const o = await tenant();
    const original = extra('2026_11_23_0001_create_widgets', 'widgets');
    await migrate(o.db, o.dialect, { prefix: '', migrations: [...migrations.slice(0, 1), original] });
    const edited = defineMigration({
      ...original,
      operations: [
        {
          op: 'createTable',
          table: 'widgets',
          columns: [col.id('id'), col.text('name', 30)],
          primaryKey: ['id'],
        },
      ],
    });
    const later = extra('2026_11_23_0002_create_gizmos', 'gizmos');
    const e = await caught(
      migrate(o.db, o.dialect, { prefix: '', migrations: [...migrations.slice(0, 1), edited, later] }),
    );
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(await tableNames(o)).not.toContain('gizmos');
  });

  it('given four migrators (own pools) on one schema at once, then each migration is applied exactly once and all succeed', async () => {
    const schema = `t${++schemas}`;
    const clients = [await tenant(schema), await tenant(schema), await tenant(schema), await tenant(schema)];
    const list = [...migrations.slice(0, 3), extra('2026_12_31_0001_create_widgets', 'widgets')];
    const reports = await Promise.all(
      clients.map((c) => migrate(c.db, c.dialect, { prefix: 'x_', migrations: list })),
    );
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(list.map((m) => m.id));
  });

  it('given the migration lock held elsewhere, when migrating, then it waits and times out with MIGRATION_LOCK_TIMEOUT; the lock of another schema does not block', async () => {
    const schema = `t${++schemas}`;
    const [holder, waiter, neighbour] = [await tenant(schema), await tenant(schema), await tenant()];
    const held = await holder.dialect.acquireLock(
      holder.db,
      lockName(holder.dialect.database, 'p_', 'migrate'),
      1000,
    );
    expect(held.outcome).toBe('acquired');
    try {
      const e = await caught(migrate(waiter.db, waiter.dialect, { prefix: 'p_', lockTimeoutMs: 300 }));
      expect(e).toMatchObject({ code: 'MIGRATION_LOCK_TIMEOUT', retryable: true });
      const report = await migrate(neighbour.db, neighbour.dialect, {
        prefix: 'p_',
        migrations: migrations.slice(0, 1),
      });
      expect(report.applied).toHaveLength(1);
    } finally {
      if (held.outcome === 'acquired') await held.release();
    }
    const after = await migrate(waiter.db, waiter.dialect, {
      prefix: 'p_',
      migrations: migrations.slice(0, 1),
    });
    expect(after.applied).toHaveLength(1);
  });

  it('compiles the logical types to uuid, timestamptz, jsonb, bigint and boolean, as introspection reads them back', async () => {
    const o = await tenant();
    await migrate(o.db, o.dialect, { prefix: '' });
    const r = await sql<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = ${o.schema}`.execute(
      o.db,
    );
    const type = (t: string, c: string) =>
      r.rows.find((x) => x.table_name === t && x.column_name === c)?.data_type;
    expect(type('domain_events', 'position')).toBe('bigint');
    expect(type('domain_events', 'event_id')).toBe('uuid');
    expect(type('domain_events', 'occurred_at')).toBe('timestamp with time zone');
    expect(type('domain_events', 'payload')).toBe('jsonb');
    expect(type('domain_events', 'correlation_id')).toBe('uuid');
    expect(type('sales', 'sold_value')).toBe('bigint');
    const identity = await sql<{
      is_identity: string;
      identity_generation: string;
    }>`SELECT is_identity, identity_generation FROM information_schema.columns WHERE table_schema = ${o.schema} AND table_name = 'domain_events' AND column_name = 'position'`.execute(
      o.db,
    );
    expect(identity.rows[0]).toEqual({ is_identity: 'YES', identity_generation: 'ALWAYS' });
    const instant = '2026-01-02T03:04:05.678901Z';
    const read = await sql<{ t: unknown }>`SELECT ${instant}::timestamptz AS t`.execute(o.db);
    expect(o.dialect.codecs.decodeInstant(read.rows[0]?.t)).toBe(instant);
  });
});

describe('guards on PostgreSQL: the database refuses changes to immutable rows', () => {
  it('given stored events, then UPDATE, DELETE and TRUNCATE are refused with IMMUTABLE_ROW, and so is a frozen column of a sale, while its state still changes', async () => {
    const o = await tenant();
    await migrate(o.db, o.dialect, { prefix: 'fz_' });
    const id = randomUUID();
    const at = '2026-12-01T10:00:00.000000Z';
    expect(
      await outcome(
        o,
        `INSERT INTO fz_domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, context, payload) VALUES ('${id}', 't.x', 1, 't', '${id}', 1, '${at}', 'system', '{}', '{}')`,
      ),
    ).toBe('ok');
    expect(await outcome(o, `UPDATE fz_domain_events SET event_type = 'x.y'`)).toBe('IMMUTABLE_ROW');
    expect(await outcome(o, 'DELETE FROM fz_domain_events')).toBe('IMMUTABLE_ROW');
    expect(await outcome(o, 'TRUNCATE fz_domain_events')).toBe('IMMUTABLE_ROW');
    expect(await outcome(o, 'TRUNCATE fz_sla_events')).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(
        o,
        `INSERT INTO fz_domain_events (position, event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, context, payload) VALUES (999, '${randomUUID()}', 't.x', 1, 't', '${id}', 2, '${at}', 'system', '{}', '{}')`,
      ),
    ).toBe('DATABASE_ERROR'); // GENERATED ALWAYS: nobody writes a position by hand
    const sale = `INSERT INTO fz_sales (id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id,
        currency, sold_value, sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role, payment_schedule_json,
        accepted_by, accepted_at)
      VALUES ('${id}', 1, 'created', '${id}', '${randomUUID()}', 1, '${randomUUID()}', '${randomUUID()}', 'EUR',
        100000, 60000, 40000, 600, '{"dev":600}', '[]', 'ann', '${at}')`;
    expect(await outcome(o, sale)).toBe('ok');
    expect(await outcome(o, `UPDATE fz_sales SET sold_value = 1 WHERE id = '${id}'`)).toBe('IMMUTABLE_ROW');
    expect(await outcome(o, `${sale} ON CONFLICT (id) DO UPDATE SET sold_value = 1`)).toBe('IMMUTABLE_ROW');
    expect(
      await outcome(
        o,
        `UPDATE fz_sales SET state = 'fulfilled', fulfilled_at = '${at}', version = 2 WHERE id = '${id}'`,
      ),
    ).toBe('ok');
  });
});

describe('errors on PostgreSQL are typed', () => {
  it('a duplicate key names its constraint; a missing schema or database is DATABASE_NOT_FOUND; an unreachable server is a retryable CONNECTION_FAILED; a bad URL or schema is VALIDATION_FAILED', async () => {
    const o = await tenant();
    await migrate(o.db, o.dialect, {
      prefix: '',
      migrations: [...migrations.slice(0, 1), extra('2026_11_23_0001_create_widgets', 'widgets')],
    });
    const id = randomUUID();
    await sql`INSERT INTO widgets (id, name) VALUES (${id}, 'a')`.execute(o.db);
    const dup = o.dialect.classifyError(
      await sql`INSERT INTO widgets (id, name) VALUES (${id}, 'b')`.execute(o.db).catch((e: unknown) => e),
      'insert',
    );
    expect(dup).toMatchObject({
      code: 'DUPLICATE_KEY',
      retryable: false,
      details: { sqlState: '23505', key: 'PRIMARY', constraint: 'widgets__pkey' },
    });
    expect(
      await outcome(o, `INSERT INTO widgets (id, name) VALUES ('${randomUUID()}', '${'x'.repeat(21)}')`),
    ).toBe('CONSTRAINT_VIOLATION');
    expect((await caught(openPostgres({ url: fresh.url, schema: 'nowhere' }))).code).toBe(
      'DATABASE_NOT_FOUND',
    );
    const url = new URL(fresh.url);
    url.pathname = '/pet_no_such_database';
    expect((await caught(openPostgres({ url: url.toString() }))).code).toBe('DATABASE_NOT_FOUND');
    url.port = '1';
    expect(await caught(openPostgres({ url: url.toString() }))).toMatchObject({
      code: 'CONNECTION_FAILED',
      retryable: true,
    });
    expect((await caught(openPostgres({ url: 'mysql://x' }))).code).toBe('VALIDATION_FAILED');
    expect((await caught(openPostgres({ url: fresh.url, schema: 'bad schema"' }))).details).toMatchObject({
      issues: [{ field: 'schema' }],
    });
  });
});
