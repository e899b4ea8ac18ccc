import { createConnection } from 'mysql2/promise';
import type { TestProject } from 'vitest/node';
import { connectionOptions, redactUrl } from '../connection.js';
import { DEFAULT_MYSQL_URL } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlUrl: string;
  }
}

/**
 * Vitest global setup for integration tests: checks once that the server answers (failing with the fix
 * when it does not — tests never skip silently) and hands its URL to every test file.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env['MYSQL_URL'] ?? DEFAULT_MYSQL_URL;
  try {
    const conn = await createConnection(connectionOptions(url));
    await conn.end();
  } catch (e) {
    throw new Error(
      `integration tests need a MySQL/MariaDB server at ${redactUrl(url)} (${(e as Error).message}); run scripts/db.sh or set MYSQL_URL`,
    );
  }
  project.provide('mysqlUrl', url);
}
