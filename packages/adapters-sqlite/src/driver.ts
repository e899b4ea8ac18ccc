import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/** Settings of a node:sqlite connection. */
export interface SqliteConnectionSettings {
  /** A file path, or `:memory:` for a private in-memory database. */
  readonly path: string;
  /** How long a writer waits for another process's write lock before `SQLITE_BUSY` (default 5000 ms). */
  readonly busyTimeoutMs: number;
}

/** One FIFO mutex: SQLite has one connection per database object, used by one transaction at a time. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

/**
 * One write mutex per database file for the whole process. node:sqlite is synchronous: a second connection
 * of this process that waited on SQLite's busy handler would block the event loop, and with it the
 * transaction it waits for. So this process's writers queue here, asynchronously, before `BEGIN IMMEDIATE`;
 * SQLite's own lock (and busy timeout) only arbitrates between processes.
 */
const writeMutexes = new Map<string, Mutex>();

function writeMutex(path: string): Mutex {
  let m = writeMutexes.get(path);
  if (m === undefined) {
    m = new Mutex();
    writeMutexes.set(path, m);
  }
  return m;
}

/** A prepared statement and whether it returns rows (asked once: `columns()` builds a new array each call). */
interface Prepared {
  readonly statement: StatementSync;
  readonly returnsRows: boolean;
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  // Prepared statements by SQL text: the library runs a small set of statements many times.
  readonly #statements = new Map<string, Prepared>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  #prepare(text: string): Prepared {
    let p = this.#statements.get(text);
    if (p === undefined) {
      const statement = this.#db.prepare(text);
      p = { statement, returnsRows: statement.columns().length > 0 };
      if (this.#statements.size >= 500) this.#statements.clear();
      this.#statements.set(text, p);
    }
    return p;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params = query.parameters as SQLInputValue[];
    if (
      query.parameters.length === 0 &&
      /^\s*(create|alter|drop|begin|commit|rollback|savepoint|release|pragma)\b/i.test(query.sql)
    ) {
      // DDL and control statements: exec() takes several statements and is never cached.
      this.#db.exec(query.sql);
      return { rows: [] };
    }
    const { statement: s, returnsRows } = this.#prepare(query.sql);
    if (returnsRows) return { rows: s.all(...params) as R[] };
    const r = s.run(...params);
    return {
      rows: [],
      numAffectedRows: BigInt(r.changes),
      insertId: BigInt(r.lastInsertRowid),
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement: s } = this.#prepare(query.sql);
    for (const row of s.iterate(...(query.parameters as SQLInputValue[]))) yield { rows: [row as R] };
  }
}

class NodeSqliteDriver implements Driver {
  readonly #settings: SqliteConnectionSettings;
  readonly #mutex = new Mutex();
  #db: DatabaseSync | undefined;
  #connection: NodeSqliteConnection | undefined;
  #release: (() => void) | undefined;
  #releaseWrite: (() => void) | undefined;

  constructor(settings: SqliteConnectionSettings) {
    this.#settings = settings;
  }

  async init(): Promise<void> {
    const db = new DatabaseSync(this.#settings.path);
    // WAL: readers do not block the writer; foreign keys on; a busy writer waits instead of failing.
    db.exec(`PRAGMA busy_timeout = ${this.#settings.busyTimeoutMs}`);
    if (this.#settings.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA synchronous = NORMAL');
    this.#db = db;
    this.#connection = new NodeSqliteConnection(db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection as NodeSqliteConnection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // An in-memory database is private to its connection: only files are shared between connections.
    if (this.#settings.path !== ':memory:') this.#releaseWrite = await writeMutex(this.#settings.path).lock();
    try {
      // IMMEDIATE: take the write lock at BEGIN, so a transaction never fails later on a lock upgrade.
      await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
    } catch (e) {
      this.#endWrite();
      throw e;
    }
  }

  #endWrite(): void {
    const release = this.#releaseWrite;
    this.#releaseWrite = undefined;
    release?.();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('COMMIT'));
    } finally {
      this.#endWrite();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
    } finally {
      this.#endWrite();
    }
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
  }
}

/**
 * Kysely's `Dialect` over Node's built-in `node:sqlite` (`DatabaseSync`; Node ≥ 22.13, no native
 * build): one connection, transactions `BEGIN IMMEDIATE`, WAL for files, foreign keys on, statements
 * prepared once. Kysely's own `SqliteDialect` expects better-sqlite3's statement API and starts
 * transactions as `BEGIN` (deferred), which can fail on the first write under a second writer.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: nodeSqliteKyselyDialect({ path: ':memory:', busyTimeoutMs: 5000 }) });
 * ```
 */
export function nodeSqliteKyselyDialect(settings: SqliteConnectionSettings): Dialect {
  return {
    createAdapter: (): DialectAdapter => new SqliteAdapter(),
    createDriver: (): Driver => new NodeSqliteDriver(settings),
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(db),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
  };
}
