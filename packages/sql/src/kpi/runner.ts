import {
  type Clock,
  type Identity,
  type IdGenerator,
  isPetError,
  PetError,
  parseInput,
  ValidationError,
} from '@pet-ops/core';
import {
  checkpointDeltaText,
  createKpiEngine,
  type Explanation,
  explain,
  type KpiCheckpointDelta,
  type KpiDefinitionVersion,
  type KpiEngine,
  type KpiEngineOptions,
  type KpiEvent,
  type KpiResult,
  type KpiState,
  SCOPE_TYPES,
  type ScopeType,
  versionId,
} from '@pet-ops/kpi';
import { EVENTS_TABLE } from '@pet-ops/migrations';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AnyDatabase, AnyTransaction, PetDialect } from '../dialect.js';
import { gapReader } from '../event-store/gap.js';
import { lockName } from '../lock-name.js';
import { dialectSchema, kyselySchema, prefixSchema } from '../options.js';
import { bigParam, loadOrgVersions, toBigInt, toNumber } from './org-versions.js';
import {
  deflateLink,
  deflateLinkPieces,
  inflateLink,
  inflateLinkPieces,
  PART_BYTES,
  partBytes,
} from './parts.js';
import { readKpiEvents } from './read-events.js';
import { runnerClock, runnerIds } from './system.js';

/** One write of result rows (see {@link KpiAccelerator.writeResults}). */
export interface KpiResultWrite {
  /** The prefixed `kpi_results` table name (unquoted). */
  readonly table: string;
  /** The result set's id, in the dialect's encoding. */
  readonly setId: unknown;
  /** The rows, possibly a one-pass generator (stream them; do not hold them all). */
  readonly rows: Iterable<KpiResult>;
  /** `computed_at` of every row, in the dialect's encoding. */
  readonly computedAt: unknown;
  /** `false`: a fresh set (no row of these ids exists); `true`: rows of the same id are replaced. */
  readonly replace: boolean;
}

/**
 * Optional fast paths of one database for the KPI runner, beside its {@link PetDialect}: what a driver
 * can do faster than portable Kysely queries (MySQL: a streamed query folded as rows arrive, `LOAD DATA`
 * for results). Each is optional; the runner's portable path is used for what is missing. Each must keep
 * the portable path's guarantees: events in position order and gap-safe, rows written inside `trx`.
 *
 * @example
 * ```ts
 * const runner = createKpiRunner({ db, dialect, prefix, definitions, orgTimeZone: 'UTC', accelerator: mysqlKpiAccelerator(pool, prefix) });
 * ```
 */
export interface KpiAccelerator {
  /** Folds the committed events after `after` (at most `limit`) in position order, gap-safe; resolves with how many. */
  readonly foldEvents?: (
    after: bigint,
    limit: number | undefined,
    apply: (event: KpiEvent) => void,
  ) => Promise<number>;
  /** The events after `after`, with context and payload only for the types in `reads` (explanations). */
  readonly readEvents?: (after: bigint, reads: readonly string[]) => AsyncIterable<KpiEvent>;
  /** Writes result rows inside `trx`; resolves with how many. */
  readonly writeResults?: (trx: AnyTransaction, write: KpiResultWrite) => Promise<number>;
}

/** What a KPI runner computes with. */
export interface KpiRunnerOptions {
  /** A Kysely instance over the dialect's `kysely` dialect. */
  readonly db: AnyDatabase;
  /** The database's PET capabilities (named lock, error classification, codecs, gap safety). */
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with (default `''`). */
  readonly prefix?: string;
  readonly definitions: readonly KpiDefinitionVersion[];
  /** IANA time zone of the organisation (period grids); part of the stored fingerprint. */
  readonly orgTimeZone: string;
  /** Org-structure versions; by default read from `<prefix>org_structure_versions` at each run. */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /** Events per catch-up transaction (results and checkpoint committed together). Default 50 000. */
  readonly batchSize?: number;
  /** Called after each committed catch-up batch with its watermark (tests use it to crash on purpose). */
  readonly onCommit?: (watermark: bigint) => void | Promise<void>;
  /**
   * Keep the fold state last committed in memory, so the next `catchUp()` of this runner skips reading the
   * stored checkpoint (reused only while the stored state is still the one it committed). Default `true`.
   * `false` (a job: one catch-up per process) restores on every catch-up, and up to 10 000 new events
   * only what they read (`restored: 'partial'`): its memory does not grow with the stored state.
   */
  readonly keepState?: boolean;
  /** Bytes per stored checkpoint part (base64 text). Default 262 144. */
  readonly checkpointPartSize?: number;
  /** How long a run waits for the runner lock (default 600 000 ms), then fails with `LOCK_TIMEOUT`. */
  readonly lockTimeoutMs?: number;
  /** Ids of result sets and definition rows (default UUIDv7). */
  readonly ids?: IdGenerator;
  /** Time of `computed_at`, `activated_at` (default the system clock). */
  readonly clock?: Clock;
  /** The database's fast paths, if its adapter has any. */
  readonly accelerator?: KpiAccelerator;
  /** The engine's plug-ins, passed through to `createKpiEngine`: host measure kinds (`plugin:<name>`). */
  readonly measureKinds?: KpiEngineOptions['measureKinds'];
  /** Scope resolution overrides for events, passed through to `createKpiEngine`. */
  readonly scopes?: KpiEngineOptions['scopes'];
  /** Scope resolution overrides for facts (tickets), passed through to `createKpiEngine`. */
  readonly factScopes?: KpiEngineOptions['factScopes'];
}

/**
 * What a rebuild or catch-up did, and what it took.
 *
 * @example
 * ```ts
 * const { eventsRead, durationMs, foldMs, writeMs } = await runner.catchUp();
 * log.info(`${eventsRead} events in ${durationMs} ms (fold ${foldMs}, write ${writeMs})`);
 * ```
 */
