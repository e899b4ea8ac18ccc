import { constants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterEach, describe, expect, inject, test, vi } from 'vitest';
import { connectionOptions, withDatabase } from '../connection.js';
import { createTestDatabase } from './test-database.js';

const serverUrl = (): string => inject('mysqlUrl');

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = await createConnection(connectionOptions(withDatabase(serverUrl(), '')));
  try {
    const [rows] = await c.query(sql, params);
    return rows as T[];
  } finally {
    await c.end();
  }
}

/** Counts come back as strings (the connection reads BIGINTs exactly). */
const exists = async (name: string): Promise<boolean> => {
  const rows = await query<{ n: string }>(
    'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [name],
  );
  return Number(rows[0]?.n) === 1;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('test databases', () => {
  test('given a test database with a table, when dropped, then it is gone', async () => {
    const db = await createTestDatabase(serverUrl());
    await query(`CREATE TABLE \`${db.name}\`.t (id INT PRIMARY KEY)`);
    expect(await exists(db.name)).toBe(true);

    await db.drop();

    expect(await exists(db.name)).toBe(false);
  });

  test('given a stray file the server cannot remove in its directory, when dropped, then it warns and its tables are gone', async () => {
    const db = await createTestDatabase(serverUrl());
    await query(`CREATE TABLE \`${db.name}\`.t (id INT PRIMARY KEY)`);
    // What MariaDB left behind once after a crash-resume run: a trigger backup file no DROP removes.
    const [{ dir }] = (await query<{ dir: string }>('SELECT @@datadir AS dir')) as [{ dir: string }];
    await query(`SELECT 'x' INTO DUMPFILE '${dir}${db.name}/stray.TRG-'`);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

    await db.drop();

    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/every table is dropped.*errno: 39/);
    expect(
      await query('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [db.name]),
    ).toEqual([]);

    // The server cannot remove its own stray file, but this process can when the server runs on this
    // machine and it may write the server's directory: without it every run leaves an empty database.
    const stray = join(dir, db.name, 'stray.TRG-');
    const local = await access(join(dir, db.name), constants.W_OK).then(
      () => true,
      () => false,
    );
    if (local) {
      await rm(stray);
      await db.drop();
      expect(await exists(db.name)).toBe(false);
    }
  });
});
