import type { PoolConnection as CorePoolConnection, QueryOptions } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';

/**
 * Runs one statement on a pooled connection through mysql2's callback API. The promise API captures a
 * stack trace for every statement, a measurable cost on paths that run several statements per
 * command; errors are mapped to `PetError`s by the callers anyway.
 *
 * @example
 * ```ts
 * const [row] = await statement<RowDataPacket[]>(conn, 'execute', sql, [id]);
 * ```
 */
export function statement<T>(
  conn: PoolConnection,
  kind: 'execute' | 'query',
  sql: string | QueryOptions,
  values?: readonly unknown[],
): Promise<T> {
  const core = conn.connection as unknown as CorePoolConnection;
  const options: QueryOptions = typeof sql === 'string' ? { sql } : sql;
  return new Promise<T>((resolve, reject) => {
    const done = (error: unknown, result: unknown): void => {
      if (error) reject(error);
      else resolve(result as T);
    };
    if (kind === 'execute') core.execute(options, values as never, done);
    else core.query(options, values as never, done);
  });
}
