// Scenario 56 and the seed's "data loss is never acceptable": every committed upgrade fixture (the agency
// example's database at a released schema head, dumped by each database's own tool; see
// make-upgrade-fixture.ts) is restored into a fresh database, migrated to today's head with the same
// engines hosts use, and must then verify clean and read back, through the public API only, exactly
// what it held before: every event, every aggregate's state (quotes with their versions and lines, lead
// schemas with their versions, leads …) and every KPI result — also after a KPI rebuild.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  connect,
  migrate as migrateMysql,
  mysqlDialect,
  verify as verifyMysql,
} from '@pet-ops/adapters-mysql';
import { openPostgres, verifyPostgres } from '@pet-ops/adapters-postgres';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import {
  type AnyDatabase,
  assembleQuoteVersions,
  assembleSchemaVersions,
  assertSchemaCurrent,
  decodeColumn,
  leadSchemaVersionsTable,
  migrate,
  type PartTable,
  type PetDialect,
  quoteLineGroupsTable,
  quoteLinesTable,
  quoteVersionsTable,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { agencyKpiRunner, type Capture, capture, toJson } from './upgrade-capture.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/upgrade/', import.meta.url));
const POSTGRES_URL = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface FixtureInfo {
  readonly head: string;
  readonly prefix: string;
  /** The MariaDB database and PostgreSQL schema the dump was taken from. */
  readonly schema: string;
}

const heads = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const read = (head: string, file: string): Buffer => gunzipSync(readFileSync(join(FIXTURES, head, file)));
const expected = (head: string, kind: string): Capture =>
  JSON.parse(read(head, `${kind}.expected.json.gz`).toString());
/** The capture as JSON and back: bigints become the strings the fixture holds. */
const plain = (c: unknown): Capture => JSON.parse(toJson(c));

interface Restored {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** Migrates to head and returns the schema drifts and journal issues (none when clean). */
  upgrade(prefix: string): Promise<readonly unknown[]>;
  close(): Promise<void>;
}

function runClient(command: string, args: readonly string[], input: Buffer): void {
  const r = spawnSync(command, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0)
    throw new Error(`${command} failed (${r.status}): ${r.stderr?.toString().slice(0, 2000)}`);
}

