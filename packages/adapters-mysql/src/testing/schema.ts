import { createConnection } from 'mysql2/promise';
import { connectionOptions } from '../connection.js';

/**
 * Installs the schema at head into the database at `url` for tests.
 *
 * Stopgap: raw DDL of the first migrations until the migration engine lands; then this calls the
 * engine so tests always run the real migration path.
 */
export async function installSchema(url: string, prefix = ''): Promise<void> {
  const conn = await createConnection(connectionOptions(url));
  try {
    await conn.query(`CREATE TABLE IF NOT EXISTS \`${prefix}domain_events\` (
      position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      event_id BINARY(16) NOT NULL,
      event_type VARCHAR(128) NOT NULL,
      schema_version SMALLINT UNSIGNED NOT NULL,
      stream_type VARCHAR(64) NOT NULL,
      stream_id BINARY(16) NOT NULL,
      stream_version INT UNSIGNED NOT NULL,
      occurred_at DATETIME(6) NOT NULL,
      recorded_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
      actor_type VARCHAR(16) NOT NULL,
      actor_id VARCHAR(64) NULL,
      correlation_id BINARY(16) NULL,
      causation_id BINARY(16) NULL,
      idempotency_key VARCHAR(191) NULL,
      context JSON NOT NULL,
      payload JSON NOT NULL,
      PRIMARY KEY (position),
      UNIQUE KEY uq_event_id (event_id),
      UNIQUE KEY uq_stream_version (stream_id, stream_version),
      UNIQUE KEY uq_idempotency_key (idempotency_key),
      KEY ix_event_type (event_type, position),
      KEY ix_occurred_at (occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const op of ['UPDATE', 'DELETE']) {
      await conn.query(
        `CREATE TRIGGER IF NOT EXISTS \`${prefix}domain_events_no_${op.toLowerCase()}\` BEFORE ${op} ON \`${prefix}domain_events\`
         FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'domain_events is append-only'`,
      );
    }
  } finally {
    await conn.end();
  }
}
