import type { PetError } from '@pet-ops/core';
import type { Migration, Operation, SchemaModel } from '@pet-ops/migrations';
import type { CompiledQuery, Dialect, Kysely, Transaction } from 'kysely';
import type { MigrationHooks } from './verify-schema.js';

/**
 * A Kysely instance over PET's tables. Their names carry the host's prefix, known only at run time, so the
 * schema type is open; each module narrows it to the tables it declares.
 */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's idiom for a schema whose table names are dynamic.
export type AnyDatabase = Kysely<any>;
/** A transaction of an {@link AnyDatabase}. */
// biome-ignore lint/suspicious/noExplicitAny: as above.
export type AnyTransaction = Transaction<any>;

/**
 * How an event store keeps a checkpointed reader from skipping an event that commits late under a lower
 * position (transactions commit out of position order):
 * - `single-writer`: the database admits one writing transaction at a time (SQLite), so commit order is
 *   position order and nothing more is needed;
 * - `append-latch`: appends are serialised by a named lock held from position allocation to insert, and
 *   readers probe gaps (MySQL/MariaDB);
 * - `snapshot`: writers claim a transaction id before taking a position; a reader that meets a gap waits
 *   until the transactions in progress when it looked have ended, then reads the gap again (PostgreSQL:
 *   the transaction-id locks of `pg_locks`; see {@link SnapshotVisibility}).
 */
export type GapSafety = 'single-writer' | 'append-latch' | 'snapshot';

/** The answer of {@link PetDialect.acquireLock}: held (release it when done) or not within the timeout. */
export type LockAttempt =
  | {
      readonly outcome: 'acquired';
      /** Gives the lock back (on the session that took it). */
      readonly release: () => Promise<void>;
    }
  | { readonly outcome: 'timeout' };

/**
 * How a dialect stores the logical values the library writes. Each function is total over the values the
 * core validates (ids are UUID strings, instants are `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
 */
export interface ValueCodecs {
  /** A UUID string → the column value (MySQL: 16 bytes; SQLite: the text). */
  readonly encodeId: (id: string) => unknown;
  /** The column value → the lower-case UUID string. */
  readonly decodeId: (value: unknown) => string;
  /** A canonical UTC instant → the column value. */
  readonly encodeInstant: (instant: string) => unknown;
  /** The column value → the canonical instant with six fraction digits. */
  readonly decodeInstant: (value: unknown) => string;
  /** A JSON value → the column value. */
  readonly encodeJson: (value: unknown) => unknown;
  /** The column value → the parsed JSON value. */
  readonly decodeJson: (value: unknown) => unknown;
  /** A boolean → the column value. */
  readonly encodeBool: (value: boolean) => unknown;
  /** The column value → the boolean. */
  readonly decodeBool: (value: unknown) => boolean;
}

/**
 * What PET needs from a database beyond Kysely's own `Dialect` (driver, adapter, query compiler):
 * one object per database, implemented by each adapter package. Everything generic (event store, unit of
 * work, migration engine, runners) is written once against it.
 *
 * @example
 * ```ts
 * import { sqliteDialect } from '@pet-ops/adapters-sqlite';
 * const pet = sqliteDialect({ path: ':memory:' });
 * const db: AnyDatabase = new Kysely({ dialect: pet.kysely });
 * await migrate(db, pet, { prefix: 'pet_' });
 * ```
 */
