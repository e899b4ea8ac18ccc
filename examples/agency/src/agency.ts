// The host application's wiring: one database, migrated; one event registry; one unit of work over
// every state table; a command runtime per simulated actor clock. Everything else talks to this.
import {
  assertSchemaCurrent,
  CRM_STATE_TABLES,
  connect,
  connectionOptions,
  createMysqlEventStore,
  createMysqlUnitOfWork,
  IDENTITY_STATE_TABLES,
  LEAD_PIPELINE_TABLES,
  type MigrationProgress,
  migrate,
  QUOTING_TABLES,
  redactUrl,
  uuidV7Ids,
  withDatabase,
} from '@pet-ops/adapters-mysql';
import {
  type Clock,
  type CommandRuntime,
  Commercial,
  Crm,
  createEventRegistry,
  type EventDefinition,
  type EventRegistry,
  type EventStore,
  Identity,
  type UnitOfWork,
} from '@pet-ops/core';
import { defaultRetryPolicy } from '@pet-ops/sql';
import { createConnection, type Pool } from 'mysql2/promise';

/** The example's connection to its own database. */
export interface Agency {
  readonly pool: Pool;
  readonly prefix: string;
  readonly database: string;
  readonly registry: EventRegistry;
  readonly unitOfWork: UnitOfWork;
  readonly events: EventStore;
  /** A command runtime whose events carry `clock`'s business time. */
  runtime(clock: Clock): CommandRuntime;
  close(): Promise<void>;
}

export interface AgencyOptions {
  /** Server URL without a database, e.g. `mysql://root@127.0.0.1:3306`. */
  readonly serverUrl: string;
  /** The example's own database; dropped and re-created, so every run starts from nothing. */
  readonly database: string;
  readonly prefix: string;
  /** Called after each migration is applied, with the total number of migrations applied. */
  readonly onMigration?: (migrationId: string) => void;
}

/** Event types every context of the example writes. */
function eventDefinitions(): EventDefinition[] {
  return [
    ...Identity.identityEventDefinitions,
    ...Crm.crmEventDefinitions,
    ...Commercial.commercialEventDefinitions,
  ];
}

/** Every aggregate's state table, by stream type. */
const STATE_TABLES: Readonly<Record<string, string>> = {
  ...IDENTITY_STATE_TABLES,
  ...CRM_STATE_TABLES,
  ...LEAD_PIPELINE_TABLES,
  ...QUOTING_TABLES,
};

/**
 * Re-creates the database, migrates it to the head of PET's migration list and checks the activation
 * gate, then wires the runtime pieces.
 *
 * @example
 * ```ts
 * const agency = await openAgency({ serverUrl, database: 'pet_agency', prefix: 'agency_' });
 * ```
 */
export async function openAgency(options: AgencyOptions): Promise<Agency> {
  const { serverUrl, database, prefix } = options;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new Error(`--database must match [A-Za-z0-9_]{1,64} (got '${database}')`);
  }
  // Creating (and here: dropping) the example's database is the host's job, not the library's.
  const admin = await createConnection(connectionOptions(serverUrl)).catch((e: unknown) => {
    throw new Error(
      `cannot connect to ${redactUrl(serverUrl)} (${(e as Error).message}); run scripts/db.sh or set MYSQL_URL`,
    );
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const pool = await connect({ url: withDatabase(serverUrl, database), connectionLimit: 12 });
  try {
    await migrate(pool, {
      prefix,
      onProgress: (p: MigrationProgress) => {
        if (p.kind === 'migration-completed') options.onMigration?.(p.migrationId);
      },
    });
    await assertSchemaCurrent(pool, { prefix });
  } catch (e) {
    await pool.end();
    throw e;
  }
  const registry = createEventRegistry({ events: eventDefinitions() });
  const unitOfWork = createMysqlUnitOfWork({ pool, prefix, tables: STATE_TABLES });
  const events = createMysqlEventStore({ pool, prefix });
  return {
    pool,
    prefix,
    database,
    registry,
    unitOfWork,
    events,
    runtime: (clock) => ({
      unitOfWork,
      registry,
      clock,
      ids: uuidV7Ids,
      retry: { ...defaultRetryPolicy, maxAttempts: 10 },
    }),
    close: () => pool.end(),
  };
}
