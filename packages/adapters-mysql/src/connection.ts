import { PetError, parseInput } from '@pet-ops/core';
import {
  type ConnectionOptions as ConnectionOptionsForDriver,
  createPool,
  type Pool,
  type PoolOptions,
} from 'mysql2/promise';
import { z } from 'zod';

/** Connection settings. `url` is `mysql://user:password@host:port/database`. */
export interface ConnectionOptions {
  readonly url: string;
  /** Pool size (default 10). */
  readonly connectionLimit?: number | undefined;
}

const optionsSchema = z.object({
  url: z
    .string()
    .refine(
      (u) => /^mysql:\/\/[^/]+(\/[A-Za-z0-9_$-]*)?(\?.*)?$/.test(u),
      'must look like mysql://user@host:port/db',
    ),
  connectionLimit: z.number().int().min(1).max(1000).optional(),
});

/**
 * The URL with every secret replaced, safe to print whatever its scheme: the password of the user part and
 * `password`/`pass`/`pwd`/`secret`/`token` query parameters.
 *
 * @example `redactUrl('postgres://u:p@h/db?sslpassword=x')` → `postgres://u:***@h/db?sslpassword=***`
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/, '$1:***@')
    .replace(/([?&][^=&#]*(?:password|pass|pwd|secret|token)[^=&#]*=)[^&#]*/gi, '$1***');
}

/** Database name from a MySQL URL, or `undefined` when it names none. @example `databaseOf('mysql://root@h:3306/pet')` → `'pet'` */
export function databaseOf(url: string): string | undefined {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? undefined : decodeURIComponent(path);
}

/** Replaces the database part of a MySQL URL. @example `withDatabase('mysql://root@h:3306', 'pet')` → `'mysql://root@h:3306/pet'` */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * mysql2 settings that lose no precision: BIGINT as strings (positions above 2^53), DATETIME(6) as
 * strings (a `Date` keeps milliseconds only), UTC session time zone, utf8mb4.
 *
 * @example
 * ```ts
 * const conn = await createConnection(connectionOptions('mysql://root@127.0.0.1:3306/pet'));
 * ```
 */
export function connectionOptions(url: string): ConnectionOptionsForDriver {
  const u = new URL(url);
  const database = databaseOf(url);
  return {
    host: u.hostname,
    port: u.port === '' ? 3306 : Number(u.port),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    ...(database === undefined ? {} : { database }),
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    decimalNumbers: false,
    jsonStrings: true,
    namedPlaceholders: false,
  };
}

/** {@link connectionOptions} plus pool settings. @example `createPool(poolOptions({ url, connectionLimit: 4 }))` */
export function poolOptions(options: ConnectionOptions): PoolOptions {
  return {
    ...connectionOptions(options.url),
    connectionLimit: options.connectionLimit ?? 10,
    waitForConnections: true,
    enableKeepAlive: true,
  };
}

/**
 * Opens a pool and checks that the server answers. An unreachable server gives one clear
 * `CONNECTION_FAILED` error naming the URL (without its password) and the fix.
 *
 * @example
 * ```ts
 * const pool = await connect({ url: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/pet' });
 * ```
 */
export async function connect(options: ConnectionOptions): Promise<Pool> {
  const valid = parseInput(optionsSchema, options, 'connection options');
  const pool = createPool(poolOptions(valid));
  try {
    const conn = await pool.getConnection();
    try {
      await conn.query("SET SESSION time_zone = '+00:00'");
    } finally {
      conn.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw connectionFailed(valid.url, e);
  }
  // Every new pooled connection works in UTC so DATETIME(6) values are UTC both ways.
  pool.on('connection', (c) => {
    (c as unknown as { query(sql: string): void }).query("SET SESSION time_zone = '+00:00'");
  });
  return pool;
}

/** The `CONNECTION_FAILED` error for a URL (password redacted, with the fix). @example `throw connectionFailed(url, driverError)` */
export function connectionFailed(url: string, cause: unknown): PetError {
  const reason =
    cause instanceof Error ? cause.message || (cause as { code?: string }).code || 'error' : String(cause);
  return new PetError(
    'CONNECTION_FAILED',
    `cannot connect to ${redactUrl(url)} (${reason}); start the database (scripts/db.sh) or set MYSQL_URL`,
    { retryable: true, cause },
  );
}
