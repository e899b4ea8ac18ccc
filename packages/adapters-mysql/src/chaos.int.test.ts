// Issue 29, chaos: the server kills the library's connection (KILL CONNECTION from another session) in
// the middle of a command, an import batch, a KPI catch-up and a migration statement. To be sure the kill
// lands mid-work, a third session holds a lock the work needs (a row it upserts, the KPI checkpoint, the
// metadata lock of a table a migration alters): the work stops inside its transaction or statement, the
// killer finds it waiting and kills it there. After each kill nothing partial is visible (every state row
// agrees with its event stream; counts match), and running the same work again converges to exactly what
// an undisturbed run gives.
//
// CHAOS_ROUNDS (default 3) sets the kills per case; the "20 times in a row" is
// `CHAOS_ROUNDS=20 pnpm exec vitest run --project int packages/adapters-mysql/src/chaos.int.test.ts`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPetError } from '@pet-ops/core';
import { fixedClock, sequentialIds } from '@pet-ops/core/testing';
import { catalogueV1 } from '@pet-ops/kpi';
import { type Connection, createConnection, type Pool, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, connectionOptions, withDatabase } from './connection.js';
import { ACTOR, registry } from './crm/fixtures.test.js';
import { importCompaniesCsv } from './crm/import.js';
import { CRM_STATE_TABLES } from './crm/index.js';
import { createCrmCommands } from './crm/workflows.js';
import { createMysqlEventStore } from './event-store/index.js';
import { IDENTITY_STATE_TABLES } from './identity/index.js';
import { commercialDrafts, fixtureId } from './kpi/fixtures.test.js';
import { createKpiRunner } from './kpi/runner.js';
import { migrate, verify } from './migration/index.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { createMysqlUnitOfWork } from './unit-of-work/index.js';

const ROUNDS = Math.max(1, Number(process.env['CHAOS_ROUNDS'] ?? 3));
const PREFIX = 'ch_';
let db: TestDatabase;
let admin: Connection;
let check: Connection;
let blocker: Connection;
let pool: Pool;
let dir: string;

/**
 * Holds `lock` (statements run on the blocker session inside a transaction) while `work` runs; as soon
 * as one of the library's connections waits for that lock (a row lock or a metadata lock), kills it
 * there, then lets the lock go. The work fails with a typed PetError, or finishes when it retried the
 * retryable failure itself; never with a raw driver error.
 */
async function killMidWork<T>(lock: readonly string[], work: () => Promise<T>): Promise<unknown> {
  await blocker.query('BEGIN');
  for (const statement of lock) await blocker.query(statement);
  const running = work().then(
    (v) => ({ finished: v }),
    (e: unknown) => e,
  );
  try {
    const until = Date.now() + 20_000;
    for (;;) {
      if (Date.now() > until) throw new Error('the work never waited for the held lock');
      const [rows] = await admin.query<RowDataPacket[]>(
        // A statement of the library still running after 50 ms while the lock is held: it waits for it.
        `SELECT ID FROM information_schema.PROCESSLIST
          WHERE DB = ? AND ID NOT IN (?, ?, CONNECTION_ID()) AND COMMAND = 'Query' AND TIME_MS >= 50`,
        [db.name, check.threadId, blocker.threadId],
      );
      if (rows.length > 0) {
        for (const r of rows) await admin.query(`KILL CONNECTION ${Number(r['ID'])}`).catch(() => undefined);
        break;
      }
      await sleep(2);
    }
  } finally {
    await blocker.query('ROLLBACK');
  }
  const outcome = await running;
  // Either the caller sees a typed error, or the library retried the retryable failure itself and
  // finished; never a raw driver error.
  const finished = typeof outcome === 'object' && outcome !== null && 'finished' in outcome;
  expect(finished || isPetError(outcome), `a typed error or a finished run, got ${String(outcome)}`).toBe(
    true,
  );
  return outcome;
}

