import { createConnection } from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

// Vitest loads global set-up outside the projects' resolve conditions, so this file imports no
// workspace package (that would need a build first) and keeps its own tiny URL handling.
const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

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
    const conn = await createConnection({ uri: url, connectTimeout: 5000 });
    await conn.end();
  } catch (e) {
    throw new Error(
      `integration tests need a MySQL/MariaDB server at ${redact(url)} (${(e as Error).message}); run scripts/db.sh or set MYSQL_URL`,
    );
  }
  project.provide('mysqlUrl', url);
}
