import { migrate } from '../migration/engine.js';

/**
 * Installs the schema at head into the database at `url` for tests, through the real migration engine
 * (journal, lock, checksums, migration events), so every test runs on the schema users get. The event
 * log therefore starts with the `migration.*` events of the applied migrations (stream type
 * `migration`).
 *
 * @example
 * ```ts
 * const db = await createTestDatabase(inject('mysqlUrl'));
 * await installSchema(db.url, 'wp_pet_');
 * ```
 */
export async function installSchema(url: string, prefix = ''): Promise<void> {
  await migrate(url, { prefix, lockTimeoutSeconds: 120 });
}
