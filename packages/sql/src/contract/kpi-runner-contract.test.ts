/**
 * The KPI runner's contract, written once and run against every database (not a test file itself: each
 * adapter's `kpi*.int.test.ts` calls {@link describeKpiRunnerContract}). The oracle is the pure engine of
 * `@pet-ops/kpi` over the same events; the events are deterministic drafts, so with each watermark named
 * by its event the results are the same on every database.
 */
import { fc } from '@fast-check/vitest';
import type { EventDraft, Instant, StoredEvent, Uuid } from '@pet-ops/core';
import {
  type Contribution,
  catalogueV1,
  createKpiEngine,
  type KpiDefinitionVersion,
  type KpiEvent,
  type KpiResult,
  type MeasureKind,
  parseResultId,
} from '@pet-ops/kpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { deflateLink, inflateLink } from '../kpi/parts.js';
import { readKpiEvents } from '../kpi/read-events.js';
import {
  createKpiRunner,
  type KpiAccelerator,
  type KpiRunner,
  type KpiRunnerOptions,
  type KpiRunSummary,
} from '../kpi/runner.js';
import { lockName } from '../lock-name.js';
import { caught } from './event-store-contract.test.js';
import { commercialDrafts, fixtureId } from './kpi-fixtures.test.js';

/** One client of the database under test. */
export interface KpiClient {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
}

/** One database under test: fresh, migrated with `prefix`, reached by two independent clients. */
export interface KpiRunnerTarget extends KpiClient {
  readonly prefix: string;
  /** A second client on its own connection(s) to the same database: a concurrent runner. */
  readonly second: KpiClient;
  /** The adapter's fast paths, when the suite runs them (the portable path otherwise). */
  readonly accelerator?: (client: KpiClient) => KpiAccelerator;
  readonly close: () => Promise<void>;
}

