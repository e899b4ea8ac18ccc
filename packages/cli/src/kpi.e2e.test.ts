import { connect, createMysqlEventStore, migrate } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import type { EventDraft } from '@pet-ops/core';
import { catalogueV1, createKpiEngine, type KpiResult } from '@pet-ops/kpi';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commercialDrafts, fixtureId } from '../../adapters-mysql/src/kpi/fixtures.test.js';
import { EXIT } from './exit-codes.js';
import { pet } from './pet-process.test.js';
import type { Pool } from './target.js';

let db: TestDatabase;
let pool: Pool;
const prefix = 'k_';
let streams = 0;

async function append(drafts: readonly EventDraft[]): Promise<void> {
  const store = createMysqlEventStore({ pool, prefix });
  for (let i = 0; i < drafts.length; i += 100) {
    await store.append(fixtureId(0xa00, streams++), 'no_stream', drafts.slice(i, i + 100));
  }
}

/** What the pure engine computes over everything stored (the CLI's defaults: EUR, UTC). */
async function expected(): Promise<KpiResult[]> {
  const engine = createKpiEngine({
    definitions: catalogueV1({ currency: 'EUR' }),
    orgTimeZone: 'UTC',
    orgVersions: [],
  });
  const events = [];
  for await (const e of createMysqlEventStore({ pool, prefix }).readAll({ after: 0n })) events.push(e);
  const state = await engine.run(engine.initialState(), events);
  return engine.results(state).sort((a, b) => (a.id < b.id ? -1 : 1));
}

beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
  pool = await connect({ url: db.url });
  await migrate(pool, { prefix });
  await append(commercialDrafts(30));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const run = (...args: string[]) => pet([...args, '--prefix', prefix], { MYSQL_URL: db.url });
type JsonResult = Omit<KpiResult, 'watermark'> & { watermark: string };
const results = async (): Promise<JsonResult[]> => JSON.parse((await run('kpi', 'results', '--json')).stdout);
const comparable = (r: KpiResult | JsonResult) => ({ ...r, watermark: String(r.watermark) });

describe('pet kpi', () => {
  it('results before any rebuild says what to do', async () => {
    const r = await run('kpi', 'results');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('no KPI results (run `pet kpi rebuild` first');
  });

  it('rebuild computes exactly what the pure engine computes over the log', async () => {
    const r = await run('kpi', 'rebuild');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(
      /^rebuilt: \d+ event\(s\) read, \d+ result\(s\) written, watermark #\d+ \(result set .+\)\n$/,
    );
    const stored = await results();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map(comparable)).toEqual((await expected()).map(comparable));
  });

  it('catch-up folds in new events and ends equal to a rebuild', async () => {
    await append(commercialDrafts(10, 30));
    const r = await run('kpi', 'catch-up', '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'catch-up' });
    expect((await results()).map(comparable)).toEqual((await expected()).map(comparable));
  });

  it('results --key filters by KPI and lists id, value and classification', async () => {
    const r = await run('kpi', 'results', '--key', 'sales.win-rate');
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^result id\s+value\s+unit\s+target\s+classification$/);
    expect(lines.slice(1).every((l) => l.startsWith('sales.win-rate@'))).toBe(true);
  });

  it('explain shows the formula with its numbers, the reason and every contributing event', async () => {
    const target = (await results()).find(
      (x) => x.definitionKey === 'sales.win-rate' && x.contributingEventCount > 0,
    )!;
    const r = await run('kpi', 'explain', target.id);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(target.id);
    expect(r.stdout).toContain(`value ${target.value} basis_points`);
    expect(r.stdout).toMatch(/why: .*\d+ ÷ \d+ = \d+ bp; .*threshold/);
    expect(r.stdout.match(/^ {4}#\d+ {2}\S+ {2}(numerator|denominator|event)$/gm)).toHaveLength(
      target.contributingEventCount,
    );
    const json = JSON.parse((await run('kpi', 'explain', target.id, '--json')).stdout);
    expect(json.result.id).toBe(target.id);
    expect(json.contributing).toHaveLength(target.contributingEventCount);
  });

  it('an unknown result id: exit 6, one line with the fix', async () => {
    const r = await run('kpi', 'explain', 'sales.win-rate@1/org:nope/2020-01-01');
    expect(r.code).toBe(EXIT.notFound);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no KPI result sales.win-rate@1/org:nope/2020-01-01');
    expect(r.stderr).toContain('list the result ids with `pet kpi results`');
  });

  it('bad options: exit 2 naming the option', async () => {
    const cur = await run('kpi', 'rebuild', '--currency', 'euro');
    expect(cur.code).toBe(EXIT.usage);
    expect(cur.stderr).toContain('--currency must be an ISO 4217 code');
    const tz = await run('kpi', 'rebuild', '--time-zone', 'Mars/Olympus');
    expect(tz.code).toBe(EXIT.usage);
    expect(tz.stderr).toContain('--time-zone must be an IANA time zone');
    const missing = await run('kpi', 'explain');
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain("missing required argument 'result-id'");
  });

  it('a database without the PET tables: exit 4 saying to migrate first', async () => {
    const r = await pet(['kpi', 'rebuild', '--prefix', 'none_'], { MYSQL_URL: db.url });
    expect(r.code).toBe(EXIT.schema);
    expect(r.stderr).toContain('run `pet migrate up` first');
  });

  it.each(['kpi', 'kpi rebuild', 'kpi catch-up', 'kpi results', 'kpi explain'])(
    'pet %s --help exits 0',
    async (command) => {
      const r = await pet([...command.split(' '), '--help']);
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`Usage: pet ${command}`);
    },
  );
});