/** What a caller does after a failure: retry what is retryable (a killed pool connection is). */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isPetError(e) || !e.retryable || attempt >= 5) throw e;
    }
  }
}

const count = async (sql: string): Promise<number> => {
  const [rows] = await check.query<RowDataPacket[]>(sql);
  return Number(rows[0]?.['n']);
};

/** Every state row's version equals the last stream_version of its stream: no row without its events. */
async function rowsAgreeWithStreams(table: string): Promise<void> {
  const disagree = await count(
    `SELECT COUNT(*) AS n FROM \`${PREFIX}${table}\` t
       LEFT JOIN (SELECT stream_id, MAX(stream_version) AS v FROM \`${PREFIX}domain_events\` GROUP BY stream_id) e
       ON e.stream_id = t.id
     WHERE e.v IS NULL OR e.v <> t.version`,
  );
  expect(disagree, `${table} rows whose version differs from their stream`).toBe(0);
}

beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
  admin = await createConnection(connectionOptions(withDatabase(inject('mysqlUrl'), '')));
  check = await createConnection(connectionOptions(db.url));
  blocker = await createConnection(connectionOptions(db.url));
  await migrate(db.url, { prefix: PREFIX });
  pool = await connect({ url: db.url, connectionLimit: 4 });
  dir = mkdtempSync(join(tmpdir(), 'pet-chaos-'));
});

