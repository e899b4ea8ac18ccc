import { type Instant, PetError } from '@pet-ops/core';
import type { AnyDatabase, LockAttempt, PetDialect, ValueCodecs } from '@pet-ops/sql';
import { CompiledQuery, MysqlDialect, sql } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { mapDriverError } from './errors.js';
import { appendLatchName } from './event-store/statements.js';
import { instantToSql, sqlToInstant } from './internal/datetime.js';
import { bytesToUuid, uuidToBytes } from './internal/uuid-bytes.js';
import { compileOperation } from './migration/dialect.js';
import { mysqlMigrationHooks } from './migration/hooks.js';
import { type CallbackPool, preparingInserts } from './prepared-inserts.js';

/** Options of {@link mysqlDialect}. */
export interface MysqlDialectOptions {
  /** A mysql2 promise pool made by `connect()` (UTC sessions, dates and big numbers as strings). */
  readonly pool: Pool;
  /** The database (schema) the pool works in, for lock names; default: the pool's configured database. */
  readonly database?: string;
}

/** GET_LOCK's answer: 1 acquired, 0 timed out, NULL a server error. */
async function getLock(db: AnyDatabase, name: string, timeoutMs: number): Promise<'acquired' | 'timeout'> {
  const seconds = Math.max(0, Math.ceil(timeoutMs / 1000));
  const r = await sql<{ got: unknown }>`SELECT GET_LOCK(${name}, ${seconds}) AS got`.execute(db);
  const got = r.rows[0]?.got;
  if (got === null || got === undefined) {
    throw mapDriverError(new Error(`GET_LOCK('${name}') returned NULL`), 'lock');
  }
  return Number(got) === 1 ? 'acquired' : 'timeout';
}

async function releaseLock(db: AnyDatabase, name: string): Promise<void> {
  await sql`SELECT RELEASE_LOCK(${name})`.execute(db);
}

/**
 * `GET_LOCK` held by one session: given a transaction, on its connection (released by the caller before
 * the transaction's connection goes back); given the pool-level Kysely, on a connection pinned until
 * `release()`, which unlocks on that same connection — so the holder's later work may run on any pooled
 * connection (the seam's convention, as PostgreSQL's advisory locks). Never given an already pinned
 * connection: pinning it again would wait for itself.
 */
function acquireSessionLock(db: AnyDatabase, name: string, timeoutMs: number): Promise<LockAttempt> {
  if (db.isTransaction) {
    return getLock(db, name, timeoutMs).then((got) =>
      got === 'acquired'
        ? { outcome: 'acquired', release: () => releaseLock(db, name) }
        : { outcome: 'timeout' },
    );
  }
  return new Promise<LockAttempt>((resolve, reject) => {
    let settled = false;
    db.connection()
      .execute(async (conn) => {
        if ((await getLock(conn, name, timeoutMs)) === 'timeout') {
          settled = true;
          resolve({ outcome: 'timeout' });
          return;
        }
        let letGo!: () => void;
        const released = new Promise<void>((r) => {
          letGo = r;
        });
        let unlocked!: () => void;
        const done = new Promise<void>((r) => {
          unlocked = r;
        });
        settled = true;
        resolve({
          outcome: 'acquired',
          release: async () => {
            letGo();
            await done;
          },
        });
        await released;
        try {
          await releaseLock(conn, name);
        } finally {
          unlocked();
        }
      })
      .catch((e: unknown) => {
        if (!settled) reject(e);
      });
  });
}

const codecs: ValueCodecs = {
  encodeId: (id) => uuidToBytes(id),
  decodeId: (value) => (typeof value === 'string' ? value : bytesToUuid(value as Uint8Array)),
  encodeInstant: (instant) => instantToSql(instant as Instant),
  decodeInstant: (value) => sqlToInstant(String(value)),
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) =>
    typeof value === 'string'
      ? JSON.parse(value)
      : Buffer.isBuffer(value)
        ? JSON.parse(value.toString('utf8'))
        : value,
  encodeBool: (value) => (value ? 1 : 0),
  decodeBool: (value) => Number(value) === 1,
};

