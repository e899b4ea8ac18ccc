/**
 * `@pet-ops/adapters-mysql/testing`: a fresh database per test file and schema set-up for integration tests.
 *
 * @packageDocumentation
 * @module @pet-ops/adapters-mysql/testing
 */
export { installSchema } from './schema.js';
export { createTestDatabase, DEFAULT_MYSQL_URL, type TestDatabase } from './test-database.js';
