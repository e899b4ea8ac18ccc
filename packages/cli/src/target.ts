import {
  connect,
  databaseOf,
  mysqlDialect,
  redactUrl,
  tablePrefixSchema,
  withDatabase,
} from '@pet-ops/adapters-mysql';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import type { AnyDatabase, PetDialect } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './failure.js';

/** A MySQL pool as `connect` opens it (the driver's type, named without importing the driver). */
export type Pool = Awaited<ReturnType<typeof connect>>;

/** The database `pet` uses when no URL is given: an embedded SQLite file in the working directory. */
export const DEFAULT_URL = 'sqlite:pet.db';
/** The MySQL server `pet` suggests in messages (a MySQL URL without a database uses {@link DEFAULT_DATABASE}). */
export const DEFAULT_SERVER_URL = 'mysql://root@127.0.0.1:3306';
/** The database `pet` uses when a MySQL URL names none. */
export const DEFAULT_DATABASE = 'pet';

/** The options every command takes. */
export interface GlobalOptions {
  readonly url?: string | undefined;
  readonly prefix?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The databases `pet` speaks to. */
export type TargetKind = 'mysql' | 'sqlite' | 'postgres';

/** A validated connection target. */
export interface Target {
  readonly kind: TargetKind;
  /** URL including the database (a MySQL or PostgreSQL URL) or `sqlite:<file>`. */
  readonly url: string;
  /** The MySQL or PostgreSQL database name, or the SQLite file. */
  readonly database: string;
  readonly prefix: string;
}

const MYSQL_RE = /^mysql:\/\/[^/?#]+(\/[A-Za-z0-9_$-]*)?(\?.*)?$/;
// `sqlite:<path>` or `sqlite://<path>`: a file path, relative to the working directory unless absolute.
const SQLITE_RE = /^sqlite:(?:\/\/)?(.+)$/;
// `postgres://user:password@host:5432/database[?schema=tenant]` (or `postgresql://`).
const POSTGRES_RE = /^postgres(?:ql)?:\/\/[^/?#]+\/([A-Za-z_][A-Za-z0-9_-]{0,62})(\?.*)?$/;

function urlSource(options: GlobalOptions, env: Readonly<Record<string, string | undefined>>) {
  if (options.url !== undefined) return { raw: options.url, source: '--url' };
  if (env['PET_URL'] !== undefined) return { raw: env['PET_URL'], source: 'PET_URL' };
  if (env['MYSQL_URL'] !== undefined) return { raw: env['MYSQL_URL'], source: 'MYSQL_URL' };
  return { raw: DEFAULT_URL, source: 'default URL' };
}

/**
 * `--url` over `PET_URL` over `MYSQL_URL` over `sqlite:pet.db`. A MySQL URL without a database gets
 * `pet`; a SQLite URL names a file (created by `pet migrate up`).
 */
export function resolveTarget(
  options: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  const { raw, source } = urlSource(options, env);
  const prefix = options.prefix ?? '';
  if (!tablePrefixSchema.safeParse(prefix).success) {
    throw new CliFailure(
      'INVALID_PREFIX',
      `invalid --prefix '${prefix}': a table prefix is at most 20 letters, digits and underscores (^[A-Za-z0-9_]{0,20}$), so every table and trigger name fits 64 characters, e.g. --prefix wp_pet_`,
      EXIT.usage,
    );
  }
  const file = SQLITE_RE.exec(raw)?.[1];
  if (file !== undefined && !file.includes('\0')) return { kind: 'sqlite', url: raw, database: file, prefix };
  if (/^postgres(?:ql)?:/.test(raw)) {
    const pgDatabase = POSTGRES_RE.exec(raw)?.[1];
    // The shape alone lets `postgres://u@[::1/db` through, which no URL parser takes (`pet db grants`
    // reads the schema with `new URL`: the fuzz saw it fail as an internal error).
    if (pgDatabase === undefined || !URL.canParse(raw)) {
      throw new CliFailure(
        'INVALID_URL',
        `invalid ${source} '${redactUrl(raw)}': it must look like postgres://user:password@host:5432/database[?schema=tenant]`,
        EXIT.usage,
      );
    }
    return { kind: 'postgres', url: raw, database: pgDatabase, prefix };
  }
  let database: string | undefined;
  try {
    if (!MYSQL_RE.test(raw)) throw new Error('shape');
    database = databaseOf(raw);
  } catch {
    throw new CliFailure(
      'INVALID_URL',
      `invalid ${source} '${redactUrl(raw)}': it must look like sqlite:path/to/file.db, mysql://user:password@host:3306/database or postgres://user@host:5432/database`,
      EXIT.usage,
    );
  }
  const db = database ?? DEFAULT_DATABASE;
  return { kind: 'mysql', url: database === undefined ? withDatabase(raw, db) : raw, database: db, prefix };
}

/** Opens a pool on the target (failing with one clear line when the server does not answer), runs `work`, closes it. */
export async function withPool<T>(target: Target, work: (pool: Pool) => Promise<T>): Promise<T> {
  if (target.kind !== 'mysql') {
    throw new CliFailure(
      'UNSUPPORTED_DATABASE',
      'this command runs on MySQL/MariaDB only in this version; pass --url mysql://… (or set PET_URL)',
      EXIT.usage,
    );
  }
  const pool = await connect({ url: target.url, connectionLimit: 3 });
  try {
    return await work(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** A target opened through the persistence seam: the same calls on every database. */
export interface OpenedTarget {
  readonly target: Target;
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
}

/** Opens the target through the seam (Kysely + the dialect), runs `work`, closes it. */
export async function withDatabaseOf<T>(
  target: Target,
  work: (opened: OpenedTarget) => Promise<T>,
  options: { readonly createSchema?: boolean } = {},
): Promise<T> {
  if (target.kind === 'postgres') {
    // A tenant is a PostgreSQL schema: `migrate up` creates it, every other command expects it.
    const { db, dialect, close } = await openPostgres({
      url: target.url,
      max: 3,
      createSchema: options.createSchema === true,
    });
    try {
      return await work({ target, db, dialect });
    } finally {
      await close().catch(() => undefined);
    }
  }
  if (target.kind === 'sqlite') {
    const { db, dialect, close } = openSqlite({ path: target.database });
    try {
      return await work({ target, db, dialect });
    } finally {
      await close().catch(() => undefined);
    }
  }
  return withPool(target, async (pool) => {
    const dialect = mysqlDialect({ pool, database: target.database });
    // Kysely borrows the pool; withPool ends it.
    const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
    return work({ target, db, dialect });
  });
}

/** The last event's position (0 on an empty log), for progress bars. */
export async function lastPosition(target: Target): Promise<bigint> {
  return withDatabaseOf(target, async ({ db, dialect }) => {
    try {
      const row = await db
        .selectFrom(`${target.prefix}domain_events`)
        .select((eb) => eb.fn.max('position').as('p'))
        .executeTakeFirst();
      return row?.p === null || row?.p === undefined ? 0n : BigInt(String(row.p));
    } catch (e) {
      throw dialect.classifyError(e, 'read the event log');
    }
  });
}
