import { createHash } from 'node:crypto';
import { EVENT_TYPE_PATTERN, ValidationError } from '@pet-ops/core';
import {
  type EncodedDraft,
  EVENT_COLUMNS_BINARY,
  EVENT_COLUMNS_STREAMED,
  EVENT_INSERT_COLUMNS,
  EVENT_INSERT_ROW,
  FOLD_COLUMNS_PREPARED,
  FOLD_COLUMNS_TEXT,
} from './codec.js';

/** Rows one gap probe returns at most (a gap can hide one huge uncommitted transaction). */
export const PROBE_PAGE = 1000;

/**
 * Most rows one INSERT statement carries.
 *
 * @example `if (drafts.length > MAX_ROWS_PER_STATEMENT) …` → several INSERTs, one transaction
 */
export const MAX_ROWS_PER_STATEMENT = 1000;
/** Soft cap on one statement's size, well under MariaDB's default 16 MiB `max_allowed_packet`. */
export const MAX_STATEMENT_BYTES: number = 4 * 1024 * 1024;

/**
 * Row counts an INSERT may have. Every distinct count is a distinct prepared statement on every pooled
 * connection, and the server caps prepared statements server-wide (`max_prepared_stmt_count`, 16382 by
 * default), so counts above 16 are split into power-of-two blocks: at most 22 shapes per table.
 */
const BLOCKS = [MAX_ROWS_PER_STATEMENT, 512, 256, 128, 64, 32, 16] as const;
const EXACT_UP_TO = 16;

/**
 * Splits `n` rows into the statement sizes used to insert them: one statement for up to 16 rows,
 * otherwise blocks of 1000, 512 … 16 and an exact remainder below 16.
 *
 * @example
 * ```ts
 * statementSizes(100); // [64, 32, 4]
 * ```
 */
export function statementSizes(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('statementSizes: a non-negative integer');
  const sizes: number[] = [];
  let rest = n;
  for (const block of BLOCKS) {
    if (rest <= EXACT_UP_TO) break;
    while (rest >= block) {
      sizes.push(block);
      rest -= block;
    }
  }
  if (rest > 0) sizes.push(rest);
  return sizes;
}

/**
 * Splits encoded drafts into INSERT statements: each at most {@link MAX_ROWS_PER_STATEMENT} rows and
 * (unless a single row is bigger) {@link MAX_STATEMENT_BYTES}, with row counts from
 * {@link statementSizes}.
 *
 * @example
 * ```ts
 * for (const rows of planStatements(encoded)) await insert(rows);
 * ```
 */
export function planStatements<T extends Pick<EncodedDraft, 'bytes'>>(rows: readonly T[]): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      group.length > 0 &&
      (group.length === MAX_ROWS_PER_STATEMENT || bytes + row.bytes > MAX_STATEMENT_BYTES)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(row);
    bytes += row.bytes;
  }
  if (group.length > 0) groups.push(group);
  const statements: T[][] = [];
  for (const g of groups) {
    let at = 0;
    for (const size of statementSizes(g.length)) {
      statements.push(g.slice(at, at + size));
      at += size;
    }
  }
  return statements;
}

/** Backquoted table name; the prefix is validated (`[A-Za-z0-9_]`), so quoting is enough. */
export function quoteTable(name: string): string {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new RangeError(`not a valid table name: ${name}`);
  return `\`${name}\``;
}

/** SQL texts for one events table, built once. */
export interface EventStatements {
  readonly table: string;
  insert(rows: number): string;
  /** Takes the append latch and reads the stream's last version in one round trip. */
  readonly latchAndHead: string;
  readonly releaseLatch: string;
  readonly head: string;
  readonly readStream: string;
  /** Text-protocol stream of everything after a position (`LIMIT` appended when bounded). */
  readonly readAfter: string;
  /** Locking read of a gap: waits for uncommitted inserts in it to commit or roll back. */
  readonly probeGap: string;
  /** {@link readAfter} and {@link probeGap} with only the columns a fold reads. */
  readonly readFoldAfter: string;
  readonly probeFoldGap: string;
  /**
   * {@link readFoldAfter} with the context and payload of events of other types left out (`NULL`): what
   * a fold that reads only these types needs, with every position still there for gap safety and every
   * time for the window clock.
   */
  readFoldAfterReading(types: readonly string[]): string;
}

