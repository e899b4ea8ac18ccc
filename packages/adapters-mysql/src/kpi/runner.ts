import { type Identity, PetError, parseInput, ValidationError } from '@pet-ops/core';
import {
  createKpiEngine,
  type Explanation,
  explain,
  type KpiCheckpoint,
  type KpiCheckpointDelta,
  type KpiDefinitionVersion,
  type KpiEngine,
  type KpiResult,
  type KpiState,
  versionId,
} from '@pet-ops/kpi';
import { lockName } from '@pet-ops/sql';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { mapDriverError } from '../errors.js';
import { createEventLog, poolSchema, resolveGapSafety } from '../event-store/event-log.js';
import { foldFrom, readFoldFrom } from '../event-store/read.js';
import { instantToSql } from '../internal/datetime.js';
import { loadOrgVersions } from '../internal/org-versions.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { acquireMysqlLock } from '../lock.js';
import { parseTablePrefix } from '../prefix.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { deflateLink, deflateLinkPieces, inflateLink, PART_BYTES, partBytes } from './parts.js';
import { writeResultRows } from './result-rows.js';

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
  /**
   * Keep the fold state last committed (by a rebuild or a catch-up batch) in memory, so the next
   * `catchUp()` of this runner skips parsing the stored checkpoint and its deltas. It is reused only when,
   * under the lock, the active set, its fingerprint and its stored watermark are still the ones it was
   * committed with (another runner may have moved on); otherwise the state is restored from the tables.
   * Default `true`; `false` restores on every catch-up (a short-lived runner, or to bound memory: the
   * state is about the size of the checkpoint).
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

/** What a rebuild or catch-up did. */
export interface KpiRunSummary {
  readonly mode: 'rebuild' | 'catch-up';
  readonly resultSetId: string;
  readonly eventsRead: number;
  /** Result rows written (on catch-up: those of the (definition, scope) groups the new events touched). */
  readonly resultsWritten: number;
  readonly watermark: bigint;
  /**
   * Where the catch-up's fold state came from: `'warm'` the runner's in-memory state (see
   * {@link KpiRunnerOptions.keepState}), `'cold'` the stored checkpoint and its deltas, `'none'` for a
   * rebuild (it folds from nothing).
   */
  readonly restored: 'warm' | 'cold' | 'none';
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
  /** Folds the events after the active set's stored state in (its checkpoint and deltas, or the state this runner last committed); a rebuild when there is none or the definitions, zone or org versions changed. */
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

/** A set's delta chain is compacted into a new base once it is this long (bounds a cold restore's replay). */
const MAX_DELTAS = 32;

/** Bookkeeping of a set's stored delta chain (the compaction rule reads it). */
interface Chain {
  deltas: number;
  /** Bytes of the stored deltas' JSON. */
  deltaBytes: number;
  lastSeq: number;
  /** Bytes of the base checkpoint's JSON. */
  baseBytes: number;
}

/** The active set and where its stored fold state stands. */
interface ActiveSet {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly fingerprint: string;
  /** Watermark of the base checkpoint; `null`: none stored. */
  readonly base: bigint | null;
  /** Watermark of the stored state: the last delta's, else the base's. */
  readonly head: bigint | null;
  /** `baseBytes` is not read here (it would read the whole checkpoint): 0. */
  readonly chain: Chain;
}

/** A state this runner committed, with what identifies the stored state it equals. */
interface Warm {
  readonly engine: KpiEngine;
  readonly state: KpiState;
  readonly setIdHex: string;
  readonly base: bigint;
  readonly chain: Chain;
}

const hexOf = (id: Uint8Array): string => Buffer.from(id).toString('hex').toUpperCase();

const hexToUuid = (hex: string): string =>
  hex.toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

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
 * The shape of {@link KpiRunnerOptions} (the definitions and the time zone are checked when the engine is
 * built). A fold read streams on one pooled connection and probes gaps on another, so `pool` is a pool.
 */
const runnerOptionsSchema = z.object({
  pool: poolSchema,
  prefix: z.string().optional(),
  definitions: z.array(z.unknown()),
  orgTimeZone: z.string(),
  orgVersions: z.array(z.unknown()).optional(),
  batchSize: z.number().int().min(1).optional(),
  onCommit: z
    .custom<(watermark: bigint) => unknown>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  keepState: z.boolean().optional(),
  checkpointPartSize: z.number().optional(),
});

/**
 * The KPI runner: keeps `<prefix>kpi_results` equal to a pure fold of `<prefix>domain_events`.
 *
 * - `rebuild()` folds every event into a new `building` result set, then in one transaction writes its
 *   results and checkpoint, retires the active set and activates the new one — readers never see a
 *   half-built set;
 * - `catchUp()` restores the active set's checkpoint and its deltas (or reuses the state this runner last
 *   committed, see {@link KpiRunnerOptions.keepState}) and folds the newer events in batches; each batch
 *   commits its changed results with a checkpoint delta (what the batch changed in the fold state) in one
 *   transaction, so after a crash the next catch-up resumes from the last commit and ends equal to a full
 *   rebuild. Once a set has 32 deltas or they outweigh a quarter of the base checkpoint (as stored:
 *   compressed), a batch writes the full checkpoint instead and drops the deltas. A stored state that
 *   cannot be read back (damaged) is a cache: `catchUp()` rebuilds instead;
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
  parseInput(runnerOptionsSchema, options, 'KPI runner options');
  const { pool } = options;
  const prefix = parseTablePrefix(options.prefix ?? '');
  const t = (name: string): string => `\`${prefix}${name}\``;
  const batchSize = options.batchSize ?? 50_000;
  const partSize = options.checkpointPartSize ?? PART_BYTES;
  if (!Number.isSafeInteger(partSize) || partSize < 2) {
    throw new ValidationError('KPI runner', [
      { field: 'checkpointPartSize', rule: 'must be an integer ≥ 2' },
    ]);
  }
  // Folds read only the columns the engine uses, with the event store's order and gap safety.
  const log = createEventLog(prefix, resolveGapSafety({}));

  const orgVersions = async (): Promise<readonly Identity.OrgVersionSnapshot[]> =>
    options.orgVersions ?? (await loadOrgVersions(pool, prefix));

  // Building an engine validates and fingerprints every definition (milliseconds): reuse it while the org versions are the same.
  let engineMemo: { readonly key: string; readonly engine: KpiEngine } | null = null;
  const engineNow = async (): Promise<KpiEngine> => {
    const versions = await orgVersions();
    const key = options.orgVersions === undefined ? JSON.stringify(versions) : '';
    if (engineMemo?.key === key) return engineMemo.engine;
    const engine = createKpiEngine({
      definitions: options.definitions,
      orgTimeZone: options.orgTimeZone,
      orgVersions: versions,
    });
    engineMemo = { key, engine };
    return engine;
  };

  const storeDefinitions = async (engine: KpiEngine): Promise<void> => {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      // One read of every stored version of these keys, not a query per definition.
      const keys = [...new Set(engine.definitions.map((d) => d.key))];
      const [existing] = await conn.query<RowDataPacket[]>(
        `SELECT definition_key, version_number, definition FROM ${t('kpi_def_versions')} WHERE definition_key IN (?)`,
        [keys],
      );
      const storedBy = new Map(
        existing.map((r) => [
          `${r['definition_key']}@${Number(r['version_number'])}`,
          r['definition'] as string,
        ]),
      );
      for (const d of engine.definitions) {
        const json = JSON.stringify(d);
        const stored = storedBy.get(versionId(d));
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

  // Named by database + prefix: two databases with one prefix never wait for each other's runs.
  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    const conn = await pool.getConnection();
    try {
      const [[here]] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db');
      const name = lockName(String(here?.['db'] ?? ''), prefix, 'kpi-runner');
      const attempt = await acquireMysqlLock(conn, name, 600);
      if (attempt.outcome === 'timeout') {
        throw new PetError(
          'LOCK_TIMEOUT',
          `KPI runner lock ${name} not acquired within 600 s (another run holds it)`,
          {
            retryable: true,
            details: { lockName: name },
          },
        );
      }
      try {
        return await work();
      } finally {
        await attempt.release().catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  };

  const writeResults = (
    conn: PoolConnection,
    setId: Uint8Array,
    rows: Iterable<KpiResult>,
    upsert: boolean,
  ): Promise<number> =>
    writeResultRows(conn, t('kpi_results'), setId, rows, instantToSql(systemClock.now()), { upsert }).then(
      (w) => w.rows,
    );

  /** Writes one link of a set's chain (`seq` 0: the base), as stored (see `deflateLink`), in parts, each its own prepared statement; returns the bytes stored. */
  const writeLink = async (
    conn: PoolConnection,
    setId: Uint8Array,
    seq: number,
    from: bigint,
    watermark: bigint,
    stored: string | Iterable<string> | AsyncIterable<string>,
  ): Promise<number> => {
    let part = 0;
    let bytes = 0;
    // A prepared statement sends each part's bytes as they are; a text query would escape them client-side first.
    for await (const body of partBytes(typeof stored === 'string' ? [stored] : stored, partSize)) {
      await conn.execute(
        `INSERT INTO ${t('kpi_checkpoint_parts')} (result_set_id, seq, part, from_watermark, watermark, body) VALUES (?, ?, ?, ?, ?, ?)`,
        [setId, seq, part++, from.toString(), watermark.toString(), body],
      );
      bytes += body.length;
    }
    return bytes;
  };