export interface PetDialect {
  /** Short name of the database family: `sqlite`, `mysql`, `postgres`. */
  readonly name: string;
  /** Which database this dialect object talks to (a MySQL schema name, a SQLite file path), for lock names. */
  readonly database: string;
  /**
   * Optional: the database `db`'s sessions work in, where {@link PetDialect.database} may not name it
   * (MySQL/MariaDB: a pool configured without a database whose sessions `USE` one). Lock names that must
   * tell databases apart (the KPI runner's) are built from it; without it, from `database`.
   */
  readonly databaseInUse?: (db: AnyDatabase) => Promise<string>;
  /** Kysely's dialect (driver, adapter, query compiler, introspector). */
  readonly kysely: Dialect;
  /**
   * True when DDL takes part in transactions (SQLite, PostgreSQL): a migration then runs in one
   * transaction, and a failure leaves nothing behind and is not recorded. False (MySQL/MariaDB): each
   * statement commits on its own, so the engine records progress per statement and resumes.
   */
  readonly transactionalDdl: boolean;
  /**
   * Optional: what this database adds to a run of the resumable migration engine (`migrateResumable`,
   * which `migrate` is where `transactionalDdl` is false) over `db` — probes that find a statement already
   * in effect, migration events, the migration lock's name, journals an earlier release wrote — and, for
   * `verifySchema`, how its tables look (`schemaShape`). Called once per run (and by the status, plan,
   * gate and verify, for the journal's reading).
   */
  readonly migrationHooks?: (
    db: AnyDatabase,
    run: { readonly prefix: string; readonly migrations: readonly Migration[] },
  ) => MigrationHooks;
  /** How readers of the event log avoid skipping late commits. */
  readonly gapSafety: GapSafety;
  /**
   * Takes a named lock, checked: `acquired` with its release, or `timeout` after `timeoutMs`. Names are
   * built with {@link lockName} (database + prefix + purpose), so two databases never block each other.
   */
  readonly acquireLock: (db: AnyDatabase, name: string, timeoutMs: number) => Promise<LockAttempt>;
  /**
   * A driver error → the typed error a host sees (unique violation, immutable row, lock timeout, lost
   * connection …), with `retryable` set; never a raw driver stack.
   */
  readonly classifyError: (error: unknown, what: string) => PetError;
  /**
   * One logical operation → the statements that apply it, for the given table prefix. `before` is the
   * schema before the operation (`schemaBeforeEach` of `@pet-ops/migrations`); an operation that
   * regenerates a column or table from it (`widenEnum`) throws without it.
   */
  readonly compile: (op: Operation, prefix: string, before?: SchemaModel) => readonly string[];
  /** Value codecs for ids, instants, JSON and booleans. */
  readonly codecs: ValueCodecs;
  /**
   * Where the positions of a multi-row INSERT come from: `returning` (`INSERT … RETURNING`), or the insert
   * id the driver reports — the first row's (MySQL) or the last row's (SQLite) — with rows consecutive in
   * between (one writer, or the append latch, makes them so).
   */
  readonly positions: 'returning' | 'first-insert-id' | 'last-insert-id';
  /**
   * True when the unit of work loads rows `FOR UPDATE` (MySQL, PostgreSQL), so an aggregate read for facts
   * cannot change before the unit commits; false where one writer at a time already ensures it (SQLite).
   */
  readonly lockRowsOnLoad: boolean;
  /**
   * True when a failed statement (a duplicate key) undoes only itself and the transaction goes on (MySQL,
   * SQLite); false or absent when it aborts the transaction until a savepoint is rolled back (PostgreSQL).
   * Where true, an append inside a unit of work's own savepoint takes none of its own: two round trips
   * fewer per save.
   */
  readonly statementFailureKeepsTransaction?: boolean;
  /**
   * True when setting a savepoint under a name already set replaces the old one (MySQL/MariaDB): a unit of
   * work then leaves a successful save's savepoint for the next save to replace or COMMIT to end, one
   * round trip fewer per save. False or absent: it releases it (SQLite and PostgreSQL nest same-named
   * savepoints, and a long unit would pile them up).
   */
  readonly replacesSavepointNames?: boolean;
  /**
   * True when the driver runs each query to completion on the calling thread (node:sqlite): a query
   * overlaps nothing and costs no round trip, so readers of keyset pages (`readAll`) read small pages and
   * none ahead — a page builds all its rows at once, and rows in hand at a young-generation GC make V8
   * grow the heap. False or absent: pages of 1000, the next one asked for while this one is consumed.
   */
  readonly synchronousQueries?: boolean;
  /**
   * Optional: a streamed read for the readers of the event log (`readAll`, `readKpiEvents`). Yields the
   * rows of `query` — a read-only `SELECT … ORDER BY position` compiled on `db`, in the driver's row
   * shape — in batches of at most `batch` rows, from a server-side cursor on one connection of `db`,
   * fetching the next batch only when the consumer asks for it. Each batch is the consumer's: it may clear
   * rows it has read (so a young-generation GC finds only the rest alive). Stopping early (`return`) ends the read
   * and frees the connection. Readers call it on a pooled `db` only, never inside a transaction, and keep
   * their gap safety: at a gap they stop the stream, wait it out and start a new one. Without it they read
   * keyset pages.
   *
   * @example
   * ```ts
   * const q = db.selectFrom('pet_domain_events').selectAll().where('position', '>', '0').orderBy('position').compile();
   * for await (const rows of pet.streamRows!(db, q, 200)) for (const r of rows) handle(r);
   * ```
   */
  readonly streamRows?: (
    db: AnyDatabase,
    query: CompiledQuery,
    batch: number,
  ) => AsyncIterable<(Record<string, unknown> | undefined)[]>;
  /** What the `append-latch` strategy needs; required exactly when `gapSafety` is `append-latch`. */
  readonly appendLatch?: AppendLatch;
  /** What the `snapshot` strategy needs; required exactly when `gapSafety` is `snapshot`. */
  readonly snapshot?: SnapshotVisibility;
}

