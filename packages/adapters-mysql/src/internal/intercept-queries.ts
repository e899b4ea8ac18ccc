/** What a {@link QueryRoute} returns to leave a call to the raw connection's own `query`, unchanged. */
export const FALL_THROUGH: unique symbol = Symbol('fall through');

/** A mysql2 callback connection as far as the wrapper needs it: the `query` a call falls through to. */
export interface QueryingConnection {
  query(...args: unknown[]): unknown;
}

/** The callback of a mysql2 callback `query` (Kysely's MySQL driver always passes one). */
export type QueryCallback = (err: unknown, result?: unknown, fields?: unknown) => void;

/**
 * Handles one `query(sql, values, callback)` on `raw` and returns what `query` returns, or returns
 * {@link FALL_THROUGH} to let `raw.query(sql, values, callback)` run it. It gets the raw connection, so
 * what it sends on `raw` is not routed again.
 */
export type QueryRoute<C> = (
  raw: C,
  sql: unknown,
  values: unknown,
  callback: QueryCallback | undefined,
) => unknown;

/** A mysql2 callback pool as Kysely's `MysqlDialect` takes connections from it. */
export interface ConnectionSource {
  getConnection(callback: (err: unknown, connection: unknown) => void): void;
}

/**
 * Connections of `core` whose `query` goes through `route` first; for pools handed to Kysely's
 * `MysqlDialect`, which sends only SQL text and parameters, when some statements need another path.
 * Each raw connection gets one wrapper, the same every time the pool hands it out, so a wrapper can be
 * compared and kept like the connection itself; every other function member is bound to the raw
 * connection (mysql2's methods need it as `this`, not the proxy), and other properties read through.
 * A `null` or `undefined` connection (with an error) is passed on as it is.
 *
 * @example
 * ```ts
 * const { getConnection } = interceptQueries(core, (raw, sql, values, callback) =>
 *   typeof sql === 'string' && sql.startsWith('LOAD DATA') ? raw.query({ sql, values }, callback) : FALL_THROUGH,
 * );
 * const dialect = new MysqlDialect({ pool: { getConnection, end: (cb) => cb() } as never });
 * ```
 */
export function interceptQueries<C extends QueryingConnection>(
  core: ConnectionSource,
  route: QueryRoute<C>,
): ConnectionSource {
  const wrappers = new WeakMap<C, C>();
  const wrap = (raw: C): C => {
    let wrapper = wrappers.get(raw);
    if (wrapper === undefined) {
      const query = (sql: unknown, values: unknown, callback?: QueryCallback): unknown => {
        const routed = route(raw, sql, values, callback);
        return routed === FALL_THROUGH ? raw.query(sql, values, callback) : routed;
      };
      wrapper = new Proxy(raw, {
        get(target, prop) {
          if (prop === 'query') return query;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      wrappers.set(raw, wrapper);
    }
    return wrapper;
  };
  return {
    getConnection(callback) {
      core.getConnection((err, connection) =>
        callback(err, connection === undefined || connection === null ? connection : wrap(connection as C)),
      );
    },
  };
}