  /**
   * Writes the full checkpoint as the new base of the set's chain (replacing the chain); returns its
   * size in bytes. `kpi_checkpoints` keeps the base's watermark and fingerprint; its `checkpoint`
   * column stays empty: the state lives in parts.
   */
  const writeCheckpoint = async (
    conn: PoolConnection,
    setId: Uint8Array,
    engine: KpiEngine,
    state: KpiState,
    stored: Iterable<string> | AsyncIterable<string> = deflateLinkPieces(engine.checkpointJson(state)),
  ): Promise<number> => {
    await conn.query(
      `INSERT INTO ${t('kpi_checkpoints')} (result_set_id, watermark, fingerprint, checkpoint) VALUES (?, ?, ?, '')
       ON DUPLICATE KEY UPDATE watermark = VALUES(watermark), fingerprint = VALUES(fingerprint), checkpoint = '', updated_at = CURRENT_TIMESTAMP(6)`,
      [setId, state.watermark.toString(), engine.fingerprint],
    );
    await conn.query(`DELETE FROM ${t('kpi_checkpoint_parts')} WHERE result_set_id = ?`, [setId]);
    // Streamed piece by piece through the compressor into parts: a large state never exists as one string.
    return writeLink(conn, setId, 0, state.watermark, state.watermark, stored);
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

  /** The active set and where its stored state stands, without reading the checkpoint itself. */
  const activeSet = async (): Promise<ActiveSet | null> => {
    const d = (what: string, where: string): string =>
      `(SELECT ${what} FROM ${t('kpi_checkpoint_parts')} d WHERE d.result_set_id = s.id AND ${where})`;
    try {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT s.id, HEX(s.id) AS hex, s.fingerprint, c.watermark AS base,
           ${d('COUNT(DISTINCT d.seq)', 'd.seq > 0')} AS deltas,
           ${d('COALESCE(SUM(LENGTH(d.body)), 0)', 'd.seq > 0')} AS delta_bytes,
           ${d('MAX(d.seq)', 'd.seq > 0')} AS last_seq, ${d('MAX(d.watermark)', 'd.seq > 0')} AS last_watermark,
           ${d('COUNT(*)', 'd.seq = 0')} AS base_parts
         FROM ${t('kpi_result_sets')} s LEFT JOIN ${t('kpi_checkpoints')} c ON c.result_set_id = s.id
         WHERE s.state = 'active' LIMIT 1`,
      );
      const r = rows[0];
      if (r === undefined) return null;
      // A base without parts (none stored, or a set from before parts existed) counts as none: rebuild.
      const base = r['base'] === null || Number(r['base_parts']) === 0 ? null : BigInt(String(r['base']));
      const last = r['last_watermark'] === null ? null : BigInt(String(r['last_watermark']));
      return {
        id: r['id'] as Uint8Array,
        idHex: r['hex'] as string,
        fingerprint: r['fingerprint'] as string,
        base,
        head: base === null || last === null || last < base ? base : last,
        chain: {
          deltas: Number(r['deltas']),
          deltaBytes: Number(r['delta_bytes']),
          lastSeq: r['last_seq'] === null ? 0 : Number(r['last_seq']),
          baseBytes: 0,
        },
      };
    } catch (e) {
      throw mapDriverError(e, 'catchUp');
    }
  };

  /** Size of the stored base checkpoint, for the compaction rule. */
  const baseBytes = async (setId: Uint8Array): Promise<number> => {
    try {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT COALESCE(SUM(LENGTH(body)), 0) AS n FROM ${t('kpi_checkpoint_parts')} WHERE result_set_id = ? AND seq = 0`,
        [setId],
      );
      return Number(rows[0]?.['n'] ?? 0);
    } catch (e) {
      throw mapDriverError(e, 'catchUp');
    }
  };

