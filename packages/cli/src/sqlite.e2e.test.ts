// `pet` on the embedded default: a SQLite file, no server. Each test works in its own temporary folder.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import type { EventDraft, Instant, Uuid } from '@pet-ops/core';
import { migrations } from '@pet-ops/migrations';
import { createEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet } from './pet-process.test.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pet-cli-sqlite-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fileUrl = (name: string): string => `sqlite:${join(dir, name)}`;
const stream = '019b76da-a800-7000-8000-000000000001' as Uuid;
const draft = (n: number): EventDraft => ({
  eventId: `019b76da-a800-7000-8000-${String(100 + n).padStart(12, '0')}` as Uuid,
  type: 'cli_test.noted',
  schemaVersion: 1,
  streamType: 'cli_test',
  occurredAt: '2026-12-06T09:00:00.000000Z' as Instant,
  actor: { type: 'system', id: 'e2e' },
  context: {},
  correlationId: null,
  causationId: null,
  payload: { n },
});

describe('pet on SQLite', () => {
  it('migrate up creates the file and applies every migration; status, plan and verify agree', async () => {
    const url = fileUrl('up.db');
    const up = await pet(['migrate', 'up', '--url', url, '--prefix', 'p_']);
    expect(up.code).toBe(EXIT.ok);
    expect(existsSync(join(dir, 'up.db'))).toBe(true);
    expect(up.stdout).toContain(`done: ${migrations.length} migration(s) applied`);

    const status = await pet(['migrate', 'status', '--url', url, '--prefix', 'p_', '--json']);
    expect(status.code).toBe(EXIT.ok);
    const s = JSON.parse(status.stdout);
    expect(s).toMatchObject({ prefix: 'p_', current: true, unknown: [], problem: null });
    expect(s.migrations.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual(
      migrations.map((m) => [m.id, 'applied']),
    );
    const plan = await pet(['migrate', 'plan', '--url', url, '--prefix', 'p_']);
    expect(plan.stdout).toMatch(
      /^nothing to do: the schema of SQLite file .*up\.db, prefix 'p_' is current$/m,
    );
    const verify = await pet(['migrate', 'verify', '--url', url, '--prefix', 'p_']);
    expect(verify.code).toBe(EXIT.ok);
    expect(verify.stdout).toContain('matches the migrations, and its live schema matches its journal');

    const again = await pet(['migrate', 'up', '--url', url, '--prefix', 'p_']);
    expect(again.stdout).toContain(`nothing to do`);
  });

  it('an unmigrated file: status exits 4 listing every migration as pending; plan prints the SQL', async () => {
    const url = fileUrl('empty.db');
    const status = await pet(['migrate', 'status', '--url', url]);
    expect(status.code).toBe(EXIT.schema);
    expect(status.stdout).toContain(`not current: ${migrations.length} migration(s) to apply`);
    for (const m of migrations)
      expect(status.stdout).toMatch(new RegExp(`^${m.id}\\s+pending\\s+0/${m.operations.length}`, 'm'));
    const plan = await pet(['migrate', 'plan', '--url', url, '--target', migrations[1]?.id ?? '']);
    expect(plan.code).toBe(EXIT.ok);
    expect(plan.stdout).toContain(`-- ${migrations[0]?.id}`);
    expect(plan.stdout).toContain(`-- ${migrations[1]?.id}`);
    expect(plan.stdout).not.toContain(`-- ${migrations[2]?.id}`);
    expect(plan.stdout).toMatch(/CREATE TABLE/);
    const unknown = await pet(['migrate', 'plan', '--url', url, '--target', '2099_01_01_0001_nope']);
    expect(unknown.code).toBe(EXIT.notFound);
  });

  it('a tampered journal: status names the problem (exit 4), verify names the changed checksum (exit 5)', async () => {
    const url = fileUrl('tampered.db');
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    const { db, close } = openSqlite({ path: join(dir, 'tampered.db') });
    await sql`UPDATE schema_migrations SET checksum = ${'0'.repeat(64)} WHERE id = ${migrations[3]?.id}`.execute(
      db,
    );
    await close();
    const status = await pet(['migrate', 'status', '--url', url, '--json']);
    expect(status.code).toBe(EXIT.schema);
    expect(JSON.parse(status.stdout).problem).toMatchObject({
      kind: 'tampered',
      migrationId: migrations[3]?.id,
    });
    const verify = await pet(['migrate', 'verify', '--url', url]);
    expect(verify.code).toBe(EXIT.drift);
    expect(verify.stdout).toContain(
      `journal: ${migrations[3]?.id}: journal checksum ${'0'.repeat(64)} differs`,
    );
    expect(verify.stdout).toContain('1 journal drift(s)');
  });

  it('a column added and an index dropped by hand: verify lists exactly those drifts and exits 5', async () => {
    const url = fileUrl('drift.db');
    expect((await pet(['migrate', 'up', '--url', url, '--prefix', 'd_'])).code).toBe(EXIT.ok);
    const { db, close } = openSqlite({ path: join(dir, 'drift.db') });
    await sql`ALTER TABLE "d_domain_events" ADD COLUMN "nickname" TEXT NULL`.execute(db);
    const [index] = (
      await sql<{
        name: string;
      }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'd_domain_events' AND sql IS NOT NULL ORDER BY name LIMIT 1`.execute(
        db,
      )
    ).rows;
    await sql.raw(`DROP INDEX "${index?.name}"`).execute(db);
    await close();
    const r = await pet(['migrate', 'verify', '--url', url, '--prefix', 'd_', '--json']);
    expect(r.code).toBe(EXIT.drift);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      liveSchemaChecked: true,
      journal: [],
      drifts: [
        { kind: 'extra_column', table: 'd_domain_events', name: 'nickname' },
        { kind: 'missing_index', table: 'd_domain_events', name: index?.name },
      ],
    });
  });

  it('events tail reads the log through the seam', async () => {
    const url = fileUrl('events.db');
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    const opened = openSqlite({ path: join(dir, 'events.db') });
    const store = createEventStore({ db: opened.db, dialect: opened.dialect, prefix: '' });
    // The log starts with the migrations' own events; the five follow them.
    const { positions } = await store.append(stream, 'no_stream', [1, 2, 3, 4, 5].map(draft));
    await opened.close();
    const [fourth, fifth] = positions.slice(3).map(String);
    expect(Number(fifth)).toBeGreaterThan(5);
    const tail = await pet(['events', 'tail', '--url', url, '-n', '2']);
    expect(tail.code).toBe(EXIT.ok);
    expect(tail.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^#${fourth}\\s.*\\scli_test\\.noted v1\\s.*@4\\s+{"n":4}$`)),
      expect.stringMatching(new RegExp(`^#${fifth}\\s.*\\scli_test\\.noted v1\\s.*@5\\s+{"n":5}$`)),
    ]);
    const json = await pet(['events', 'tail', '--url', url, '--from', String(fifth), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ position: fifth, payload: { n: 5 } });
  });

  it('sqlite::memory: is a private in-memory database (nothing migrated)', async () => {
    const r = await pet(['migrate', 'status', '--json', '--url', 'sqlite::memory:']);
    expect(r.code).toBe(EXIT.schema);
    expect(JSON.parse(r.stdout).current).toBe(false);
  });

  it('import companies and the KPI commands run on SQLite too', async () => {
    const url = fileUrl('plan.db');
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    const csv = join(dir, 'companies.csv');
    writeFileSync(csv, 'name,website\nAcme,acme.example\nGlobex,globex.example\n,nameless.example\n');
    const imported = await pet(['import', 'companies', csv, '--url', url, '--json']);
    expect(imported.code).toBe(EXIT.ok);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    const again = await pet(['import', 'companies', csv, '--url', url, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, exists: 2 });
    const missing = await pet(['import', 'companies', join(dir, 'nope.csv'), '--url', url]);
    expect(missing.code).toBe(EXIT.notFound);

    const rebuilt = await pet(['kpi', 'rebuild', '--url', url, '--json']);
    expect(rebuilt.code).toBe(EXIT.ok);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ mode: 'rebuild' });
    const caught = await pet(['kpi', 'catch-up', '--url', url, '--json']);
    expect(JSON.parse(caught.stdout)).toMatchObject({ mode: 'catch-up', eventsRead: 0 });
    const unknown = await pet(['kpi', 'explain', 'nope', '--url', url]);
    expect(unknown.code).toBe(EXIT.notFound);
  });

  it('the organisation zone lives in the database: another --time-zone is refused unless --replace-zone', async () => {
    const url = fileUrl('zone.db');
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    expect((await pet(['kpi', 'rebuild', '--url', url, '--time-zone', 'Europe/Berlin'])).code).toBe(EXIT.ok);
    // Omitted, the stored zone is used: a catch-up, not a silent rebuild in UTC.
    const caught = await pet(['kpi', 'catch-up', '--url', url, '--json']);
    expect(JSON.parse(caught.stdout)).toMatchObject({ mode: 'catch-up' });
    const other = await pet(['kpi', 'rebuild', '--url', url, '--time-zone', 'UTC', '--json']);
    expect(other.code).toBe(EXIT.usage);
    expect(JSON.parse(other.stderr).error).toMatchObject({ code: 'ZONE_MISMATCH' });
    expect(JSON.parse(other.stderr).error.message).toContain('computed in Europe/Berlin, not UTC');
    const results = await pet(['kpi', 'results', '--url', url, '--time-zone', 'UTC']);
    expect(results.code).toBe(EXIT.usage);
    const replaced = await pet(['kpi', 'rebuild', '--url', url, '--time-zone', 'UTC', '--replace-zone']);
    expect(replaced.code).toBe(EXIT.ok);
    expect((await pet(['kpi', 'catch-up', '--url', url, '--time-zone', 'UTC'])).code).toBe(EXIT.ok);
  });

  it('kpi report --html writes one self-contained page of the active results', async () => {
    const url = fileUrl('report.db');
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    const csv = join(dir, 'report.csv');
    writeFileSync(csv, 'name,website\nAcme,acme.example\n');
    await pet(['import', 'companies', csv, '--url', url]);
    expect((await pet(['kpi', 'rebuild', '--url', url])).code).toBe(EXIT.ok);
    const page = join(dir, 'kpis.html');
    const r = await pet(['kpi', 'report', '--url', url, '--html', page, '--json']);
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: page });
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const unwritable = await pet([
      'kpi',
      'report',
      '--url',
      url,
      '--html',
      join(dir, 'no', 'such', 'dir.html'),
    ]);
    expect(unwritable.code).toBe(EXIT.notFound);
  });
});
