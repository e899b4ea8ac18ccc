// `pet kpi` on MariaDB over a commercial stream (catalogue v1) and a stream of support, delivery, time
// and knowledge work by one team (catalogue v2), each checked against the pure engine over the same log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createMysqlEventStore, migrate, mysqlDialect } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import { createCommandHandler, type EventDraft, Identity, type Instant, type Uuid } from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { catalogueV1, createKpiEngine, type KpiResult } from '@pet-ops/kpi';
import {
  type AnyDatabase,
  createEventStore,
  createKpiRunner,
  createUnitOfWork,
  identityBindings,
  type PetDialect,
  STATE_TABLES,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commercialDrafts, executeDrafts, fixtureId } from '../../sql/src/contract/kpi-fixtures.test.js';
import { kpiDefinitions } from './commands/kpi.js';
import { EXIT } from './exit-codes.js';
import { pet } from './pet-process.test.js';
import type { Pool } from './target.js';

let db: TestDatabase;
let pool: Pool;
let kysely: AnyDatabase;
let dialect: PetDialect;
let dir: string;
const prefix = 'k_';
let streams = 0;
/** The team whose members do the Execute-context work (team-scope KPIs: the People dashboard). */
const members = [fixtureId(0xd00, 1), fixtureId(0xd00, 2), fixtureId(0xd00, 3)];
const teamId = fixtureId(0xd01, 1);
let orgVersion: Identity.OrgVersionSnapshot;

async function append(drafts: readonly EventDraft[]): Promise<void> {
  const store = createMysqlEventStore({ pool, prefix });
  for (let i = 0; i < drafts.length; i += 100) {
    await store.append(fixtureId(0xa00, streams++), 'no_stream', drafts.slice(i, i + 100));
  }
}

/** Publishes org version 1 (the members in one team from December 2025) through the identity commands. */
async function publishTeam(): Promise<Identity.OrgVersionSnapshot> {
  const at = '2025-12-01T00:00:00.000000Z' as Instant;
  const versionId = fixtureId(0xd02, 1) as string as Identity.OrgStructureVersionId;
  const events = createEventStore({ db: kysely, dialect, prefix });
  const publish = createCommandHandler(
    {
      unitOfWork: createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES }),
      registry: Identity.identityEventRegistry,
      clock: fixedClock(at, 1),
      ids: { next: () => fixtureId(0xd03, ids.length + published++) },
    },
    identityBindings.orgStructureVersion,
  );
  const ids = members as string[] as Identity.EmployeeId[];
  let published = 0;
  const r = await publish({
    streamId: versionId as string as Uuid,
    command: {
      type: 'publish',
      versionId,
      effectiveFrom: at,
      publishedAt: at,
      structure: {
        teams: [
          {
            teamId: teamId as string as Identity.TeamId,
            name: 'Operations',
            parentTeamId: null,
            managerId: ids[0]!,
            escalationManagerId: null,
          },
        ],
        memberships: ids.map((employeeId) => ({
          teamId: teamId as string as Identity.TeamId,
          employeeId,
          role: 'member' as const,
        })),
        orgRoles: [],
        defaultEscalationManagerId: null,
      },
    },
    metadata: { actor: { type: 'system', id: 'kpi-e2e' } },
    loadFacts: identityBindings.orgStructureVersionFacts({ previousVersionId: null }),
  });
  if (!r.ok || r.value.state.status !== 'published') throw new Error('the org version was not published');
  const { versionNumber, effectiveFrom, structure } = r.value.state;
  return { versionNumber, effectiveFrom, structure };
}

