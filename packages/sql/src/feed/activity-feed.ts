import { type Identity, type Instant, isPetError, PetError, parseInput } from '@pet-ops/core';
import {
  type ActivityItem,
  type ActivityMapper,
  canSeeActivity,
  createActivityFeedProjection,
} from '@pet-ops/kpi';
import { z } from 'zod';
import type { AnyDatabase, AnyTransaction, PetDialect } from '../dialect.js';
import { createEventStore } from '../event-store/event-store.js';
import { bigParam, loadOrgVersions, toBigInt } from '../kpi/org-versions.js';
import { lockName } from '../lock-name.js';
import { dialectSchema, kyselySchema, prefixSchema } from '../options.js';

/** What the activity-feed runner needs. */
export interface ActivityFeedRunnerOptions {
  /** A Kysely instance over the dialect's `kysely` dialect. */
  readonly db: AnyDatabase;
  /** The database's PET capabilities. */
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with (default `''`). */
  readonly prefix?: string;
  /** Org-structure versions; by default read from `<prefix>org_structure_versions` at each run. */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /** Mappers by event type (default: the projection's). */
  readonly mappers?: Readonly<Record<string, ActivityMapper>>;
  /** Events per transaction. Default 5 000. */
  readonly batchSize?: number;
  /** How long a run waits for the feed's lock (default 600 000 ms), then fails with `LOCK_TIMEOUT`. */
  readonly lockTimeoutMs?: number;
}

/** Feed rows a viewer may see. */
export interface ActivityFeedQuery {
  readonly viewer: Identity.Viewer;
  /** The instant whose org structure decides visibility (usually now). */
  readonly asOf: Instant;
  /** Only items that occurred at or after this instant (default: 7 days before `asOf`). */
  readonly since?: Instant;
  /** At most this many items (1–1000, default 100). */
  readonly limit?: number;
}

/** The activity feed on a database. */
export interface ActivityFeedRunner {
  /** Projects the events after the stored offset; rows and offset commit together. Returns rows added. */
  catchUp(): Promise<number>;
  /** Projects every event again; rows are keyed by source event, so an intact feed gains nothing. Returns rows added. */
  rebuild(): Promise<number>;
  /** Newest first, only what the viewer may see (hidden items are fully hidden). */
  items(query: ActivityFeedQuery): Promise<ActivityItem[]>;
}

/** The projection's key in `projection_offsets` (its name since the start: the table's rename did not restart it). */
const OFFSET = 'activity_feed';
/** Rows per page of `items` (filtered by visibility in memory). */
const PAGE = 500;
/** Rows per INSERT: 20 parameters each. */
const INSERT_CHUNK = 400;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const feedOptionsSchema = z.object({
  db: kyselySchema,
  dialect: dialectSchema,
  prefix: prefixSchema.optional(),
  orgVersions: z.array(z.unknown()).optional(),
  mappers: z
    .record(
      z.string(),
      z.custom<unknown>((v) => typeof v === 'function', 'must be a function'),
    )
    .optional(),
  batchSize: z.number().int().min(1).optional(),
  lockTimeoutMs: z.number().int().min(0).max(86_400_000).optional(),
});

const instantText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'must be a UTC instant (…Z)');
const itemsQuerySchema = z.object({
  viewer: z.custom<unknown>(isObject, 'must be a viewer'),
  asOf: instantText,
  since: instantText.optional(),
  limit: z.number().int().optional(),
});

/** An instant with six fraction digits (the canonical form every codec stores). */
const canonicalInstant = (s: string): string => {
  const m = /^(.*?)(?:\.(\d{1,6}))?Z$/.exec(s);
  return `${m?.[1] ?? s}.${(m?.[2] ?? '').padEnd(6, '0')}Z`;
};

/**
 * The activity-feed runner written once for every database: keeps `<prefix>activity_feed_projections`
 * (append-only) a projection of the event log, with its offset in `<prefix>projection_offsets`. Each
 * batch's rows and the offset commit in one transaction; rows are keyed by their source event (unique),
 * so a replayed batch adds nothing. Runs queue on the dialect's named lock
 * `lockName(database, prefix, 'activity-feed')`.
 *
 * @example
 * ```ts
 * const feed = createActivityFeedRunner({ db, dialect, prefix: 'pet_' });
 * await feed.catchUp();
 * const mine = await feed.items({ viewer: { employeeId }, asOf: clock.now() });
 * ```
 */
