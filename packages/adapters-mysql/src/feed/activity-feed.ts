import { type Identity, type Instant, PetError, parseInput } from '@pet-ops/core';
import {
  type ActivityItem,
  type ActivityMapper,
  canSeeActivity,
  createActivityFeedProjection,
} from '@pet-ops/kpi';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { mapDriverError } from '../errors.js';
import { poolSchema } from '../event-store/event-log.js';
import { createMysqlEventStore } from '../event-store/index.js';
import { instantToSql } from '../internal/datetime.js';
import { loadOrgVersions } from '../internal/org-versions.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { parseTablePrefix } from '../prefix.js';

/** What the activity-feed runner needs. */
export interface ActivityFeedRunnerOptions {
  readonly pool: Pool;
  readonly prefix?: string;
  /** Org-structure versions; by default read from `<prefix>org_structure_versions` at each run. */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /** Mappers by event type (default: the projection's). */
  readonly mappers?: Readonly<Record<string, ActivityMapper>>;
  /** Events per transaction. Default 5 000. */
  readonly batchSize?: number;
}

/** Feed rows a viewer may see. */
export interface ActivityFeedQuery {
  readonly viewer: Identity.Viewer;
  /** The instant whose org structure decides visibility (usually now). */
  readonly asOf: Instant;
  /** Only items that occurred at or after this instant (default: 7 days before `asOf`). */
  readonly since?: Instant;
  readonly limit?: number;
}

/** The activity feed on MySQL. */
export interface ActivityFeedRunner {
  /** Projects the events after the stored offset; rows and offset commit together. Returns rows added. */
  catchUp(): Promise<number>;
  /** Projects every event again; rows are keyed by source event, so an intact feed gains nothing. Returns rows added. */
  rebuild(): Promise<number>;
  /** Newest first, only what the viewer may see (hidden items are fully hidden). */
  items(query: ActivityFeedQuery): Promise<ActivityItem[]>;
}

const OFFSET = 'activity_feed';
const COLUMNS = [
  'id',
  'source_event_id',
  'source_position',
  'occurred_at',
  'actor_type',
  'actor_id',
  'event_type',
  'severity',
  'reference_type',
  'reference_id',
  'customer_id',
  'project_id',
  'ticket_id',
  'scope_team_ids',
  'headline',
  'subline',
  'tags',
  'previous_state',
  'new_state',
  'meta',
] as const;

/** The shape of {@link ActivityFeedRunnerOptions} (the mappers and org versions are checked where used). */
const feedOptionsSchema = z.object({
  pool: poolSchema,
  prefix: z.string().optional(),
  orgVersions: z.array(z.unknown()).optional(),
  mappers: z.record(z.string(), z.unknown()).optional(),
  batchSize: z.number().int().min(1).optional(),
});

/**
 * The activity-feed runner: keeps `<prefix>activity_feed` (append-only) a projection of the event log,
 * with its offset in `<prefix>projection_offsets`.
 *
 * @example
 * ```ts
 * const feed = createActivityFeedRunner({ pool, prefix: '' });
 * await feed.catchUp();
 * const mine = await feed.items({ viewer: { employeeId }, asOf: systemClock.now() });
 * ```
 */
