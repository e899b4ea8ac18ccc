// The least-privilege roles on PostgreSQL: the migration role migrates its schema, the application role
// appends, reads and saves, and the server refuses it TRUNCATE, DROP and ALTER (what triggers alone leave).
import { randomBytes } from 'node:crypto';
import { isPetError, type PetError } from '@pet-ops/core';
import { createEventStore, migrate } from '@pet-ops/sql';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft, newId } from '../../sql/src/contract/event-store-contract.test.js';
import { freshDatabase, POSTGRES_URL } from './fixtures.test.js';
import { postgresGrantStatements } from './grants.js';
import { openPostgres } from './open.js';

const tag = randomBytes(4).toString('hex');
const roles = { migrateRole: `pet_migrate_${tag}`, appRole: `pet_app_${tag}` };
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

const as = (role: string): string => {
  const u = new URL(fresh.url);
  u.username = role;
  u.password = role;
  return u.toString();
};

beforeAll(async () => {
  fresh = await freshDatabase();
  const admin = new pg.Client({ connectionString: fresh.url });
  await admin.connect();
  try {
    const plan = postgresGrantStatements({ schema: 'marketing', ...roles });
    for (const statement of plan.migrate) await admin.query(statement);
    // Applied twice: every statement is idempotent.
    for (const statement of [...plan.migrate, ...plan.app]) await admin.query(statement);
    for (const role of Object.values(roles)) await admin.query(`ALTER ROLE "${role}" PASSWORD '${role}'`);
  } finally {
    await admin.end();
  }
});

afterAll(async () => {
  await fresh?.drop();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    for (const role of Object.values(roles)) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
  } finally {
    await admin.end();
  }
});

async function caught(work: Promise<unknown>): Promise<PetError> {
  try {
    await work;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

describe('least-privilege roles on PostgreSQL', () => {
  it('given the grant statements, when the migration role migrates and the application role works, then the work succeeds and TRUNCATE, DROP and ALTER are refused (42501)', async () => {
    const m = await openPostgres({ url: as(roles.migrateRole), schema: 'marketing' });
    try {
      await migrate(m.db, m.dialect, { prefix: 'pet_' });
    } finally {
      await m.close();
    }
    const app = await openPostgres({ url: as(roles.appRole), schema: 'marketing' });
    try {
      const store = createEventStore({ db: app.db, dialect: app.dialect, prefix: 'pet_' });
      const stream = newId();
      // The migration role's run left its migrations' events; the application's follow them.
      let before = 0n;
      for await (const e of store.readAll({})) before = e.position;
      expect(before).toBeGreaterThan(0n);
      const r = await store.append(stream, 'no_stream', [draft(), draft()]);
      expect(r.positions).toEqual([before + 1n, before + 2n]);
      expect((await store.readStream(stream)).length).toBe(2);
      for (const statement of [
        'TRUNCATE pet_domain_events',
        'TRUNCATE pet_employees',
        'DROP TABLE pet_employees',
        'ALTER TABLE pet_employees ADD COLUMN x int',
        'CREATE TABLE pet_leak (id int)',
      ]) {
        const e = await caught(
          sql
            .raw(statement)
            .execute(app.db)
            .catch((x: unknown) => {
              throw app.dialect.classifyError(x, statement);
            }),
        );
        expect(e.details, statement).toMatchObject({ sqlState: '42501' });
      }
    } finally {
      await app.close();
    }
  });

  it('refuses malformed options naming the field', () => {
    expect(() => postgresGrantStatements({ schema: 'bad"schema' })).toThrow(/schema/);
    expect(() => postgresGrantStatements({ schema: 's', appRole: 'same', migrateRole: 'same' })).toThrow(
      /appRole/,
    );
  });
});