/** What the pure engine computes over everything stored (the CLI's definitions and defaults: EUR, UTC). */
async function expected(): Promise<KpiResult[]> {
  const engine = createKpiEngine({
    definitions: kpiDefinitions('EUR'),
    orgTimeZone: 'UTC',
    orgVersions: [orgVersion],
  });
  const events = [];
  for await (const e of createMysqlEventStore({ pool, prefix }).readAll({ after: 0n })) events.push(e);
  const state = await engine.run(engine.initialState(), events);
  return engine.results(state).sort((a, b) => (a.id < b.id ? -1 : 1));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pet-cli-kpi-'));
  db = await createTestDatabase(inject('mysqlUrl'));
  pool = await connect({ url: db.url });
  dialect = mysqlDialect({ pool, database: db.name });
  kysely = new Kysely({ dialect: dialect.kysely });
  await migrate(pool, { prefix });
  orgVersion = await publishTeam();
  await append(commercialDrafts(30));
  await append(executeDrafts(members, 12));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
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

  it('given results an older pet computed with catalogue v1 alone, when read, then a note says to catch up; when caught up, then every event is folded again with v1 + v2 and the stored v1 definitions stay as they were', async () => {
    // An older pet: the same runner with catalogue v1 only (its definitions, fingerprint and result set).
    const older = createKpiRunner({
      db: kysely,
      dialect,
      prefix,
      definitions: catalogueV1({ currency: 'EUR' }),
      orgTimeZone: 'UTC',
    });
    const old = await older.rebuild();
    const definitionRows = async () =>
      (await kysely
        .selectFrom(`${prefix}kpi_definition_versions`)
        .select(['id', 'definition_key', 'version_number', 'definition'])
        .orderBy('definition_key')
        .execute()) as Record<string, unknown>[];
    const v1Rows = await definitionRows();
    expect(v1Rows.map((r) => r['definition_key'])).toEqual(
      catalogueV1({ currency: 'EUR' })
        .map((d) => d.key)
        .sort(),
    );

    const listed = await run('kpi', 'results');
    expect(listed.code).toBe(EXIT.ok);
    expect(listed.stdout.split('\n')[0]).toBe(
      'note: these results were computed with other KPI definitions or org structure versions than this pet uses (catalogues v1 + v2); `pet kpi catch-up` recomputes them',
    );
    expect(new Set((await results()).map((r) => r.definitionKey.split('.')[0]))).toEqual(new Set(['sales']));
    const page = join(dir, 'older.html');
    const report = await run('kpi', 'report', '--html', page, '--json');
    expect(JSON.parse(report.stdout)).toMatchObject({ file: page, current: false });
    expect(readFileSync(page, 'utf8')).toContain('`pet kpi catch-up` recomputes them');

    const caught = await run('kpi', 'catch-up');
    expect(caught.code).toBe(EXIT.ok);
    expect(caught.stdout).toMatch(
      /^rebuilt: \d+ event\(s\) read, .* — the active results were computed with other KPI definitions or org structure versions, so every event was folded again\n$/,
    );
    expect((await results()).map(comparable)).toEqual((await expected()).map(comparable));
    // The v1 rows are untouched (same ids, same content); v2's are added beside them.
    const after = await definitionRows();
    const v1Keys = new Set(v1Rows.map((r) => r['definition_key']));
    expect(after.filter((r) => v1Keys.has(r['definition_key']))).toEqual(v1Rows);
    expect(after).toHaveLength(new Set(kpiDefinitions('EUR').map((d) => d.key)).size);
    const sets = await kysely
      .selectFrom(`${prefix}kpi_result_sets`)
      .select(['state'])
      .orderBy('state')
      .execute();
    expect(sets.map((r) => r['state'])).toEqual(['active', 'retired']);
    // The next catch-up folds into the new set: nothing left to read, nothing rebuilt.
    const again = JSON.parse((await run('kpi', 'catch-up', '--json')).stdout);
    expect(again).toMatchObject({ mode: 'catch-up', eventsRead: 0 });
    expect(again.resultSetId).not.toBe(old.resultSetId);
    expect((await run('kpi', 'results')).stdout).not.toContain('note:');
  });

  it('rebuild computes exactly what the pure engine computes over the log', async () => {
    const r = await run('kpi', 'rebuild');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(
      /^rebuilt: \d+ event\(s\) read, \d+ result\(s\) written, watermark #\d+ \(result set [0-9a-f-]{36}\) in \d+\.\d s \(reading and folding \d+\.\d s, writing \d+\.\d s\)\n$/,
    );
    const stored = await results();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map(comparable)).toEqual((await expected()).map(comparable));
  });

  it('catch-up folds in new events and ends equal to a rebuild', async () => {
    await append([...commercialDrafts(10, 30), ...executeDrafts(members, 2, 12)]);
    const r = await run('kpi', 'catch-up', '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'catch-up' });
    expect((await results()).map(comparable)).toEqual((await expected()).map(comparable));
  });

  it('given support, delivery, time and knowledge events, when reported, then the page has the five dashboards of spec §4 with their catalogue v2 KPIs', async () => {
    const page = join(dir, 'kpis.html');
    const r = await run('kpi', 'report', '--html', page, '--json');
    expect(r.code).toBe(EXIT.ok);
    const stored = await results();
    expect(JSON.parse(r.stdout)).toMatchObject({ file: page, results: stored.length, current: true });
    const html = readFileSync(page, 'utf8');
    const titles = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Executive', 'Sales', 'Delivery', 'Support', 'People', 'Knowledge']);
    // A card per KPI with results: catalogue v2's SLA compliance (org), team load (team only) among them.
    const cards = [...html.matchAll(/<p class="scope">([^<]+)<\/p>/g)].map((m) => m[1]);
    expect(cards).toEqual(
      expect.arrayContaining([
        'org:org · support.sla-compliance@1 · month',
        `team:${teamId} · people.team-load-spread.by-team@1 · month`,
        'org:org · delivery.efficiency@1 · month',
        'org:org · sales.win-rate@1 · month',
      ]),
    );
    const sla = stored.filter((x) => x.definitionKey === 'support.sla-compliance');
    expect(sla.length).toBeGreaterThan(0);
    for (const x of sla) expect(html).toContain(`id="r-${x.id.replace(/[^A-Za-z0-9_-]/g, '_')}"`);
    expect(html).not.toContain('note:');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('explains an SLA compliance result down to its events, whose shares sum to its numerator and denominator', async () => {
    const target = (await results()).find((x) => x.definitionKey === 'support.sla-compliance')!;
    const json = JSON.parse((await run('kpi', 'explain', target.id, '--json')).stdout) as {
      contributing: { numerator?: number; denominator?: number }[];
    };
    expect(json.contributing).toHaveLength(target.contributingEventCount);
    const sum = (k: 'numerator' | 'denominator') => json.contributing.reduce((n, c) => n + (c[k] ?? 0), 0);
    expect([sum('numerator'), sum('denominator')]).toEqual([target.numerator, target.denominator]);
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

  it('kpi catch-up --help says results of other definitions are rebuilt', async () => {
    const r = await pet(['kpi', 'catch-up', '--help']);
    expect(r.stdout).toContain('Results computed with other KPI definitions');
  });

  it.each(['kpi', 'kpi rebuild', 'kpi catch-up', 'kpi results', 'kpi report', 'kpi explain'])(
    'pet %s --help exits 0',
    async (command) => {
      const r = await pet([...command.split(' '), '--help']);
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`Usage: pet ${command}`);
    },
  );
});
