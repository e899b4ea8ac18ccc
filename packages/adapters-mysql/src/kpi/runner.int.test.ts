import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type EventDraft, isPetError, type StoredEvent } from '@pet-ops/core';
import { catalogueV1, createKpiEngine, type KpiResult } from '@pet-ops/kpi';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { installSchema } from '../testing/schema.js';
import type { TestDatabase } from '../testing/test-database.js';
import { commercialDrafts, fixtureId } from './fixtures.test.js';
import { createKpiRunner, type KpiRunnerOptions } from './runner.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;
useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

const definitions = catalogueV1({ currency: 'EUR', scopes: ['org', 'employee'] });
const options = (): KpiRunnerOptions => ({ pool, definitions, orgTimeZone: 'Europe/Berlin' });
let streams = 0;

async function append(drafts: readonly EventDraft[]): Promise<void> {
  const store = createMysqlEventStore({ pool, prefix: '' });
  for (let i = 0; i < drafts.length; i += 100) {
    await store.append(fixtureId(0xa00, streams++), 'no_stream', drafts.slice(i, i + 100));
  }
}

/** The pure engine over everything stored: what the tables must equal. */
async function expected(): Promise<KpiResult[]> {
  const engine = createKpiEngine({ definitions, orgTimeZone: 'Europe/Berlin', orgVersions: [] });
  const events: StoredEvent[] = [];
  for await (const e of createMysqlEventStore({ pool, prefix: '' }).readAll({ after: 0n })) events.push(e);
  const state = await engine.run(engine.initialState(), events);
  return engine.results(state).sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function setStates(): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT state FROM kpi_result_sets ORDER BY created_at, id',
  );
  return rows.map((r) => r['state'] as string);
}

beforeAll(async () => {
  await installSchema(db.url);
  await append(commercialDrafts(60));
});

describe('KPI runner on MariaDB', () => {
  it('given stored events, when rebuilt, then the active results equal the pure fold', async () => {
    const summary = await createKpiRunner(options()).rebuild();
    expect(summary.mode).toBe('rebuild');
    expect(summary.resultsWritten).toBeGreaterThan(10);
    expect(await createKpiRunner(options()).results()).toEqual(await expected());
    expect(await setStates()).toEqual(['active']);
  });

  it('given new events, when caught up, then only changed results are written and all equal a rebuild', async () => {
    await append(commercialDrafts(20, 60));
    const runner = createKpiRunner({ ...options(), batchSize: 37 });
    const summary = await runner.catchUp();
    expect(summary.mode).toBe('catch-up');
    expect(summary.eventsRead).toBeGreaterThan(37);
    const all = await expected();
    expect(summary.resultsWritten).toBeLessThan(all.length);
    expect(await runner.results()).toEqual(all);
    expect((await runner.catchUp()).eventsRead).toBe(0);
  });

  it('a rebuild builds a fresh set and retires the old one (kept, never deleted)', async () => {
    const runner = createKpiRunner(options());
    await runner.rebuild();
    expect(await setStates()).toEqual(['retired', 'active']);
    expect(await runner.results()).toEqual(await expected());
  });

  it('filters results and explains one with its contributing events', async () => {
    const runner = createKpiRunner(options());
    const rows = await runner.results({
      definitionKey: 'sales.win-rate',
      periodFrom: '2026-03-01',
      periodTo: '2026-06-01',
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.definitionKey === 'sales.win-rate' && r.periodStart >= '2026-03-01')).toBe(
      true,
    );
    const target = rows[0] as KpiResult;
    const x = await runner.explain(target.id);
    let n = 0;
    for await (const e of x.contributing) {
      expect(e.position <= target.watermark).toBe(true);
      n++;
    }
    expect(n).toBe(target.contributingEventCount);
    expect(x.why).toContain(target.classificationReason);
    await expect(runner.explain('sales.win-rate@1/org:org/1999-01-01')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a stored definition version is immutable: other content under the same key@version is refused, the table is guarded', async () => {
    const changed = definitions.map((d) => (d.key === 'sales.win-rate' ? { ...d, target: 9000 } : d));
    const error = await createKpiRunner({ ...options(), definitions: changed })
      .rebuild()
      .catch((e: unknown) => e);
    expect(isPetError(error, 'IMMUTABLE_ROW')).toBe(true);
    await expect(
      conn.query("UPDATE kpi_def_versions SET version_number = 9 WHERE definition_key = 'sales.win-rate'"),
    ).rejects.toThrow();
    await expect(conn.query('DELETE FROM kpi_def_versions')).rejects.toThrow();
    // A new version is accepted, and the old version's results stay as they were.
    const v2 = [
      ...definitions,
      {
        ...(definitions.find((d) => d.key === 'sales.win-rate') as (typeof definitions)[number]),
        version: 2,
        target: 9000,
      },
    ];
    const before = (await createKpiRunner(options()).results({ definitionKey: 'sales.win-rate' })).filter(
      (r) => r.definitionVersion === 1,
    );
    await createKpiRunner({ ...options(), definitions: v2 }).catchUp();
    const after = await createKpiRunner({ ...options(), definitions: v2 }).results({
      definitionKey: 'sales.win-rate',
    });
    expect(after.filter((r) => r.definitionVersion === 1)).toEqual(before);
    expect(after.some((r) => r.definitionVersion === 2)).toBe(true);
    await createKpiRunner(options()).rebuild();
  });
});

describe('crash during catch-up', () => {
  it('given a catch-up SIGKILLed after its second commit, when a catch-up resumes, then it ends equal to a full rebuild', async () => {
    await append(commercialDrafts(40, 200));
    const script = fileURLToPath(new URL('./kpi-child.test.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@pet-ops/source', script], {
      env: { ...process.env, KPI_URL: db.url, KPI_BATCH: '40', PAUSE_AFTER: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const paused = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('paused '));
        if (line !== undefined) resolve(line);
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('close', () => reject(new Error(`child exited without pausing:\n${out}`)));
    });
    const line = await paused;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const [[cp]] = await conn.query<RowDataPacket[]>(
      "SELECT c.watermark FROM kpi_checkpoints c JOIN kpi_result_sets s ON s.id = c.result_set_id WHERE s.state = 'active'",
    );
    expect(String(cp?.['watermark'])).toBe(line.slice('paused '.length));

    const runner = createKpiRunner(options());
    const resumed = await runner.catchUp();
    expect(resumed.mode).toBe('catch-up');
    expect(resumed.eventsRead).toBeGreaterThan(0);
    expect(await runner.results()).toEqual(await expected());
  });
});