export interface KpiRunSummary {
  readonly mode: 'rebuild' | 'catch-up';
  readonly resultSetId: string;
  readonly eventsRead: number;
  /** Result rows written (on catch-up: those of the (definition, scope) groups the new events touched). */
  readonly resultsWritten: number;
  readonly watermark: bigint;
  /**
   * Where a catch-up's fold state came from: this runner's memory (`warm`), the tables (`cold`), only the
   * part of the tables its events read (`partial`: a runner that keeps no state, a few thousand new
   * events), `none` for a rebuild.
   */
  readonly restored: 'warm' | 'cold' | 'partial' | 'none';
  /** Wall-clock milliseconds of the whole call, the wait for the runner's lock included. */
  readonly durationMs: number;
  /**
   * Of those, reading events and folding them; for a catch-up also restoring the stored state (the
   * passes of a partial restore included).
   */
  readonly foldMs: number;
  /** Of those, writing results and the checkpoint (or delta), and committing. */
  readonly writeMs: number;
}

/** A run's clock: the call's duration and what its fold and write phases took, in wall-clock ms. */
class RunTimer {
  private readonly started = performance.now();
  private fold = 0;
  private write = 0;

  /** Runs `work`, adding its time to `phase`. */
  async time<T>(phase: 'fold' | 'write', work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this[phase] += performance.now() - t0;
    }
  }

  summary(): Pick<KpiRunSummary, 'durationMs' | 'foldMs' | 'writeMs'> {
    return {
      durationMs: Math.round(performance.now() - this.started),
      foldMs: Math.round(this.fold),
      writeMs: Math.round(this.write),
    };
  }
}

/** Filters of {@link KpiRunner.results}; all optional. */
export interface KpiResultQuery {
  readonly definitionKey?: string;
  readonly scopeType?: KpiResult['scopeType'];
  readonly scopeId?: string;
  /** Periods starting on or after this date (`YYYY-MM-DD`). */
  readonly periodFrom?: string;
  /** Periods starting on or before this date. */
  readonly periodTo?: string;
}

/** Where the stored results stand (see {@link KpiRunner.status}). */
export interface KpiRunnerStatus {
  /** The active result set, `null` before the first rebuild. */
  readonly resultSetId: string | null;
  /**
   * The organisation time zone the active set was built in (`null`: no set, or one built before the zone
   * was recorded). A runner in another zone is not `current`; a host (or `pet kpi`) can refuse that.
   */
  readonly orgTimeZone: string | null;
  /** Position of the last event folded into the active set (`null`: none stored). */
  readonly watermark: bigint | null;
  /** Position of the last stored event (`0n`: none). */
  readonly headPosition: bigint;
  /** Checkpoint deltas stored after the base. */
  readonly deltas: number;
  /**
   * Whether the active set was computed with this runner's definitions, organisation time zone and org
   * versions; `false` means the next `catchUp()` rebuilds.
   */
  readonly current: boolean;
  /** `current` and nothing left to fold. */
  readonly upToDate: boolean;
}

/** The KPI engine on a database: stored definitions, result sets, checkpoints. */
export interface KpiRunner {
  /** Builds a fresh result set from every event and switches readers to it at the end. */
  rebuild(): Promise<KpiRunSummary>;
  /** Folds the events after the active set's stored state in; a rebuild when there is none or the definitions, zone or org versions changed. */
  catchUp(): Promise<KpiRunSummary>;
  /** Explains a stored result of the active set. @throws PetError `NOT_FOUND` */
  explain(resultId: string): Promise<Explanation>;
  /** Results of the active set, ordered by id. */
  results(query?: KpiResultQuery): Promise<KpiResult[]>;
  /** Where the active set stands against the log and this runner's definitions (reads no checkpoint). */
  status(): Promise<KpiRunnerStatus>;
}

/** A set's delta chain is compacted into a new base once it is this long (bounds a cold restore's replay). */
const MAX_DELTAS = 32;
/**
 * At most this many new events are caught up by a partial restore (held in memory while the stored state
 * is read, a pass per round of keys learnt); more go through the whole restore, in batches.
 */
const PARTIAL_EVENTS = 10_000;
/** Base parts per query of a partial catch-up's pass (parts are 256 KB by default). */
const BASE_PAGE = 1;
/** Result rows per INSERT: 19 parameters each stays far below every database's parameter limit. */
const RESULT_CHUNK = 500;
/** How often a catch-up starts again when another runner moved the stored state under it. */
const STALE_RETRIES = 3;

/** Bookkeeping of a set's stored delta chain (the compaction rule reads it). */
interface Chain {
  deltas: number;
  deltaBytes: number;
  lastSeq: number;
  baseBytes: number;
}

/** The active set and where its stored fold state stands. */
interface ActiveSet {
  /** In the dialect's encoding. */
  readonly id: unknown;
  readonly uuid: string;
  readonly fingerprint: string;
  readonly orgTimeZone: string | null;
  readonly base: bigint | null;
  readonly head: bigint | null;
  readonly chain: Chain;
}

/** A state this runner committed, with what identifies the stored state it equals. */
interface Warm {
  readonly engine: KpiEngine;
  readonly state: KpiState;
  readonly setUuid: string;
  readonly base: bigint;
  readonly chain: Chain;
}

/** The stored state moved under a catch-up (another runner committed): start again from the tables. */
class StaleState extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const fn = (v: unknown): boolean => typeof v === 'function';

const runnerOptionsSchema = z.object({
  db: kyselySchema,
  dialect: dialectSchema,
  prefix: prefixSchema.optional(),
  definitions: z.array(z.unknown()),
  orgTimeZone: z.string(),
  orgVersions: z.array(z.unknown()).optional(),
  batchSize: z.number().int().min(1).optional(),
  onCommit: z.custom<unknown>(fn, 'must be a function').optional(),
  keepState: z.boolean().optional(),
  checkpointPartSize: z.number().int('must be an integer ≥ 2').min(2, 'must be an integer ≥ 2').optional(),
  lockTimeoutMs: z.number().int().min(0).max(86_400_000).optional(),
  ids: z.custom<unknown>((v) => isObject(v) && fn(v['next']), 'must be an IdGenerator').optional(),
  clock: z.custom<unknown>((v) => isObject(v) && fn(v['now']), 'must be a Clock').optional(),
  accelerator: z.custom<unknown>(isObject, 'must be an object of optional functions').optional(),
  measureKinds: z.array(z.unknown()).optional(),
  scopes: z.custom<unknown>(isObject, 'must be an object of scope specs').optional(),
  factScopes: z.custom<unknown>(isObject, 'must be an object of scope specs').optional(),
});

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const resultQuerySchema = z
  .object({
    definitionKey: z.string().max(100).optional(),
    // Every scope type kpi_results.scope_type stores (ticket and sla_tier since migration 2026_12_06_1002).
    scopeType: z.enum(SCOPE_TYPES as [ScopeType, ...ScopeType[]]).optional(),
    scopeId: z.string().max(64).optional(),
    periodFrom: dateSchema.optional(),
    periodTo: dateSchema.optional(),
  })
  .strict();

