import type { Readable } from 'node:stream';
import type { AnyDatabase, AnyTransaction, KpiAccelerator, PetDialect } from '@pet-ops/sql';
import { CompiledQuery, Kysely, MysqlDialect } from 'kysely';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { createEventLog, resolveGapSafety } from '../event-store/event-log.js';
import { foldFrom, readFoldFrom } from '../event-store/read.js';
import { type ConnectionSource, FALL_THROUGH, interceptQueries } from '../internal/intercept-queries.js';
import { mysqlDialect } from '../pet-dialect.js';
import { parseTablePrefix } from '../prefix.js';
import { writeResultRows } from './result-rows.js';

/** What the seam's KPI runner runs with on MySQL/MariaDB: see {@link mysqlKpiSeam}. */
export interface MysqlKpiSeam {
  /** A Kysely instance over the pool whose connections can bulk-load (`LOAD DATA LOCAL INFILE`) inside a transaction. */
  readonly db: AnyDatabase;
  /** `mysqlDialect({ pool })`, its Kysely dialect over the same connections as {@link MysqlKpiSeam.db}. */
  readonly dialect: PetDialect;
  /** The fast paths: the fold streamed and applied as rows arrive, explanations' narrowed stream, results by `LOAD DATA`. */
  readonly accelerator: KpiAccelerator;
}

/** A bulk load waiting for the server to ask for its file, by the file name its statement names. */
interface PendingLoad {
  readonly factory: () => Readable;
  result?: ResultSetHeader;
}

/** The file name of one bulk load: unique per process, never a real file (the stream comes from memory). */
const LOAD_NAME = /^LOAD DATA LOCAL INFILE '(pet-kpi-results-[0-9a-z-]+)'/;
let loads = 0;

/**
 * A Kysely `MysqlPool` over a mysql2 callback pool whose connections hand a bulk load's in-memory stream
 * to mysql2 (Kysely passes only SQL text and parameters): a statement naming a registered load file runs
 * with that load's `infileStreamFactory`, and its result header (warnings included) is kept for the writer.
 * Kysely's `end()` leaves the host's pool open.
 */
function bulkLoadPool(core: ConnectionSource, pending: Map<string, PendingLoad>): object {
  const { getConnection } = interceptQueries(core, (raw, sql, values, callback) => {
    const name = typeof sql === 'string' ? LOAD_NAME.exec(sql)?.[1] : undefined;
    const load = name === undefined ? undefined : pending.get(name);
    if (load === undefined) return FALL_THROUGH;
    return raw.query({ sql, values, infileStreamFactory: load.factory }, (err: unknown, result: unknown) => {
      if (err === null || err === undefined) load.result = result as ResultSetHeader;
      callback?.(err, result);
    });
  });
  return {
    getConnection,
    end(callback: (err: unknown) => void): void {
      callback(null);
    },
  };
}

/**
 * MySQL/MariaDB for the seam's KPI runner (`createKpiRunner` of `@pet-ops/sql`): the Kysely instance, the
 * dialect, and the accelerator that keeps this adapter's measured fast paths — a rebuild's fold applied
 * inside the driver's row callback on a mysql2 query stream of only the columns a fold reads (gap probes
 * on a second connection), explanations streamed with the other event types' payloads left on the
 * server, and result rows bulk-loaded with `LOAD DATA LOCAL INFILE` from memory (falling back to
 * multi-row INSERTs where the server refuses local loads). `pool` is a pool made by `connect()` with at
 * least 3 connections (the lock's session, the event stream and its gap probe).
 *
 * @example
 * ```ts
 * const { db, dialect, accelerator } = mysqlKpiSeam({ pool, prefix: 'wp_pet_' });
 * const runner = createKpiRunner({ db, dialect, prefix: 'wp_pet_', definitions, orgTimeZone: 'Europe/Berlin', accelerator });
 * ```
 */
export function mysqlKpiSeam(options: { readonly pool: Pool; readonly prefix?: string }): MysqlKpiSeam {
  const { pool } = options;
  const prefix = parseTablePrefix(options.prefix ?? '');
  const log = createEventLog(prefix, resolveGapSafety({}));
  const pending = new Map<string, PendingLoad>();
  const core = (pool as unknown as { pool: ConnectionSource }).pool;
  const base = mysqlDialect({ pool });
  const dialect: PetDialect = {
    ...base,
    kysely: new MysqlDialect({ pool: bulkLoadPool(core, pending) as never }),
  };
  const db: AnyDatabase = new Kysely<never>({ dialect: dialect.kysely });

  /** `writeResultRows` speaks to a mysql2 connection: this one runs its statements inside `trx`. */
  const connectionOf = (trx: AnyTransaction): Pick<PoolConnection, 'query'> => ({
    query: (async (
      arg: string | { sql: string; infileStreamFactory?: () => Readable },
      params?: unknown[],
    ) => {
      if (typeof arg === 'string') {
        const r = await trx.executeQuery(CompiledQuery.raw(arg, params ?? []));
        return [{ affectedRows: Number(r.numAffectedRows ?? 0n) }, undefined];
      }
      const name = `pet-kpi-results-${process.pid.toString(36)}-${(++loads).toString(36)}`;
      const factory = arg.infileStreamFactory;
      if (factory === undefined) throw new TypeError('a bulk load needs its stream');
      const load: PendingLoad = { factory };
      pending.set(name, load);
      try {
        await trx.executeQuery(CompiledQuery.raw(arg.sql.replace("'pet-kpi-results'", `'${name}'`), []));
      } finally {
        pending.delete(name);
      }
      if (load.result === undefined) throw new Error('the bulk load ran on a connection of another pool');
      return [load.result, undefined];
    }) as unknown as PoolConnection['query'],
  });

  const accelerator: KpiAccelerator = {
    foldEvents: (after, limit, apply) => foldFrom(pool, log, { after, limit }, apply),
    readEvents: (after, reads) => readFoldFrom(pool, log, { after, limit: undefined }, reads),
    writeResults: async (trx, w) => {
      const setId = w.setId as Uint8Array;
      const computedAt = String(w.computedAt);
      const { rows } = await writeResultRows(connectionOf(trx), `\`${w.table}\``, setId, w.rows, computedAt, {
        upsert: w.replace,
      });
      return rows;
    },
  };
  return { db, dialect, accelerator };
}
