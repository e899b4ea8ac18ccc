import type { AnyDatabase, PetDialect } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { type SqliteDialectOptions, sqliteDialect } from './dialect.js';

/** An open SQLite database: the Kysely instance, its PET dialect, and how to close it. */
export interface SqliteDatabase {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** Closes the connection (pending work finishes first). */
  readonly close: () => Promise<void>;
}

/**
 * Opens (or creates) a SQLite database for PET: `:memory:` by default, which makes a private database per
 * call — what a host's fast tests want.
 *
 * @example
 * ```ts
 * const { db, dialect, close } = openSqlite({ path: ':memory:' });
 * await migrate(db, dialect, { prefix: '' });
 * await close();
 * ```
 */
export function openSqlite(options: SqliteDialectOptions = {}): SqliteDatabase {
  const dialect = sqliteDialect(options);
  const db = new Kysely({ dialect: dialect.kysely });
  return { db, dialect, close: () => db.destroy() };
}
