/**
 * `@pet-ops/adapters-sqlite`: PET's embedded default database on Node's built-in `node:sqlite` (no
 * server, no native build). It supplies the `PetDialect` that `@pet-ops/sql` runs on.
 *
 * @packageDocumentation
 * @module @pet-ops/adapters-sqlite
 */
export { compileSqlite, SQLITE_NOW, sqliteIndexName } from './compile.js';
export { classifySqliteError, type SqliteDialectOptions, sqliteDialect } from './dialect.js';
export { nodeSqliteKyselyDialect, type SqliteConnectionSettings } from './driver.js';
export { openSqlite, type SqliteDatabase } from './open.js';
export { sqliteSchemaShape } from './schema-shape.js';
