export { installSchema } from './schema.js';
export { createTestDatabase, DEFAULT_MYSQL_URL, type TestDatabase } from './test-database.js';
