import { PetError } from '@pet-ops/core';
import type { AnyDatabase, PetDialect } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import pg from 'pg';
import { checkSchemaName, postgresDialect } from './dialect.js';
import { classifyPostgresError } from './errors.js';
import { postgresTypes } from './types.js';

/** Options of {@link openPostgres}. */
export interface OpenPostgresOptions {
  /**
   * `postgres://user:password@host:port/database`, optionally with `?schema=<name>` (the tenant's schema;
   * the `schema` option wins over it) and `sslmode` as {@link createPostgresPool} reads it.
   */
  readonly url: string;
  /** The tenant's schema (default: the URL's `schema` parameter, else `public`). */
  readonly schema?: string;
  /** Creates the schema when it is missing (default false: a missing schema is `DATABASE_NOT_FOUND`). */
  readonly createSchema?: boolean;
  /** Pool size (default 10). */
  readonly max?: number;
  /** How long a reader at a gap waits for the transactions in progress (default 30 s). */
  readonly gapWaitMs?: number;
}

/** An open PostgreSQL database for PET: the Kysely instance, its PET dialect, the pool, and how to close it. */
export interface PostgresDatabase {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** The node-postgres pool under `db` (for a host's own queries; it speaks UTC and the schema). */
  readonly pool: pg.Pool;
  /** The schema the connections work in. */
  readonly schema: string;
  /** Ends the pool (pending work finishes first). */
  readonly close: () => Promise<void>;
}

function invalid(field: string, rule: string): PetError {
  return new PetError('VALIDATION_FAILED', `invalid postgres options: ${field}: ${rule}`, {
    details: { issues: [{ field, rule }] },
  });
}

/** The `sslmode` values a URL may carry: libpq's (but `allow`, which node-postgres cannot do) and `no-verify`. */
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;

/**
 * A postgres:// URL split into what node-postgres takes and PET's own parameters. An `sslmode` is read as
 * libpq reads it (see {@link createPostgresPool}), asked for explicitly with node-postgres's
 * `uselibpqcompat=true`: without it node-postgres 8 takes prefer, require and verify-ca for verify-full
 * and prints a 9-line SECURITY WARNING to stderr about it.
 */
function parseUrl(url: unknown): { connectionString: string; database: string; schema: string | undefined } {
  if (typeof url !== 'string') throw invalid('url', 'must be a postgres:// URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('url', 'must be a postgres:// URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid('url', 'must be a postgres:// URL');
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const sslModes = parsed.searchParams.getAll('sslmode');
  if (sslModes.length > 0) {
    const [sslmode] = sslModes;
    if (sslModes.length > 1 || !SSL_MODES.includes(sslmode as (typeof SSL_MODES)[number])) {
      throw invalid('url', `sslmode must be given once, one of ${SSL_MODES.join(', ')}`);
    }
    if (sslmode === 'verify-ca' && !parsed.searchParams.has('sslrootcert')) {
      throw invalid('url', 'sslmode=verify-ca needs sslrootcert=<CA file> (or use sslmode=verify-full)');
    }
    // no-verify is node-postgres's own mode, which its libpq reading does not know (it would verify).
    if (sslmode === 'no-verify') parsed.searchParams.delete('uselibpqcompat');
    else parsed.searchParams.set('uselibpqcompat', 'true');
  }
  let database: string;
  try {
    database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
    // node-postgres decodes the user and password itself, and throws a raw URIError on bad encoding.
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    throw invalid('url', 'its user, password or database is not valid percent-encoding (write % as %25)');
  }
  return { connectionString: parsed.toString(), database, schema };
}

/**
 * Makes a node-postgres pool for PET from a URL: the library's type parsers ({@link postgresTypes}), so
 * instants keep their microseconds and JSON reads back exactly.
 *
 * The URL's `sslmode` means what it means to libpq (`psql`, and node-postgres from version 9):
 * - `disable`: no TLS.
 * - `require` (and `prefer`, which does not fall back to a plain connection here): TLS, the server's
 *   certificate not verified — encrypted, but open to a man in the middle (with `sslrootcert`: as
 *   `verify-ca`).
 * - `verify-ca`: TLS, the certificate verified against `sslrootcert=<CA file>` (required), any host name.
 * - `verify-full`: TLS, the certificate verified (Node's CAs, or `sslrootcert`) and its host name checked.
 *   Write this one for a verified connection.
 * - `no-verify` (node-postgres's own): TLS, nothing verified, even with `sslrootcert`.
 *
 * `sslcert`, `sslkey` and `sslrootcert` name files read at connect. Any other `sslmode` (`allow`, a typo)
 * or a repeated one is refused with `VALIDATION_FAILED`. Without `sslmode`, node-postgres's defaults
 * apply (`PGSSLMODE`, else no TLS).
 *
 * @example
 * ```ts
 * const pool = createPostgresPool({ url: 'postgres://postgres@127.0.0.1:5432/pet' });
 * const hosted = createPostgresPool({ url: 'postgres://pet:secret@db.example.com:5432/pet?sslmode=verify-full' });
 * ```
 */
export function createPostgresPool(options: { readonly url: string; readonly max?: number }): pg.Pool {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const { connectionString } = parseUrl(options.url);
  const max = options.max === undefined ? 10 : options.max;
  if (!Number.isSafeInteger(max) || max < 2 || max > 1000) {
    // Two at least: a held migration lock pins one connection while the migration runs on another.
    throw invalid('max', 'must be an integer from 2 to 1000');
  }
  const pool = new pg.Pool({ connectionString, max, types: postgresTypes });
  // An idle client's error (the server restarted) must not crash the host: the pool drops the client.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Opens PET on PostgreSQL from a `postgres://` URL: a pool ({@link createPostgresPool}), the dialect for
 * the tenant's schema ({@link postgresDialect}) and a Kysely instance over it. Checks that the server
 * answers and the schema exists (or creates it with `createSchema: true`), with typed errors:
 * `CONNECTION_FAILED` (retryable when the server does not answer), `DATABASE_NOT_FOUND` for a missing
 * database or schema.
 *
 * @example
 * ```ts
 * const { db, dialect, close } = await openPostgres({ url: 'postgres://postgres@127.0.0.1:5432/pet?schema=marketing', createSchema: true });
 * await migrate(db, dialect, { prefix: '' });
 * await close();
 * ```
 */
export async function openPostgres(options: OpenPostgresOptions): Promise<PostgresDatabase> {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const { database, schema: fromUrl } = parseUrl(options.url);
  const schema = checkSchemaName(options.schema !== undefined ? options.schema : (fromUrl ?? 'public'));
  if (options.createSchema !== undefined && typeof options.createSchema !== 'boolean') {
    throw invalid('createSchema', 'must be a boolean');
  }
  const pool = createPostgresPool({
    url: options.url,
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  try {
    const dialect = postgresDialect({
      pool,
      schema,
      database,
      ...(options.gapWaitMs === undefined ? {} : { gapWaitMs: options.gapWaitMs }),
    });
    const client = await pool.connect().catch((e: unknown) => {
      throw classifyPostgresError(e, 'open');
    });
    try {
      if (options.createSchema === true) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const r = await client.query<{ found: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS found',
        [schema],
      );
      if (r.rows[0]?.found !== true) {
        throw new PetError(
          'DATABASE_NOT_FOUND',
          `open: schema ${schema} does not exist in database ${database}; create it (createSchema: true) or run migrations with a user that may`,
          { details: { database, schema } },
        );
      }
    } catch (e) {
      throw classifyPostgresError(e, 'open');
    } finally {
      client.release();
    }
    const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
    return { db, dialect, pool, schema, close: () => db.destroy() };
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/**
 * Creates the database a `postgres://` URL names, when missing (connecting to the server's `postgres`
 * database to do it, with the URL's `sslmode` as {@link createPostgresPool} reads it); idempotent. For
 * hosts' set-up scripts and tests.
 *
 * @example
 * ```ts
 * const { created } = await createDatabase({ url: 'postgres://postgres@127.0.0.1:5432/pet_test' });
 * ```
 */
export async function createDatabase(options: {
  readonly url: string;
}): Promise<{ readonly created: boolean }> {
  const { connectionString, database } = parseUrl(options?.url);
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(database)) {
    throw invalid('url', 'the database name must match ^[A-Za-z_][A-Za-z0-9_-]{0,62}$');
  }
  const admin = new URL(connectionString);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const r = await client.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS found',
      [database],
    );
    if (r.rows[0]?.found === true) return { created: false };
    try {
      await client.query(`CREATE DATABASE "${database}"`);
    } catch (e) {
      // Another process created it between the check and the statement.
      if ((e as { code?: unknown }).code === '42P04') return { created: false };
      throw e;
    }
    return { created: true };
  } catch (e) {
    throw classifyPostgresError(e, 'createDatabase');
  } finally {
    await client.end().catch(() => undefined);
  }
}