  /**
   * The cold path: the base checkpoint and its deltas in `seq` order, inflated, parsed and replayed;
   * `null` when the stored chain cannot be read back (damaged: the caller rebuilds, as it is a cache).
   */
  const restoreStored = async (
    engine: KpiEngine,
    set: ActiveSet,
  ): Promise<{ state: KpiState; chain: Chain } | null> => {
    let links: string[];
    try {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT seq, body FROM ${t('kpi_checkpoint_parts')} WHERE result_set_id = ? ORDER BY seq, part`,
        [set.id],
      );
      const bySeq = new Map<number, string[]>();
      for (const r of rows) {
        const seq = Number(r['seq']);
        const parts = bySeq.get(seq) ?? [];
        parts.push(r['body'] as string);
        bySeq.set(seq, parts);
      }
      links = [...bySeq.values()].map((parts) => parts.join(''));
    } catch (e) {
      throw mapDriverError(e, 'catchUp');
    }
    const [checkpoint = '', ...deltas] = links;
    let state: KpiState;
    try {
      state = engine.restore(
        JSON.parse(inflateLink(checkpoint)) as KpiCheckpoint,
        deltas.map((d) => JSON.parse(inflateLink(d)) as KpiCheckpointDelta),
      );
    } catch {
      return null;
    }
    // Stored sizes (compressed), as the compaction rule compares them.
    const chain: Chain = {
      deltas: deltas.length,
      deltaBytes: deltas.reduce((n, d) => n + Buffer.byteLength(d), 0),
      lastSeq: set.chain.lastSeq,
      baseBytes: Buffer.byteLength(checkpoint),
    };
    return { state, chain };
  };

  // The state last committed by this runner (see `keepState`); `null` while a fold is in progress, so a
  // failure anywhere leaves nothing ahead of the tables behind.
  let warm: Warm | null = null;
  const keepState = options.keepState ?? true;
  const remember = (w: Warm): void => {
    if (keepState) warm = w;
  };

  const rebuildLocked = async (): Promise<KpiRunSummary> => {
    warm = null;
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
    const eventsRead = await foldFrom(pool, log, { after: 0n, limit: undefined }, (e) =>
      engine.apply(state, e),
    );
    let written = 0;
    let bytes = 0;
    await transaction(async (conn) => {
      // Streamed from the state, one (definition, scope) group at a time: the full result list never exists.
      written = await writeResults(conn, setId, engine.eachResult(state), false);
      // Then the checkpoint, compressed as it is made and written part by part: it is never held whole.
      bytes = await writeCheckpoint(conn, setId, engine, state);
      await conn.query(`UPDATE ${t('kpi_result_sets')} SET state = 'retired' WHERE state = 'active'`);
      // Retired and abandoned sets are never caught up again: their fold state is dead cache (their results stay).
      await conn.query(`DELETE FROM ${t('kpi_checkpoint_parts')} WHERE result_set_id <> ?`, [setId]);
      await conn.query(
        `UPDATE ${t('kpi_result_sets')} SET state = 'active', activated_at = CURRENT_TIMESTAMP(6) WHERE id = ?`,
        [setId],
      );
    }, 'rebuild');
    remember({
      engine,
      state,
      setIdHex: hexOf(setId),
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
    };
  };

  const catchUpLocked = async (): Promise<KpiRunSummary> => {
    const cached = warm;
    warm = null;
    const engine = await engineNow();
    const active = await activeSet();
    if (active === null || active.base === null || active.fingerprint !== engine.fingerprint)
      return rebuildLocked();
    let state: KpiState;
    let chain: Chain;
    let base = active.base;
    let restored: 'warm' | 'cold';
    let folding = engine;
    if (
      cached !== null &&
      cached.setIdHex === active.idHex &&
      cached.engine.fingerprint === engine.fingerprint &&
      cached.state.watermark === active.head
    ) {
      restored = 'warm';
      folding = cached.engine;
      state = cached.state;
      // The head matches, but another runner may have compacted the chain meanwhile: take its bookkeeping.
      chain = {
        ...active.chain,
        baseBytes: cached.base === active.base ? cached.chain.baseBytes : await baseBytes(active.id),
      };
    } else {
      restored = 'cold';
      const stored = await restoreStored(engine, active);
      if (stored === null) return rebuildLocked();
      ({ state, chain } = stored);
    }
    const keep = (): void =>
      remember({ engine: folding, state, setIdHex: active.idHex, base, chain: { ...chain } });
    let eventsRead = 0;
    let resultsWritten = 0;
    for (;;) {
      // From here the state may run ahead of the tables until the batch commits.
      warm = null;
      const since = state.watermark;
      const n = await foldFrom(pool, log, { after: since, limit: batchSize }, (e) => folding.apply(state, e));
      if (n === 0) break;
      eventsRead += n;
      let written = 0;
      let deltaBytes = 0;
      let compact = false;
      await transaction(async (conn) => {
        // Only the (definition, scope) groups this batch touched, streamed into the load while the server
        // stores the previous chunk: no result list, no full result set computed twice.
        written = await writeResults(conn, active.id, folding.eachResult(state, since), true);
        // Checkpoints and deltas are a derived cache of the event log, not records: compaction replaces the
        // chain by a fresh base and deletes it, so a cold restore never replays more than a bounded chain.
        // A chain at its length limit is compacted whatever the delta's size: the delta is not computed.
        const full = chain.deltas >= MAX_DELTAS;
        const delta = full ? '' : deflateLink(JSON.stringify(folding.checkpointDelta(state)));
        deltaBytes = delta.length;
        compact = full || (chain.deltaBytes + deltaBytes) * 4 > chain.baseBytes;
        if (compact) {
          chain.baseBytes = await writeCheckpoint(conn, active.id, folding, state);
        } else {
          await writeLink(conn, active.id, chain.lastSeq + 1, since, state.watermark, delta);
        }
      }, 'catchUp');
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
      resultSetId: hexToUuid(active.idHex),
      eventsRead,
      resultsWritten,
      watermark: state.watermark,
      restored,
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
      // The stream from the start, with payloads only where the result's definition reads them.
      return explain(engine, rowToResult(row), (reads) =>
        readFoldFrom(pool, log, { after: 0n, limit: undefined }, reads),
      );
    },
  };
}
