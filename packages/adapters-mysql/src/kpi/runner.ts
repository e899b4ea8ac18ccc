import { type Identity, PetError, type StoredEvent, ValidationError } from '@pet-ops/core';
import {
  createKpiEngine,
  type Explanation,
  explain,
  type KpiDefinitionVersion,
  type KpiEngine,
  type KpiResult,
  type KpiState,
  versionId,
} from '@pet-ops/kpi';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { mapDriverError } from '../errors.js';
import { createMysqlEventStore } from '../event-store/index.js';
import { instantToSql } from '../internal/datetime.js';
import { loadOrgVersions } from '../internal/org-versions.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { parseTablePrefix } from '../prefix.js';
import { systemClock, uuidV7Ids } from '../system.js';

/** What a KPI runner computes with. */
export interface KpiRunnerOptions {
  /** A pool made by `connect()` (at least 3 connections: a lock, the event stream and writes). */
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
}

/** What a rebuild or catch-up did. */
export interface KpiRunSummary {
  readonly mode: 'rebuild' | 'catch-up';
  readonly resultSetId: string;
  readonly eventsRead: number;
  /** Result rows written (on catch-up: those of the (definition, scope) groups the new events touched). */
  readonly resultsWritten: number;
  readonly watermark: bigint;
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

/** The KPI engine on MySQL: stored definitions, result sets, checkpoints. */
export interface KpiRunner {
  /** Builds a fresh result set from every event and switches readers to it at the end. */
  rebuild(): Promise<KpiRunSummary>;
  /** Folds the events after the active set's checkpoint in (a rebuild when there is none or the definitions, zone or org versions changed). */
  catchUp(): Promise<KpiRunSummary>;
  /** Explains a stored result of the active set. @throws PetError `NOT_FOUND` */
  explain(resultId: string): Promise<Explanation>;
  /** Results of the active set, ordered by id. */
  results(query?: KpiResultQuery): Promise<KpiResult[]>;
}

interface ResultRow extends RowDataPacket {
  result_id: string;
  definition_key: string;
  definition_version: number;
  scope_type: KpiResult['scopeType'];
  scope_id: string;
  period_start: string;
  period_end: string;
  unit: KpiResult['unit'];
  value: string;
  numerator: string;
  denominator: string | null;
  target: string | null;
  classification: KpiResult['classification'];
  classification_reason: string;
  org_structure_version: number | null;
  input_watermark: string;
  contributing_event_count: number;
}

const RESULT_COLUMNS = [
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
const ROWS_PER_INSERT = 500;

function rowToResult(r: ResultRow): KpiResult {
  return {
    id: r.result_id,
    definitionKey: r.definition_key,
    definitionVersion: Number(r.definition_version),
    unit: r.unit,
    scopeType: r.scope_type,
    scopeId: r.scope_id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    value: Number(r.value),
    numerator: Number(r.numerator),
    denominator: r.denominator === null ? null : Number(r.denominator),
    target: r.target === null ? null : Number(r.target),
    classification: r.classification,
    classificationReason: r.classification_reason,
    orgStructureVersion: r.org_structure_version === null ? null : Number(r.org_structure_version),
    watermark: BigInt(r.input_watermark),
    contributingEventCount: Number(r.contributing_event_count),
  };
}

/**
 * The KPI runner: keeps `<prefix>kpi_results` equal to a pure fold of `<prefix>domain_events`.
 *
 * - `rebuild()` folds every event into a new `building` result set, then in one transaction writes its
 *   results and checkpoint, retires the active set and activates the new one — readers never see a
 *   half-built set;
 * - `catchUp()` restores the active set's checkpoint and folds the newer events in batches; each batch
 *   commits its changed results with the new checkpoint in one transaction, so after a crash the next
 *   catch-up resumes from the last commit and ends equal to a full rebuild;
 * - both run under a named lock (`GET_LOCK`), so concurrent runs queue instead of racing;
 * - definition versions are stored in `<prefix>kpi_def_versions` (append-only); a stored key@version
 *   with different content is refused (`IMMUTABLE_ROW`): publish a new version instead.
 *
 * @example
 * ```ts
 * const runner = createKpiRunner({ pool, prefix: '', definitions: catalogueV1({ currency: 'EUR' }), orgTimeZone: 'Europe/Berlin' });
 * await runner.catchUp();
 * const rows = await runner.results({ definitionKey: 'sales.win-rate', periodFrom: '2026-01-01' });
 * const why = await runner.explain(rows[0].id);
 * ```
 */
export function createKpiRunner(options: KpiRunnerOptions): KpiRunner {
  const { pool } = options;
  const prefix = parseTablePrefix(options.prefix ?? '');
  const t = (name: string): string => `\`${prefix}${name}\``;
  const batchSize = options.batchSize ?? 50_000;
  const store = createMysqlEventStore({ pool, prefix });
  const lockName = `${prefix}pet_kpi_runner`.slice(0, 64);

  const orgVersions = async (): Promise<readonly Identity.OrgVersionSnapshot[]> =>
    options.orgVersions ?? (await loadOrgVersions(pool, prefix));

  const engineNow = async (): Promise<KpiEngine> =>
    createKpiEngine({
      definitions: options.definitions,
      orgTimeZone: options.orgTimeZone,
      orgVersions: await orgVersions(),
    });

  const storeDefinitions = async (engine: KpiEngine): Promise<void> => {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      for (const d of engine.definitions) {
        const json = JSON.stringify(d);
        const [existing] = await conn.query<RowDataPacket[]>(
          `SELECT definition FROM ${t('kpi_def_versions')} WHERE definition_key = ? AND version_number = ?`,
          [d.key, d.version],
        );
        const stored = existing[0]?.['definition'] as string | undefined;
        if (stored !== undefined) {
          if (JSON.stringify(JSON.parse(stored)) !== json) {
            throw new PetError(
              'IMMUTABLE_ROW',
              `KPI definition ${versionId(d)} is stored with other content: publish a new version`,
              {
                details: { definition: versionId(d) },
              },
            );
          }
          continue;
        }
        await conn.query(
          `INSERT INTO ${t('kpi_def_versions')} (id, definition_key, version_number, definition) VALUES (?, ?, ?, ?)`,
          [uuidToBytes(uuidV7Ids.next()), d.key, d.version, json],
        );
        await conn.query(
          `INSERT INTO ${t('kpi_definitions')} (id, definition_key, name, unit, state, current_version) VALUES (?, ?, ?, ?, 'active', ?)
           ON DUPLICATE KEY UPDATE current_version = GREATEST(current_version, VALUES(current_version)), name = IF(VALUES(current_version) >= current_version, VALUES(name), name), updated_at = CURRENT_TIMESTAMP(6)`,
          [uuidToBytes(uuidV7Ids.next()), d.key, d.name, d.unit, d.version],
        );
      }
      await conn.commit();
    } catch (e) {
      await conn.rollback().catch(() => undefined);
      throw e instanceof PetError ? e : mapDriverError(e, 'storeDefinitions');
    } finally {
      conn.release();
    }
  };

  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    const conn = await pool.getConnection();
    try {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 600) AS ok', [lockName]);
      if (Number(rows[0]?.['ok']) !== 1)
        throw new PetError('LOCK_TIMEOUT', `KPI runner lock ${lockName} not acquired`, { retryable: true });
      try {
        return await work();
      } finally {
        await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  };

  const writeResults = async (
    conn: PoolConnection,
    setId: Uint8Array,
    rows: readonly KpiResult[],
  ): Promise<void> => {
    const computedAt = instantToSql(systemClock.now());
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const params: unknown[] = [];
      for (const r of chunk) {
        params.push(
          setId,
          r.id,
          r.definitionKey,
          r.definitionVersion,
          r.scopeType,
          r.scopeId,
          r.periodStart,
          r.periodEnd,
          r.unit,
          r.value,
          r.numerator,
          r.denominator,
          r.target,
          r.classification,
          r.classificationReason,
          r.orgStructureVersion,
          r.watermark.toString(),
          r.contributingEventCount,
          computedAt,
        );
      }
      const one = `(${RESULT_COLUMNS.map(() => '?').join(', ')})`;
      const updates = RESULT_COLUMNS.slice(2)
        .map((c) => `${c} = VALUES(${c})`)
        .join(', ');
      await conn.query(
        `INSERT INTO ${t('kpi_results')} (${RESULT_COLUMNS.join(', ')}) VALUES ${chunk.map(() => one).join(', ')} ON DUPLICATE KEY UPDATE ${updates}`,
        params,
      );
    }
  };

