/**
 * `@pet-ops/adapters-mysql`: PET on MySQL 8 / MariaDB 10.6+ — event store, unit of work and the
 * migration driver, built on Kysely and mysql2.
 *
 * @packageDocumentation
 */
export {
  type ConnectionOptions,
  connect,
  connectionFailed,
  connectionOptions,
  databaseOf,
  poolOptions,
  redactUrl,
  withDatabase,
} from './connection.js';
export { errnoOf, mapDriverError } from './errors.js';
export { parseTablePrefix, type TablePrefix, tablePrefixSchema } from './prefix.js';
export { systemClock, uuidV7Ids } from './system.js';