/** JSON with object keys sorted: equal content compares equal whatever order a database keeps keys in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    isObject(v) && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

function rowToResult(r: Record<string, unknown>): KpiResult {
  const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : toNumber(v));
  return {
    id: String(r['result_id']),
    definitionKey: String(r['definition_key']),
    definitionVersion: toNumber(r['definition_version']),
    unit: r['unit'] as KpiResult['unit'],
    scopeType: r['scope_type'] as KpiResult['scopeType'],
    scopeId: String(r['scope_id']),
    periodStart: String(r['period_start']),
    periodEnd: String(r['period_end']),
    value: toNumber(r['value']),
    numerator: toNumber(r['numerator']),
    denominator: nullable(r['denominator']),
    target: nullable(r['target']),
    classification: r['classification'] as KpiResult['classification'],
    classificationReason: String(r['classification_reason']),
    orgStructureVersion: nullable(r['org_structure_version']),
    watermark: toBigInt(r['input_watermark']),
    contributingEventCount: toNumber(r['contributing_event_count']),
  };
}

/**
 * The columns of `<prefix>kpi_results` that a result's row fills, in the order of {@link kpiResultRow}:
 * an adapter's bulk writer (MySQL's LOAD DATA, PostgreSQL's COPY) lists them in this order.
 *
 * @example `KPI_RESULT_COLUMNS.join(', ')` → `'result_set_id, result_id, definition_key, …, computed_at'`
 */
export const KPI_RESULT_COLUMNS = [
  'result_set_id',
  'result_id',
  'definition_key',
  'definition_version',
  'scope_type',
  'scope_id',
  'period_start',
  'period_end',
  'unit',
  'value',
  'numerator',
  'denominator',
  'target',
  'classification',
  'classification_reason',
  'org_structure_version',
  'input_watermark',
  'contributing_event_count',
  'computed_at',
] as const;

/**
 * A result → its `kpi_results` row, as the portable writer INSERTs it (the set id and `computed_at`
 * already in the dialect's encoding), keyed by {@link KPI_RESULT_COLUMNS}.
 *
 * @example `await db.insertInto('pet_kpi_results').values(kpiResultRow(setId, result, computedAt)).execute()`
 */
export function kpiResultRow(
  setId: unknown,
  r: KpiResult,
  computedAt: unknown,
): Record<(typeof KPI_RESULT_COLUMNS)[number], unknown> {
  return {
    result_set_id: setId,
    result_id: r.id,
    definition_key: r.definitionKey,
    definition_version: r.definitionVersion,
    scope_type: r.scopeType,
    scope_id: r.scopeId,
    period_start: r.periodStart,
    period_end: r.periodEnd,
    unit: r.unit,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    target: r.target,
    classification: r.classification,
    classification_reason: r.classificationReason,
    org_structure_version: r.orgStructureVersion,
    input_watermark: bigParam(r.watermark),
    contributing_event_count: r.contributingEventCount,
    computed_at: computedAt,
  };
}

/**
 * The portable result writer: multi-row INSERTs of {@link RESULT_CHUNK} rows streamed from `rows`; with
 * `replace`, each chunk's ids are deleted first (results are derived data, recomputed whole).
 */
