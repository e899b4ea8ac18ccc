// `pet time import` on the embedded SQLite default, on MariaDB and on PostgreSQL: dry run, rejected rows (report and
// dead-letter file), idempotent re-runs, progress on a terminal, --json, and the failures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrate as migrateMysql } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet, petOnTerminal } from './pet-process.test.js';
import type { Pool } from './target.js';

const prefix = 'tm_';
const EMP = '019b76da-a800-7000-8000-0000000000e1';
const CSV = [
  'external_id,employee_id,start,end,description,billable,work_type',
  `TS-1,${EMP},2026-03-02T09:00:00+01:00,2026-03-02T10:30:00+01:00,"Workshop, day 1",yes,project`,
  `TS-2,${EMP},2026-03-02T11:00:00Z,2026-03-02T12:00:00Z,Support call,no,support`,
  `TS-3,,2026-03-02T13:00:00Z,2026-03-02T14:00:00Z,no employee,,`,
  `TS-4,${EMP},2026-03-02T15:00:00Z,2026-03-02T14:00:00Z,backwards,,`,
  `TS-5,${EMP},2026-03-03T09:00:00Z,2026-03-03T10:00:00Z,Planning,yes,project`,
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pet-cli-time-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('pet time import on SQLite', () => {
  let url: string;
  beforeAll(async () => {
    url = `sqlite:${join(dir, 'time.db')}`;
    expect((await pet(['migrate', 'up', '--url', url, '--prefix', prefix])).code).toBe(EXIT.ok);
  });
  const run = (...args: string[]) => pet([...args, '--url', url, '--prefix', prefix]);

  it('--dry-run reports per row and writes nothing', async () => {
    const r = await run('time', 'import', file('dry.csv', CSV), '--dry-run');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(
      'dry run of dry.csv: 5 row(s) — 3 draft entries would create, 0 already there, 2 rejected; nothing was written',
    );
    expect(r.stdout).toContain('line 4: MISSING_FIELD (employeeId) employeeId is empty');
    expect(r.stdout).toContain('line 5: INVALID_INTERVAL the end must be after the start');
    const again = JSON.parse(
      (await run('time', 'import', file('dry.csv', CSV), '--dry-run', '--json')).stdout,
    );
    expect(again).toMatchObject({ dryRun: true, created: 3, exists: 0 });
  });

  it('imports the good rows as drafts, writes the rejected ones to --dead-letters, and a re-run creates nothing new', async () => {
    const letters = join(dir, 'rejected.csv');
    const first = await run('time', 'import', file('week.csv', CSV), '--dead-letters', letters);
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toContain(
      'imported week.csv: 5 row(s) — 3 draft entries created, 0 already there, 2 rejected',
    );
    expect(first.stdout).toContain(`rejected rows (with their raw text) written to ${letters}`);
    expect(readFileSync(letters, 'utf8').trimEnd().split('\n')).toEqual([
      'row,reason,field,detail,raw',
      '4,MISSING_FIELD,employeeId,employeeId is empty,"TS-3,,2026-03-02T13:00:00Z,2026-03-02T14:00:00Z,no employee,,"',
      `5,INVALID_INTERVAL,,the end must be after the start,"TS-4,${EMP},2026-03-02T15:00:00Z,2026-03-02T14:00:00Z,backwards,,"`,
    ]);
    const again = await run('time', 'import', file('week.csv', CSV), '--json');
    expect(again.code).toBe(EXIT.ok);
    expect(JSON.parse(again.stdout)).toMatchObject({
      fileName: 'week.csv',
      rows: 5,
      created: 0,
      exists: 3,
      rejected: 2,
      deadLetters: null,
    });
  });

  it('draws a progress bar on a terminal, never into a pipe', async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `${EMP},${new Date(Date.UTC(2026, 8, 1) + i * 3_600_000).toISOString()},${new Date(Date.UTC(2026, 8, 1) + i * 3_600_000 + 1_800_000).toISOString()},r${i},,`,
    );
    const path = file(
      'big.csv',
      ['employee_id,start,end,description,billable,work_type', ...rows].join('\n'),
    );
    const tty = await petOnTerminal([
      'time',
      'import',
      path,
      '--batch-size',
      '50',
      '--url',
      url,
      '--prefix',
      prefix,
    ]);
    expect(tty.code).toBe(EXIT.ok);
    expect(tty.stdout).toMatch(/\d+\/\d+ bytes/);
    expect(tty.stdout).toContain('400 draft entries created');
    const piped = await run('time', 'import', path);
    expect(piped.stdout).toContain('0 draft entries created, 400 already there');
    expect(piped.stdout).not.toContain('\u001b[');
  });

  it('a missing file: exit 6; a CSV without the required columns: exit 7 naming them', async () => {
    const missing = await run('time', 'import', join(dir, 'nope.csv'));
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toContain('(no such file); pass the path of a readable CSV file');
    const bad = await run('time', 'import', file('bad.csv', 'employee,begin\nx,y\n'));
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('is not a usable timesheet CSV: the header row has no start, end column');
    expect(bad.stderr).toContain('employee_id, start, end (required)');
  });

  it('bad usage: a missing argument, a bad --batch-size or an unwritable --dead-letters exits 2', async () => {
    expect((await run('time', 'import')).stderr).toContain("missing required argument 'file.csv'");
    const batch = await run('time', 'import', file('b.csv', CSV), '--batch-size', '0');
    expect(batch.code).toBe(EXIT.usage);
    expect(batch.stderr).toContain('--batch-size must be a whole number from 1 to 5000');
    const letters = await run(
      'time',
      'import',
      file('c.csv', CSV),
      '--dead-letters',
      join(dir, 'no', 'such', 'dir.csv'),
    );
    expect(letters.code).toBe(EXIT.usage);
    expect(letters.stderr).toContain('cannot write the dead letters to');
  });
});

