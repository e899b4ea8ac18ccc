import type { Identity } from '@pet-ops/core';
import { parseInput } from '@pet-ops/core';
import type { KpiDefinitionVersion } from '@pet-ops/kpi';
import {
  createKpiRunner as createSeamKpiRunner,
  type KpiResultQuery,
  type KpiRunner,
  type KpiRunnerStatus,
  type KpiRunSummary,
} from '@pet-ops/sql';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { poolSchema } from '../event-store/event-log.js';
import { parseTablePrefix } from '../prefix.js';
import { mysqlKpiSeam } from './accelerator.js';

export type { KpiResultQuery, KpiRunner, KpiRunnerStatus, KpiRunSummary };

/** What a KPI runner computes with. */
export interface KpiRunnerOptions {
  /** A pool made by `connect()` (at least 3 connections: a lock, the event stream and its gap probe). */
  readonly pool: Pool;
  readonly prefix?: string;
  readonly definitions: readonly KpiDefinitionVersion[];
  /** IANA time zone of the organisation (period grids). */
  readonly orgTimeZone: string;
  /** Org-structure versions; by default read from `<prefix>org_structure_versions` at each run. */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /** Events per catch-up transaction (results and checkpoint committed together). Default 50 000. */
  readonly batchSize?: number;
  /** Called after each committed catch-up batch with its watermark (tests use it to crash on purpose). */
  readonly onCommit?: (watermark: bigint) => void | Promise<void>;
  /**
   * Keep the fold state last committed (by a rebuild or a catch-up batch) in memory, so the next
   * `catchUp()` of this runner skips parsing the stored checkpoint and its deltas. It is reused only when,
   * under the lock, the active set, its fingerprint and its stored watermark are still the ones it was
   * committed with (another runner may have moved on); otherwise the state is restored from the tables.
   * Default `true`; `false` restores on every catch-up (a short-lived runner, a job): up to 10 000 new
   * events it restores only what they read (`restored: 'partial'`), so its memory does not grow with
   * the stored state.
   *
   * @example
   * ```ts
   * const runner = createKpiRunner({ pool, definitions, orgTimeZone: 'Europe/Berlin', keepState: false });
   * ```
   */
  readonly keepState?: boolean;
  /**
   * Bytes per stored checkpoint part (the state is stored compressed, as base64: bytes are characters).
   * Default 262 144 (256 KiB, under any server's `max_allowed_packet`); lower it only for a server
   * configured below 1 MiB.
   *
   * @example
   * ```ts
   * const runner = createKpiRunner({ pool, definitions, orgTimeZone: 'UTC', checkpointPartSize: 100_000 });
   * ```
   */
  readonly checkpointPartSize?: number;
}

/** The shape of {@link KpiRunnerOptions} this adapter checks (the seam's runner checks the rest). */
const runnerOptionsSchema = z.object({
  pool: poolSchema,
  prefix: z.string().optional(),
});

/**
 * The KPI runner on MySQL/MariaDB: the seam's runner (`createKpiRunner` of `@pet-ops/sql`, the same on
 * every database) over this pool, with this adapter's fast paths (see `mysqlKpiSeam`): the fold applied
 * as rows arrive on a streamed query, results bulk-loaded with `LOAD DATA LOCAL INFILE`.
 *
 * - `rebuild()` folds every event into a new `building` result set, then in one transaction writes its
 *   results and checkpoint, retires the active set and activates the new one — readers never see a
 *   half-built set;
 * - `catchUp()` restores the active set's checkpoint and its deltas (or reuses the state this runner last
 *   committed, see {@link KpiRunnerOptions.keepState}) and folds the newer events in batches; each batch
 *   commits its changed results with a checkpoint delta in one transaction, so after a crash the next
 *   catch-up resumes from the last commit and ends equal to a full rebuild;
 * - both run under a named lock (`GET_LOCK`, named by database and prefix), so concurrent runs queue;
 * - definition versions are stored in `<prefix>kpi_definition_versions` (append-only); a stored key@version
 *   with different content is refused (`IMMUTABLE_ROW`): publish a new version instead.
 *
 * @example
 * ```ts
 * const runner = createKpiRunner({ pool, prefix: '', definitions: catalogueV1({ currency: 'EUR' }), orgTimeZone: 'Europe/Berlin' });
 * await runner.catchUp();
 * const rows = await runner.results({ definitionKey: 'sales.win-rate', periodFrom: '2026-01-01' });
 * if (rows[0] !== undefined) console.log((await runner.explain(rows[0].id)).why);
 * ```
 */
export function createKpiRunner(options: KpiRunnerOptions): KpiRunner {
  parseInput(runnerOptionsSchema, options, 'KPI runner options');
  const prefix = parseTablePrefix(options.prefix ?? '');
  const { pool: _pool, prefix: _prefix, ...rest } = options;
  const { db, dialect, accelerator } = mysqlKpiSeam({ pool: options.pool, prefix });
  return createSeamKpiRunner({ ...rest, db, dialect, prefix, accelerator });
}
