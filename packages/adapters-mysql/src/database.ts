import {
  type ColumnType,
  DummyDriver,
  type Generated,
  type Insertable,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  type Selectable,
} from 'kysely';
import type { SchemaMigrationsTable } from './migration/journal.table.js';

/**
 * `domain_events`: the append-only log (design §4). Types are what mysql2 returns with the pool
 * settings of `connectionOptions`: BIGINT and DATETIME(6) as strings (no precision loss), BINARY(16) as
 * `Buffer`, JSON as text (MariaDB's JSON is LONGTEXT).
 */
export interface DomainEventsTable {
  /** Global order; assigned by AUTO_INCREMENT, never written by the library. */
  position: ColumnType<string, never, never>;
  event_id: Buffer;
  event_type: string;
  schema_version: number;
  stream_type: string;
  stream_id: Buffer;
  stream_version: number;
  /** `YYYY-MM-DD HH:MM:SS.ffffff`, UTC. */
  occurred_at: string;
  recorded_at: Generated<string>;
  actor_type: 'employee' | 'system' | 'integration';
  actor_id: string | null;
  correlation_id: Buffer | null;
  causation_id: Buffer | null;
  idempotency_key: string | null;
  /** JSON text. */
  context: string;
  /** JSON text. */
  payload: string;
}

/** A `domain_events` row as read. */
export type DomainEventRow = Selectable<DomainEventsTable>;
/** A `domain_events` row as inserted. */
export type NewDomainEventRow = Insertable<DomainEventsTable>;

/** Every table of the schema, by logical (unprefixed) name; the adapter applies the table prefix. */
export interface Database {
  domain_events: DomainEventsTable;
  schema_migrations: SchemaMigrationsTable;
}

const columns = [
  'position',
  'event_id',
  'event_type',
  'schema_version',
  'stream_type',
  'stream_id',
  'stream_version',
  'occurred_at',
  'recorded_at',
  'actor_type',
  'actor_id',
  'correlation_id',
  'causation_id',
  'idempotency_key',
  'context',
  'payload',
] as const satisfies readonly (keyof DomainEventsTable)[];

// Compile-time check that the list names every column (a missing one makes this `never`).
type MissingColumn = Exclude<keyof DomainEventsTable, (typeof columns)[number]>;
const everyColumnListed: [MissingColumn] extends [never] ? true : never = true;
void everyColumnListed;

/**
 * The columns of {@link DomainEventsTable}, in table order, as runtime data (the type checker keeps it
 * in step with the interface; an integration test compares it with the live table).
 *
 * @example `expect(liveColumnNames).toEqual([...DOMAIN_EVENTS_COLUMNS])`
 */
export const DOMAIN_EVENTS_COLUMNS: readonly (keyof DomainEventsTable)[] = columns;

/**
 * A Kysely instance that only compiles queries (MySQL dialect, no driver). The adapter runs the
 * compiled SQL itself on the connection that holds its transaction.
 *
 * @example
 * ```ts
 * const { sql, parameters } = sqlBuilder<Database>().selectFrom('domain_events').selectAll().compile();
 * ```
 */
export function sqlBuilder<DB>(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new MysqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new MysqlIntrospector(db),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
  });
}