/** A gap probe's range, order, page and lock (both read shapes). */
const GAP =
  'WHERE e.position > CAST(? AS UNSIGNED) AND e.position < CAST(? AS UNSIGNED) ORDER BY e.position ' +
  `LIMIT ${PROBE_PAGE} LOCK IN SHARE MODE`;

/**
 * Builds the SQL of the event store for a (prefixed) table name. Positions are bound as strings and
 * `CAST` to `UNSIGNED` so values above 2^53 compare exactly.
 *
 * @example
 * ```ts
 * const s = eventStatements('wp_pet_domain_events');
 * ```
 */
export function eventStatements(tableName: string): EventStatements {
  const t = quoteTable(tableName);
  const inserts = new Map<number, string>();
  return {
    table: tableName,
    insert(rows) {
      let sql = inserts.get(rows);
      if (sql === undefined) {
        sql = `INSERT INTO ${t} (${EVENT_INSERT_COLUMNS}) VALUES ${Array(rows).fill(EVENT_INSERT_ROW).join(', ')}`;
        inserts.set(rows, sql);
      }
      return sql;
    },
    latchAndHead:
      'SELECT GET_LOCK(?, ?) AS latched, ' +
      `(SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM ${t} WHERE stream_id = ?) AS head`,
    releaseLatch: 'DO RELEASE_LOCK(?)',
    head: `SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) AS head FROM ${t} WHERE stream_id = ?`,
    readStream: `SELECT ${EVENT_COLUMNS_BINARY} FROM ${t} AS e WHERE e.stream_id = ? AND e.stream_version >= ? ORDER BY e.stream_version`,
    readAfter: `SELECT ${EVENT_COLUMNS_STREAMED} FROM ${t} AS e WHERE e.position > CAST(? AS UNSIGNED) ORDER BY e.position`,
    probeGap: `SELECT ${EVENT_COLUMNS_BINARY} FROM ${t} AS e ${GAP}`,
    readFoldAfter: `SELECT ${FOLD_COLUMNS_TEXT} FROM ${t} AS e WHERE e.position > CAST(? AS UNSIGNED) ORDER BY e.position`,
    probeFoldGap: `SELECT ${FOLD_COLUMNS_PREPARED} FROM ${t} AS e ${GAP}`,
    readFoldAfterReading(types) {
      // Inlined as literals (a streamed text query binds only the position): event types are dotted names.
      for (const type of types) {
        if (!EVENT_TYPE_PATTERN.test(type)) {
          throw new ValidationError('event read', [
            { field: 'types', rule: 'must be dotted event type names' },
          ]);
        }
      }
      const read =
        types.length === 0 ? 'FALSE' : `e.event_type IN (${types.map((x) => `'${x}'`).join(', ')})`;
      const columns = FOLD_COLUMNS_TEXT.replace(
        'e.context, e.payload',
        `IF(${read}, e.context, NULL), IF(${read}, e.payload, NULL)`,
      );
      return `SELECT ${columns} FROM ${t} AS e WHERE e.position > CAST(? AS UNSIGNED) ORDER BY e.position`;
    },
  };
}

/**
 * Name of the append latch (a `GET_LOCK` user lock) for an events table. User-lock names are
 * server-wide and at most 64 characters, so the database and table are hashed into it.
 *
 * @example
 * ```ts
 * appendLatchName('pet', 'wp_pet_domain_events'); // 'pet_ops:append:3f1c…' (55 chars)
 * ```
 */
export function appendLatchName(database: string, tableName: string): string {
  const digest = createHash('sha256').update(`${database}\u0000${tableName}`).digest('hex').slice(0, 40);
  return `pet_ops:append:${digest}`;
}