/**
 * The `snapshot` gap safety of a database whose transactions have ids a reader can list while they run
 * (PostgreSQL: each holds the lock on its own id until it has ended): writers appear as in progress before they take a
 * position, and a reader that meets a gap below a committed position waits until every transaction in
 * progress at that moment has ended, then reads the gap again. Writers never wait for each other.
 *
 * Why it is sound: positions rise in the order they are taken. A position missing below one the reader saw
 * was taken before it, so by a transaction that claimed its id even earlier; when the reader looks, that
 * transaction has either ended (its rows are visible, or gone for good) or is listed as in progress.
 * Readers read outside a transaction or in READ COMMITTED (each statement its own snapshot): a reader
 * inside a REPEATABLE READ transaction would not see what it waited for.
 */
export interface SnapshotVisibility {
  /**
   * Makes the transaction `trx` visible as in progress to every later snapshot, before it takes a position
   * (PostgreSQL: `pg_current_xact_id()` assigns its transaction id). Called once per transaction.
   */
  readonly claim: (trx: AnyTransaction) => Promise<void>;
  /**
   * Resolves once every transaction in progress now has ended (committed or rolled back); a typed,
   * retryable error when one is still running after the dialect's bound.
   */
  readonly awaitInFlight: (db: AnyDatabase) => Promise<void>;
}

/**
 * The append latch of a database without transactional visibility order (MySQL/MariaDB): appends of one
 * events table queue on a named lock held from reading the stream head until after their INSERT (or
 * until after COMMIT), so positions are allocated and inserted one append at a time; readers that meet
 * a gap wait out the inserts in flight inside it.
 */
export interface AppendLatch {
  /** The latch name of an events table (prefixed name), shared by every writer of that table. */
  readonly name: (table: string) => string;
  /** Takes the latch inside `trx` (on its connection), waiting at most `timeoutMs`. */
  readonly acquire: (trx: AnyTransaction, name: string, timeoutMs: number) => Promise<'acquired' | 'timeout'>;
  /**
   * Optional: takes the latch and then reads the stream's head (`MAX(stream_version)`, 0 for none) in one
   * round trip, where the database can order the two inside one statement. Without it the store calls
   * {@link AppendLatch.acquire} and reads the head after.
   */
  readonly acquireWithHead?: (
    trx: AnyTransaction,
    name: string,
    timeoutMs: number,
    table: string,
    streamKey: unknown,
  ) => Promise<{ readonly outcome: 'acquired' | 'timeout'; readonly head: number }>;
  /** Releases it on the same connection, after the transaction ended (or after the INSERT, below). */
  readonly release: (connection: AnyDatabase, name: string) => Promise<void>;
  /**
   * True: released right after each append's INSERT, before COMMIT, so the rest of the writer's
   * transaction (other rows, its COMMIT and fsync) runs beside other writers; commits may then land out
   * of position order, and readers wait out the gaps ({@link AppendLatch.probeGap}). False or absent:
   * held until after COMMIT. A transaction appending to a stream another one appended to and has not
   * committed waits on the unique (stream, version) key holding the latch; two such multi-append
   * transactions end in a retryable `LOCK_TIMEOUT` after the latch timeout, never in a lost event.
   */
  readonly releaseBeforeCommit?: boolean;
  /** The auto-increment step of positions (`@@auto_increment_increment`). */
  readonly step: (db: AnyDatabase) => Promise<bigint>;
  /** Resolves once no insert in flight can still commit a position in (after, before) of `table`. */
  readonly probeGap: (db: AnyDatabase, table: string, after: bigint, before: bigint) => Promise<void>;
}
