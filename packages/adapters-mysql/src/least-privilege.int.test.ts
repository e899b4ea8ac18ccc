// Issue 29, least privilege: with the grants of `grantStatements`, the application user cannot empty,
// drop or alter a guarded table, or remove its guard (what triggers cannot stop), while every runtime
// path still works as that user: the activation gate, commands through the unit of work, the CSV import,
// appends and reads, the KPI runner (rebuild and catch-up) and the feed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, sequentialIds } from '@pet-ops/core/testing';
import { catalogueV1 } from '@pet-ops/kpi';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, connectionOptions, withDatabase } from './connection.js';
import { ACTOR, registry } from './crm/fixtures.test.js';
import { importCompaniesCsv } from './crm/import.js';
import { CRM_STATE_TABLES } from './crm/index.js';
import { createCrmCommands } from './crm/workflows.js';
import { createMysqlEventStore } from './event-store/index.js';
import { createActivityFeedRunner } from './feed/index.js';
import { grantStatements } from './grants.js';
import { IDENTITY_STATE_TABLES } from './identity/index.js';
import { createKpiRunner } from './kpi/runner.js';
import { assertSchemaCurrent, migrate, verify } from './migration/index.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { createMysqlUnitOfWork } from './unit-of-work/index.js';

const PREFIX = 'lp_';
const suffix = randomBytes(4).toString('hex');
const APP = `pet_app_${suffix}`;
const MIGRATE = `pet_mig_${suffix}`;
let db: TestDatabase;
let serverUrl: string;
let dir: string;

/** The test database's URL as `user` (no password, as the grants create them). */
const as = (user: string): string => {
  const u = new URL(db.url);
  u.username = user;
  u.password = '';
  return u.toString();
};

async function asRoot<T>(work: (q: (s: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const c = await createConnection(connectionOptions(withDatabase(serverUrl, db.name)));
  try {
    return await work((s) => c.query(s));
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  serverUrl = inject('mysqlUrl');
  db = await createTestDatabase(serverUrl);
  dir = mkdtempSync(join(tmpdir(), 'pet-lp-'));
  const plan = grantStatements({ database: db.name, appUser: APP, migrateUser: MIGRATE, host: '%' });
  await asRoot(async (q) => {
    for (const s of [...plan.migrate, ...plan.app]) await q(s);
  });
  await migrate(as(MIGRATE), { prefix: PREFIX });
});

afterAll(async () => {
  await asRoot(async (q) => {
    await q(`DROP USER IF EXISTS '${APP}'@'%'`);
    await q(`DROP USER IF EXISTS '${MIGRATE}'@'%'`);
  });
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

describe('least privilege (pet db grants)', () => {
  it('the migration user migrated the whole list and the live schema matches its journal', async () => {
    const pool = await connect({ url: as(MIGRATE) });
    try {
      const r = await verify(pool, { prefix: PREFIX });
      expect(r.ok).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('as the application user every runtime path works', async () => {
    const pool = await connect({ url: as(APP), connectionLimit: 4 });
    try {
      await assertSchemaCurrent(pool, { prefix: PREFIX });
      const unitOfWork = createMysqlUnitOfWork({
        pool,
        prefix: PREFIX,
        tables: { ...IDENTITY_STATE_TABLES, ...CRM_STATE_TABLES },
      });
      const runtime = {
        unitOfWork,
        registry,
        clock: fixedClock('2026-11-22T10:00:00.000000Z', 1),
        ids: sequentialIds(1),
      };
      const crm = createCrmCommands({ runtime, prefix: PREFIX });
      const inserted = await crm.insertCompanyWithSlots(
        { name: 'Least Privilege Ltd', website: 'least-privilege.example' },
        { actor: ACTOR },
      );
      expect(inserted).toMatchObject({ ok: true });

      const file = join(dir, 'companies.csv');
      writeFileSync(file, 'name,website\nAcme,acme.example\nGlobex,globex.example\n');
      const report = await importCompaniesCsv({
        pool,
        prefix: PREFIX,
        file,
        clock: fixedClock('2026-11-22T11:00:00.000000Z', 1),
        ids: sequentialIds(2),
      });
      expect(report.created).toBe(2);

      const store = createMysqlEventStore({ pool, prefix: PREFIX });
      const events = [];
      for await (const e of store.readAll({ after: 0n })) events.push(e);
      expect(events.length).toBeGreaterThan(2);

      const kpi = createKpiRunner({
        pool,
        prefix: PREFIX,
        definitions: catalogueV1({ currency: 'EUR' }),
        orgTimeZone: 'UTC',
      });
      const rebuilt = await kpi.rebuild();
      expect(rebuilt.eventsRead).toBe(events.length);
      const caught = await kpi.catchUp();
      expect(caught.eventsRead).toBe(0);

      const feed = createActivityFeedRunner({ pool, prefix: PREFIX });
      expect(await feed.catchUp()).toBeGreaterThanOrEqual(0);
    } finally {
      await pool.end();
    }
  });

  it.each([
    ['TRUNCATE TABLE', `TRUNCATE TABLE \`${PREFIX}domain_events\``],
    ['DROP TABLE', `DROP TABLE \`${PREFIX}domain_events\``],
    ['ALTER TABLE', `ALTER TABLE \`${PREFIX}sales\` ADD COLUMN x INT NULL`],
    ['DROP TRIGGER', `DROP TRIGGER \`${PREFIX}domain_events_no_delete\``],
    ['CREATE TABLE', 'CREATE TABLE `lp_rogue` (id INT PRIMARY KEY)'],
  ])(
    'as the application user %s is refused by the server (errno 1142/1044), and nothing changes',
    async (_, statement) => {
      const count = async (): Promise<number> =>
        asRoot(async (q) => {
          const [rows] = (await q(`SELECT COUNT(*) AS n FROM \`${PREFIX}domain_events\``)) as [
            Array<{ n: number }>,
          ];
          return Number(rows[0]?.n);
        });
      const before = await count();
      const c = await createConnection(connectionOptions(as(APP)));
      try {
        const error = await c.query(statement).then(
          () => null,
          (e: unknown) => e as { errno?: number },
        );
        expect(error, statement).not.toBeNull();
        expect([1142, 1044, 1227, 1143]).toContain(error?.errno);
      } finally {
        await c.end();
      }
      expect(await count()).toBe(before);
      const pool = await connect({ url: db.url });
      try {
        expect((await verify(pool, { prefix: PREFIX })).ok).toBe(true);
      } finally {
        await pool.end();
      }
    },
  );
});
