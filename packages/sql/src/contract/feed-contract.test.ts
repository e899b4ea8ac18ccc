/**
 * The activity-feed runner's contract, written once and run against every database (not a test file
 * itself: each adapter's `feed*.int.test.ts` calls {@link describeFeedContract}). The oracle is the pure
 * projection of `@pet-ops/kpi` over the same events.
 */
import { fc } from '@fast-check/vitest';
import type { Identity, Instant } from '@pet-ops/core';
import { type ActivityItem, createActivityFeedProjection } from '@pet-ops/kpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import {
  type ActivityFeedRunner,
  type ActivityFeedRunnerOptions,
  createActivityFeedRunner,
} from '../feed/activity-feed.js';
import { caught } from './event-store-contract.test.js';
import { commercialDrafts, fixtureId } from './kpi-fixtures.test.js';
import type { KpiClient } from './kpi-runner-contract.test.js';

/** One database under test: fresh, migrated with `prefix`, reached by two independent clients. */
export interface FeedTarget extends KpiClient {
  readonly prefix: string;
  /** A second client on its own connection(s) to the same database: a concurrent runner. */
  readonly second: KpiClient;
  readonly close: () => Promise<void>;
}

const alice = fixtureId(0x100, 1) as string as Identity.EmployeeId;
const boss = fixtureId(0x100, 99) as string as Identity.EmployeeId;
const chief = fixtureId(0x100, 98) as string as Identity.EmployeeId;
const teamA = fixtureId(0xb00, 1) as string as Identity.TeamId;
const orgVersions: Identity.OrgVersionSnapshot[] = [
  {
    versionNumber: 1,
    effectiveFrom: '2025-01-01T00:00:00.000000Z' as Instant,
    structure: {
      teams: [
        { teamId: teamA, name: 'Sales A', parentTeamId: null, managerId: boss, escalationManagerId: null },
      ],
      memberships: [{ teamId: teamA, employeeId: alice, role: 'member' }],
      orgRoles: [{ employeeId: chief, role: 'ceo' }],
      defaultEscalationManagerId: null,
    },
  },
];
const asOf = '2026-12-31T00:00:00.000000Z' as Instant;
const since = '2025-01-01T00:00:00.000000Z' as Instant;
const newestFirst = (a: ActivityItem, b: ActivityItem): number =>
  a.occurredAt === b.occurredAt ? Number(b.position - a.position) : a.occurredAt < b.occurredAt ? 1 : -1;

/**
 * Declares the activity-feed runner's contract tests for one database.
 *
 * @example
 * ```ts
 * describeFeedContract('sqlite', async () => sqliteTarget());
 * ```
 */
