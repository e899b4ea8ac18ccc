import { PetError } from '@pet-ops/core';
import type { LockAttempt, PetDialect, ValueCodecs } from '@pet-ops/sql';
import { compileSqlite } from './compile.js';
import { nodeSqliteKyselyDialect } from './driver.js';
import { sqliteSchemaShape } from './schema-shape.js';

/** Options of {@link sqliteDialect}. */
export interface SqliteDialectOptions {
  /** A file path (created when missing), or `:memory:` for a private in-memory database (the default). */
  readonly path?: string;
  /** How long a writer waits for another process's write lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

// SQLite's extended result codes (https://sqlite.org/rescode.html) that the library tells apart.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CANTOPEN = 14;
/** SQLITE_NOTADB: the file is not a SQLite database (or is encrypted). */
const SQLITE_NOTADB = 26;
const SQLITE_CONSTRAINT_CHECK = 275;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_NOTNULL = 1299;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_TRIGGER = 1811;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

function errcodeOf(error: unknown): number | undefined {
  const c = (error as { errcode?: unknown } | null)?.errcode;
  return typeof c === 'number' ? c : undefined;
}

/**
 * A node:sqlite error → the typed error a host sees. Unique and primary-key violations are
 * `DUPLICATE_KEY`, an append-only guard's `RAISE(ABORT)` is `IMMUTABLE_ROW`, other constraints are
 * `CONSTRAINT_VIOLATION`, a busy or locked database is a retryable `LOCK_TIMEOUT`; the driver's own
 * message is kept in `details.driverMessage`, never as a raw stack.
 *
 * @example
 * ```ts
 * try { db.exec('…'); } catch (e) { throw classifySqliteError(e, 'append'); }
 * ```
 */
export function classifySqliteError(error: unknown, what: string): PetError {
  const code = errcodeOf(error);
  const driverMessage = error instanceof Error ? error.message : String(error);
  const details = { operation: what, errcode: code ?? null, driverMessage };
  const make = (c: PetError['code'], message: string, retryable = false): PetError =>
    new PetError(c, `${what}: ${message}`, { retryable, details, cause: error });
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return make('DUPLICATE_KEY', `a row with the same key exists (${driverMessage})`);
    case SQLITE_CONSTRAINT_TRIGGER:
      return make('IMMUTABLE_ROW', `the row is immutable (${driverMessage})`);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return make('CONSTRAINT_VIOLATION', `a constraint refused the row (${driverMessage})`);
    case SQLITE_CANTOPEN:
      return make(
        'CONNECTION_FAILED',
        `the database file cannot be opened (${driverMessage}); check the path and its directory's permissions`,
      );
  }
  const primary = code === undefined ? undefined : code & 0xff;
  if (primary === SQLITE_NOTADB) {
    return make(
      'CONNECTION_FAILED',
      `the file is not a SQLite database (${driverMessage}); name a PET database file or a new path`,
    );
  }
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
    return make('LOCK_TIMEOUT', 'another writer held the database past the busy timeout; retry', true);
  }
  return make('DATABASE_ERROR', driverMessage);
}

/** In-process named locks: SQLite has one writer per database, so they only order this process's callers. */
const held = new Map<string, Promise<void>>();

async function acquireLocalLock(name: string, timeoutMs: number): Promise<LockAttempt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = held.get(name);
    if (current === undefined) {
      let release!: () => void;
      held.set(
        name,
        new Promise<void>((r) => {
          release = r;
        }),
      );
      return {
        outcome: 'acquired',
        release: async () => {
          held.delete(name);
          release();
        },
      };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { outcome: 'timeout' };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([current, new Promise<void>((r) => (timer = setTimeout(r, left)))]);
    clearTimeout(timer);
  }
}

const codecs: ValueCodecs = {
  encodeId: (id) => id.toLowerCase(),
  decodeId: (value) => String(value),
  encodeInstant: (instant) => instant,
  decodeInstant: (value) => String(value),
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => JSON.parse(String(value)) as unknown,
  encodeBool: (value) => (value ? 1 : 0),
  decodeBool: (value) => value === 1 || value === 1n,
};

/**
 * PET's SQLite dialect, the embedded default: Node's built-in `node:sqlite`, one writer at a time
 * (`BEGIN IMMEDIATE`), WAL, foreign keys on; append-only guards are `RAISE(ABORT)` triggers; DDL is
 * transactional, so a failing migration leaves nothing behind. Gap safety is `single-writer`: commits
 * happen in position order. Named locks order this process's callers; across processes SQLite's write
 * lock does (the migration engine re-reads its journal inside the write transaction). Its
 * `migrationHooks` give `verifySchema` the live tables ({@link sqliteSchemaShape}).
 *
 * @example
 * ```ts
 * const pet = sqliteDialect({ path: 'pet.db' });
 * const db = new Kysely<any>({ dialect: pet.kysely });
 * await migrate(db, pet, { prefix: 'pet_' });
 * ```
 */
export function sqliteDialect(options: SqliteDialectOptions = {}): PetDialect {
  const path = options.path ?? ':memory:';
  if (typeof path !== 'string' || path.length === 0) {
    throw new PetError('VALIDATION_FAILED', 'invalid sqlite options: path: must be a file path or :memory:', {
      details: { issues: [{ field: 'path', rule: 'must be a file path or :memory:' }] },
    });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  return {
    name: 'sqlite',
    // Each in-memory database is private to its connection: give each its own lock names.
    database: path === ':memory:' ? `:memory:${Math.random().toString(36).slice(2)}` : path,
    kysely: nodeSqliteKyselyDialect({ path, busyTimeoutMs }),
    transactionalDdl: true,
    gapSafety: 'single-writer',
    acquireLock: (_db, name, timeoutMs) => acquireLocalLock(name, timeoutMs),
    classifyError: classifySqliteError,
    compile: compileSqlite,
    // For verifySchema: the live tables compared with the model (DDL is transactional: nothing to probe).
    migrationHooks: () => ({ schemaShape: sqliteSchemaShape }),
    codecs,
    positions: 'last-insert-id',
    statementFailureKeepsTransaction: true,
    lockRowsOnLoad: false,
    synchronousQueries: true,
  };
}
