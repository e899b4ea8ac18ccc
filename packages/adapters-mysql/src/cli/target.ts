import type { Pool } from 'mysql2/promise';
import { connect, databaseOf, redactUrl, withDatabase } from '../connection.js';
import { tablePrefixSchema } from '../prefix.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './failure.js';

/** The server `pet` talks to when neither `--url` nor `MYSQL_URL` is given. */
export const DEFAULT_SERVER_URL = 'mysql://root@127.0.0.1:3306';
/** The database `pet` uses when the URL names none. */
export const DEFAULT_DATABASE = 'pet';

/** The options every command takes. */
export interface GlobalOptions {
  readonly url?: string | undefined;
  readonly prefix?: string | undefined;
  readonly json?: boolean | undefined;
}

/** A validated connection target. */
export interface Target {
  /** URL including the database. */
  readonly url: string;
  readonly database: string;
  readonly prefix: string;
}

const URL_RE = /^mysql:\/\/[^/?#]+(\/[A-Za-z0-9_$-]*)?(\?.*)?$/;

/** `--url` over `MYSQL_URL` over the default; a URL without a database gets `pet`. */
export function resolveTarget(
  options: GlobalOptions,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  const fromFlag = options.url !== undefined;
  const raw = options.url ?? env['MYSQL_URL'] ?? DEFAULT_SERVER_URL;
  const source = fromFlag ? '--url' : env['MYSQL_URL'] !== undefined ? 'MYSQL_URL' : 'default URL';
  let database: string | undefined;
  try {
    if (!URL_RE.test(raw)) throw new Error('shape');
    database = databaseOf(raw);
  } catch {
    throw new CliFailure(
      'INVALID_URL',
      `invalid ${source} '${redactUrl(raw)}': it must look like mysql://user:password@host:3306/database`,
      EXIT.usage,
    );
  }
  const prefix = options.prefix ?? '';
  if (!tablePrefixSchema.safeParse(prefix).success) {
    throw new CliFailure(
      'INVALID_PREFIX',
      `invalid --prefix '${prefix}': a table prefix is at most 32 letters, digits and underscores (^[A-Za-z0-9_]{0,32}$), e.g. --prefix wp_pet_`,
      EXIT.usage,
    );
  }
  const db = database ?? DEFAULT_DATABASE;
  return { url: database === undefined ? withDatabase(raw, db) : raw, database: db, prefix };
}

/** Opens a pool on the target (failing with one clear line when the server does not answer), runs `work`, closes it. */
export async function withPool<T>(target: Target, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = await connect({ url: target.url, connectionLimit: 3 });
  try {
    return await work(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
