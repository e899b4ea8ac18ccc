import {
  type AnyTransaction,
  KPI_RESULT_COLUMNS,
  type KpiAccelerator,
  type KpiResultWrite,
} from '@pet-ops/sql';
import { sql } from 'kysely';
import { copyField, copyInto } from './copy.js';
import { classifyPostgresError } from './errors.js';

/** A result the runner writes (`@pet-ops/kpi`'s `KpiResult`, without a dependency on that package). */
type KpiResult = KpiResultWrite['rows'] extends Iterable<infer R> ? R : never;

/** `kpi_results`' columns in the order of a COPY line (those the runner's INSERT writes). */
const RESULT_COLUMNS = KPI_RESULT_COLUMNS;

/** Characters per piece of COPY data handed to the socket (the stream applies back-pressure per piece). */
const PIECE = 64 * 1024;
/** Rows per DELETE + COPY when a catch-up replaces rows. */
const REPLACE_CHUNK = 5000;

/** One result as a COPY line, with the values the runner's INSERT binds (the same text reaches the server). */
function resultLine(setId: string, computedAt: string, r: KpiResult): string {
  return `${setId}\t${copyField(r.id)}\t${copyField(r.definitionKey)}\t${r.definitionVersion}\t${copyField(
    r.scopeType,
  )}\t${copyField(r.scopeId)}\t${copyField(r.periodStart)}\t${copyField(r.periodEnd)}\t${copyField(
    r.unit,
  )}\t${copyField(r.value)}\t${copyField(r.numerator)}\t${copyField(r.denominator)}\t${copyField(
    r.target,
  )}\t${copyField(r.classification)}\t${copyField(r.classificationReason)}\t${copyField(
    r.orgStructureVersion,
  )}\t${r.watermark.toString()}\t${copyField(r.contributingEventCount)}\t${computedAt}\n`;
}

/** The rows as pieces of COPY data, counting them in `sent`. */
function* pieces(
  rows: Iterable<KpiResult>,
  setId: string,
  computedAt: string,
  sent: { n: number },
): Generator<string> {
  let piece = '';
  for (const r of rows) {
    piece += resultLine(setId, computedAt, r);
    sent.n++;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

/** `rows` in arrays of at most `size`, read lazily. */
function* chunks<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const r of rows) {
    chunk.push(r);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function copyResults(trx: AnyTransaction, w: KpiResultWrite): Promise<number> {
  // The set id and computed_at come from the dialect's codecs: the uuid's and the instant's text.
  const setId = copyField(w.setId);
  const computedAt = copyField(w.computedAt);
  const copy = async (rows: Iterable<KpiResult>): Promise<number> => {
    const sent = { n: 0 };
    const copied = await copyInto(trx, w.table, RESULT_COLUMNS, pieces(rows, setId, computedAt, sent));
    if (copied !== sent.n) throw new Error(`COPY stored ${copied} of ${sent.n} result rows`);
    return copied;
  };
  try {
    if (!w.replace) return await copy(w.rows);
    // A catch-up replaces the rows of the groups it changed: each chunk's ids deleted, then copied.
    let count = 0;
    for (const chunk of chunks(w.rows, REPLACE_CHUNK)) {
      await sql`DELETE FROM ${sql.table(w.table)} WHERE result_set_id = ${w.setId} AND result_id = ANY(${chunk.map(
        (r) => r.id,
      )})`.execute(trx);
      count += await copy(chunk);
    }
    return count;
  } catch (e) {
    throw classifyPostgresError(e, 'kpi results (COPY)');
  }
}

/**
 * PostgreSQL's fast path for the seam's KPI runner (`createKpiRunner` of `@pet-ops/sql`, option
 * `accelerator`): result rows written with `COPY … FROM STDIN` (text format, through `pg-copy-streams`)
 * on the connection of the runner's transaction, instead of multi-row INSERTs of 500 rows — the same
 * values, stored the same (each field is the text node-postgres would have bound). A catch-up's replaced
 * rows are deleted and copied in chunks of 5000. Driver errors come back as `PetError`s. Events are read
 * on the portable path. The runner's `db` must be a Kysely over {@link postgresDialect} (as
 * `openPostgres` makes): its connections are the ones that can run a COPY.
 *
 * @example
 * ```ts
 * const { db, dialect } = await openPostgres({ url });
 * const runner = createKpiRunner({ db, dialect, prefix: 'pet_', definitions, orgTimeZone: 'Europe/Berlin', accelerator: postgresKpiAccelerator() });
 * await runner.rebuild();
 * ```
 */
export function postgresKpiAccelerator(): KpiAccelerator {
  return { writeResults: copyResults };
}
