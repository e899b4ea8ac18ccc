import { type Identity, parseInput } from '@pet-ops/core';
import type { ActivityMapper } from '@pet-ops/kpi';
import {
  type ActivityFeedQuery,
  type ActivityFeedRunner,
  createActivityFeedRunner as createSeamFeedRunner,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { poolSchema } from '../event-store/event-log.js';
import { mysqlDialect } from '../pet-dialect.js';
import { parseTablePrefix } from '../prefix.js';

export type { ActivityFeedQuery, ActivityFeedRunner };

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

/** The shape of {@link ActivityFeedRunnerOptions} this adapter checks (the seam's runner checks the rest). */
const feedOptionsSchema = z.object({
  pool: poolSchema,
  prefix: z.string().optional(),
  orgVersions: z.array(z.unknown()).optional(),
  mappers: z.record(z.string(), z.unknown()).optional(),
  batchSize: z.number().int().min(1).optional(),
});

/**
 * The activity-feed runner on MySQL/MariaDB: the seam's runner (`createActivityFeedRunner` of
 * `@pet-ops/sql`) over this pool. It keeps `<prefix>activity_feed_projections` (append-only) a projection of the
 * event log, with its offset in `<prefix>projection_offsets`.
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
  const prefix = parseTablePrefix(options.prefix ?? '');
  const { pool, prefix: _prefix, ...rest } = options;
  const dialect = mysqlDialect({ pool });
  // Kysely's end() would end the host's pool: this instance is never destroyed.
  const db = new Kysely<never>({ dialect: dialect.kysely });
  return createSeamFeedRunner({ ...rest, db, dialect, prefix });
}
