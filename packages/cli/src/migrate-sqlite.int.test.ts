// `pet migrate status` on SQLite, run in-process (runCli) on a file of its own: the same per-migration
// detail as on MySQL/MariaDB, from the seam's schemaStatus.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { migrations } from '@pet-ops/migrations';
import { migrate } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './captured-io.test.js';
import { EXIT } from './exit-codes.js';
import { runCli } from './run.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pet-cli-status-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function pet(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = captureIo();
  const code = await runCli(argv, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A file migrated up to (and including) `upTo`, or to head. */
async function migratedFile(name: string, upTo?: string): Promise<string> {
  const path = join(dir, name);
  const { db, dialect, close } = openSqlite({ path });
  await migrate(db, dialect, { prefix: 'p_', ...(upTo === undefined ? {} : { target: upTo }) });
  await close();
  return path;
}

/** The table line of one migration: id, state, statements done/total. */
const lineOf = (stdout: string, id: string): string | undefined =>
  stdout.split('\n').find((l) => l.startsWith(`${id} `));

describe('pet migrate status on SQLite', () => {
  it('given a database migrated part of the way, then every migration has its own line with its state and statements, and it exits 4', async () => {
    const first = migrations[0]?.id ?? '';
    const path = await migratedFile('half.db', first);
    const r = await pet('migrate', 'status', '--url', `sqlite:${path}`, '--prefix', 'p_');
    expect(r.code).toBe(EXIT.schema);
    expect(r.stdout).toMatch(/^migration\s+state\s+statements\s+finished$/m);
    const total = migrations[0]?.operations.length;
    expect(lineOf(r.stdout, first)).toMatch(
      new RegExp(`^${first}\\s+applied\\s+${total}/${total}\\s+\\d{4}-\\d\\d-\\d\\dT`),
    );
    for (const m of migrations.slice(1)) {
      expect(lineOf(r.stdout, m.id), m.id).toMatch(
        new RegExp(`^${m.id}\\s+pending\\s+0/${m.operations.length}\\s*$`),
      );
    }
    expect(r.stdout).toContain(`not current: ${migrations.length - 1} migration(s) to apply`);
  });

  it('given a database at head, then --json is the seam status with one entry per migration, and it exits 0', async () => {
    const path = await migratedFile('head.db');
    const r = await pet('migrate', 'status', '--url', `sqlite:${path}`, '--prefix', 'p_', '--json');
    expect(r.code).toBe(EXIT.ok);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ prefix: 'p_', current: true, unknown: [], problem: null });
    expect(s.migrations.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual(
      migrations.map((m) => [m.id, 'applied']),
    );
  });

  it('given a changed checksum and a row the list does not know, then status names the problem and the unknown row, and exits 4', async () => {
    const path = await migratedFile('odd.db');
    const { db, close } = openSqlite({ path });
    await sql`UPDATE p_schema_migrations SET checksum = ${'0'.repeat(64)} WHERE id = ${migrations[2]?.id}`.execute(
      db,
    );
    await sql`INSERT INTO p_schema_migrations (id, name, status, checksum, applied_steps, total_steps, step_checksums, attempts, started_at, updated_at, finished_at)
      SELECT '2999_01_01_0001_newer', 'newer', 'applied', checksum, 1, 1, '[]', 1, started_at, updated_at, finished_at FROM p_schema_migrations WHERE id = ${migrations[0]?.id}`.execute(
      db,
    );
    await close();
    const r = await pet('migrate', 'status', '--url', `sqlite:${path}`, '--prefix', 'p_');
    expect(r.code).toBe(EXIT.schema);
    expect(lineOf(r.stdout, '2999_01_01_0001_newer')).toMatch(/applied \(unknown to this version\)\s+1\/1/);
    expect(r.stdout).toMatch(/^problem: /m);
  });
});
