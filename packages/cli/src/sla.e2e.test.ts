// `pet sla evaluate` on the embedded SQLite default, on MariaDB and on PostgreSQL: clocks bound through the library,
// evaluated by the bin — once, twice, on two processes at once, and following.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrate as migrateMysql, mysqlDialect } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { type AnyDatabase, migrate } from '@pet-ops/sql';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isoInstant, seedSlaClocks } from '../../sql/src/contract/sla-due-contract.test.js';
import { EXIT } from './exit-codes.js';
import { pet, petOnTerminal, startPet } from './pet-process.test.js';
import type { Pool } from './target.js';

const prefix = 'sl_';
const started = isoInstant('2026-03-02T09:00Z');
const lines = (s: string) => s.trimEnd().split('\n');

describe('pet sla evaluate on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pet-cli-sla-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A migrated SQLite file with `count` clocks bound at `started`; returns its URL. */
  async function seeded(name: string, count: number): Promise<string> {
    const path = join(dir, name);
    const d = openSqlite({ path });
    try {
      await migrate(d.db, d.dialect, { prefix });
      await seedSlaClocks(d, prefix, count, started);
    } finally {
      await d.close();
    }
    return `sqlite:${path}`;
  }

  it('evaluates every due clock once (--at past the warning); a second run finds nothing due', async () => {
    const url = await seeded('once.db', 5);
    const first = await pet([
      'sla',
      'evaluate',
      '--at',
      '2026-03-02T09:50:00Z',
      '--url',
      url,
      '--prefix',
      prefix,
    ]);
    expect(first.code).toBe(EXIT.ok);
    expect(lines(first.stdout)).toEqual([
      'evaluated 5 of 5 due SLA clock(s) at 2026-03-02T09:50:00.000000Z: 5 sla.warning',
    ]);
    expect(first.stderr).toBe('');
    const again = await pet([
      'sla',
      'evaluate',
      '--at',
      '2026-03-02T09:50:00Z',
      '--url',
      url,
      '--prefix',
      prefix,
      '--json',
    ]);
    expect(again.code).toBe(EXIT.ok);
    expect(JSON.parse(again.stdout)).toMatchObject({
      now: '2026-03-02T09:50:00.000000Z',
      due: 0,
      evaluated: 0,
      fired: {},
      failedCount: 0,
      complete: true,
    });
    // Now (December 2026) every stage is past: the rest fires, once.
    const later = JSON.parse(
      (await pet(['sla', 'evaluate', '--url', url, '--prefix', prefix, '--json'])).stdout,
    );
    expect(later).toMatchObject({
      due: 5,
      evaluated: 5,
      fired: { 'sla.breached': 10, 'sla.warning': 5, 'sla.escalated': 10 },
    });
  });

  it('draws a progress bar on a terminal, never into a pipe', async () => {
    const url = await seeded('tty.db', 4);
    const tty = await petOnTerminal([
      'sla',
      'evaluate',
      '--batch-size',
      '1',
      '--url',
      url,
      '--prefix',
      prefix,
    ]);
    expect(tty.code).toBe(EXIT.ok);
    expect(tty.stdout).toContain('/4 clocks');
    expect(tty.stdout).toContain('evaluated 4 of 4 due SLA clock(s)');
    const piped = await pet(['sla', 'evaluate', '--url', url, '--prefix', prefix]);
    expect(piped.stdout).not.toContain('\u001b[');
  });

  it('--follow evaluates clocks bound while it runs, prints only passes that did something, and stops cleanly on Ctrl-C', async () => {
    const url = await seeded('follow.db', 2);
    const p = startPet([
      'sla',
      'evaluate',
      '--follow',
      '--interval',
      '100',
      '--url',
      url,
      '--prefix',
      prefix,
    ]);
    try {
      await p.waitFor('evaluated 2 of 2 due SLA clock(s)');
      const d = openSqlite({ path: join(dir, 'follow.db') });
      try {
        await seedSlaClocks(d, prefix, 3, started);
      } finally {
        await d.close();
      }
      await p.waitFor('evaluated 3 of 3 due SLA clock(s)');
    } finally {
      p.child.kill('SIGINT');
    }
    expect(await p.exited).toBe(EXIT.ok);
    expect(lines(p.stdout())).toHaveLength(2);
    expect(p.stderr()).toBe('');
  });

  it('bad usage: a bad --interval, --batch-size or --at exits 2 naming the option and the rule', async () => {
    for (const [args, text] of [
      [['--interval', '0'], '--interval must be a whole number from 1 to 86400000'],
      [['--batch-size', '10001'], '--batch-size must be a whole number from 1 to 10000'],
      [['--at', 'yesterday'], '--at must be an ISO-8601 date-time with an offset or Z'],
    ] as const) {
      const r = await pet(['sla', 'evaluate', ...args, '--url', `sqlite:${join(dir, 'none.db')}`]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toContain(text);
    }
  });

  it('--help says it is safe from cron on several hosts', async () => {
    const r = await pet(['sla', 'evaluate', '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('Usage: pet sla evaluate [options]');
    expect(r.stdout).toContain('--follow');
    expect(r.stdout).toContain('several hosts');
  });
});

describe('pet sla evaluate on MariaDB', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kysely: AnyDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(inject('mysqlUrl'));
    await migrateMysql(db.url, { prefix });
    pool = await connect({ url: db.url, connectionLimit: 4 });
    // Kysely borrows the pool; it is ended below.
    kysely = new Kysely<never>({ dialect: mysqlDialect({ pool }).kysely });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  const run = (...args: string[]) => pet([...args, '--prefix', prefix, '--json'], { MYSQL_URL: db.url });

  it('two hosts from cron at the same moment: every warning, breach and stage fires once in total', async () => {
    await seedSlaClocks({ db: kysely, dialect: mysqlDialect({ pool }) }, prefix, 30, started);
    const reports = (
      await Promise.all([
        run('sla', 'evaluate', '--batch-size', '4'),
        run('sla', 'evaluate', '--batch-size', '6'),
      ])
    ).map((r) => {
      expect(r.code).toBe(EXIT.ok);
      return JSON.parse(r.stdout) as { fired: Record<string, number>; failedCount: number };
    });
    const total = (type: string) => reports.reduce((n, r) => n + (r.fired[type] ?? 0), 0);
    expect([total('sla.warning'), total('sla.breached'), total('sla.escalated')]).toEqual([60, 60, 60]);
    expect(reports.map((r) => r.failedCount)).toEqual([0, 0]);
    const [rows] = (await pool.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT sla_assignment_id, kind, target_kind, stage) AS d FROM \`${prefix}sla_events\``,
    )) as unknown as [Array<{ n: unknown; d: unknown }>];
    expect([Number(rows[0]?.n), Number(rows[0]?.d)]).toEqual([180, 180]);
    const again = JSON.parse((await run('sla', 'evaluate')).stdout);
    expect(again).toMatchObject({ due: 0, evaluated: 0, fired: {} });
  });

  it('a prefix without PET tables: exit 4 saying to migrate first', async () => {
    const r = await pet(['sla', 'evaluate', '--prefix', 'none_'], { MYSQL_URL: db.url });
    expect(r.code).toBe(EXIT.schema);
    expect(r.stderr).toContain('run `pet migrate up` first');
  });
});

