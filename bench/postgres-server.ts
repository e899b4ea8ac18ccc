// The PostgreSQL server of the benchmark (POSTGRES_URL) and its databases, with pg only: what `bench/run.ts`
// needs to clean up after a case, without loading the library into the runner.
import pg from 'pg';

export function postgresServerUrl(): string {
  return process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `url` with its database replaced by `database`. */
export function withPostgresDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops the database of `url` (closing what still uses it). */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withPostgresDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