export function createActivityFeedRunner(options: ActivityFeedRunnerOptions): ActivityFeedRunner {
  parseInput(feedOptionsSchema, options, 'activity feed options');
  const { pool } = options;
  const prefix = parseTablePrefix(options.prefix ?? '');
  const t = (name: string): string => `\`${prefix}${name}\``;
  const batchSize = options.batchSize ?? 5000;
  const store = createMysqlEventStore({ pool, prefix });

  const orgVersions = async (): Promise<readonly Identity.OrgVersionSnapshot[]> =>
    options.orgVersions ?? (await loadOrgVersions(pool, prefix));

  const insert = async (conn: PoolConnection, items: readonly ActivityItem[]): Promise<number> => {
    if (items.length === 0) return 0;
    const params: unknown[] = [];
    for (const i of items) {
      params.push(
        uuidToBytes(i.id),
        uuidToBytes(i.sourceEventId),
        i.position.toString(),
        instantToSql(i.occurredAt as Instant),
        i.actorType,
        i.actorId,
        i.eventType,
        i.severity,
        i.referenceType,
        i.referenceId,
        i.customerId,
        i.projectId,
        i.ticketId,
        JSON.stringify(i.scopeTeamIds),
        i.headline,
        i.subline,
        JSON.stringify(i.tags),
        i.previousState,
        i.newState,
        JSON.stringify(i.meta),
      );
    }
    const one = `(${COLUMNS.map(() => '?').join(', ')})`;
    // Deduplicated by the unique source event: a replayed event adds no row (and updates none).
    const [r] = await conn.query(
      `INSERT IGNORE INTO ${t('activity_feed')} (${COLUMNS.join(', ')}) VALUES ${items.map(() => one).join(', ')}`,
      params,
    );
    return (r as { affectedRows: number }).affectedRows;
  };

  const run = async (from: bigint | null): Promise<number> => {
    const projection = createActivityFeedProjection({
      orgVersions: await orgVersions(),
      ...(options.mappers === undefined ? {} : { mappers: options.mappers }),
    });
    let after: bigint;
    if (from !== null) after = from;
    else {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT last_position FROM ${t('projection_offsets')} WHERE projection_name = ?`,
        [OFFSET],
      );
      after = BigInt((rows[0]?.['last_position'] as string | undefined) ?? '0');
    }
    let added = 0;
    for (;;) {
      const items: ActivityItem[] = [];
      let last: bigint = after;
      let n = 0;
      for await (const e of store.readAll({ after, limit: batchSize })) {
        n++;
        last = e.position;
        const item = projection.project(e);
        if (item !== null) items.push(item);
      }
      if (n === 0) break;
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        added += await insert(conn, items);
        await conn.query(
          `INSERT INTO ${t('projection_offsets')} (projection_name, last_position) VALUES (?, ?)
           ON DUPLICATE KEY UPDATE last_position = GREATEST(last_position, VALUES(last_position)), updated_at = CURRENT_TIMESTAMP(6)`,
          [OFFSET, last.toString()],
        );
        await conn.commit();
      } catch (e) {
        await conn.rollback().catch(() => undefined);
        throw e instanceof PetError ? e : mapDriverError(e, 'activityFeed');
      } finally {
        conn.release();
      }
      after = last;
      if (n < batchSize) break;
    }
    return added;
  };

  return {
    catchUp: () => run(null),
    rebuild: () => run(0n),
    async items(query) {
      const since =
        query.since ??
        (new Date(Date.parse(query.asOf) - 7 * 86_400_000).toISOString().replace('Z', '000Z') as Instant);
      const limit = Math.min(Math.max(1, query.limit ?? 100), 1000);
      const versions = await orgVersions();
      const out: ActivityItem[] = [];
      let cursor: string | null = null;
      // Filter in pages until `limit` visible items: hidden items are never returned, not even counted.
      for (;;) {
        const [rows]: [RowDataPacket[], unknown] = await pool.query<RowDataPacket[]>(
          `SELECT HEX(id) AS id, HEX(source_event_id) AS source_event_id, source_position, DATE_FORMAT(occurred_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS occurred_at,
                  actor_type, actor_id, event_type, severity, reference_type, reference_id, customer_id, project_id, ticket_id,
                  scope_team_ids, headline, subline, tags, previous_state, new_state, meta
           FROM ${t('activity_feed')} WHERE occurred_at >= ? ${cursor === null ? '' : 'AND source_position < ?'}
           ORDER BY occurred_at DESC, source_position DESC LIMIT 500`,
          cursor === null ? [instantToSql(since)] : [instantToSql(since), cursor],
        );
        for (const r of rows) {
          const item = rowToItem(r);
          if (canSeeActivity(query.viewer, item, query.asOf, versions)) out.push(item);
          if (out.length >= limit) return out;
        }
        if (rows.length < 500) return out;
        cursor = String(rows[rows.length - 1]?.['source_position']);
      }
    },
  };
}

const uuid = (hex: string): string =>
  hex.toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

function rowToItem(r: RowDataPacket): ActivityItem {
  return {
    id: uuid(r['id'] as string),
    sourceEventId: uuid(r['source_event_id'] as string),
    position: BigInt(r['source_position'] as string),
    occurredAt: r['occurred_at'] as string,
    actorType: r['actor_type'] as ActivityItem['actorType'],
    actorId: r['actor_id'] as string | null,
    eventType: r['event_type'] as ActivityItem['eventType'],
    severity: r['severity'] as ActivityItem['severity'],
    referenceType: r['reference_type'] as string,
    referenceId: r['reference_id'] as string,
    customerId: r['customer_id'] as string | null,
    projectId: r['project_id'] as string | null,
    ticketId: r['ticket_id'] as string | null,
    scopeTeamIds: JSON.parse(r['scope_team_ids'] as string) as string[],
    headline: r['headline'] as string,
    subline: r['subline'] as string,
    tags: JSON.parse(r['tags'] as string) as string[],
    previousState: r['previous_state'] as string | null,
    newState: r['new_state'] as string,
    meta: JSON.parse(r['meta'] as string) as ActivityItem['meta'],
  };
}
