import type { AnyDatabase } from '@pet-ops/sql';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import Cursor from 'pg-cursor';

/**
 * A loan of the pooled client that runs the statement carrying it, as the only parameter of a
 * placeholder statement: Kysely hands a statement's text and parameters to the client and nothing else,
 * so the client of `copyCapablePool` recognises this parameter and passes itself to `use` — already set
 * up as every connection of the dialect is (`search_path`, time zone UTC) — and stays checked out of the
 * pool until `use` settles.
 */
export class ClientLoan {
  constructor(readonly use: (client: pg.PoolClient) => Promise<void>) {}
  /** node-postgres asks a parameter object for its value: this one never is a value. */
  toPostgres(): never {
    throw new TypeError(
      'a client loan reached a connection that cannot lend it: use a Kysely over postgresDialect',
    );
  }
}

/** What the client answers for a loan, in the shape Kysely reads from `client.query`. */
export const LOAN_RESULT: { readonly command: 'SELECT'; readonly rowCount: 0; readonly rows: readonly [] } =
  Object.freeze({ command: 'SELECT', rowCount: 0, rows: Object.freeze([]) as readonly [] });

/**
 * The rows of `query` (a read-only `SELECT`) in batches of at most `batch`, read through a server-side
 * cursor (`pg-cursor`: a portal of the extended protocol, fetched `batch` rows per `Execute`) on one
 * connection of `db`, borrowed for as long as the iteration runs. The next batch is fetched only when the
 * consumer asks for it (backpressure), so at most one batch is held in memory (each a new array, the
 * reader's to empty as it goes: the readers drop each row once decoded): unlike keyset pages, no
 * batch outlives its consumption, and V8's young generation stays small (see `bench/README.md`,
 * `postgres-read-all`). The whole read is one statement, so one snapshot: rows committed after it began
 * are left to the next read, and VACUUM keeps what that snapshot may see until the read ends. Stopping
 * early (`return`) closes the portal and gives the connection back.
 * `db` must be a Kysely over `postgresDialect` outside a transaction (a pinned connection would queue
 * every other statement behind the loan).
 *
 * @example
 * ```ts
 * const q = db.selectFrom('pet_domain_events').selectAll().orderBy('position').compile();
 * for await (const rows of streamRows(db, q, 200)) for (const r of rows) handle(r);
 * ```
 */
export async function* streamRows(
  db: AnyDatabase,
  query: CompiledQuery,
  batch: number,
): AsyncGenerator<(Record<string, unknown> | undefined)[], void, undefined> {
  let lent!: (client: pg.PoolClient) => void;
  let giveBack!: () => void;
  const client = new Promise<pg.PoolClient>((resolve) => {
    lent = resolve;
  });
  const returned = new Promise<void>((resolve) => {
    giveBack = resolve;
  });
  const loan = db.executeQuery(
    CompiledQuery.raw('SELECT 1', [
      new ClientLoan(async (c) => {
        lent(c);
        await returned;
      }),
    ]),
  );
  // A loan refused (no connection, a pool that is ending) settles before any client is lent.
  const c = await Promise.race([client, loan.then(() => Promise.reject(new Error('no client lent')))]);
  const cursor = c.query(new Cursor<Record<string, unknown>>(query.sql, [...query.parameters]));
  let failed = false;
  try {
    for (;;) {
      let rows: Record<string, unknown>[];
      try {
        rows = await cursor.read(batch);
      } catch (e) {
        // The cursor already sent Sync: the client takes its next statement once the server is ready.
        failed = true;
        throw e;
      }
      if (rows.length > 0) yield rows;
      if (rows.length < batch) return;
    }
  } finally {
    try {
      // Close + Sync: the server drops the portal (a read stopped early costs nothing more).
      if (!failed) await cursor.close();
    } finally {
      giveBack();
      await loan;
    }
  }
}