export function describeFeedContract(name: string, open: () => Promise<FeedTarget>): void {
  describe(`activity feed contract (${name})`, () => {
    let t: FeedTarget;
    let store: SqlEventStore;
    let streams = 0;

    const feedOf = (client: KpiClient, extra: Partial<ActivityFeedRunnerOptions> = {}): ActivityFeedRunner =>
      createActivityFeedRunner({
        db: client.db,
        dialect: client.dialect,
        prefix: t.prefix,
        orgVersions,
        ...extra,
      });

    async function append(deals: number, first: number): Promise<void> {
      const drafts = commercialDrafts(deals, first);
      for (let i = 0; i < drafts.length; i += 30) {
        await store.append(fixtureId(0xc00, streams++), 'no_stream', drafts.slice(i, i + 30));
      }
    }

    /** The pure projection of every stored event, newest first. */
    async function expected(): Promise<ActivityItem[]> {
      const out: ActivityItem[] = [];
      const projection = createActivityFeedProjection({ orgVersions });
      for await (const i of projection.projectAll(store.readAll({ after: 0n }))) out.push(i);
      return out.sort(newestFirst);
    }

    const everything = (feed: ActivityFeedRunner): Promise<ActivityItem[]> =>
      feed.items({ viewer: { employeeId: chief }, asOf, since, limit: 1000 });

    beforeAll(async () => {
      t = await open();
      store = createEventStore({ db: t.db, dialect: t.dialect, prefix: t.prefix });
      await append(30, 0);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('given events, when caught up in batches, then the rows equal the pure projection; a second catch-up and a rebuild add nothing', async () => {
      const feed = feedOf(t, { batchSize: 25 });
      const want = await expected();
      expect(await feed.catchUp()).toBe(want.length);
      expect(want.length).toBeGreaterThan(10);
      expect(await everything(feed)).toEqual(want);
      expect(await feed.catchUp()).toBe(0);
      expect(await feed.rebuild()).toBe(0);
      expect(await everything(feed)).toEqual(want);
    });

    it('property: catching up after any number of appended slices, in any batch size, gives exactly the rows of one projection of the whole stream', async () => {
      let first = 100;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 40 }),
          async (slices, batchSize) => {
            for (const deals of slices) {
              await append(deals, first);
              first += deals;
              await feedOf(t, { batchSize }).catchUp();
            }
            expect(await everything(feedOf(t))).toEqual(await expected());
          },
        ),
        { numRuns: 5 },
      );
    });

    it('returns only what the viewer may see, newest first, in pages of at most `limit`', async () => {
      const feed = feedOf(t);
      const mine = await feed.items({ viewer: { employeeId: alice }, asOf, since, limit: 1000 });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((i) => i.actorId === alice)).toBe(true);
      expect(await feed.items({ viewer: { employeeId: boss }, asOf, since, limit: 1000 })).toEqual(mine);
      const stranger = fixtureId(0x100, 50) as string as Identity.EmployeeId;
      expect(await feed.items({ viewer: { employeeId: stranger }, asOf, since })).toEqual([]);
      expect([...mine].sort(newestFirst)).toEqual(mine);
      const all = await everything(feed);
      expect(await feed.items({ viewer: { employeeId: chief }, asOf, since, limit: 3 })).toEqual(
        all.slice(0, 3),
      );
      const bad = await caught(feed.items({ viewer: { employeeId: alice }, asOf: 'yesterday' as Instant }));
      expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('given two runners on two clients catching up concurrently while events arrive, then every event has exactly one row', async () => {
      const a = feedOf(t, { batchSize: 7 });
      const b = feedOf(t.second, { batchSize: 11 });
      const writes = (async () => {
        for (let i = 0; i < 3; i++) await append(3, 200 + 3 * i);
      })();
      const runs = await Promise.all([writes, a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
      const added = (runs.slice(1) as number[]).reduce((n, x) => n + x, 0);
      const last = (await a.catchUp()) + (await b.catchUp());
      const all = await everything(a);
      expect(all).toEqual(await expected());
      const ids = all.map((i) => i.sourceEventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(added + last).toBeLessThanOrEqual(all.length);
    });

    it('the feed is append-only: the database refuses to change or delete a row', async () => {
      const table = `${t.prefix}activity_feed_projections`;
      const update = await caught(
        (async () => {
          try {
            await t.db.updateTable(table).set({ headline: 'x' }).execute();
          } catch (e) {
            throw t.dialect.classifyError(e, 'test');
          }
        })(),
      );
      expect(update.code).toBe('IMMUTABLE_ROW');
      const del = await caught(
        (async () => {
          try {
            await t.db.deleteFrom(table).execute();
          } catch (e) {
            throw t.dialect.classifyError(e, 'test');
          }
        })(),
      );
      expect(del.code).toBe('IMMUTABLE_ROW');
    });

    it('refuses malformed options with VALIDATION_FAILED naming the field', () => {
      for (const [field, value] of [
        ['db', {}],
        ['prefix', 'no spaces'],
        ['batchSize', 0],
        ['mappers', { 'quote.sent': 'not a function' }],
      ] as const) {
        let error: unknown;
        try {
          createActivityFeedRunner({
            db: t.db,
            dialect: t.dialect,
            [field]: value,
          } as ActivityFeedRunnerOptions);
        } catch (e) {
          error = e;
        }
        expect(error).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: { issues: [expect.objectContaining({ field: expect.stringContaining(field) })] },
        });
      }
    });
  });
}