describe('pet sla evaluate on PostgreSQL (a schema per tenant)', () => {
  const SERVER = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `pet_sla_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=${schema}`;
  afterAll(async () => {
    const { db, close } = await openPostgres({ url: SERVER });
    try {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
    } finally {
      await close();
    }
  });

  it('two hosts at once fire every warning, breach and stage once in total', async () => {
    expect((await pet(['migrate', 'up', '--url', url, '--prefix', prefix])).code).toBe(EXIT.ok);
    const d = await openPostgres({ url });
    try {
      await seedSlaClocks(d, prefix, 10, started);
    } finally {
      await d.close();
    }
    const run = () =>
      pet(['sla', 'evaluate', '--batch-size', '3', '--url', url, '--prefix', prefix, '--json']);
    const reports = (await Promise.all([run(), run()])).map((r) => {
      expect(r.code).toBe(EXIT.ok);
      return JSON.parse(r.stdout) as { fired: Record<string, number>; failedCount: number };
    });
    const total = (type: string) => reports.reduce((n, r) => n + (r.fired[type] ?? 0), 0);
    expect([total('sla.warning'), total('sla.breached'), total('sla.escalated')]).toEqual([20, 20, 20]);
    expect(JSON.parse((await run()).stdout)).toMatchObject({ due: 0, evaluated: 0 });
  });
});