afterAll(async () => {
  await pool?.end();
  await check?.end();
  await blocker?.end();
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

describe(`chaos: connections killed mid-work (${ROUNDS} round(s) per case)`, () => {
  it('a command (company + three slots + their events in one transaction): all or nothing, and a retry converges', async () => {
    const unitOfWork = createMysqlUnitOfWork({
      pool,
      prefix: PREFIX,
      tables: { ...IDENTITY_STATE_TABLES, ...CRM_STATE_TABLES },
    });
    const crm = createCrmCommands({
      runtime: {
        unitOfWork,
        registry,
        clock: fixedClock('2026-11-22T10:00:00.000000Z', 1),
        ids: sequentialIds(11),
      },
      prefix: PREFIX,
    });
    for (let round = 0; round < ROUNDS; round++) {
      const input = { name: `Chaos ${round}`, website: `chaos-${round}.example` };
      // The company's uid comes from an upsert of today's sequence row: held, the command waits there.
      await killMidWork([`SELECT * FROM \`${PREFIX}uid_sequences\` FOR UPDATE`], () =>
        crm.insertCompanyWithSlots(input, { actor: ACTOR }),
      );
      await rowsAgreeWithStreams('companies');
      await rowsAgreeWithStreams('company_slots');
      // Running it again (after the kill, or as an idempotent replay) leaves exactly one such company.
      const again = await retrying(() => crm.insertCompanyWithSlots(input, { actor: ACTOR }));
      expect(again).toMatchObject({ ok: true });
      expect(
        await count(`SELECT COUNT(*) AS n FROM \`${PREFIX}companies\` WHERE website = '${input.website}'`),
      ).toBe(1);
    }
    expect(await count(`SELECT COUNT(*) AS n FROM \`${PREFIX}companies\``)).toBe(ROUNDS);
    expect(await count(`SELECT COUNT(*) AS n FROM \`${PREFIX}company_slots\``)).toBe(ROUNDS * 3);
  });

  it('an import killed between and inside batches: no half batch, and a re-run imports every row once', async () => {
    const rows = 120;
    for (let round = 0; round < ROUNDS; round++) {
      const file = join(dir, `import-${round}.csv`);
      const lines = Array.from({ length: rows }, (_, i) => `Import ${round}-${i},r${round}-${i}.example`);
      writeFileSync(file, `name,website\n${lines.join('\n')}\n`);
      const options = {
        pool,
        prefix: PREFIX,
        file,
        batchSize: 20,
        clock: fixedClock('2026-11-22T11:00:00.000000Z', 1),
        ids: sequentialIds(1000 + round),
      };
      // Each batch allocates its uids first: held, the first batch waits inside its transaction.
      await killMidWork([`SELECT * FROM \`${PREFIX}uid_sequences\` FOR UPDATE`], () =>
        importCompaniesCsv(options),
      );
      await rowsAgreeWithStreams('companies');
      const imported = await count(
        `SELECT COUNT(*) AS n FROM \`${PREFIX}companies\` WHERE website LIKE 'r${round}-%'`,
      );
      expect(imported % 20 === 0 || imported === rows, `${imported} rows: a batch is all or nothing`).toBe(
        true,
      );
      const again = await retrying(() =>
        importCompaniesCsv({ ...options, ids: sequentialIds(2000 + round) }),
      );
      expect(again.created + again.exists).toBe(rows);
      expect(
        await count(`SELECT COUNT(*) AS n FROM \`${PREFIX}companies\` WHERE website LIKE 'r${round}-%'`),
      ).toBe(rows);
      await rowsAgreeWithStreams('companies');
    }
  });

  it('a KPI catch-up killed mid-fold: the checkpoint and results stay together, and catching up again equals a rebuild', async () => {
    const store = createMysqlEventStore({ pool, prefix: PREFIX });
    const definitions = catalogueV1({ currency: 'EUR' });
    const runner = createKpiRunner({ pool, prefix: PREFIX, definitions, orgTimeZone: 'UTC' });
    await runner.rebuild();
    for (let round = 0; round < ROUNDS; round++) {
      const drafts = commercialDrafts(40, 100 * (round + 1));
      for (let i = 0; i < drafts.length; i += 50) {
        await store.append(fixtureId(0xc00, round * 1000 + i), 'no_stream', drafts.slice(i, i + 50));
      }
      // The results and the checkpoint commit together: with their tables held, the catch-up waits inside
      // its transaction.
      const held = ['kpi_checkpoints', 'kpi_checkpoint_parts', 'kpi_results'].map(
        (t) => `SELECT COUNT(*) FROM (SELECT 1 FROM \`${PREFIX}${t}\` FOR UPDATE) AS held`,
      );
      await killMidWork(held, () => runner.catchUp());
      await retrying(() => runner.catchUp());
      const caughtUp = await runner.results({});
      const fresh = createKpiRunner({ pool, prefix: PREFIX, definitions, orgTimeZone: 'UTC' });
      await fresh.rebuild();
      const rebuilt = await fresh.results({});
      const comparable = (rs: typeof caughtUp) =>
        rs
          .map((r) =>
            JSON.stringify([
              r.definitionKey,
              r.scopeType,
              r.scopeId,
              r.periodStart,
              r.value,
              r.numerator,
              r.denominator,
              r.classification,
            ]),
          )
          .sort();
      expect(comparable(caughtUp)).toEqual(comparable(rebuilt));
    }
  });

  it('a migration killed mid-statement: a re-run converges and the live schema matches the journal', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const prefix = `m${round}_`;
      // Up to the migration before the one that puts triggers on the quotes table; a reader of that
      // table then holds its metadata lock, so that migration's CREATE TRIGGER waits mid-statement.
      const list = (await import('@pet-ops/migrations')).migrations;
      const freeze = list.findIndex((m) => m.id === '2026_12_06_0502_freeze_final_quotes');
      expect(freeze).toBeGreaterThan(0);
      await migrate(db.url, { prefix, target: list[freeze - 1]?.id ?? '' });
      await killMidWork([`SELECT * FROM \`${prefix}quotes\` LIMIT 1`], () => migrate(db.url, { prefix }));
      const done = await retrying(() => migrate(db.url, { prefix }));
      expect(done.applied.length + done.alreadyApplied.length).toBeGreaterThan(40);
      const checker = await connect({ url: db.url });
      try {
        const v = await verify(checker, { prefix });
        expect(v.drifts).toEqual([]);
        expect(v.ok).toBe(true);
      } finally {
        await checker.end();
      }
    }
  });
});