  const writeCheckpoint = async (
    conn: PoolConnection,
    setId: Uint8Array,
    engine: KpiEngine,
    state: KpiState,
  ): Promise<void> => {
    await conn.query(
      `INSERT INTO ${t('kpi_checkpoints')} (result_set_id, watermark, fingerprint, checkpoint) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE watermark = VALUES(watermark), fingerprint = VALUES(fingerprint), checkpoint = VALUES(checkpoint), updated_at = CURRENT_TIMESTAMP(6)`,
      [setId, state.watermark.toString(), engine.fingerprint, JSON.stringify(engine.checkpoint(state))],
    );
  };

  const transaction = async (work: (conn: PoolConnection) => Promise<void>, what: string): Promise<void> => {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await work(conn);
      await conn.commit();
    } catch (e) {
      await conn.rollback().catch(() => undefined);
      throw e instanceof PetError ? e : mapDriverError(e, what);
    } finally {
      conn.release();
    }
  };

  const activeSet = async (): Promise<{
    id: Uint8Array;
    idHex: string;
    fingerprint: string;
    checkpoint: string | null;
  } | null> => {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT s.id, HEX(s.id) AS hex, s.fingerprint, c.checkpoint FROM ${t('kpi_result_sets')} s
       LEFT JOIN ${t('kpi_checkpoints')} c ON c.result_set_id = s.id WHERE s.state = 'active' LIMIT 1`,
    );
    const r = rows[0];
    if (r === undefined) return null;
    return {
      id: r['id'] as Uint8Array,
      idHex: r['hex'] as string,
      fingerprint: r['fingerprint'] as string,
      checkpoint: r['checkpoint'] as string | null,
    };
  };

  const hexToUuid = (hex: string): string =>
    hex.toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

  const rebuildLocked = async (): Promise<KpiRunSummary> => {
    const engine = await engineNow();
    await storeDefinitions(engine);
    const setUuid = uuidV7Ids.next();
    const setId = uuidToBytes(setUuid);
    try {
      // A set left `building` by a crashed rebuild is never activated.
      await pool.query(`UPDATE ${t('kpi_result_sets')} SET state = 'abandoned' WHERE state = 'building'`);
      await pool.query(
        `INSERT INTO ${t('kpi_result_sets')} (id, state, fingerprint) VALUES (?, 'building', ?)`,
        [setId, engine.fingerprint],
      );
    } catch (e) {
      throw mapDriverError(e, 'rebuild');
    }
    const state = engine.initialState();
    let eventsRead = 0;
    for await (const e of store.readAll({ after: 0n })) {
      engine.apply(state, e);
      eventsRead++;
    }
    const rows = engine.results(state);
    await transaction(async (conn) => {
      await writeResults(conn, setId, rows);
      await writeCheckpoint(conn, setId, engine, state);
      await conn.query(`UPDATE ${t('kpi_result_sets')} SET state = 'retired' WHERE state = 'active'`);
      await conn.query(
        `UPDATE ${t('kpi_result_sets')} SET state = 'active', activated_at = CURRENT_TIMESTAMP(6) WHERE id = ?`,
        [setId],
      );
    }, 'rebuild');
    return {
      mode: 'rebuild',
      resultSetId: setUuid,
      eventsRead,
      resultsWritten: rows.length,
      watermark: state.watermark,
    };
  };

  const catchUpLocked = async (): Promise<KpiRunSummary> => {
    const engine = await engineNow();
    const active = await activeSet();
    if (active === null || active.checkpoint === null || active.fingerprint !== engine.fingerprint)
      return rebuildLocked();
    const state = engine.restore(JSON.parse(active.checkpoint));
    let eventsRead = 0;
    let resultsWritten = 0;
    for (;;) {
      let n = 0;
      const since = state.watermark;
      const batch: AsyncIterable<StoredEvent> = store.readAll({ after: state.watermark, limit: batchSize });
      for await (const e of batch) {
        engine.apply(state, e);
        n++;
      }
      if (n === 0) break;
      eventsRead += n;
      // Only the (definition, scope) groups this batch touched: no full result set computed twice.
      const changed = engine.resultsSince(state, since);
      await transaction(async (conn) => {
        await writeResults(conn, active.id, changed);
        await writeCheckpoint(conn, active.id, engine, state);
      }, 'catchUp');
      resultsWritten += changed.length;
      await options.onCommit?.(state.watermark);
      if (n < batchSize) break;
    }
    return {
      mode: 'catch-up',
      resultSetId: hexToUuid(active.idHex),
      eventsRead,
      resultsWritten,
      watermark: state.watermark,
    };
  };

  const results = async (query: KpiResultQuery = {}): Promise<KpiResult[]> => {
    const where: string[] = ["s.state = 'active'"];
    const params: unknown[] = [];
    const filters: [unknown, string][] = [
      [query.definitionKey, 'r.definition_key = ?'],
      [query.scopeType, 'r.scope_type = ?'],
      [query.scopeId, 'r.scope_id = ?'],
      [query.periodFrom, 'r.period_start >= ?'],
      [query.periodTo, 'r.period_start <= ?'],
    ];
    for (const [value, condition] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    try {
      const [rows] = await pool.query<ResultRow[]>(
        `SELECT r.* FROM ${t('kpi_results')} r JOIN ${t('kpi_result_sets')} s ON s.id = r.result_set_id WHERE ${where.join(' AND ')} ORDER BY r.result_id`,
        params,
      );
      return rows.map(rowToResult);
    } catch (e) {
      throw mapDriverError(e, 'results');
    }
  };

  return {
    rebuild: () => withLock(rebuildLocked),
    catchUp: () => withLock(catchUpLocked),
    results,
    async explain(resultId: string): Promise<Explanation> {
      if (typeof resultId !== 'string' || resultId.length === 0 || resultId.length > 255) {
        throw new ValidationError('KPI explain', [{ field: 'resultId', rule: 'must be a result id' }]);
      }
      const engine = await engineNow();
      const [rows] = await pool.query<ResultRow[]>(
        `SELECT r.* FROM ${t('kpi_results')} r JOIN ${t('kpi_result_sets')} s ON s.id = r.result_set_id WHERE s.state = 'active' AND r.result_id = ?`,
        [resultId],
      );
      const row = rows[0];
      if (row === undefined)
        throw new PetError('NOT_FOUND', `no KPI result ${resultId} in the active result set`, {
          details: { resultId },
        });
      return explain(engine, rowToResult(row), () => store.readAll({ after: 0n }));
    },
  };
}
