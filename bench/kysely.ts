// A Kysely over a MySQL pool for the cases that drive `@pet-ops/sql` on MariaDB (`mysqlDialect`). The bench
// has no `kysely` dependency of its own: it loads the copy `@pet-ops/sql` itself resolves, so the cases use
// the very Kysely the library was built against.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { connect, mysqlDialect } from '@pet-ops/adapters-mysql';
import type { AnyDatabase, PetDialect } from '@pet-ops/sql';

type KyselyClass = new (config: { dialect: unknown }) => AnyDatabase;

let kysely: KyselyClass | undefined;
async function kyselyClass(): Promise<KyselyClass> {
  if (kysely !== undefined) return kysely;
  const require = createRequire(import.meta.resolve('@pet-ops/sql'));
  const mod = (await import(pathToFileURL(require.resolve('kysely')).href)) as { Kysely: KyselyClass };
  kysely = mod.Kysely;
  return kysely;
}

/** A pool on `url`, the seam's MySQL dialect over it and a Kysely borrowing it; `close` ends the pool. */
export async function openMysqlSeam(
  url: string,
  connectionLimit = 4,
): Promise<{ db: AnyDatabase; dialect: PetDialect; close: () => Promise<void> }> {
  const pool = await connect({ url, connectionLimit });
  const dialect = mysqlDialect({ pool });
  const Kysely = await kyselyClass();
  // Kysely borrows the pool; close ends it.
  const db = new Kysely({ dialect: dialect.kysely });
  return { db, dialect, close: () => pool.end() };
}
