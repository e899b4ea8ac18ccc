import { connect, migrationLockName, withDatabase } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import { migrations } from '@pet-ops/migrations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet, petOnTerminal } from './pet-process.test.js';
import type { Pool } from './target.js';

let db: TestDatabase;
let conn: Pool;
const total = migrations.length;
const employees = migrations.find((m) => m.id.endsWith('_create_employees'))!;

beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
  conn = await connect({ url: db.url, connectionLimit: 1 });
});
afterAll(async () => {
  await conn?.end();
  await db?.drop();
});

/** `pet` against this file's database (through MYSQL_URL, as a user would) with a table prefix. */
const run = (prefix: string, ...args: string[]) => pet([...args, '--prefix', prefix], { MYSQL_URL: db.url });

/** stderr is exactly one line: the message, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('pet --help', () => {
  it.each([
    [[], 'Usage: pet [options] [command]'],
    [['migrate'], 'Usage: pet migrate [options] [command]'],
    [['migrate', 'status'], 'Usage: pet migrate status [options]'],
    [['migrate', 'plan'], 'Usage: pet migrate plan [options]'],
    [['migrate', 'up'], 'Usage: pet migrate up [options]'],
    [['migrate', 'verify'], 'Usage: pet migrate verify [options]'],
    [['events'], 'Usage: pet events [options] [command]'],
    [['events', 'tail'], 'Usage: pet events tail [options]'],
    [['import'], 'Usage: pet import [options] [command]'],
    [['import', 'companies'], 'Usage: pet import companies [options] <file.csv>'],
    [['import', 'people'], 'Usage: pet import people [options] <file.csv>'],
    [['crm'], 'Usage: pet crm [options] [command]'],
    [['crm', 'company', 'add'], 'Usage: pet crm company add [options]'],
    [['crm', 'person', 'add'], 'Usage: pet crm person add [options]'],
    [['crm', 'link'], 'Usage: pet crm link [options] <person_uid> <slot_uid>'],
    [['crm', 'vacate'], 'Usage: pet crm vacate [options] <slot_uid>'],
    [['kpi'], 'Usage: pet kpi [options] [command]'],
    [['kpi', 'explain'], 'Usage: pet kpi explain [options] <result-id>'],
  ])('%j --help prints its usage and the global options, exit 0', async (args, usage) => {
    const r = await pet([...args, '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(usage);
    expect(r.stdout).toContain('--url <url>');
    expect(r.stdout).toContain('--prefix <prefix>');
    expect(r.stdout).toContain('--json');
  });

  it('the top-level help documents the connection default and the exit codes', async () => {
    const r = await pet(['--help']);
    expect(r.stdout).toContain('else sqlite:pet.db (an embedded SQLite file)');
    expect(r.stdout).toContain('postgres://');
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 internal error, 2 bad usage, 3 database unreachable/);
  });
});

describe('pet migrate: happy path', () => {
  it('status on an empty database lists every migration as pending and exits 4 (not current)', async () => {
    const r = await run('a_', 'migrate', 'status');
    expect(r.code).toBe(EXIT.schema);
    expect(r.stdout.match(/ pending /g)).toHaveLength(total);
    expect(r.stdout).toContain(`not current: ${total} migration(s) to apply; run \`pet migrate up\``);
  });

  it('plan prints the SQL of every pending statement without running it', async () => {
    const r = await run('a_', 'migrate', 'plan');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(`-- ${migrations[0]!.id}`);
    expect(r.stdout).toContain('CREATE TABLE `a_domain_events`');
    const json = JSON.parse((await run('a_', 'migrate', 'plan', '--json')).stdout);
    expect(json.statements.length).toBeGreaterThanOrEqual(total);
    const [rows] = await conn.query("SHOW TABLES LIKE 'a\\_%'");
    expect(rows).toHaveLength(0);
  });

  it('up applies every migration, then status is current, plan empty and verify ok', async () => {
    const up = await run('a_', 'migrate', 'up');
    expect(up.code).toBe(EXIT.ok);
    expect(up.stderr).toBe('');
    for (const m of migrations) expect(up.stdout).toContain(`applied ${m.id}`);
    expect(up.stdout).toMatch(
      new RegExp(`done: ${total} migration\\(s\\) applied \\(\\d+ statements\\), 0 were already applied`),
    );

    const status = await run('a_', 'migrate', 'status');
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toContain(`current: all ${total} migrations applied`);

    const plan = await run('a_', 'migrate', 'plan');
    expect(plan.stdout).toContain(`nothing to do: the schema of database ${db.name}, prefix 'a_' is current`);

    const verify = await run('a_', 'migrate', 'verify');
    expect(verify.code).toBe(EXIT.ok);
    expect(verify.stdout).toContain('matches its journal');
    expect(verify.stdout).toContain('journal of');

    const again = await run('a_', 'migrate', 'up');
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain(`is current (${total} migrations applied)`);
  });

  it('--json gives machine-readable results', async () => {
    const status = JSON.parse((await run('a_', 'migrate', 'status', '--json')).stdout);
    expect(status).toMatchObject({ database: db.name, prefix: 'a_', current: true, problem: null });
    expect(status.migrations).toHaveLength(total);
    const up = JSON.parse((await run('a_', 'migrate', 'up', '--json')).stdout);
    expect(up).toMatchObject({ applied: [], executedStatements: 0 });
    expect(up.alreadyApplied).toHaveLength(total);
    expect(JSON.parse((await run('a_', 'migrate', 'verify', '--json')).stdout)).toMatchObject({
      ok: true,
      drifts: [],
      journal: [],
    });
  });

  it('--url wins over MYSQL_URL, and --target stops after a migration', async () => {
    const r = await pet(['migrate', 'up', '--url', db.url, '--prefix', 'b_', '--target', migrations[1]!.id], {
      MYSQL_URL: 'mysql://root@127.0.0.1:1/unused',
    });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('done: 2 migration(s) applied');
    const status = await pet(['migrate', 'status', '--url', db.url, '--prefix', 'b_']);
    expect(status.stdout.match(/ pending /g)).toHaveLength(total - 2);
  });

  it('up --create-database creates a missing database first', async () => {
    const name = `${db.name}_new`;
    try {
      const missing = await pet(['migrate', 'status', '--url', withDatabase(db.url, name)]);
      expect(missing.code).toBe(EXIT.connection);
      expect(oneLine(missing.stderr)).toMatch(
        new RegExp(`^pet: database "${name}" does not exist on .*; run \`pet migrate up --create-database\``),
      );
      const r = await pet(['migrate', 'up', '--create-database', '--url', withDatabase(db.url, name)]);
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`done: ${total} migration(s) applied`);
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  });
});

describe('pet migrate up: progress', () => {
  it('draws a progress bar on a terminal, and none into a pipe', async () => {
    const tty = await petOnTerminal(['migrate', 'up', '--prefix', 'p_'], { MYSQL_URL: db.url });
    expect(tty.code).toBe(EXIT.ok);
    expect(tty.stdout).toContain('█'); // the bar's filled cells
    expect(tty.stdout).toMatch(/\d+\/\d+ 2026_/); // done/total and the migration at work
    expect(tty.stdout).toContain(`done: ${total} migration(s) applied`);
    const piped = await pet(['migrate', 'up', '--prefix', 'q_'], { MYSQL_URL: db.url });
    expect(piped.stdout).not.toContain('█');
    expect(piped.stdout).not.toContain('\u001b[');
  });
});

describe('pet migrate: bad input and broken schemas', () => {
  it('an invalid prefix: exit 2, one line naming the rule and an example', async () => {
    const r = await run('wp-pet', 'migrate', 'status');
    expect(r.code).toBe(EXIT.usage);
    expect(oneLine(r.stderr)).toBe(
      "pet: invalid --prefix 'wp-pet': a table prefix is at most 20 letters, digits and underscores (^[A-Za-z0-9_]{0,20}$), so every table and trigger name fits 64 characters, e.g. --prefix wp_pet_",
    );
  });

  it('a malformed URL: exit 2, names where it came from and the expected shape', async () => {
    const r = await pet(['migrate', 'status'], { MYSQL_URL: 'redis://u:secret@h/db' });
    expect(r.code).toBe(EXIT.usage);
    expect(oneLine(r.stderr)).toBe(
      "pet: invalid MYSQL_URL 'redis://u:***@h/db': it must look like sqlite:path/to/file.db, mysql://user:password@host:3306/database or postgres://user@host:5432/database",
    );
    const pg = await pet(['migrate', 'status'], { PET_URL: 'postgres://u:secret@h' });
    expect(oneLine(pg.stderr)).toBe(
      "pet: invalid PET_URL 'postgres://u:***@h': it must look like postgres://user:password@host:5432/database[?schema=tenant]",
    );
  });

  it('an unreachable server: exit 3, the URL without its password and the fix', async () => {
    const r = await pet(['migrate', 'up', '--url', 'mysql://root:secret@127.0.0.1:1/pet']);
    expect(r.code).toBe(EXIT.connection);
    const line = oneLine(r.stderr);
    expect(line).toMatch(
      /^pet: cannot connect to mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/pet \(.*ECONNREFUSED.*\)/,
    );
    expect(line).toContain('start the server, or pass --url / set MYSQL_URL');
    expect(line).not.toContain('scripts/db.sh');
    expect(line).not.toContain('secret');
  });

  it('failures in --json mode are one JSON object on stderr', async () => {
    const r = await pet(['migrate', 'status', '--json', '--url', 'mysql://root@127.0.0.1:1/pet']);
    expect(r.code).toBe(EXIT.connection);
    expect(JSON.parse(oneLine(r.stderr))).toMatchObject({
      error: { code: 'CONNECTION_FAILED', exitCode: 3 },
    });
  });

  it('an unknown command or option, or a bad option value: exit 2 with the usage hint', async () => {
    const unknown = await pet(['migrate', 'down']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain("pet: unknown command 'down'");
    const option = await pet(['migrate', 'up', '--force']);
    expect(option.code).toBe(EXIT.usage);
    expect(option.stderr).toContain("pet: unknown option '--force'");
    const value = await pet(['migrate', 'up', '--lock-timeout', 'soon']);
    expect(value.code).toBe(EXIT.usage);
    expect(value.stderr).toContain('--lock-timeout must be a whole number of seconds');
    const target = await run('a_', 'migrate', 'plan', '--target', 'not-a-migration');
    expect(target.code).toBe(EXIT.usage);
    expect(oneLine(target.stderr)).toMatch(/^pet: invalid migration options: target: /);
  });

  it('a failed migration: exit 4, names the migration, the statement and the fix; status shows it failed', async () => {
    // A table in the way with another shape makes the employees migration fail at its first statement.
    await conn.query('CREATE TABLE `f_employees` (id INT PRIMARY KEY)');
    const r = await run('f_', 'migrate', 'up');
    expect(r.code).toBe(EXIT.schema);
    const line = oneLine(r.stderr);
    expect(line).toContain(`pet: migration ${employees.id} ("${employees.name}") failed at statement 1 of`);
    expect(line).toContain('already exists with another shape');
    expect(line).toContain('run migrate again: it resumes at statement 1');
    const status = await run('f_', 'migrate', 'status');
    expect(status.code).toBe(EXIT.schema);
    expect(status.stdout).toMatch(new RegExp(`${employees.id}\\s+failed`));
    expect(status.stdout).toContain(`not current: ${employees.id} failed at statement 1`);
    // Fix the cause (a test database: the blocking table is ours) and run again: it resumes.
    await conn.query('DROP TABLE `f_employees`');
    const resumed = await run('f_', 'migrate', 'up');
    expect(resumed.code).toBe(EXIT.ok);
    expect(resumed.stdout).toContain(`applied ${employees.id}`);
  });

  it('a tampered migration: exit 4 before anything runs, naming the migration', async () => {
    await run('t_', 'migrate', 'up', '--target', employees.id);
    await conn.query('UPDATE `t_schema_migrations` SET checksum = ? WHERE id = ?', [
      '0'.repeat(64),
      employees.id,
    ]);
    for (const command of ['up', 'plan'] as const) {
      const r = await run('t_', 'migrate', command);
      expect(r.code).toBe(EXIT.schema);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`^pet: .*${employees.id}.*checksum`));
    }
    const status = await run('t_', 'migrate', 'status');
    expect(status.code).toBe(EXIT.schema);
    expect(status.stdout).toMatch(new RegExp(`problem: .*${employees.id}`));
    const [rows] = await conn.query("SHOW TABLES LIKE 't\\_teams'");
    expect(rows).toHaveLength(0);
  });

  it('drift: verify lists it and exits 5', async () => {
    await run('d_', 'migrate', 'up');
    await conn.query('ALTER TABLE `d_employees` ADD COLUMN `nickname` VARCHAR(20) NULL');
    const r = await run('d_', 'migrate', 'verify');
    expect(r.code).toBe(EXIT.drift);
    expect(r.stdout).toMatch(/drift: .*d_employees.*nickname/);
    expect(r.stdout).toContain('1 drift(s)');
  });

  it('a tampered journal: verify names each changed checksum (whole and per statement), exits 5, and says so in --json (issue 29)', async () => {
    await run('j_', 'migrate', 'up');
    const [first, second] = [migrations[1]!.id, migrations[2]!.id];
    await conn.query("UPDATE `j_schema_migrations` SET checksum = REPEAT('0', 64) WHERE id = ?", [first]);
    await conn.query(
      "UPDATE `j_schema_migrations` SET step_checksums = JSON_ARRAY(REPEAT('1', 64)) WHERE id = ?",
      [second],
    );
    const r = await run('j_', 'migrate', 'verify');
    expect(r.code).toBe(EXIT.drift);
    expect(r.stdout).toContain(`journal: ${first}: journal checksum ${'0'.repeat(64)} differs`);
    expect(r.stdout).toContain(`journal: ${second} statement 1: journal checksum ${'1'.repeat(64)} differs`);
    expect(r.stdout).toContain('2 journal drift(s)');
    const json = JSON.parse((await run('j_', 'migrate', 'verify', '--json')).stdout);
    expect(json).toMatchObject({ ok: false, drifts: [] });
    expect(json.journal).toHaveLength(2);
  });

  it('another runner holds the lock: up --lock-timeout 0 exits 4 naming the lock', async () => {
    const holder = await connect({ url: db.url, connectionLimit: 1 });
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [migrationLockName(db.name, 'l_')]);
      const r = await run('l_', 'migrate', 'up', '--lock-timeout', '0');
      expect(r.code).toBe(EXIT.schema);
      expect(oneLine(r.stderr)).toMatch(/^pet: .*lock/i);
    } finally {
      await holder.end();
    }
  });
});