export function createActivityFeedRunner(options: ActivityFeedRunnerOptions): ActivityFeedRunner {
  parseInput(feedOptionsSchema, options, 'activity feed options');
  const { db, dialect } = options;
  const prefix = options.prefix ?? '';
  const c = dialect.codecs;
  const FEED = `${prefix}activity_feed_projections`;
  const OFFSETS = `${prefix}projection_offsets`;
  const batchSize = options.batchSize ?? 5000;
  const lockTimeoutMs = options.lockTimeoutMs ?? 600_000;
  const store = createEventStore({ db, dialect, prefix });
  const typed = (e: unknown, what: string): PetError => (isPetError(e) ? e : dialect.classifyError(e, what));

  const orgVersions = async (): Promise<readonly Identity.OrgVersionSnapshot[]> =>
    options.orgVersions ?? (await loadOrgVersions(db, dialect, prefix));

  const withLock = async <T>(work: (q: AnyDatabase) => Promise<T>): Promise<T> => {
    const name = lockName(dialect.database, prefix, 'activity-feed');
    const run = async (q: AnyDatabase): Promise<T> => {
      let attempt: Awaited<ReturnType<PetDialect['acquireLock']>>;
      try {
        attempt = await dialect.acquireLock(q, name, lockTimeoutMs);
      } catch (e) {
        throw typed(e, 'activity feed lock');
      }
      if (attempt.outcome === 'timeout') {
        throw new PetError(
          'LOCK_TIMEOUT',
          `activity feed lock ${name} not acquired within ${lockTimeoutMs} ms (another run holds it)`,
          { retryable: true, details: { lockName: name } },
        );
      }
      try {
        return await work(q);
      } finally {
        await attempt.release().catch(() => undefined);
      }
    };
    // The dialect keeps the lock on its own session (a pinned connection where locks belong to one), so
    // the work runs on the pool and never waits for the lock's connection.
    return run(db);
  };

  const rowOf = (i: ActivityItem): Record<string, unknown> => ({
    id: c.encodeId(i.id),
    source_event_id: c.encodeId(i.sourceEventId),
    source_position: bigParam(i.position),
    occurred_at: c.encodeInstant(canonicalInstant(i.occurredAt)),
    actor_type: i.actorType,
    actor_id: i.actorId,
    event_type: i.eventType,
    severity: i.severity,
    reference_type: i.referenceType,
    reference_id: i.referenceId,
    customer_id: i.customerId,
    project_id: i.projectId,
    ticket_id: i.ticketId,
    scope_team_ids: c.encodeJson(i.scopeTeamIds),
    headline: i.headline,
    subline: i.subline,
    tags: c.encodeJson(i.tags),
    previous_state: i.previousState,
    new_state: i.newState,
    meta: c.encodeJson(i.meta),
  });

  /** Inserts the items whose source event has no row yet (a replayed event adds nothing); returns rows added. */
  const insert = async (trx: AnyTransaction, items: readonly ActivityItem[]): Promise<number> => {
    let added = 0;
    for (let at = 0; at < items.length; at += INSERT_CHUNK) {
      const chunk = items.slice(at, at + INSERT_CHUNK);
      const present: Record<string, unknown>[] = await trx
        .selectFrom(FEED)
        .select(['source_event_id'])
        .where(
          'source_event_id',
          'in',
          chunk.map((i) => c.encodeId(i.sourceEventId)),
        )
        .execute();
      const seen = new Set(present.map((r) => c.decodeId(r['source_event_id'])));
      const fresh = chunk.filter((i) => !seen.has(i.sourceEventId.toLowerCase()));
      if (fresh.length === 0) continue;
      await trx.insertInto(FEED).values(fresh.map(rowOf)).execute();
      added += fresh.length;
    }
    return added;
  };

  /** Moves the stored offset forward to `last` (never back). */
  const saveOffset = async (trx: AnyTransaction, last: bigint): Promise<void> => {
    const row: Record<string, unknown> | undefined = await trx
      .selectFrom(OFFSETS)
      .select(['last_position'])
      .where('projection_name', '=', OFFSET)
      .executeTakeFirst();
    if (row === undefined) {
      await trx
        .insertInto(OFFSETS)
        .values({ projection_name: OFFSET, last_position: bigParam(last) })
        .execute();
    } else if (toBigInt(row['last_position']) < last) {
      await trx
        .updateTable(OFFSETS)
        .set({
          last_position: bigParam(last),
          updated_at: c.encodeInstant(canonicalInstant(new Date().toISOString())),
        })
        .where('projection_name', '=', OFFSET)
        .execute();
    }
  };

  const run = async (q: AnyDatabase, from: bigint | null): Promise<number> => {
    const projection = createActivityFeedProjection({
      orgVersions: await orgVersions(),
      ...(options.mappers === undefined ? {} : { mappers: options.mappers }),
    });
    let after: bigint;
    if (from !== null) after = from;
    else {
      try {
        const row: Record<string, unknown> | undefined = await q
          .selectFrom(OFFSETS)
          .select(['last_position'])
          .where('projection_name', '=', OFFSET)
          .executeTakeFirst();
        after = row === undefined ? 0n : toBigInt(row['last_position']);
      } catch (e) {
        throw typed(e, 'activityFeed');
      }
    }
    let added = 0;
    for (;;) {
      const items: ActivityItem[] = [];
      const { handled: n, checkpoint: last } = await store.forEachEvent(
        (e) => {
          const item = projection.project(e);
          if (item !== null) items.push(item);
        },
        { after, limit: batchSize },
      );
      if (n === 0) break;
      try {
        await q.transaction().execute(async (trx) => {
          added += await insert(trx, items);
          await saveOffset(trx, last);
        });
      } catch (e) {
        throw typed(e, 'activityFeed');
      }
      after = last;
      if (n < batchSize) break;
    }
    return added;
  };

  const rowToItem = (r: Record<string, unknown>): ActivityItem => ({
    id: c.decodeId(r['id']),
    sourceEventId: c.decodeId(r['source_event_id']),
    position: toBigInt(r['source_position']),
    occurredAt: c.decodeInstant(r['occurred_at']),
    actorType: r['actor_type'] as ActivityItem['actorType'],
    actorId: (r['actor_id'] as string | null) ?? null,
    eventType: r['event_type'] as ActivityItem['eventType'],
    severity: r['severity'] as ActivityItem['severity'],
    referenceType: String(r['reference_type']),
    referenceId: String(r['reference_id']),
    customerId: (r['customer_id'] as string | null) ?? null,
    projectId: (r['project_id'] as string | null) ?? null,
    ticketId: (r['ticket_id'] as string | null) ?? null,
    scopeTeamIds: c.decodeJson(r['scope_team_ids']) as string[],
    headline: String(r['headline']),
    subline: String(r['subline']),
    tags: c.decodeJson(r['tags']) as string[],
    previousState: (r['previous_state'] as string | null) ?? null,
    newState: String(r['new_state']),
    meta: c.decodeJson(r['meta']) as ActivityItem['meta'],
  });

  return {
    catchUp: () => withLock((q) => run(q, null)),
    rebuild: () => withLock((q) => run(q, 0n)),
    async items(query) {
      parseInput(itemsQuerySchema, query, 'activity feed query');
      const since =
        query.since ??
        (canonicalInstant(new Date(Date.parse(query.asOf) - 7 * 86_400_000).toISOString()) as Instant);
      const limit = Math.min(Math.max(1, query.limit ?? 100), 1000);
      const versions = await orgVersions();
      const out: ActivityItem[] = [];
      let cursor: { at: unknown; position: number | string } | null = null;
      const sinceValue = c.encodeInstant(canonicalInstant(since));
      // Filter in pages until `limit` visible items: hidden items are never returned, not even counted.
      for (;;) {
        let rows: Record<string, unknown>[];
        try {
          let qb = db
            .selectFrom(FEED)
            .selectAll()
            .where('occurred_at', '>=', sinceValue)
            .orderBy('occurred_at', 'desc')
            .orderBy('source_position', 'desc')
            .limit(PAGE);
          if (cursor !== null) {
            const { at, position } = cursor;
            qb = qb.where((eb) =>
              eb.or([
                eb('occurred_at', '<', at),
                eb.and([eb('occurred_at', '=', at), eb('source_position', '<', position)]),
              ]),
            );
          }
          rows = await qb.execute();
        } catch (e) {
          throw typed(e, 'activityFeed.items');
        }
        for (const r of rows) {
          const item = rowToItem(r);
          if (canSeeActivity(query.viewer, item, query.asOf, versions)) out.push(item);
          if (out.length >= limit) return out;
        }
        const lastRow = rows[rows.length - 1];
        if (rows.length < PAGE || lastRow === undefined) return out;
        cursor = { at: lastRow['occurred_at'], position: bigParam(toBigInt(lastRow['source_position'])) };
      }
    },
  };
}