async function insertResults(trx: AnyTransaction, w: KpiResultWrite): Promise<number> {
  let count = 0;
  let chunk: Record<string, unknown>[] = [];
  const flush = async (): Promise<void> => {
    if (w.replace) {
      await trx
        .deleteFrom(w.table)
        .where('result_set_id', '=', w.setId)
        .where(
          'result_id',
          'in',
          chunk.map((r) => r['result_id']),
        )
        .execute();
    }
    await trx.insertInto(w.table).values(chunk).execute();
    count += chunk.length;
    chunk = [];
  };
  for (const r of w.rows) {
    chunk.push(kpiResultRow(w.setId, r, w.computedAt));
    if (chunk.length === RESULT_CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return count;
}

/**
 * The KPI runner written once for every database: keeps `<prefix>kpi_results` equal to a pure fold of
 * `<prefix>domain_events`.
 *
 * - `rebuild()` folds every event (streamed in pages: memory stays bounded) into a new `building` result
 *   set, then in one transaction writes its results and checkpoint, retires the active set and activates
 *   the new one — readers never see a half-built set;
 * - `catchUp()` restores the active set's checkpoint and its deltas (or reuses the state this runner last
 *   committed) and folds the newer events in batches; each batch commits its changed results with a
 *   checkpoint delta in one transaction, after checking that the stored state is still the one it
 *   restored (another runner's commit makes it start again from the tables), so after a crash the next
 *   catch-up resumes from the last commit and ends equal to a full rebuild. A chain of 32 deltas, or
 *   deltas outweighing a quarter of the base, is compacted into a new base. A stored state that cannot be
 *   read back is a cache: `catchUp()` rebuilds instead;
 * - the active set's fingerprint covers the definitions, the organisation's time zone and the org
 *   versions: a runner with another zone never folds into a set computed under the stored one, it
 *   rebuilds (`status().current` tells beforehand);
 * - both run under the dialect's named lock `lockName(database, prefix, 'kpi-runner')`, the database being
 *   the one in use (`databaseInUse` where the dialect has it), so concurrent runs queue instead of racing,
 *   and two databases with one prefix never wait for each other;
 * - definition versions are stored in `<prefix>kpi_definition_versions` (append-only); a stored key@version with
 *   different content is refused (`IMMUTABLE_ROW`): publish a new version instead.
 *
 * @example
 * ```ts
 * const { db, dialect } = openSqlite({ path: 'pet.db' });
 * const runner = createKpiRunner({ db, dialect, prefix: 'pet_', definitions: catalogueV1({ currency: 'EUR' }), orgTimeZone: 'Europe/Berlin' });
 * await runner.catchUp();
 * const rows = await runner.results({ definitionKey: 'sales.win-rate', periodFrom: '2026-01-01' });
 * if (rows[0] !== undefined) console.log((await runner.explain(rows[0].id)).why);
 * ```
 */
export function createKpiRunner(options: KpiRunnerOptions): KpiRunner {
  parseInput(runnerOptionsSchema, options, 'KPI runner options');
  const { db, dialect } = options;
  // A dialect whose gap safety lacks what it needs is refused here, before anything runs.
  gapReader(dialect, 'createKpiRunner');
  const prefix = options.prefix ?? '';
  const c = dialect.codecs;
  const t = (name: string): string => `${prefix}${name}`;
  const SETS = t('kpi_result_sets');
  const CHECKPOINTS = t('kpi_checkpoints');
  const PARTS = t('kpi_checkpoint_parts');
  const RESULTS = t('kpi_results');
  const batchSize = options.batchSize ?? 50_000;
  const partSize = options.checkpointPartSize ?? PART_BYTES;
  const lockTimeoutMs = options.lockTimeoutMs ?? 600_000;
  const ids = options.ids ?? runnerIds;
  const clock = options.clock ?? runnerClock;
  const accel = options.accelerator ?? {};
  const now = (): unknown => c.encodeInstant(clock.now());
  const typed = (e: unknown, what: string): PetError => (isPetError(e) ? e : dialect.classifyError(e, what));

  const orgVersions = async (q: AnyDatabase): Promise<readonly Identity.OrgVersionSnapshot[]> =>
    options.orgVersions ?? (await loadOrgVersions(q, dialect, prefix));

  // Building an engine validates and fingerprints every definition: reuse it while the org versions are the same.
  let engineMemo: { readonly key: string; readonly engine: KpiEngine } | null = null;
  const engineNow = async (q: AnyDatabase): Promise<KpiEngine> => {
    const versions = await orgVersions(q);
    const key = options.orgVersions === undefined ? JSON.stringify(versions) : '';
    if (engineMemo?.key === key) return engineMemo.engine;
    const engine = createKpiEngine({
      definitions: options.definitions,
      orgTimeZone: options.orgTimeZone,
      orgVersions: versions,
      ...(options.measureKinds === undefined ? {} : { measureKinds: options.measureKinds }),
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
      ...(options.factScopes === undefined ? {} : { factScopes: options.factScopes }),
    });
    engineMemo = { key, engine };
    return engine;
  };

  // Named after the database the sessions work in (the dialect's `databaseInUse`, read once): a MySQL pool
  // configured without a database would otherwise give every database of one prefix the same lock.
  let runnerLock: Promise<string> | undefined;
  const runnerLockName = (q: AnyDatabase): Promise<string> =>
    (runnerLock ??= (dialect.databaseInUse?.(q) ?? Promise.resolve(dialect.database)).then(
      (database) => lockName(database, prefix, 'kpi-runner'),
      (e: unknown) => {
        runnerLock = undefined;
        throw typed(e, 'kpi runner lock');
      },
    ));

  /** Runs `work` under the runner lock, on the lock's session where the lock belongs to one. */
  const withLock = async <T>(work: (q: AnyDatabase) => Promise<T>): Promise<T> => {
    const name = await runnerLockName(db);
    const run = async (q: AnyDatabase): Promise<T> => {
      let attempt: Awaited<ReturnType<PetDialect['acquireLock']>>;
      try {
        attempt = await dialect.acquireLock(q, name, lockTimeoutMs);
      } catch (e) {
        throw typed(e, 'kpi runner lock');
      }
      if (attempt.outcome === 'timeout') {
        throw new PetError(
          'LOCK_TIMEOUT',
          `KPI runner lock ${name} not acquired within ${lockTimeoutMs} ms (another run holds it)`,
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

  const transaction = async (q: AnyDatabase, what: string, work: (trx: AnyTransaction) => Promise<void>) => {
    try {
      await q.transaction().execute(work);
    } catch (e) {
      if (e instanceof StaleState) throw e;
      throw typed(e, what);
    }
  };

  const storeDefinitions = async (q: AnyDatabase, engine: KpiEngine): Promise<void> => {
    const keys = [...new Set(engine.definitions.map((d) => d.key))];
    if (keys.length === 0) return;
    await transaction(q, 'storeDefinitions', async (trx) => {
      // One read of every stored version of these keys, not a query per definition.
      const existing: Record<string, unknown>[] = await trx
        .selectFrom(t('kpi_definition_versions'))
        .select(['definition_key', 'version_number', 'definition'])
        .where('definition_key', 'in', keys)
        .execute();
      const storedBy = new Map(
        existing.map((r) => [
          `${String(r['definition_key'])}@${toNumber(r['version_number'])}`,
          canonical(c.decodeJson(r['definition'])),
        ]),
      );
      for (const d of engine.definitions) {
        const stored = storedBy.get(versionId(d));
        if (stored !== undefined) {
          if (stored !== canonical(d)) {
            throw new PetError(
              'IMMUTABLE_ROW',
              `KPI definition ${versionId(d)} is stored with other content: publish a new version`,
              { details: { definition: versionId(d) } },
            );
          }
          continue;
        }
        await trx
          .insertInto(t('kpi_definition_versions'))
          .values({
            id: c.encodeId(ids.next()),
            definition_key: d.key,
            version_number: d.version,
            definition: c.encodeJson(d),
          })
          .execute();
        const head: Record<string, unknown> | undefined = await trx
          .selectFrom(t('kpi_definitions'))
          .select(['current_version'])
          .where('definition_key', '=', d.key)
          .executeTakeFirst();
        if (head === undefined) {
          await trx
            .insertInto(t('kpi_definitions'))
            .values({
              id: c.encodeId(ids.next()),
              definition_key: d.key,
              name: d.name,
              unit: d.unit,
              state: 'active',
              current_version: d.version,
            })
            .execute();
        } else if (d.version >= toNumber(head['current_version'])) {
          await trx
            .updateTable(t('kpi_definitions'))
            .set({ current_version: d.version, name: d.name, updated_at: now() })
            .where('definition_key', '=', d.key)
            .execute();
        }
      }
    });
  };

  /** Folds the events after `after` (at most `limit`) into `state`; resolves with how many. */
  /** Hands the events after `after` (at most `limit`) to `each` in position order; resolves with their number. */
  const eachEvent = async (
    q: AnyDatabase,
    engine: KpiEngine,
    after: bigint,
    limit: number | undefined,
    each: (e: KpiEvent) => void,
  ): Promise<number> => {
    if (accel.foldEvents !== undefined) {
      try {
        return await accel.foldEvents(after, limit, each);
      } catch (e) {
        throw typed(e, 'kpi fold');
      }
    }
    let n = 0;
    // Only the fold's event types carry context and payload: the others move the watermark and clock only.
    for await (const e of readKpiEvents(q, dialect, prefix, { after, limit, reads: engine.eventTypes })) {
      each(e);
      n++;
    }
    return n;
  };
  const fold = (
    q: AnyDatabase,
    engine: KpiEngine,
    state: KpiState,
    after: bigint,
    limit: number | undefined,
  ): Promise<number> => eachEvent(q, engine, after, limit, (e) => engine.apply(state, e));

  const writeResults = (trx: AnyTransaction, setId: unknown, rows: Iterable<KpiResult>, replace: boolean) => {
    const write: KpiResultWrite = { table: RESULTS, setId, rows, computedAt: now(), replace };
    return accel.writeResults !== undefined ? accel.writeResults(trx, write) : insertResults(trx, write);
  };

  /** Writes one link of a set's chain (`seq` 0: the base), as stored (compressed), in parts; returns its bytes. */
  const writeLink = async (
    trx: AnyTransaction,
    setId: unknown,
    seq: number,
    from: bigint,
    watermark: bigint,
    stored: string | Iterable<string> | AsyncIterable<string>,
  ): Promise<number> => {
    let part = 0;
    let bytes = 0;
    for await (const body of partBytes(typeof stored === 'string' ? [stored] : stored, partSize)) {
      await trx
        .insertInto(PARTS)
        .values({
          result_set_id: setId,
          seq,
          part: part++,
          from_watermark: bigParam(from),
          watermark: bigParam(watermark),
          body: body.toString('utf8'),
        })
        .execute();
      bytes += body.length;
    }
    return bytes;
  };

  /** Writes the full checkpoint as the set's new base (replacing its chain); returns its stored bytes. */
  const writeCheckpoint = async (
    trx: AnyTransaction,
    setId: unknown,
    engine: KpiEngine,
    state: KpiState,
    stored: Iterable<string> | AsyncIterable<string> = deflateLinkPieces(engine.checkpointJson(state)),
  ): Promise<number> => {
    await trx.deleteFrom(CHECKPOINTS).where('result_set_id', '=', setId).execute();
    // `kpi_checkpoints` keeps the base's watermark and fingerprint; the state itself lives in parts.
    await trx
      .insertInto(CHECKPOINTS)
      .values({
        result_set_id: setId,
        watermark: bigParam(state.watermark),
        fingerprint: engine.fingerprint,
        checkpoint: '',
        updated_at: now(),
      })
      .execute();
    await trx.deleteFrom(PARTS).where('result_set_id', '=', setId).execute();
    // Compressed as it is made and written part by part: a large state never exists as one string.
    return writeLink(trx, setId, 0, state.watermark, state.watermark, stored);
  };

  /**
   * The checkpoint of `state`, compressed, made while the results are written: its JSON and compression
   * fill the time the writer waits for the database (a rebuild's results are server-bound), and only the
   * compressed text is held (≈ 10 MB at 1M events). `stop()` ends it early when the write failed.
   */
  const checkpointAhead = (engine: KpiEngine, state: KpiState) => {
    let stopped = false;
    const done = (async () => {
      const pieces: string[] = [];
      // Leaving the loop returns the generator: the compression stops too.
      for await (const piece of deflateLinkPieces(engine.checkpointJson(state))) {
        if (stopped) break;
        pieces.push(piece);
      }
      return pieces;
    })();
    // Awaited after the results are written; a failed write must not leave it unhandled.
    done.catch(() => undefined);
    return {
      done,
      stop: () => {
        stopped = true;
      },
    };
  };

  /** The active set and where its stored state stands, without reading the checkpoint itself. */
  const activeSet = async (q: AnyDatabase): Promise<ActiveSet | null> => {
    try {
      const set: Record<string, unknown> | undefined = await q
        .selectFrom(SETS)
        .select(['id', 'fingerprint', 'org_time_zone'])
        .where('state', '=', 'active')
        .limit(1)
        .executeTakeFirst();
      if (set === undefined) return null;
      const base: Record<string, unknown> | undefined = await q
        .selectFrom(CHECKPOINTS)
        .select(['watermark'])
        .where('result_set_id', '=', set['id'])
        .executeTakeFirst();
      const agg: Record<string, unknown> | undefined = await q
        .selectFrom(PARTS)
        .select([
          sql<number>`count(distinct case when seq > 0 then seq end)`.as('deltas'),
          sql<number>`coalesce(sum(case when seq > 0 then length(body) end), 0)`.as('delta_bytes'),
          sql<number>`max(case when seq > 0 then seq end)`.as('last_seq'),
          sql<number>`max(case when seq > 0 then watermark end)`.as('last_watermark'),
          sql<number>`sum(case when seq = 0 then 1 else 0 end)`.as('base_parts'),
        ])
        .where('result_set_id', '=', set['id'])
        .executeTakeFirst();
      // A base without parts (none stored) counts as none: rebuild.
      const baseParts = toNumber(agg?.['base_parts'] ?? 0);
      const b = base === undefined || baseParts === 0 ? null : toBigInt(base['watermark']);
      const lastW = agg?.['last_watermark'];
      const last = lastW === null || lastW === undefined ? null : toBigInt(lastW);
      const lastSeq = agg?.['last_seq'];
      return {
        id: set['id'],
        uuid: c.decodeId(set['id']),
        fingerprint: String(set['fingerprint']),
        orgTimeZone: set['org_time_zone'] === null ? null : String(set['org_time_zone']),
        base: b,
        head: b === null || last === null || last < b ? b : last,
        chain: {
          deltas: toNumber(agg?.['deltas'] ?? 0),
          deltaBytes: toNumber(agg?.['delta_bytes'] ?? 0),
          lastSeq: lastSeq === null || lastSeq === undefined ? 0 : toNumber(lastSeq),
          baseBytes: 0,
        },
      };
    } catch (e) {
      throw typed(e, 'catchUp');
    }
  };

  const baseBytes = async (q: AnyDatabase, setId: unknown): Promise<number> => {
    try {
      const r: Record<string, unknown> | undefined = await q
        .selectFrom(PARTS)
        .select(sql<number>`coalesce(sum(length(body)), 0)`.as('n'))
        .where('result_set_id', '=', setId)
        .where('seq', '=', 0)
        .executeTakeFirst();
      return toNumber(r?.['n'] ?? 0);
    } catch (e) {
      throw typed(e, 'catchUp');
    }
  };

  /** The stored chain: the base's compressed parts, the deltas (compressed), and its bookkeeping. */
  /** The stored parts of a set's links from `seq` on, by link, in order. */
  const partsBySeq = async (
    q: AnyDatabase,
    set: Pick<ActiveSet, 'id'>,
    from: number,
  ): Promise<Map<number, string[]>> => {
    const bySeq = new Map<number, string[]>();
    try {
      const rows: Record<string, unknown>[] = await q
        .selectFrom(PARTS)
        .select(['seq', 'body'])
        .where('result_set_id', '=', set.id)
        .where('seq', '>=', from)
        .orderBy('seq')
        .orderBy('part')
        .execute();
      for (const r of rows) {
        const seq = toNumber(r['seq']);
        const parts = bySeq.get(seq) ?? [];
        parts.push(String(r['body']));
        bySeq.set(seq, parts);
      }
    } catch (e) {
      throw typed(e, 'catchUp');
    }
    return bySeq;
  };

  const readChain = async (
    q: AnyDatabase,
    set: Pick<ActiveSet, 'id'>,
  ): Promise<{ base: string[]; deltas: string[]; chain: Chain }> => {
    const bySeq = await partsBySeq(q, set, 0);
    const [base = [], ...deltaParts] = [...bySeq.values()];
    const deltas = deltaParts.map((parts) => parts.join(''));
    // The chain as read here (one statement), not as `activeSet` saw it a moment before.
    const chain: Chain = {
      deltas: deltas.length,
      deltaBytes: deltas.reduce((n, d) => n + Buffer.byteLength(d), 0),
      lastSeq: Math.max(0, ...bySeq.keys()),
      baseBytes: base.reduce((n, part) => n + Buffer.byteLength(part), 0),
    };
    return { base, deltas, chain };
  };

  /**
   * The stored chain without the base's bodies (their lengths only), and a reader of the base's parts,
   * a few at a time, as a partial catch-up reads it once per pass: the base is never held.
   */
  const readChainLazily = async (
    q: AnyDatabase,
    set: Pick<ActiveSet, 'id'>,
  ): Promise<{ base: () => AsyncIterable<string>; deltas: string[]; chain: Chain }> => {
    let baseBytes = 0;
    try {
      const sizes: Record<string, unknown>[] = await q
        .selectFrom(PARTS)
        .select(sql<number>`length(body)`.as('n'))
        .where('result_set_id', '=', set.id)
        .where('seq', '=', 0)
        .execute();
      for (const r of sizes) baseBytes += toNumber(r['n']);
    } catch (e) {
      throw typed(e, 'catchUp');
    }
    const bySeq = await partsBySeq(q, set, 1);
    const deltas = [...bySeq.values()].map((parts) => parts.join(''));
    const chain: Chain = {
      deltas: deltas.length,
      deltaBytes: deltas.reduce((n, d) => n + Buffer.byteLength(d), 0),
      lastSeq: Math.max(0, ...bySeq.keys()),
      baseBytes,
    };
    async function* base(): AsyncGenerator<string, void, undefined> {
      let after = -1;
      for (;;) {
        const page: Record<string, unknown>[] = await q
          .selectFrom(PARTS)
          .select(['part', 'body'])
          .where('result_set_id', '=', set.id)
          .where('seq', '=', 0)
          .where('part', '>', after)
          .orderBy('part')
          .limit(BASE_PAGE)
          .execute();
        for (const r of page) {
          after = toNumber(r['part']);
          yield String(r['body']);
        }
        if (page.length < BASE_PAGE) return;
      }
    }
    return { base, deltas, chain };
  };

  /** The base checkpoint and its deltas replayed; `null` when the chain cannot be read back (damaged). */
  const restoreStored = async (
    q: AnyDatabase,
    engine: KpiEngine,
    set: Pick<ActiveSet, 'id'>,
  ): Promise<{ state: KpiState; chain: Chain } | null> => {
    const { base, deltas, chain } = await readChain(q, set);
    try {
      // The base (the large link) is inflated and parsed a line at a time; deltas are small.
      const state = await engine.restoreJson(
        inflateLinkPieces(base),
        deltas.map((d) => JSON.parse(inflateLink(d)) as KpiCheckpointDelta),
      );
      return { state, chain };
    } catch {
      return null;
    }
  };

  /** Inside a catch-up's commit: the stored state must still be the one the batch folded on. */
  const assertStillAt = async (trx: AnyTransaction, set: ActiveSet, head: bigint): Promise<void> => {
    // Lock the set's row first (a no-op update): concurrent commits of one set queue here, and the read
    // below sees the one that went before (MySQL takes its read view at the first plain read).
    await trx
      .updateTable(SETS)
      .set({ state: 'active' })
      .where('id', '=', set.id)
      .where('state', '=', 'active')
      .execute();
    const row: Record<string, unknown> | undefined = await trx
      .selectFrom(SETS)
      .select([
        'state',
        (eb) =>
          eb
            .selectFrom(PARTS)
            .select(sql<number>`max(watermark)`.as('w'))
            .where('result_set_id', '=', set.id)
            .as('head'),
      ])
      .where('id', '=', set.id)
      .executeTakeFirst();
    const stored = row?.['head'];
    if (row?.['state'] !== 'active' || stored === null || stored === undefined || toBigInt(stored) !== head) {
      throw new StaleState();
    }
  };

  let warm: Warm | null = null;
  const keepState = options.keepState ?? true;
  const remember = (w: Warm): void => {
    if (keepState) warm = w;
  };

  const rebuildLocked = async (q: AnyDatabase, timer: RunTimer): Promise<KpiRunSummary> => {
    warm = null;
    const engine = await engineNow(q);
    await storeDefinitions(q, engine);
    const setUuid = ids.next();
    const setId = c.encodeId(setUuid);
    try {
      // A set left `building` by a crashed rebuild is never activated.
      await q.updateTable(SETS).set({ state: 'abandoned' }).where('state', '=', 'building').execute();
      await q
        .insertInto(SETS)
        .values({
          id: setId,
          state: 'building',
          fingerprint: engine.fingerprint,
          org_time_zone: options.orgTimeZone,
        })
        .execute();
    } catch (e) {
      throw typed(e, 'rebuild');
    }
    const state = engine.initialState();
    const eventsRead = await timer.time('fold', () => fold(q, engine, state, 0n, undefined));
    let written = 0;
    let bytes = 0;
    await timer.time('write', () =>
      transaction(q, 'rebuild', async (trx) => {
        const ahead = checkpointAhead(engine, state);
        try {
          // Streamed from the state, one (definition, scope) group at a time: the full result list never exists.
          written = await writeResults(trx, setId, engine.eachResult(state), false);
        } catch (e) {
          ahead.stop();
          throw e;
        }
        bytes = await writeCheckpoint(trx, setId, engine, state, await ahead.done);
        await trx.updateTable(SETS).set({ state: 'retired' }).where('state', '=', 'active').execute();
        // Retired and abandoned sets are never caught up again: their fold state is dead cache (their results stay).
        await trx.deleteFrom(PARTS).where('result_set_id', '<>', setId).execute();
        await trx
          .updateTable(SETS)
          .set({ state: 'active', activated_at: now() })
          .where('id', '=', setId)
          .execute();
      }),
    );
    remember({
      engine,
      state,
      setUuid,
      base: state.watermark,
      chain: { deltas: 0, deltaBytes: 0, lastSeq: 0, baseBytes: bytes },
    });
    return {
      mode: 'rebuild',
      resultSetId: setUuid,
      eventsRead,
      resultsWritten: written,
      watermark: state.watermark,
      restored: 'none',
      ...timer.summary(),
    };
  };

  /**
   * A catch-up restoring only what its new events read (`engine.catchUpJson`), for a runner that keeps no
   * state (a job): its memory is that of the events and the tuples they read, not of the whole state.
   * `null` where the whole restore must run instead: more new events than one partial batch, a chain due
   * for compaction (the whole state writes the new base), or a chain that cannot be read back.
   */
  const catchUpPartial = async (
    q: AnyDatabase,
    engine: KpiEngine,
    active: ActiveSet,
    timer: RunTimer,
  ): Promise<KpiRunSummary | null> => {
    const head = active.head ?? (active.base as bigint);
    const limit = Math.min(PARTIAL_EVENTS, batchSize);
    const events: KpiEvent[] = [];
    await timer.time('fold', () => eachEvent(q, engine, head, limit + 1, (e) => events.push(e)));
    if (events.length > limit) return null;
    const summary = (watermark: bigint, written: number): KpiRunSummary => ({
      mode: 'catch-up',
      resultSetId: active.uuid,
      eventsRead: events.length,
      resultsWritten: written,
      watermark,
      restored: 'partial',
      ...timer.summary(),
    });
    if (events.length === 0) return summary(head, 0);
    const { base, deltas, chain } = await readChainLazily(q, active);
    // Due for compaction already (the new delta only adds to it): the whole restore, without the passes.
    if (chain.deltas >= MAX_DELTAS || chain.deltaBytes * 4 > chain.baseBytes) return null;
    // Each pass reads the base from the tables a few parts at a time, and inflates the deltas one at a
    // time, as text: a pass parses only the lines it keeps (a chain may hold a quarter of the base's size).
    const parsed = function* () {
      for (const d of deltas) yield inflateLink(d);
    };
    let state: KpiState;
    try {
      state = await timer.time('fold', () =>
        engine.catchUpJson(() => inflateLinkPieces(base()), parsed, events),
      );
    } catch {
      return null;
    }
    const stored = deflateLink(checkpointDeltaText(engine.checkpointDelta(state)));
    // A chain due for compaction takes the whole restore, which writes the new base from the state.
    if ((chain.deltaBytes + stored.length) * 4 > chain.baseBytes) return null;
    let written = 0;
    await timer.time('write', () =>
      transaction(q, 'catchUp', async (trx) => {
        // The chain read may be newer than `head` (another runner committed): then this throws and the catch-up starts again.
        await assertStillAt(trx, active, head);
        written = await writeResults(trx, active.id, engine.eachResult(state, head), true);
        await writeLink(trx, active.id, chain.lastSeq + 1, head, state.watermark, stored);
      }),
    );
    await options.onCommit?.(state.watermark);
    return summary(state.watermark, written);
  };

  const catchUpOnce = async (q: AnyDatabase, allowWarm: boolean, timer: RunTimer): Promise<KpiRunSummary> => {
    const cached = allowWarm ? warm : null;
    warm = null;
    const engine = await engineNow(q);
    const active = await activeSet(q);
    if (active === null || active.base === null || active.fingerprint !== engine.fingerprint)
      return rebuildLocked(q, timer);
    let state: KpiState;
    let chain: Chain;
    let base = active.base;
    let restored: 'warm' | 'cold';
    let folding = engine;
    if (
      cached !== null &&
      cached.setUuid === active.uuid &&
      cached.engine.fingerprint === engine.fingerprint &&
      cached.state.watermark === active.head
    ) {
      restored = 'warm';
      folding = cached.engine;
      state = cached.state;
      // The head matches, but another runner may have compacted the chain meanwhile: take its bookkeeping.
      chain = {
        ...active.chain,
        baseBytes: cached.base === active.base ? cached.chain.baseBytes : await baseBytes(q, active.id),
      };
    } else {
      if (!keepState) {
        const partial = await catchUpPartial(q, engine, active, timer);
        if (partial !== null) return partial;
      }
      restored = 'cold';
      const stored = await timer.time('fold', () => restoreStored(q, engine, active));
      if (stored === null) return rebuildLocked(q, timer);
      ({ state, chain } = stored);
    }
    const keep = (): void =>
      remember({ engine: folding, state, setUuid: active.uuid, base, chain: { ...chain } });
    let eventsRead = 0;
    let resultsWritten = 0;
    for (;;) {
      // From here the state may run ahead of the tables until the batch commits.
      warm = null;
      const since = state.watermark;
      const n = await timer.time('fold', () => fold(q, folding, state, since, batchSize));
      if (n === 0) break;
      eventsRead += n;
      let written = 0;
      let deltaBytes = 0;
      let compact = false;
      await timer.time('write', () =>
        transaction(q, 'catchUp', async (trx) => {
          await assertStillAt(trx, active, since);
          // Only the (definition, scope) groups this batch touched.
          written = await writeResults(trx, active.id, folding.eachResult(state, since), true);
          // A chain at its length limit is compacted whatever the delta's size: the delta is not computed.
          const full = chain.deltas >= MAX_DELTAS;
          const delta = full ? '' : deflateLink(checkpointDeltaText(folding.checkpointDelta(state)));
          deltaBytes = delta.length;
          compact = full || (chain.deltaBytes + deltaBytes) * 4 > chain.baseBytes;
          if (compact) {
            chain.baseBytes = await writeCheckpoint(trx, active.id, folding, state);
          } else {
            await writeLink(trx, active.id, chain.lastSeq + 1, since, state.watermark, delta);
          }
        }),
      );
      if (compact) {
        base = state.watermark;
        chain.deltas = 0;
        chain.deltaBytes = 0;
        chain.lastSeq = 0;
      } else {
        chain.deltas++;
        chain.deltaBytes += deltaBytes;
        chain.lastSeq++;
      }
      resultsWritten += written;
      keep();
      await options.onCommit?.(state.watermark);
      if (n < batchSize) break;
    }
    keep();
    return {
      mode: 'catch-up',
      resultSetId: active.uuid,
      eventsRead,
      resultsWritten,
      watermark: state.watermark,
      restored,
      ...timer.summary(),
    };
  };

  const catchUpLocked = async (q: AnyDatabase, timer: RunTimer): Promise<KpiRunSummary> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await catchUpOnce(q, attempt === 1, timer);
      } catch (e) {
        if (!(e instanceof StaleState)) throw e;
        warm = null;
        if (attempt > STALE_RETRIES) {
          throw new PetError(
            'CONCURRENCY_CONFLICT',
            'catchUp: another KPI runner kept moving the stored state (is a runner without the lock running?)',
            { retryable: true, details: { attempts: attempt } },
          );
        }
      }
    }
  };

  const activeResults = (query: KpiResultQuery) => {
    let qb = db
      .selectFrom(`${RESULTS} as r`)
      .innerJoin(`${SETS} as s`, 's.id', 'r.result_set_id')
      .selectAll('r')
      .where('s.state', '=', 'active');
    if (query.definitionKey !== undefined) qb = qb.where('r.definition_key', '=', query.definitionKey);
    if (query.scopeType !== undefined) qb = qb.where('r.scope_type', '=', query.scopeType);
    if (query.scopeId !== undefined) qb = qb.where('r.scope_id', '=', query.scopeId);
    if (query.periodFrom !== undefined) qb = qb.where('r.period_start', '>=', query.periodFrom);
    if (query.periodTo !== undefined) qb = qb.where('r.period_start', '<=', query.periodTo);
    return qb;
  };

  return {
    rebuild: () => {
      const timer = new RunTimer();
      return withLock((q) => rebuildLocked(q, timer));
    },
    catchUp: () => {
      const timer = new RunTimer();
      return withLock((q) => catchUpLocked(q, timer));
    },
    async results(query: KpiResultQuery = {}): Promise<KpiResult[]> {
      const q = parseInput(resultQuerySchema, query, 'KPI result query') as KpiResultQuery;
      try {
        const rows: Record<string, unknown>[] = await activeResults(q).orderBy('r.result_id').execute();
        return rows.map(rowToResult);
      } catch (e) {
        throw typed(e, 'results');
      }
    },
    async explain(resultId: string): Promise<Explanation> {
      if (typeof resultId !== 'string' || resultId.length === 0 || resultId.length > 255) {
        throw new ValidationError('KPI explain', [{ field: 'resultId', rule: 'must be a result id' }]);
      }
      const engine = await engineNow(db);
      let row: Record<string, unknown> | undefined;
      try {
        row = await db
          .selectFrom(`${RESULTS} as r`)
          .innerJoin(`${SETS} as s`, 's.id', 'r.result_set_id')
          .selectAll('r')
          .where('s.state', '=', 'active')
          .where('r.result_id', '=', resultId)
          .executeTakeFirst();
      } catch (e) {
        throw typed(e, 'explain');
      }
      if (row === undefined) {
        throw new PetError('NOT_FOUND', `no KPI result ${resultId} in the active result set`, {
          details: { resultId },
        });
      }
      // The stream from the start, with payloads only where the result's definition reads them.
      return explain(engine, rowToResult(row), (reads) =>
        accel.readEvents !== undefined
          ? accel.readEvents(0n, reads)
          : readKpiEvents(db, dialect, prefix, { after: 0n, reads }),
      );
    },
    async status(): Promise<KpiRunnerStatus> {
      const engine = await engineNow(db);
      const active = await activeSet(db);
      let headPosition: bigint;
      try {
        const r: Record<string, unknown> | undefined = await db
          .selectFrom(t(EVENTS_TABLE))
          .select(sql<number>`max(position)`.as('p'))
          .executeTakeFirst();
        const p = r?.['p'];
        headPosition = p === null || p === undefined ? 0n : toBigInt(p);
      } catch (e) {
        throw typed(e, 'status');
      }
      const current = active !== null && active.base !== null && active.fingerprint === engine.fingerprint;
      return {
        resultSetId: active?.uuid ?? null,
        orgTimeZone: active?.orgTimeZone ?? null,
        watermark: active?.head ?? null,
        headPosition,
        deltas: active?.chain.deltas ?? 0,
        current,
        upToDate: current && (active?.head ?? 0n) >= headPosition,
      };
    },
  };
}