describe('pet time import on MariaDB', () => {
  let db: TestDatabase;
  let conn: Pool;
  beforeAll(async () => {
    db = await createTestDatabase(inject('mysqlUrl'));
    await migrateMysql(db.url, { prefix });
    conn = await connect({ url: db.url, connectionLimit: 1 });
  });
  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });
  const run = (...args: string[]) => pet([...args, '--prefix', prefix], { MYSQL_URL: db.url });
  const count = async (): Promise<number> => {
    const [rows] = (await conn.query(`SELECT COUNT(*) AS n FROM \`${prefix}time_entries\``)) as unknown as [
      Array<{ n: unknown }>,
    ];
    return Number(rows[0]?.n);
  };

  it('imports, and two imports of the same file at once still create each entry once', async () => {
    const path = file('maria.csv', CSV);
    const [a, b] = await Promise.all([
      run('time', 'import', path, '--json'),
      run('time', 'import', path, '--json'),
    ]);
    const reports = [a, b].map((r) => {
      expect(r.code).toBe(EXIT.ok);
      return JSON.parse(r.stdout) as { created: number; exists: number };
    });
    expect(reports[0]!.created + reports[1]!.created).toBe(3);
    expect(await count()).toBe(3);
    const dry = JSON.parse((await run('time', 'import', path, '--dry-run', '--json')).stdout);
    expect(dry).toMatchObject({ created: 0, exists: 3, rejected: 2 });
  });

  it('a prefix without PET tables: exit 4 saying to migrate first', async () => {
    const r = await pet(['time', 'import', file('p.csv', CSV), '--prefix', 'none_'], { MYSQL_URL: db.url });
    expect(r.code).toBe(EXIT.schema);
    expect(r.stderr).toContain('run `pet migrate up` first');
  });
});

describe('pet time import on PostgreSQL (a schema per tenant)', () => {
  const SERVER = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `pet_time_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=${schema}`;
  afterAll(async () => {
    const { db, close } = await openPostgres({ url: SERVER });
    try {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
    } finally {
      await close();
    }
  });

  it('imports, and a re-run creates nothing new', async () => {
    expect((await pet(['migrate', 'up', '--url', url, '--prefix', prefix])).code).toBe(EXIT.ok);
    const path = file('pg.csv', CSV);
    const run = () => pet(['time', 'import', path, '--url', url, '--prefix', prefix, '--json']);
    const first = await run();
    expect(first.code).toBe(EXIT.ok);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 5, created: 3, exists: 0, rejected: 2 });
    expect(JSON.parse((await run()).stdout)).toMatchObject({ created: 0, exists: 3, rejected: 2 });
  });
});