const ZONE = 'Europe/Berlin';
/** A chain longer than this is compacted (the runner's limit is 32 deltas). */
const MAX_DELTAS_SEEN = 32;
const definitions = catalogueV1({ currency: 'EUR', scopes: ['org', 'employee'] });
const byId = (a: KpiResult, b: KpiResult): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The drafts as a database stores them when appended in order to a fresh log: positions 1…N. */
/** A run's timings: whole milliseconds, its fold and write phases within the call's duration. */
function expectTimings(summary: KpiRunSummary): void {
  const { durationMs, foldMs, writeMs } = summary;
  for (const ms of [durationMs, foldMs, writeMs]) {
    expect(Number.isSafeInteger(ms)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(0);
  }
  // Each is rounded on its own: the phases' sum may pass the duration by a rounding.
  expect(foldMs + writeMs).toBeLessThanOrEqual(durationMs + 1);
}

function asStored(drafts: readonly EventDraft[]): StoredEvent[] {
  return drafts.map((d, i) => ({
    ...d,
    streamId: d.eventId as Uuid,
    streamVersion: 1,
    position: BigInt(i + 1),
    recordedAt: d.occurredAt,
  }));
}

/** The pure engine's results over `events`, ordered by id: what the tables must equal. */
async function oracle(events: Iterable<KpiEvent> | AsyncIterable<KpiEvent>): Promise<KpiResult[]> {
  const engine = createKpiEngine({ definitions, orgTimeZone: ZONE, orgVersions: [] });
  const state = await engine.run(engine.initialState(), events);
  return engine.results(state).sort(byId);
}

/**
 * Declares the KPI runner's contract tests for one database.
 *
 * @example
 * ```ts
 * describeKpiRunnerContract('sqlite', async () => sqliteTarget());
 * ```
 */
export function describeKpiRunnerContract(name: string, open: () => Promise<KpiRunnerTarget>): void {
  describe(`KPI runner contract (${name})`, () => {
    let t: KpiRunnerTarget;
    let store: SqlEventStore;
    let streams = 0;
    const drafts = commercialDrafts(50);
    let appended: EventDraft[] = [];

    const runnerOf = (client: KpiClient, extra: Partial<KpiRunnerOptions> = {}): KpiRunner =>
      createKpiRunner({
        db: client.db,
        dialect: client.dialect,
        prefix: t.prefix,
        definitions,
        orgTimeZone: ZONE,
        ...(t.accelerator === undefined ? {} : { accelerator: t.accelerator(client) }),
        ...extra,
      });
    const runner = (extra: Partial<KpiRunnerOptions> = {}): KpiRunner => runnerOf(t, extra);

    async function append(more: readonly EventDraft[]): Promise<void> {
      for (let i = 0; i < more.length; i += 40) {
        await store.append(fixtureId(0xa00, streams++), 'no_stream', more.slice(i, i + 40));
      }
      appended = [...appended, ...more];
    }

    /** The pure fold over everything stored, read back through the event store. */
    const expected = (): Promise<KpiResult[]> => oracle(store.readAll({ after: 0n }));

    beforeAll(async () => {
      t = await open();
      store = createEventStore({ db: t.db, dialect: t.dialect, prefix: t.prefix });
      await append(drafts);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('given events appended to a fresh database, when rebuilt, then the results equal the pure fold of the drafts alone (the same on every database, whatever the log held before)', async () => {
      const stored: StoredEvent[] = [];
      for await (const e of store.readAll({ after: 0n })) stored.push(e);
      // The drafts come last, in order (an adapter's migrations may have recorded events before them).
      const mine = stored.slice(stored.length - appended.length);
      expect(mine.map((e) => e.eventId)).toEqual(appended.map((d) => d.eventId));
      const summary = await runner().rebuild();
      expect(summary).toMatchObject({ mode: 'rebuild', restored: 'none', eventsRead: stored.length });
      expect(summary.watermark).toBe(stored[stored.length - 1]?.position);
      expectTimings(summary);
      const results = await runner().results();
      expect(results.length).toBeGreaterThan(10);
      expect(summary.resultsWritten).toBe(results.length);
      expect(results).toEqual(await expected());
      // Watermarks named by their event: equal to the fold of the drafts alone at positions 1…N.
      const idAt = new Map(stored.map((e) => [e.position, e.eventId as string]));
      const byEvent = (rs: readonly KpiResult[], at: (p: bigint) => string | undefined) =>
        rs.map((r) => ({ ...r, watermark: at(r.watermark) }));
      expect(byEvent(results, (p) => idAt.get(p))).toEqual(
        byEvent(await oracle(asStored(appended)), (p) => appended[Number(p) - 1]?.eventId),
      );
      expect(await runner().status()).toMatchObject({
        resultSetId: summary.resultSetId,
        watermark: summary.watermark,
        headPosition: summary.watermark,
        current: true,
        upToDate: true,
      });
    });

    it('given the adapter’s fast paths, when rebuilt, then the stored rows are exactly those of the portable path, column for column as the driver reads them back', async () => {
      // Without an accelerator the suite runs the portable path only: nothing to compare.
      if (t.accelerator === undefined) return;
      const clock = { now: () => '2026-03-04T05:06:07.123456Z' as Instant };
      const stored = async (setId: string): Promise<Record<string, unknown>[]> => {
        const rows: Record<string, unknown>[] = await t.db
          .selectFrom(`${t.prefix}kpi_results`)
          .selectAll()
          .where('result_set_id', '=', t.dialect.codecs.encodeId(setId))
          .orderBy('result_id')
          .execute();
        return rows.map(({ result_set_id: _set, ...row }) => row);
      };
      const fast = await runner({ clock }).rebuild();
      const fastRows = await stored(fast.resultSetId);
      // `accelerator: {}`: the same runner without any fast path.
      const plain = await runner({ clock, accelerator: {} }).rebuild();
      const plainRows = await stored(plain.resultSetId);
      expect(plain.resultSetId).not.toBe(fast.resultSetId);
      expect(fastRows.length).toBe(fast.resultsWritten);
      expect(fastRows.length).toBeGreaterThan(10);
      expect(fastRows).toEqual(plainRows);
      await runner().rebuild();
    });

    it('given new events, when caught up in batches, then only changed results are written, the rest stays, and all equal the pure fold', async () => {
      await append(commercialDrafts(15, 50));
      const r = runner({ batchSize: 17 });
      expect((await r.status()).upToDate).toBe(false);
      const summary = await r.catchUp();
      expect(summary.mode).toBe('catch-up');
      expect(summary.eventsRead).toBeGreaterThan(17);
      const all = await expected();
      expect(summary.resultsWritten).toBeLessThan(all.length);
      expect(await r.results()).toEqual(all);
      expect((await r.catchUp()).eventsRead).toBe(0);
      expect((await r.status()).upToDate).toBe(true);
    });

    it('filters results by definition, scope and period; refuses a malformed filter naming the field', async () => {
      const r = runner();
      const all = await r.results();
      const some = await r.results({
        definitionKey: 'sales.win-rate',
        scopeType: 'org',
        periodFrom: '2026-03-01',
        periodTo: '2026-06-01',
      });
      expect(some).toEqual(
        all.filter(
          (x) =>
            x.definitionKey === 'sales.win-rate' &&
            x.scopeType === 'org' &&
            x.periodStart >= '2026-03-01' &&
            x.periodStart <= '2026-06-01',
        ),
      );
      expect(some.length).toBeGreaterThan(0);
      const bad = await caught(r.results({ periodFrom: 'March' }));
      expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(bad.details)).toContain('periodFrom');
    });

    it('property: a rebuild up to any split of the stream, then catch-ups in any batch sizes, give exactly the results of a full rebuild', async () => {
      const full = await expected();
      const positions: bigint[] = [];
      for await (const e of store.readAll({ after: 0n })) positions.push(e.position);
      /** A view of the log that ends at `cap`: what the runner saw when only those events existed. */
      const capped = (cap: bigint): KpiAccelerator => ({
        foldEvents: async (after, limit, apply) => {
          let n = 0;
          for await (const e of readKpiEvents(t.db, t.dialect, t.prefix, { after, limit })) {
            if (e.position > cap) break;
            apply(e);
            n++;
          }
          return n;
        },
      });
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 0, max: positions.length }), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 60 }),
          fc.boolean(),
          async (cuts, batchSize, keepState) => {
            const [first = 0, ...rest] = [...cuts].sort((a, b) => a - b);
            const at = (i: number): bigint => (i === 0 ? 0n : (positions[i - 1] as bigint));
            await runner({ accelerator: capped(at(first)) }).rebuild();
            for (const cut of rest) {
              await runner({ accelerator: capped(at(cut)), batchSize, keepState }).catchUp();
            }
            const last = runner({ batchSize, keepState });
            const summary = await last.catchUp();
            expect(summary.mode).toBe('catch-up');
            expect(summary.watermark).toBe(positions[positions.length - 1]);
            expect(await last.results()).toEqual(full);
          },
        ),
        { numRuns: 6 },
      );
    });

    it('explains every result with exactly the contributions the full engine observes up to its watermark', async () => {
      const engine = createKpiEngine({ definitions, orgTimeZone: ZONE, orgVersions: [] });
      const seen: { at: bigint; c: Contribution }[] = [];
      const state = engine.initialState();
      for await (const e of store.readAll({ after: 0n })) {
        engine.apply(state, e, (c) => seen.push({ at: e.position, c }));
      }
      const r = runner();
      await r.rebuild();
      const all = await r.results();
      expect(new Set(all.map((x) => x.definitionKey))).toEqual(new Set(definitions.map((d) => d.key)));
      for (const result of all) {
        const x = await r.explain(result.id);
        expect(x.why).toContain(result.classificationReason);
        const listed: Contribution[] = [];
        for await (const c of x.contributing) listed.push(c);
        const { versionId, scopeType, scopeId, periodStart } = parseResultId(result.id);
        const head = `${versionId}/${scopeType}:${scopeId}/`;
        const level = x.definition.measure.kind === 'level';
        const mine = (id: string): boolean =>
          level ? id.startsWith(head) && id.slice(head.length) <= periodStart : id === result.id;
        expect(listed).toEqual(
          seen.filter((s) => s.at <= result.watermark && mine(s.c.resultId)).map((s) => s.c),
        );
      }
      expect(await caught(r.explain('sales.win-rate@1/org:org/1999-01-01'))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await caught(r.explain(''))).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('given two runners on two clients catching up concurrently while events arrive, then every batch is applied once: the results equal the pure fold', async () => {
      const a = runner({ batchSize: 7 });
      const b = runnerOf(t.second, { batchSize: 11 });
      const writes = (async () => {
        for (let i = 0; i < 4; i++) await append(commercialDrafts(3, 100 + 3 * i));
      })();
      const runs: Promise<unknown>[] = [];
      for (let i = 0; i < 4; i++) runs.push(a.catchUp(), b.catchUp());
      await Promise.all([writes, ...runs]);
      await Promise.all([a.catchUp(), b.catchUp()]);
      const all = await expected();
      expect(await a.results()).toEqual(all);
      expect(await b.results()).toEqual(all);
      const contributing = all.reduce((n, r) => n + r.contributingEventCount, 0);
      expect(contributing).toBe(
        (await oracle(asStored(appended))).reduce((n, r) => n + r.contributingEventCount, 0),
      );
    });

    it('given runners that do not share a lock (two processes), when they catch up concurrently, then the stored state is never folded twice: each commit checks it, a stale runner starts again from the tables', async () => {
      const noLock = (client: KpiClient): KpiClient => ({
        db: client.db,
        dialect: {
          ...client.dialect,
          acquireLock: async () => ({ outcome: 'acquired', release: async () => undefined }),
        },
      });
      const a = runnerOf(noLock(t), { batchSize: 5 });
      const b = runnerOf(noLock(t.second), { batchSize: 5 });
      await a.catchUp();
      await append(commercialDrafts(6, 130));
      const outcomes = await Promise.allSettled([a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
      for (const o of outcomes) {
        // A run that lost every race gives up with a retryable conflict; none corrupts the state.
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ retryable: true });
      }
      await a.catchUp();
      expect(await runnerOf(t.second).results()).toEqual(await expected());
      const cold = runner();
      expect(await cold.catchUp()).toMatchObject({ restored: 'cold', eventsRead: 0 });
      expect(await cold.results()).toEqual(await expected());
    });

    it('given a warm runner, when another runner advanced the set meanwhile, then it restores cold and still ends equal to a rebuild', async () => {
      const a = runner();
      await append(commercialDrafts(2, 150));
      await a.catchUp();
      await append(commercialDrafts(2, 152));
      expect((await a.catchUp()).restored).toBe('warm');
      await append(commercialDrafts(2, 154));
      expect((await runnerOf(t.second).catchUp()).restored).toBe('cold');
      await append(commercialDrafts(2, 156));
      const moved = await a.catchUp();
      expect(moved.restored).toBe('cold');
      expect(await a.results()).toEqual(await expected());
    });

    it('given many small batches, then the delta chain is compacted into a new base, and a cold restore still equals a rebuild', async () => {
      await runner().rebuild();
      await append(commercialDrafts(12, 160));
      const commits: bigint[] = [];
      const r = runner({ batchSize: 1, onCommit: (w) => void commits.push(w) });
      await r.catchUp();
      expect(commits.length).toBeGreaterThan(MAX_DELTAS_SEEN);
      const s = await r.status();
      expect(s.deltas).toBeLessThan(33);
      const cold = runner({ checkpointPartSize: 300 });
      expect(await cold.catchUp()).toMatchObject({ restored: 'cold', eventsRead: 0 });
      expect(await cold.results()).toEqual(await expected());
      // Small parts: the next base spans many of them and still reads back.
      await cold.rebuild();
      await append(commercialDrafts(1, 175));
      const again = runner({ checkpointPartSize: 300 });
      expect(await again.catchUp()).toMatchObject({ restored: 'cold' });
      expect(await again.results()).toEqual(await expected());
    });

    it('given a runner that keeps no state (a job), when it catches up a few new events, then it restores only what they read: the results equal a rebuild, each catch-up stores a delta, and a whole restore reads the chain back', async () => {
      // A base (compressed) large enough that a few small deltas stay under a quarter of it, in small parts:
      // each pass reads it back a few parts per query.
      await append(commercialDrafts(300, 2000));
      await runner({ checkpointPartSize: 300 }).rebuild();
      const baseParts = await t.db
        .selectFrom(`${t.prefix}kpi_checkpoint_parts`)
        .select('part')
        .where('seq', '=', 0)
        .execute();
      expect(baseParts.length).toBeGreaterThan(8);
      const job = (extra: Partial<KpiRunnerOptions> = {}) => runner({ keepState: false, ...extra });
      expect(await job().catchUp()).toMatchObject({ restored: 'partial', eventsRead: 0 });
      for (let i = 0; i < 3; i++) {
        await append(commercialDrafts(2, 190 + 2 * i));
        const summary = await job().catchUp();
        expect(summary).toMatchObject({ mode: 'catch-up', restored: 'partial' });
        expectTimings(summary);
        expect(summary.eventsRead).toBeGreaterThan(0);
        expect(summary.resultsWritten).toBeGreaterThan(0);
        expect(await job().results()).toEqual(await expected());
        expect((await job().status()).deltas).toBe(i + 1);
      }
      // More new events than one batch: the whole state is restored and caught up in batches.
      await append(commercialDrafts(3, 196));
      const batched = await job({ batchSize: 2 }).catchUp();
      expect(batched).toMatchObject({ restored: 'cold' });
      expectTimings(batched);
      expect(batched.eventsRead).toBeGreaterThan(2);
      expect(await job().results()).toEqual(await expected());
      // A runner that keeps its state restores the whole chain (base and the partial catch-ups' deltas).
      await append(commercialDrafts(1, 199));
      const whole = await runner().catchUp();
      expect(whole).toMatchObject({ restored: 'cold' });
      expect(whole.eventsRead).toBeGreaterThan(0);
      expect(await runner().results()).toEqual(await expected());
    });

    it('given a job whose chain is due for compaction, when it catches up, then the whole restore writes the new base: the checkpoint of the whole fold, and results equal to a rebuild', async () => {
      await runner().rebuild();
      const job = runner({ keepState: false });
      let compactedAt = -1;
      for (let i = 0; i < 40 && compactedAt < 0; i++) {
        await append(commercialDrafts(3, 2400 + 3 * i));
        const summary = await job.catchUp();
        if ((await job.status()).deltas === 0) {
          compactedAt = i;
          expect(summary).toMatchObject({ restored: 'cold' });
        } else expect(summary).toMatchObject({ restored: 'partial' });
      }
      expect(compactedAt).toBeGreaterThan(0);
      const rows: Record<string, unknown>[] = await t.db
        .selectFrom(`${t.prefix}kpi_checkpoint_parts`)
        .select(['seq', 'body'])
        .orderBy('seq')
        .orderBy('part')
        .execute();
      expect(rows.every((r) => Number(r['seq']) === 0)).toBe(true);
      const engine = createKpiEngine({ definitions, orgTimeZone: ZONE, orgVersions: [] });
      const whole = await engine.run(engine.initialState(), store.readAll({ after: 0n }));
      expect(inflateLink(rows.map((r) => String(r['body'])).join(''))).toBe(
        [...engine.checkpointJson(whole)].join(''),
      );
      expect(await job.results()).toEqual(await expected());
    });

    it('given a base stored by an earlier release (its JSON on one line), when a new runner catches up, then it restores it cold instead of rebuilding', async () => {
      await runner().rebuild();
      const parts = `${t.prefix}kpi_checkpoint_parts`;
      const base: Record<string, unknown>[] = await t.db
        .selectFrom(parts)
        .select(['part', 'body'])
        .where('seq', '=', 0)
        .orderBy('part')
        .execute();
      const lines = inflateLink(base.map((r) => String(r['body'])).join(''));
      expect(lines).toContain('\n');
      // The layout before one tuple per line: the same JSON without its line breaks (whitespace).
      const oneLine = lines.replaceAll('\n', '');
      expect(JSON.parse(oneLine)).toEqual(JSON.parse(lines));
      await t.db.deleteFrom(parts).where('seq', '=', 0).where('part', '>', 0).execute();
      await t.db
        .updateTable(parts)
        .set({ body: deflateLink(oneLine) })
        .where('seq', '=', 0)
        .execute();
      await append(commercialDrafts(1, 185));
      const summary = await runner().catchUp();
      expect(summary).toMatchObject({ mode: 'catch-up', restored: 'cold' });
      expect(summary.eventsRead).toBeGreaterThan(0);
      expect(await runner().results()).toEqual(await expected());
    });

    it('given a damaged stored checkpoint, when a new runner catches up, then it rebuilds (the chain is a cache of the log)', async () => {
      await runner().rebuild();
      await t.db
        .updateTable(`${t.prefix}kpi_checkpoint_parts`)
        .set({ body: '~AAAA' })
        .where('seq', '=', 0)
        .where('part', '=', 0)
        .execute();
      await append(commercialDrafts(1, 180));
      expect(await runner().catchUp()).toMatchObject({ mode: 'rebuild', restored: 'none' });
      expect(await runner().results()).toEqual(await expected());
    });

    it('given a runner with another organisation time zone, then status says the set is not current and a catch-up rebuilds under the new zone', async () => {
      const other = runner({ orgTimeZone: 'America/New_York' });
      const zoneBefore = (await runner().status()).orgTimeZone;
      expect(await other.status()).toMatchObject({
        current: false,
        upToDate: false,
        orgTimeZone: zoneBefore,
      });
      expect((await other.catchUp()).mode).toBe('rebuild');
      // The database records the zone the active set was cut in, whoever asks.
      expect(await other.status()).toMatchObject({
        current: true,
        upToDate: true,
        orgTimeZone: 'America/New_York',
      });
      expect(await runner().status()).toMatchObject({ current: false, orgTimeZone: 'America/New_York' });
      expect((await runner().catchUp()).mode).toBe('rebuild');
    });

    it('a host plug-in measure kind passes through the runner to the engine: stored results equal the pure engine', async () => {
      // Distinct lead-capturing people per month: a kind the engine does not have built in.
      const distinctActors: MeasureKind = {
        kind: 'plugin:distinct-actors',
        version: 1,
        aggregations: ['count'],
        compile: () => ({
          eventTypes: ['lead.created'],
          fold(ctx) {
            const key = `${ctx.periodStart}|${ctx.event.actor.id}`;
            if (ctx.get<boolean>(key) === true) return;
            ctx.set(key, true);
            ctx.add(ctx.eventScopes(), ctx.periodStart, { count: 1 }, [
              { position: ctx.event.position, eventId: ctx.event.eventId, role: 'event', numerator: 1 },
            ]);
          },
        }),
      };
      const people: KpiDefinitionVersion = {
        key: 'sales.lead-capturers',
        version: 1,
        name: 'People capturing leads',
        description: 'distinct actors of lead.created',
        unit: 'count',
        aggregation: 'count',
        scope: 'org',
        period: 'month',
        measure: { kind: 'plugin:distinct-actors' },
        target: null,
        thresholds: null,
      };
      const withPlugin = runner({ definitions: [people], measureKinds: [distinctActors] });
      await withPlugin.rebuild();
      const stored = (await withPlugin.results()).map((r) => [r.periodStart, r.value]);
      const engine = createKpiEngine({
        definitions: [people],
        orgTimeZone: ZONE,
        orgVersions: [],
        measureKinds: [distinctActors],
      });
      const pure = engine.results(await engine.run(engine.initialState(), store.readAll({ after: 0n })));
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.sort()).toEqual(pure.map((r) => [r.periodStart, r.value]).sort());
      await runner().rebuild();
    });

    it('given definitions scoped by ticket and by SLA tier, when rebuilt, then their results are stored and read back by scope type, equal to the pure engine (issue 26)', async () => {
      // Each lead.created counts once in its ticket and SLA tier; both resolve from the customer here.
      const leadsCreated: MeasureKind = {
        kind: 'plugin:leads-created',
        version: 1,
        aggregations: ['count'],
        compile: () => ({
          eventTypes: ['lead.created'],
          fold(ctx) {
            ctx.add(ctx.eventScopes(), ctx.periodStart, { count: 1 }, [
              { position: ctx.event.position, eventId: ctx.event.eventId, role: 'event', numerator: 1 },
            ]);
          },
        }),
      };
      const scoped = (scope: 'ticket' | 'sla_tier'): KpiDefinitionVersion => ({
        key: `support.leads-created.by-${scope === 'sla_tier' ? 'sla-tier' : scope}`,
        version: 1,
        name: `Leads created per ${scope}`,
        description: 'lead.created events',
        unit: 'count',
        aggregation: 'count',
        scope,
        period: 'month',
        measure: { kind: 'plugin:leads-created' },
        target: null,
        thresholds: null,
      });
      const options = {
        definitions: [scoped('ticket'), scoped('sla_tier')],
        measureKinds: [leadsCreated],
        scopes: {
          ticket: { paths: ['context.customerId'] },
          sla_tier: { paths: ['context.customerId'] },
        },
      };
      const r = runner(options);
      await r.rebuild();
      const engine = createKpiEngine({ ...options, orgTimeZone: ZONE, orgVersions: [] });
      const pure = engine.results(await engine.run(engine.initialState(), store.readAll({ after: 0n })));
      for (const scopeType of ['ticket', 'sla_tier'] as const) {
        const stored = await r.results({ scopeType });
        expect(stored.length).toBeGreaterThan(0);
        expect(stored.every((x) => x.scopeType === scopeType)).toBe(true);
        expect(stored).toEqual(pure.filter((x) => x.scopeType === scopeType).sort(byId));
      }
      const ids = new Set((await r.results({ scopeType: 'ticket' })).map((x) => x.scopeId));
      expect(ids.size).toBeGreaterThan(1);
      await runner().rebuild();
    });

    it('a stored definition version is immutable: other content under the same key@version is refused; a new version is published beside it', async () => {
      const changed = definitions.map((d) => (d.key === 'sales.win-rate' ? { ...d, target: 9000 } : d));
      expect(await caught(runner({ definitions: changed }).rebuild())).toMatchObject({
        code: 'IMMUTABLE_ROW',
      });
      const winRate = definitions.find((d) => d.key === 'sales.win-rate') as (typeof definitions)[number];
      const v2 = [...definitions, { ...winRate, version: 2, target: 9000 }];
      const before = (await runner().results({ definitionKey: 'sales.win-rate' })).filter(
        (r) => r.definitionVersion === 1,
      );
      await runner({ definitions: v2 }).catchUp();
      const after = await runner({ definitions: v2 }).results({ definitionKey: 'sales.win-rate' });
      expect(after.filter((r) => r.definitionVersion === 1)).toEqual(before);
      expect(after.some((r) => r.definitionVersion === 2)).toBe(true);
      const head = await t.db
        .selectFrom(`${t.prefix}kpi_definitions`)
        .select(['current_version'])
        .where('definition_key', '=', 'sales.win-rate')
        .executeTakeFirst();
      expect(Number(head?.['current_version'])).toBe(2);
      await runner().rebuild();
    });

    it('the runner lock is named by database and prefix: another database’s lock does not block a run, this one’s makes it wait, then time out', async () => {
      /** Holds `lock` through the second client (the dialect keeps it on its own session) until released. */
      const hold = async (lock: string): Promise<() => Promise<void>> => {
        const attempt = await t.second.dialect.acquireLock(t.second.db, lock, 1000);
        if (attempt.outcome !== 'acquired') throw new Error('test lock not acquired');
        return attempt.release;
      };
      const elsewhere = await hold(lockName(`${t.dialect.database}_other`, t.prefix, 'kpi-runner'));
      try {
        expect((await runner().catchUp()).mode).toBe('catch-up');
      } finally {
        await elsewhere();
      }
      const own = await hold(lockName(t.dialect.database, t.prefix, 'kpi-runner'));
      try {
        expect(await caught(runner({ lockTimeoutMs: 300 }).rebuild())).toMatchObject({
          code: 'LOCK_TIMEOUT',
          retryable: true,
        });
      } finally {
        await own();
      }
      expect((await runner({ lockTimeoutMs: 300 }).catchUp()).mode).toBe('catch-up');
    });

    it('given more than two pages of events, then readKpiEvents yields each once in order (the next page read while one is folded), within a limit across pages and to a consumer that stops early, and leaves every connection free', async () => {
      let total = 0;
      for await (const _ of store.readAll({ after: 0n })) total++;
      for (let deal = 1000; total < 2600; deal += 50) {
        const more = commercialDrafts(50, deal);
        await append(more);
        total += more.length;
      }
      const all: string[] = [];
      const positions: bigint[] = [];
      for await (const e of store.readAll({ after: 0n })) {
        all.push(`${e.position}:${e.eventId}`);
        positions.push(e.position);
      }
      const read = async (after: bigint, limit?: number, stopAt?: number): Promise<string[]> => {
        const out: string[] = [];
        for await (const e of readKpiEvents(t.db, t.dialect, t.prefix, { after, limit, reads: [] })) {
          out.push(`${e.position}:${e.eventId}`);
          if (out.length === stopAt) break;
        }
        return out;
      };
      expect(await read(0n)).toEqual(all);
      expect(await read(0n, 1000)).toEqual(all.slice(0, 1000));
      expect(await read(0n, 2001)).toEqual(all.slice(0, 2001));
      expect(await read(positions[499] as bigint, 1500)).toEqual(all.slice(500, 2000));
      expect(await read(0n, undefined, 1500)).toEqual(all.slice(0, 1500));
      // The page read ahead for the consumer that stopped has finished on its own: a rebuild runs as before.
      await runner().rebuild();
      expect(await runner().results()).toEqual(await expected());
    });

    it('refuses malformed options with VALIDATION_FAILED naming the field, before touching the database', () => {
      const refused = (extra: Record<string, unknown>): unknown => {
        try {
          createKpiRunner({
            db: t.db,
            dialect: t.dialect,
            definitions,
            orgTimeZone: ZONE,
            ...extra,
          } as KpiRunnerOptions);
        } catch (e) {
          return e;
        }
        return undefined;
      };
      for (const [field, value] of [
        ['db', {}],
        ['prefix', 'bad-prefix!'],
        ['batchSize', 0],
        ['checkpointPartSize', 1],
      ] as const) {
        expect(refused({ [field]: value })).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: { issues: [expect.objectContaining({ field })] },
        });
      }
    });
  });
}