/**
 * PET's MySQL/MariaDB dialect for `@pet-ops/sql`: Kysely's `MysqlDialect` over a mysql2 pool, `GET_LOCK`
 * locks with their answer checked, errno → `PetError`, the logical schema compiled to one statement per
 * operation. DDL is not transactional: the seam's `migrate` resumes per statement (`migrateResumable`), with
 * this dialect's `migrationHooks` (probes in `information_schema`, the migration lock every release names
 * alike, migration events, journals of earlier releases), as the adapter's `migrate` does. Gap safety is
 * the append latch, held from the stream-head read until the INSERT is done and released before COMMIT
 * (commits and their fsync group across writers); readers wait out a gap they meet (GAP-SAFETY.md).
 * Positions come from the first insert id (MySQL 8 has no `INSERT … RETURNING`).
 * `acquireLock` pins a pooled connection for the lock's session until `release()` (given a transaction,
 * it uses the transaction's). Every session it opens runs in READ COMMITTED (as PostgreSQL does by
 * default): concurrent units creating rows then never deadlock on InnoDB's gap locks.
 *
 * @example
 * ```ts
 * const pool = await connect({ url });
 * const pet = mysqlDialect({ pool });
 * const db = new Kysely<any>({ dialect: pet.kysely });
 * const events = createEventStore({ db, dialect: pet, prefix: 'wp_pet_' });
 * ```
 */
export function mysqlDialect(options: MysqlDialectOptions): PetDialect {
  const core = (
    options.pool as unknown as { pool: { config?: { connectionConfig?: { database?: string } } } }
  ).pool;
  const database = options.database ?? core.config?.connectionConfig?.database ?? '';
  return dialectOver(preparingInserts(core as CallbackPool), database, readCommittedSessions);
}

/**
 * Once per pooled session: READ COMMITTED, as on PostgreSQL, whose default it is and against which the seam's
 * units of work are written. Under MySQL's REPEATABLE READ a `FOR UPDATE` load of a stream that does not
 * exist yet takes a gap lock, and a UUIDv7 id always falls in the last gap of the index: two units creating
 * rows at once then both hold that gap, both wait to insert into it, and one dies as a deadlock and runs
 * again (4 clients accepting quotes with their projects retried 23 of 40 acceptances). Other work of the
 * host on the same pool also runs in READ COMMITTED.
 */
