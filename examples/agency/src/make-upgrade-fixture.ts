// Makes the upgrade fixtures of the current schema head (issue 22, scenario 56): the agency example's
// database on SQLite, MariaDB and PostgreSQL, plus a lead schema with three versions and leads bound to
// them, dumped with each database's own tool, and what the public API reads from each (`capture`).
// Run it once per released schema head, from a checkout of that head:
//   node --import tsx --conditions=@pet-ops/source examples/agency/src/make-upgrade-fixture.ts <out-dir>
// It needs the `sqlite3`, `mariadb-dump` and `pg_dump` clients and the two servers of scripts/db.sh.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { connect, mysqlDialect, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { type CommandMetadata, Commercial, createPetRegistry, type Instant } from '@pet-ops/core';
import {
  type AnyDatabase,
  changeLead,
  changeMalleableSchema,
  createEventStore,
  createUnitOfWork,
  defaultRetryPolicy,
  type PetDialect,
  STATE_TABLES,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { runAgency } from './run.js';
import { agencyKpiRunner, capture, toJson } from './upgrade-capture.js';

export const FIXTURE = { prefix: 'agency_', size: 0.1, seed: 22 } as const;
const MYSQL = 'mysql://root@127.0.0.1:3306';
const POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'pet_upgrade_fixture';

const sink = (): Writable =>
  new Writable({
    write: (_c, _e, done) => {
      done();
    },
  });

/** A lead schema published twice with a third version left in draft, and one lead per published version. */
async function schemaVersions(db: AnyDatabase, dialect: PetDialect): Promise<void> {
  const events = createEventStore({ db, dialect, prefix: FIXTURE.prefix });
  const unitOfWork = createUnitOfWork({ dialect, prefix: FIXTURE.prefix, events, tables: STATE_TABLES });
  let minute = 0;
  const runtime = {
    unitOfWork,
    registry: createPetRegistry(),
    clock: { now: () => `2026-09-30T10:${String(minute++).padStart(2, '0')}:00.000000Z` as Instant },
    ids: uuidV7Ids,
    retry: defaultRetryPolicy,
  };
  const meta: CommandMetadata = { actor: { type: 'system', id: 'upgrade-fixture' } };
  const schemaId = uuidV7Ids.next() as Commercial.MalleableSchemaId;
  const must = (r: { ok: boolean; error?: { code: string } }): void => {
    if (!r.ok) throw new Error(`fixture step refused: ${r.error?.code}`);
  };
  const budget: Commercial.MalleableField = {
    key: 'budget',
    label: 'Budget',
    type: 'number',
    required: true,
  };
  const region: Commercial.MalleableField = {
    key: 'region',
    label: 'Region',
    type: 'select',
    required: false,
    options: [
      { id: 'north', label: 'North' },
      { id: 'south', label: 'South' },
    ],
  };
  const versions = [
    [budget],
    [budget, region],
    [budget, region, { ...region, key: 'region_2', label: 'Region 2' }],
  ];
  for (const [i, fields] of versions.entries()) {
    must(
      await changeMalleableSchema(runtime, meta, {
        schemaId,
        command: { type: 'create_draft', schemaId, entityType: Commercial.LEAD_ENTITY_TYPE, fields },
      }),
    );
    if (i === versions.length - 1) break;
    must(
      await changeMalleableSchema(runtime, meta, {
        schemaId,
        command: { type: 'publish', at: runtime.clock.now() },
      }),
    );
    const leadId = uuidV7Ids.next() as Commercial.LeadId;
    must(
      await changeLead(runtime, meta, {
        leadId,
        schemaId,
        command: {
          type: 'create',
          leadId,
          source: 'fixture',
          subject: `Schema v${i + 1} lead`,
          description: null,
          customerId: null,
          ownerEmployeeId: null,
          teamId: null,
          schemaVersion: i + 1,
          data: i === 0 ? { budget: 12 } : { budget: 7, region: 'south' },
        },
      }),
    );
  }
}

async function finish(db: AnyDatabase, dialect: PetDialect): Promise<unknown> {
  await schemaVersions(db, dialect);
  // The stored KPI results then count the fixture's own leads too (a rebuild after the upgrade must agree).
  await agencyKpiRunner(db, dialect, FIXTURE.prefix).rebuild();
  return capture(db, dialect, FIXTURE.prefix);
}

const gz = (file: string, text: string | Buffer): void => writeFileSync(file, gzipSync(text, { level: 9 }));

async function main(): Promise<void> {
  const out = process.argv[2];
  if (out === undefined) throw new Error('usage: make-upgrade-fixture.ts <out-dir>');
  const run = (url: string) =>
    runAgency({
      url,
      ...FIXTURE,
      json: true,
      html: null,
      out: sink(),
      err: sink() as unknown as NodeJS.WriteStream,
    });

  // SQLite
  const file = join(mkdtempSync(join(tmpdir(), 'pet-fixture-')), 'agency.db');
  await run(`sqlite:${file}`);
  // The fixture is named after the schema head it was made at: the last applied migration.
  const head = execFileSync('sqlite3', [file, `SELECT max(id) FROM ${FIXTURE.prefix}schema_migrations`])
    .toString()
    .trim();
  const dir = join(out, head);
  mkdirSync(dir, { recursive: true });
  const lite = openSqlite({ path: file });
  const liteCapture = await finish(lite.db, lite.dialect);
  await lite.close();
  gz(join(dir, 'sqlite.sql.gz'), execFileSync('sqlite3', [file, '.dump'], { maxBuffer: 1 << 30 }));
  gz(join(dir, 'sqlite.expected.json.gz'), toJson(liteCapture));

  // MariaDB
  await run(`${MYSQL}/${DATABASE}`);
  const pool = await connect({ url: `${MYSQL}/${DATABASE}`, connectionLimit: 2 });
  const mysql = mysqlDialect({ pool, database: DATABASE });
  const mysqlDb: AnyDatabase = new Kysely({ dialect: mysql.kysely });
  const mysqlCapture = await finish(mysqlDb, mysql);
  await mysqlDb.destroy();
  const dump = execFileSync(
    'mariadb-dump',
    ['-h', '127.0.0.1', '-u', 'root', '--skip-dump-date', '--single-transaction', '--triggers', DATABASE],
    { maxBuffer: 1 << 30 },
  );
  gz(join(dir, 'mariadb.sql.gz'), dump);
  gz(join(dir, 'mariadb.expected.json.gz'), toJson(mysqlCapture));

  // PostgreSQL: one schema (tenant) of the server's default database
  await run(`${POSTGRES}?schema=${DATABASE}`);
  const pg = await openPostgres({ url: POSTGRES, schema: DATABASE });
  const pgCapture = await finish(pg.db, pg.dialect);
  await pg.close();
  const pgDump = execFileSync(
    'pg_dump',
    ['-h', '127.0.0.1', '-U', 'postgres', '--schema', DATABASE, '--no-owner', '--no-privileges', 'postgres'],
    { maxBuffer: 1 << 30 },
  );
  gz(join(dir, 'postgres.sql.gz'), pgDump);
  gz(join(dir, 'postgres.expected.json.gz'), toJson(pgCapture));

  const commit = execFileSync('git', ['rev-parse', 'HEAD']).toString().trim();
  writeFileSync(
    join(dir, 'fixture.json'),
    `${JSON.stringify({ head, commit, ...FIXTURE, schema: DATABASE }, null, 2)}\n`,
  );
  process.stdout.write(`fixtures of ${head} written to ${dir}\n`);
}

await main();
