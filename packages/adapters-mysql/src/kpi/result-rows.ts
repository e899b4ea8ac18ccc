import { Readable } from 'node:stream';
import { PetError } from '@pet-ops/core';
import type { KpiResult } from '@pet-ops/kpi';
import { KPI_RESULT_COLUMNS } from '@pet-ops/sql';
import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { errnoOf } from '../errors.js';

/** Columns of `<prefix>kpi_results`, in the order rows are written (the seam's one list). */
export const RESULT_COLUMNS: typeof KPI_RESULT_COLUMNS = KPI_RESULT_COLUMNS;

const ROWS_PER_INSERT = 500;
/** Refusals of `LOAD DATA LOCAL` (1148 not allowed, 2068 client rejected, 3948 MySQL and 4166 MariaDB: local loads disabled): fall back to INSERT. */
const LOCAL_INFILE_REFUSED = new Set([1148, 2068, 3948, 4166]);

/** How {@link writeResultRows} wrote: a bulk load, or multi-row INSERTs (where local loads are refused). */
export type ResultWriteMethod = 'load-data' | 'insert';

/** A result's column values after the set id, in {@link RESULT_COLUMNS} order. */
function valuesOf(r: KpiResult, computedAt: string): unknown[] {
  return [
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
  ];
}

/** One field of LOAD DATA's default text format: `\N` is NULL; backslash, tab, newline and CR escaped. */
function field(v: unknown): string {
  if (v === null) return '\\N';
  // Numbers through JSON.stringify (the same text): String(n) keeps each distinct number's text in V8's
  // number-string cache, ~400 KB of young strings alive at every scavenge while many results are written.
  if (typeof v === 'number') return JSON.stringify(v);
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : v;
}

/** Bytes per chunk of the bulk load's stream. */
const CHUNK_BYTES = 1 << 16;

/**
 * The rows as LOAD DATA text, in chunks of about {@link CHUNK_BYTES}. Each line is written into the
 * chunk's buffer (off the JS heap) as soon as it is made: a chunk built as one string would keep its lines
 * alive across scavenges, and V8 grows its young generation once enough bytes have survived.
 */
function* tsv(rows: Iterable<KpiResult>, computedAt: string, counted: { n: number }): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const r of rows) {
    counted.n++;
    const line = `${valuesOf(r, computedAt).map(field).join('\t')}\n`;
    // A UTF-16 unit is at most 3 bytes of UTF-8: the exact length is needed only when it might not fit.
    if (used + line.length * 3 > CHUNK_BYTES && used + Buffer.byteLength(line, 'utf8') > CHUNK_BYTES) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, Buffer.byteLength(line, 'utf8')));
      used = 0;
    }
    used += chunk.write(line, used, 'utf8');
  }
  if (used > 0) yield chunk.subarray(0, used);
}

async function insertRows(
  conn: Pick<PoolConnection, 'query'>,
  table: string,
  setId: Uint8Array,
  rows: Iterable<KpiResult>,
  computedAt: string,
  upsert: boolean,
): Promise<number> {
  const one = `(${RESULT_COLUMNS.map(() => '?').join(', ')})`;
  const updates = RESULT_COLUMNS.slice(2)
    .map((c) => `${c} = VALUES(${c})`)
    .join(', ');
  let count = 0;
  let chunk: KpiResult[] = [];
  const flush = async (): Promise<void> => {
    const params: unknown[] = [];
    for (const r of chunk) params.push(setId, ...valuesOf(r, computedAt));
    await conn.query(
      `INSERT INTO ${table} (${RESULT_COLUMNS.join(', ')}) VALUES ${chunk.map(() => one).join(', ')}${upsert ? ` ON DUPLICATE KEY UPDATE ${updates}` : ''}`,
      params,
    );
    count += chunk.length;
    chunk = [];
  };
  for (const r of rows) {
    chunk.push(r);
    if (chunk.length === ROWS_PER_INSERT) await flush();
  }
  if (chunk.length > 0) await flush();
  return count;
}

/** What {@link writeResultRows} did. */
export interface ResultWrite {
  readonly method: ResultWriteMethod;
  /** Rows written. */
  readonly rows: number;
}

/**
 * Writes result rows of one set on `conn` (inside the caller's transaction). A fresh set (`upsert:
 * false`) is bulk-loaded with `LOAD DATA LOCAL INFILE` from an in-memory stream — about twice as fast as
 * multi-row INSERTs on MariaDB — and falls back to INSERTs where the server refuses local loads (MySQL 8
 * ships with `local_infile=OFF`). LOCAL loads turn bad values into warnings, so any warning or a short
 * row count fails the write (the caller rolls back). `upsert: true` replaces rows of the same id
 * (`REPLACE`: results are derived data, recomputed whole).
 *
 * @example
 * ```ts
 * await conn.beginTransaction();
 * const { rows } = await writeResultRows(conn, '`kpi_results`', setId, engine.eachResult(state), '2026-12-03 10:00:00.000000', { upsert: false });
 * await conn.commit();
 * ```
 */
export async function writeResultRows(
  conn: Pick<PoolConnection, 'query'>,
  table: string,
  setId: Uint8Array,
  rows: Iterable<KpiResult>,
  computedAt: string,
  options: { readonly upsert: boolean },
): Promise<ResultWrite> {
  const hex = Buffer.from(setId).toString('hex');
  const counted = { n: 0 };
  // The rows may be a one-pass generator: once the server has asked for them, there is no falling back.
  let started = false;
  let header: ResultSetHeader;
  try {
    [header] = await conn.query<ResultSetHeader>({
      sql: `LOAD DATA LOCAL INFILE 'pet-kpi-results'${options.upsert ? ' REPLACE' : ''} INTO TABLE ${table} CHARACTER SET utf8mb4 (${RESULT_COLUMNS.slice(1).join(', ')}) SET result_set_id = UNHEX('${hex}')`,
      infileStreamFactory: () => {
        started = true;
        return Readable.from(tsv(rows, computedAt, counted));
      },
    } as never);
  } catch (e) {
    if (started || !LOCAL_INFILE_REFUSED.has(errnoOf(e) ?? 0)) throw e;
    return { method: 'insert', rows: await insertRows(conn, table, setId, rows, computedAt, options.upsert) };
  }
  // REPLACE counts a replaced row twice (deleted and inserted); a plain LOCAL load skips duplicates with a warning.
  const short = options.upsert ? header.affectedRows < counted.n : header.affectedRows !== counted.n;
  if (short || header.warningStatus !== 0) {
    throw new PetError(
      'CONSTRAINT_VIOLATION',
      `writeResultRows: LOAD DATA wrote ${header.affectedRows} of ${counted.n} KPI result rows with ${header.warningStatus} warnings`,
      {
        details: { affectedRows: header.affectedRows, expected: counted.n, warnings: header.warningStatus },
      },
    );
  }
  return { method: 'load-data', rows: counted.n };
}
