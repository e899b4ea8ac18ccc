// `pet` on PostgreSQL: a tenant is a schema of its own in the server's `postgres` database (POSTGRES_URL,
// as scripts/db.sh starts it), created by `pet migrate up` and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { migrations } from '@pet-ops/migrations';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet } from './pet-process.test.js';

const SERVER = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `pet_cli_${randomBytes(4).toString('hex')}`;
const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=${schema}`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pet-cli-pg-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const { db, close } = await openPostgres({ url: SERVER });
  try {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  } finally {
    await close();
  }
});

describe('pet on PostgreSQL (a schema per tenant)', () => {
  it('a command before the schema exists says so: exit 3 naming the fix', async () => {
    const r = await pet(['migrate', 'status', '--url', url]);
    expect(r.code).toBe(EXIT.connection);
    expect(r.stderr).toMatch(/schema pet_cli_\w+ does not exist/);
  });

  it('migrate up creates the schema and applies every migration in one transaction each; status and verify agree', async () => {
    const up = await pet(['migrate', 'up', '--url', url, '--prefix', 'p_']);
    expect(up.code).toBe(EXIT.ok);
    expect(up.stdout).toContain(`done: ${migrations.length} migration(s) applied`);
    const status = await pet(['migrate', 'status', '--url', url, '--prefix', 'p_', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ current: true, unknown: [], problem: null });
    const human = await pet(['migrate', 'status', '--url', url, '--prefix', 'p_']);
    for (const m of migrations)
      expect(human.stdout).toMatch(new RegExp(`^${m.id}\\s+applied\\s+\\d+/\\d+\\s+\\d{4}-`, 'm'));
    const verify = await pet(['migrate', 'verify', '--url', url, '--prefix', 'p_', '--json']);
    expect(verify.code).toBe(EXIT.ok);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, drifts: [], journal: [] });
  });

  it('import, KPIs and the event log run on it', async () => {
    const csv = join(dir, 'companies.csv');
    writeFileSync(csv, 'name,website\nAcme,acme.example\nGlobex,globex.example\n');
    const imported = await pet(['import', 'companies', csv, '--url', url, '--prefix', 'p_', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: 2 });
    const tail = await pet(['events', 'tail', '--url', url, '--prefix', 'p_', '--json']);
    expect(tail.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
    const rebuilt = await pet(['kpi', 'rebuild', '--url', url, '--prefix', 'p_', '--json']);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ mode: 'rebuild' });
  });

  it('db grants prints the roles of the schema; a malformed URL is exit 2', async () => {
    const grants = await pet(['db', 'grants', '--url', url, '--json']);
    expect(JSON.parse(grants.stdout)).toMatchObject({ schema });
    const bad = await pet(['migrate', 'status', '--url', 'postgres://h']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('postgres://user:password@host:5432/database');
  });
});
