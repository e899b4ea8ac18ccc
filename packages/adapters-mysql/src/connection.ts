import { PetError, parseInput, ValidationError } from '@pet-ops/core';
import {
  type ConnectionOptions as ConnectionOptionsForDriver,
  createConnection,
  createPool,
  type Pool,
  type PoolOptions,
} from 'mysql2/promise';
import { z } from 'zod';
import { mapDriverError } from './errors.js';

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
  // The password runs from the user's ':' to the LAST '@': people write '@', '#', '/' and '?' in
  // passwords unescaped, and a parser that stops at the first of them prints the rest. A path holding
  // an '@' hides the host too: too much hidden, never too little.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0];
  let out = url;
  if (scheme !== undefined) {
    const rest = url.slice(scheme.length);
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (colon >= 0 && colon < at) out = `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
  }
  return out.replace(/([?&][^=&#]*(?:password|pass|pwd|secret|token)[^=&#]*=)[^&#]*/gi, '$1***');
}

/** Database name from a MySQL URL, or `undefined` when it names none. @example `databaseOf('mysql://root@h:3306/pet')` → `'pet'` */
export function databaseOf(url: string): string | undefined {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? undefined : decoded(path, 'database');
}

/** Replaces the database part of a MySQL URL. @example `withDatabase('mysql://root@h:3306', 'pet')` → `'mysql://root@h:3306/pet'` */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A percent-encoded part of the URL; bad encoding is a ValidationError that never quotes the part. */
function decoded(part: string, what: 'user' | 'password' | 'database'): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ValidationError('connection options', [
      { field: 'url', rule: `its ${what} is not valid percent-encoding (write % as %25)` },
    ]);
  }
}

/**
 * mysql2 settings that lose no precision: BIGINT as strings (positions above 2^53), DATETIME(6) as
 * strings (a `Date` keeps milliseconds only), UTC session time zone, utf8mb4.
 *
 * @example
 * ```ts
 * import { createConnection } from 'mysql2/promise';
 * const conn = await createConnection(connectionOptions('mysql://root@127.0.0.1:3306/pet'));
 * ```
 */
export function connectionOptions(url: string): ConnectionOptionsForDriver {
  const u = new URL(url);
  const database = databaseOf(url);
  return {
    host: u.hostname,
    port: u.port === '' ? 3306 : Number(u.port),
    user: decoded(u.username || 'root', 'user'),
    password: decoded(u.password, 'password'),
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
 * Opens a pool and checks that the server answers. What goes wrong is one clear error naming the URL
 * (without its password) and the fix: an unreachable server is `CONNECTION_FAILED` (retryable); a
 * database the server does not have is `DATABASE_NOT_FOUND` (not retryable: create it with
 * {@link createDatabase}); refused credentials are `CONNECTION_FAILED`, not retryable.
 *
 * @example
 * ```ts
 * const pool = await connect({ url: process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/pet' });
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

/** The driver's errno of a failure (`undefined` when it has none). */
function errnoOfCause(cause: unknown): number | undefined {
  const errno = (cause as { errno?: unknown } | null | undefined)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/**
 * The error for a failed connection to a URL (password redacted), saying what is wrong and whether a
 * retry can help: a missing database (errno 1049) is `DATABASE_NOT_FOUND`, not retryable, naming the
 * database and {@link createDatabase}; refused credentials (1044, 1045) are `CONNECTION_FAILED`, not
 * retryable; anything else (server down or unreachable) is `CONNECTION_FAILED`, retryable.
 *
 * @example `throw connectionFailed(url, driverError)`
 */
export function connectionFailed(url: string, cause: unknown): PetError {
  const reason =
    cause instanceof Error ? cause.message || (cause as { code?: string }).code || 'error' : String(cause);
  const errno = errnoOfCause(cause);
  const at = redactUrl(url);
  if (errno === 1049) {
    const database = databaseOf(url) ?? '';
    return new PetError(
      'DATABASE_NOT_FOUND',
      `database ${JSON.stringify(database)} does not exist on ${at}; create it (utf8mb4) with createDatabase({ url }) and migrate it`,
      { details: { database, errno }, cause },
    );
  }
  if (errno === 1044 || errno === 1045) {
    return new PetError(
      'CONNECTION_FAILED',
      `cannot connect to ${at} (${reason}); check the user, the password and the user's grants in the URL`,
      { details: { errno }, cause },
    );
  }
  return new PetError(
    'CONNECTION_FAILED',
    `cannot connect to ${at} (${reason}); check that the MySQL or MariaDB server is running and reachable at this host and port`,
    { retryable: true, ...(errno === undefined ? {} : { details: { errno } }), cause },
  );
}

/** A database name {@link createDatabase} accepts: what `CREATE DATABASE` takes unquoted, plus `$` and `-`. */
const DATABASE_NAME = /^[A-Za-z0-9_$-]{1,64}$/;

/** What {@link createDatabase} did. */
export interface CreateDatabaseResult {
  /** The database named in the URL. */
  readonly database: string;
  /** True when it was created by this call, false when it was already there (nothing changed). */
  readonly created: boolean;
}

/**
 * Creates the database named in the URL if the server does not have it yet (`utf8mb4`,
 * `utf8mb4_unicode_ci`); idempotent: an existing database is left as it is. Connects to the server
 * without a database, so it works before the database exists. A URL naming no database, or a name
 * that is not 1–64 of `A–Z a–z 0–9 _ $ -`, is refused with `VALIDATION_FAILED` (field `url`) before any
 * connection; connection failures are those of {@link connect}.
 *
 * @example
 * ```ts
 * const url = 'mysql://root@127.0.0.1:3306/pet';
 * await createDatabase({ url }); // { database: 'pet', created: true }, then { …, created: false }
 * await migrate(await connect({ url }));
 * ```
 */
export async function createDatabase(options: { readonly url: string }): Promise<CreateDatabaseResult> {
  const valid = parseInput(optionsSchema, { url: options.url }, 'createDatabase options');
  const database = databaseOf(valid.url);
  if (database === undefined || !DATABASE_NAME.test(database)) {
    throw new ValidationError('createDatabase options', [
      {
        field: 'url',
        rule:
          database === undefined
            ? 'must name a database: mysql://user@host:port/<database>'
            : `database name ${JSON.stringify(database)} must be 1-64 characters of A-Z a-z 0-9 _ $ -`,
      },
    ]);
  }
  const serverUrl = withDatabase(valid.url, '');
  const conn = await createConnection(connectionOptions(serverUrl)).catch((e: unknown) => {
    throw connectionFailed(serverUrl, e);
  });
  try {
    const [rows] = await conn.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      database,
    ]);
    if ((rows as unknown[]).length > 0) return { database, created: false };
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return { database, created: true };
  } catch (e) {
    throw mapDriverError(e, `create database ${database}`);
  } finally {
    await conn.end().catch(() => undefined);
  }
}
