import { errnoOf } from './errors.js';
import { FALL_THROUGH, interceptQueries } from './internal/intercept-queries.js';

/**
 * Large INSERTs as server-side prepared statements. Kysely's MySQL driver sends every statement as text
 * with its parameters inlined, so a batch of 1000 events is 14,000 literals the server parses (ids as
 * `X'…'` hex) and the client escapes one by one; a prepared statement sends them in binary. The server
 * caps prepared statements at `max_prepared_stmt_count` (16,382 by default) for all its sessions, so only a
 * bounded set is prepared: INSERTs of at least {@link PREPARE_MIN_PARAMETERS} parameters whose text a
 * connection has already sent once (a batch of a full chunk repeats, an odd remainder seldom does), at most
 * {@link PREPARED_PER_CONNECTION} per connection. INSERTs return no rows, so their result is the same under
 * either protocol.
 */

/** The fewest parameters an INSERT needs to be prepared (a row of the events table has 14). */
export const PREPARE_MIN_PARAMETERS = 1000;
/** The most statements one connection prepares; later shapes go as text. */
export const PREPARED_PER_CONNECTION = 4;
/** Texts a connection remembers having sent once, before it forgets them all. */
const SEEN_AT_MOST = 64;
/** `ER_MAX_PREPARED_STMT_COUNT_REACHED`: the server is at its cap; the statement goes as text. */
const TOO_MANY_PREPARED = 1461;

const INSERT = /^\s*insert\s/i;

interface RawConnection {
  query(...args: unknown[]): unknown;
  execute(...args: unknown[]): unknown;
  unprepare?(sql: string): void;
}

/** What one connection has prepared and seen. */
interface Prepared {
  readonly texts: Set<string>;
  readonly seen: Set<string>;
  /** The server refused to prepare more: this connection sends text from now on. */
  off: boolean;
}

/** What each pooled connection has prepared, shared by every wrapper of its pool. */
const states = new WeakMap<object, Prepared>();

/** A mysql2 callback pool, as Kysely's `MysqlDialect` takes it. */
export interface CallbackPool {
  getConnection(callback: (err: unknown, connection: unknown) => void): void;
  end?(callback: (err?: unknown) => void): void;
}

/**
 * A pool for Kysely's `MysqlDialect` over `core` whose connections send large INSERTs as prepared
 * statements (see the module's comment); everything else, and `end()`, go to `core` unchanged.
 *
 * @example
 * ```ts
 * const kysely = new MysqlDialect({ pool: preparingInserts(pool.pool) as never });
 * ```
 */
export function preparingInserts(core: CallbackPool): CallbackPool {
  const { getConnection } = interceptQueries<RawConnection>(core, (raw, sql, values, callback) => {
    if (typeof callback !== 'function' || typeof sql !== 'string' || !Array.isArray(values)) {
      return FALL_THROUGH;
    }
    const own = stateOf(raw);
    if (!worthPreparing(own, sql, values.length)) return FALL_THROUGH;
    return raw.execute(sql, values, (err: unknown, result?: unknown, fields?: unknown) => {
      if (errnoOf(err) !== TOO_MANY_PREPARED) return callback(err, result, fields);
      own.off = true;
      own.texts.delete(sql);
      raw.query(sql, values, callback);
    });
  });
  return {
    getConnection,
    end(callback) {
      if (core.end === undefined) callback();
      else core.end(callback);
    },
  };
}

/**
 * What `raw` has prepared and seen: per connection, not per wrapper, so every dialect and store over one
 * pool counts against one bound.
 */
function stateOf(raw: RawConnection): Prepared {
  let state = states.get(raw);
  if (state === undefined) {
    state = { texts: new Set(), seen: new Set(), off: false };
    states.set(raw, state);
  }
  return state;
}

/** Whether this INSERT goes prepared; remembers its text when it is the first time. */
function worthPreparing(state: Prepared, sql: string, parameters: number): boolean {
  if (state.off || parameters < PREPARE_MIN_PARAMETERS || !INSERT.test(sql)) return false;
  if (state.texts.has(sql)) return true;
  if (state.texts.size >= PREPARED_PER_CONNECTION) return false;
  if (state.seen.has(sql)) {
    state.texts.add(sql);
    return true;
  }
  if (state.seen.size >= SEEN_AT_MOST) state.seen.clear();
  state.seen.add(sql);
  return false;
}