const readCommittedSessions = async (connection: {
  executeQuery(query: CompiledQuery): Promise<unknown>;
}): Promise<void> => {
  await connection.executeQuery(CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
};

/**
 * {@link mysqlDialect} over one pinned connection of a pool (the migration engine's, which holds the
 * migration lock): Kysely's pool hands out that connection every time and never releases it, so every
 * query of a `db` built on it runs in that session. The engine's data steps use it. Queries on it must
 * run one after another.
 */
export function mysqlDialectOnConnection(conn: PoolConnection, database: string): PetDialect {
  const raw = (conn as unknown as { connection: PinnableConnection }).connection;
  const pinned = {
    get threadId(): number | null | undefined {
      return raw.threadId;
    },
    query: (...args: unknown[]): unknown => raw.query(...args),
    // Kysely "releases" the connection after each query: it stays the engine's.
    release: (): void => undefined,
    destroy: (): void => raw.destroy(),
  };
  const pool = {
    getConnection: (callback: (error: unknown, connection: unknown) => void): void => callback(null, pinned),
    end: (callback: (error?: unknown) => void): void => callback(),
  };
  return dialectOver(pool, database);
}

/** Marks a latch name whose database is read from the session when it is first taken. */
const UNRESOLVED = '\u0000';

interface PinnableConnection {
  readonly threadId: number | null | undefined;
  query(...args: unknown[]): unknown;
  destroy(): void;
}

function dialectOver(
  core: unknown,
  database: string,
  onCreateConnection?: (connection: {
    executeQuery(query: CompiledQuery): Promise<unknown>;
  }) => Promise<void>,
): PetDialect {
  // A pool configured without a database works in the one its sessions select (`USE`): the latch is then
  // named after that one, read once, as the adapter's own event store names it — a name taken from the
  // configuration alone would differ, and the two kinds of writer would not exclude each other.
  let inUse: Promise<string> | undefined;
  const selected = (db: AnyDatabase): Promise<string> =>
    (inUse ??= sql<{ db: unknown }>`SELECT DATABASE() AS db`
      .execute(db)
      .then((r) => {
        const current = r.rows[0]?.db;
        if (typeof current !== 'string' || current === '') {
          throw new PetError(
            'DATABASE_ERROR',
            'the pool has no default database: put it in the URL (…/dbname)',
          );
        }
        return current;
      })
      .catch((e: unknown) => {
        inUse = undefined;
        throw e;
      }));
  const resolveLatch = async (db: AnyDatabase, name: string): Promise<string> =>
    name.startsWith(UNRESOLVED) ? appendLatchName(await selected(db), name.slice(UNRESOLVED.length)) : name;
  return {
    name: 'mysql',
    database,
    // The KPI runner's lock, like the latch, is named after the database in use when none is configured.
    databaseInUse: (db) => (database === '' ? selected(db) : Promise.resolve(database)),
    kysely: new MysqlDialect({
      pool: core as never,
      ...(onCreateConnection === undefined ? {} : { onCreateConnection }),
    }),
    transactionalDdl: false,
    migrationHooks: mysqlMigrationHooks(database),
    gapSafety: 'append-latch',
    positions: 'first-insert-id',
    statementFailureKeepsTransaction: true,
    replacesSavepointNames: true,
    lockRowsOnLoad: true,
    acquireLock: (db, name, timeoutMs) => acquireSessionLock(db, name, timeoutMs),
    classifyError: (error, what) => mapDriverError(error, what),
    compile: (op, prefix, before) => [compileOperation(op, prefix, before).sql],
    codecs,
    appendLatch: {
      // The adapter's own event store uses the same name, so both kinds of writer queue on one latch.
      name: (table) => (database === '' ? `${UNRESOLVED}${table}` : appendLatchName(database, table)),
      acquire: async (trx, name, timeoutMs) => getLock(trx, await resolveLatch(trx, name), timeoutMs),
      acquireWithHead: async (trx, unresolved, timeoutMs, table, streamKey) => {
        const name = await resolveLatch(trx, unresolved);
        const seconds = Math.max(0, Math.ceil(timeoutMs / 1000));
        // The head subquery is correlated with the lock's derived row, so it runs after GET_LOCK returned
        // (an uncorrelated one may be evaluated first, during optimisation).
        const r = await sql<{ got: unknown; head: unknown }>`
          SELECT l.got AS got,
            (SELECT CAST(COALESCE(MAX(e.stream_version), 0) AS CHAR) FROM ${sql.table(table)} e
             WHERE e.stream_id = ${streamKey} AND l.got = 1) AS head
          FROM (SELECT GET_LOCK(${name}, ${seconds}) AS got) l`.execute(trx);
        const row = r.rows[0];
        if (row === undefined || row.got === null || row.got === undefined) {
          throw mapDriverError(new Error(`GET_LOCK('${name}') returned NULL`), 'lock');
        }
        return Number(row.got) === 1
          ? { outcome: 'acquired', head: Number(row.head ?? 0) }
          : { outcome: 'timeout', head: 0 };
      },
      release: async (connection, name) => releaseLock(connection, await resolveLatch(connection, name)),
      // As the adapter always did: commits group across writers; readers probe the gaps.
      releaseBeforeCommit: true,
      step: async (db) => {
        const r = await sql<{ inc: unknown }>`SELECT @@auto_increment_increment AS inc`.execute(db);
        return BigInt(String(r.rows[0]?.inc ?? 1));
      },
      probeGap: async (db, table, after, before) => {
        // A locking read in READ COMMITTED waits for every uncommitted insert in the range, then returns.
        await db
          .transaction()
          .setIsolationLevel('read committed')
          .execute(async (trx) => {
            await sql`SELECT position FROM ${sql.table(table)} WHERE position > ${after.toString()} AND position < ${before.toString()} LOCK IN SHARE MODE`.execute(
              trx,
            );
          });
      },
    },
  };
}
