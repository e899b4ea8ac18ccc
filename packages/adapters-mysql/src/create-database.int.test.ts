import { randomBytes } from 'node:crypto';
import { isPetError, type PetError } from '@pet-ops/core';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { connect, connectionOptions, createDatabase, withDatabase } from './connection.js';

let admin: Connection;
let serverUrl: string;
const made: string[] = [];

/** A database name no other test uses (dropped after the file). */
function freshName(): string {
  const name = `t_cd_${randomBytes(5).toString('hex')}`;
  made.push(name);
  return name;
}

async function schemata(name: string): Promise<{ charset: string; collation: string }[]> {
  const [rows] = await admin.query(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [name],
  );
  return rows as { charset: string; collation: string }[];
}

async function failure(p: Promise<unknown>): Promise<PetError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as PetError,
  );
}

beforeAll(async () => {
  serverUrl = withDatabase(inject('mysqlUrl'), '');
  admin = await createConnection(connectionOptions(serverUrl));
});
afterAll(async () => {
  for (const name of made) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.end();
});

describe('createDatabase', () => {
  test('given a missing database, when created twice, then it exists in utf8mb4 and the second call changes nothing', async () => {
    const name = freshName();
    const url = withDatabase(serverUrl, name);
    expect(await schemata(name)).toEqual([]);

    expect(await createDatabase({ url })).toEqual({ database: name, created: true });
    expect(await schemata(name)).toEqual([{ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' }]);
    expect(await createDatabase({ url })).toEqual({ database: name, created: false });

    const pool = await connect({ url });
    await pool.end();
  });

  test.each([
    ['a URL naming no database', 'mysql://root@127.0.0.1:3306', /url: must name a database/],
    ['a name with a backtick', 'mysql://root@127.0.0.1:3306/a%60b', /url: must look like mysql:/],
    ['a name with a space', 'mysql://root@127.0.0.1:3306/a%20b', /url: must look like mysql:/],
    ['a name of 65 characters', `mysql://root@127.0.0.1:3306/${'x'.repeat(65)}`, /must be 1-64 characters/],
    ['a URL of another scheme', 'postgres://root@127.0.0.1/pet', /url: must look like mysql:/],
  ])(
    'given %s, when creating, then VALIDATION_FAILED names url and nothing is created',
    async (_, url, rule) => {
      const before = await admin.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA');
      const e = await failure(createDatabase({ url }));
      expect(isPetError(e, 'VALIDATION_FAILED')).toBe(true);
      expect(e.message).toMatch(rule);
      expect(await admin.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA')).toEqual(before);
    },
  );

  test('given no server at the URL, when creating, then CONNECTION_FAILED, retryable, without the password', async () => {
    const e = await failure(createDatabase({ url: 'mysql://root:s3cret@127.0.0.1:1/pet' }));
    expect(e).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true });
    expect(e.message).not.toContain('s3cret');
  });
});

describe('connect: errors that say what is wrong', () => {
  test('given a database the server does not have, when connecting, then DATABASE_NOT_FOUND, not retryable, naming it and the fix', async () => {
    const name = freshName();
    const e = await failure(connect({ url: withDatabase(serverUrl, name) }));
    expect(e).toMatchObject({ code: 'DATABASE_NOT_FOUND', retryable: false, details: { database: name } });
    expect(e.message).toContain(`database "${name}" does not exist`);
    expect(e.message).toContain('createDatabase({ url })');
    expect(e.message).not.toContain('scripts/db.sh');
    expect(e.message.split('\n')).toHaveLength(1);
  });

  test('given no server at the URL, when connecting, then CONNECTION_FAILED stays retryable with a hint for a library user', async () => {
    const e = await failure(connect({ url: 'mysql://root@127.0.0.1:1/pet' }));
    expect(e).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true });
    expect(e.message).toContain('check that the MySQL or MariaDB server is running and reachable');
    expect(e.message).not.toContain('scripts/db.sh');
  });

  test('given a user the server refuses, when connecting, then CONNECTION_FAILED, not retryable, naming the credentials', async () => {
    const e = await failure(
      connect({ url: withDatabase(serverUrl, 'x').replace('root@', 'no_such_user_pet:pw@') }),
    );
    expect(e).toMatchObject({ code: 'CONNECTION_FAILED', retryable: false });
    expect(e.message).toContain('check the user, the password');
    expect(e.message).not.toContain(':pw@');
  });
});