async function restoreSqlite(head: string): Promise<Restored> {
  const dir = mkdtempSync(join(tmpdir(), 'pet-upgrade-'));
  const file = join(dir, 'agency.db');
  const raw = new DatabaseSync(file);
  raw.exec(read(head, 'sqlite.sql.gz').toString());
  raw.close();
  const { db, dialect, close } = openSqlite({ path: file });
  return {
    db,
    dialect,
    async upgrade(prefix) {
      await migrate(db, dialect, { prefix });
      await assertSchemaCurrent(db, dialect, { prefix });
      return [];
    },
    async close() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function restoreMariadb(head: string): Promise<Restored> {
  const server = new URL(inject('mysqlUrl'));
  const database = `pet_upgrade_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({ uri: inject('mysqlUrl') });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  runClient(
    'mariadb',
    [
      '-h',
      server.hostname,
      '-P',
      server.port || '3306',
      '-u',
      decodeURIComponent(server.username || 'root'),
      ...(server.password ? [`-p${decodeURIComponent(server.password)}`] : []),
      database,
    ],
    read(head, 'mariadb.sql.gz'),
  );
  const url = `${inject('mysqlUrl').replace(/\/$/, '')}/${database}`;
  const pool = await connect({ url, connectionLimit: 4 });
  const dialect = mysqlDialect({ pool, database });
  const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    async upgrade(prefix) {
      const migrator = await connect({ url, connectionLimit: 2 });
      try {
        await migrateMysql(migrator, { prefix });
        const v = await verifyMysql(migrator, { prefix });
        return [...v.drifts, ...v.journal];
      } finally {
        await migrator.end();
      }
    },
    async close() {
      await db.destroy();
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

async function restorePostgres(head: string, info: FixtureInfo): Promise<Restored> {
  const name = `pet_upgrade_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${name}`;
  runClient('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', u.toString()], read(head, 'postgres.sql.gz'));
  const opened = await openPostgres({ url: u.toString(), schema: info.schema });
  return {
    db: opened.db,
    dialect: opened.dialect,
    async upgrade(prefix) {
      await migrate(opened.db, opened.dialect, { prefix });
      const v = await verifyPostgres(opened.db, opened.dialect, { prefix });
      return [...v.drifts, ...v.journal];
    },
    async close() {
      await opened.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

const RESTORERS = {
  sqlite: restoreSqlite,
  mariadb: restoreMariadb,
  postgres: restorePostgres,
} as const;

/** Every expected aggregate reads back with the same values (later schema heads may add fields). */
function expectSameContent(before: Capture, after: Capture): void {
  // Every event is still there, unchanged and in order; the only new ones are the migration engine's own
  // (MySQL's engine logs each migration it applies to the event log).
  expect(after.events.slice(0, before.events.length)).toEqual(before.events);
  expect(after.events.slice(before.events.length).filter((e) => !e.type.startsWith('migration.'))).toEqual(
    [],
  );
  expect(Object.keys(after.states).sort()).toEqual(Object.keys(before.states).sort());
  for (const [key, was] of Object.entries(before.states)) {
    expect({ key, ...after.states[key] }).toMatchObject({ key, ...was });
  }
  expect(after.kpiResults).toEqual(before.kpiResults);
}

/** The rows of a part table that belong to one aggregate, decoded. */
async function partRows(
  r: Restored,
  prefix: string,
  table: PartTable<never>,
  owner: string,
  id: string,
): Promise<Record<string, unknown>[]> {
  const raw = (await r.db
    .selectFrom(`${prefix}${table.table}`)
    .selectAll()
    .where(owner, '=', r.dialect.codecs.encodeId(id))
    .execute()) as Record<string, unknown>[];
  return raw.map((row) =>
    Object.fromEntries(
      Object.entries(table.columns).map(([c, spec]) => [c, decodeColumn(r.dialect.codecs, spec, row[c])]),
    ),
  );
}

/** Quote content and schema versions moved into the seed's tables re-assemble to what the aggregates held. */
async function expectContentRows(r: Restored, prefix: string, before: Capture): Promise<number> {
  let checked = 0;
  for (const [key, { state }] of Object.entries(before.states)) {
    const [type, id] = key.split('/') as [string, string];
    const s = state as { versions: unknown };
    if (type === 'quote') {
      const rows = (t: PartTable<never>) => partRows(r, prefix, t, 'quote_id', id);
      expect(
        assembleQuoteVersions(
          await rows(quoteVersionsTable as PartTable<never>),
          await rows(quoteLineGroupsTable as PartTable<never>),
          await rows(quoteLinesTable as PartTable<never>),
        ),
      ).toEqual(s.versions);
      checked++;
    } else if (type === 'malleable_schema') {
      const rows = await partRows(r, prefix, leadSchemaVersionsTable as PartTable<never>, 'schema_id', id);
      expect(assembleSchemaVersions(rows)).toEqual(s.versions);
      checked++;
    }
  }
  return checked;
}

it('has an upgrade fixture for the first released schema head', () => {
  expect(heads).toContain('2026_12_06_0701_add_kpi_result_set_zone');
});

describe.each(heads)('upgrade fixture %s', (head) => {
  const info = JSON.parse(readFileSync(join(FIXTURES, head, 'fixture.json'), 'utf8')) as FixtureInfo;

  it.each(Object.keys(RESTORERS) as (keyof typeof RESTORERS)[])(
    'given its %s dump, when migrated to head, then verify is clean and the public API reads back every event, state and KPI result, also after a rebuild',
    async (kind) => {
      const before = expected(head, kind);
      const restored = await RESTORERS[kind](head, info);
      try {
        expect(await restored.upgrade(info.prefix)).toEqual([]);
        expectSameContent(before, plain(await capture(restored.db, restored.dialect, info.prefix)));
        // Nine quotes and one lead schema in every fixture so far: each read back from its rows too.
        expect(await expectContentRows(restored, info.prefix, before)).toBeGreaterThanOrEqual(10);
        const runner = agencyKpiRunner(restored.db, restored.dialect, info.prefix);
        await runner.rebuild();
        const rebuilt = plain(
          (await runner.results()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        );
        expect(rebuilt).toEqual(before.kpiResults);
      } finally {
        await restored.close();
      }
    },
  );
});
