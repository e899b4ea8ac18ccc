import { isPetError, type PetError, ValidationError } from '@pet-ops/core';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { connect, connectionOptions } from './connection.js';
import { duplicateKeyName, errnoOf, mapDriverError } from './errors.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

let db: TestDatabase;
let conn: Connection;

beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
  conn = await createConnection(connectionOptions(db.url));
  await conn.query(`CREATE TABLE t (
    id INT PRIMARY KEY, code VARCHAR(5) NOT NULL, n INT NOT NULL CHECK (n >= 0), UNIQUE KEY uq_code (code)
  ) ENGINE=InnoDB`);
  await conn.query(`CREATE TRIGGER t_no_delete BEFORE DELETE ON t FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 't is append-only'`);
  await conn.query("INSERT INTO t VALUES (1, 'a', 1)");
});
afterAll(async () => {
  await conn.end();
  await db.drop();
});

async function driverError(sql: string): Promise<unknown> {
  return conn.query(sql).then(
    () => {
      throw new Error(`expected ${sql} to fail`);
    },
    (e: unknown) => e,
  );
}

describe('mapDriverError maps real server errors by errno', () => {
  test.each([
    ["INSERT INTO t VALUES (2, 'a', 1)", 'DUPLICATE_KEY', false, 1062],
    ['DELETE FROM t WHERE id = 1', 'IMMUTABLE_ROW', false, 1644],
    ["INSERT INTO t VALUES (3, 'b', -1)", 'CONSTRAINT_VIOLATION', false, 4025],
    ['INSERT INTO t VALUES (4, NULL, 1)', 'CONSTRAINT_VIOLATION', false, 1048],
    ["INSERT INTO t VALUES (5, 'too long', 1)", 'CONSTRAINT_VIOLATION', false, 1406],
    ['SELECT * FROM missing_table', 'DATABASE_ERROR', false, 1146],
  ] as const)('given %s, then %s (retryable %s, errno %i)', async (sql, code, retryable, errno) => {
    const raw = await driverError(sql);
    expect(errnoOf(raw)).toBe(errno);
    const e = mapDriverError(raw, 'test');
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(retryable);
    expect(e.message.startsWith('test: ')).toBe(true);
    expect(e.details).toMatchObject({ errno, operation: 'test' });
  });

  test('given a duplicate, then the key name is reported', async () => {
    const raw = await driverError("INSERT INTO t VALUES (6, 'a', 1)");
    expect(duplicateKeyName(raw)).toBe('uq_code');
    expect(mapDriverError(raw, 'insert').details).toMatchObject({ key: 'uq_code' });
  });

  test('given a row held by another transaction, then LOCK_TIMEOUT, retryable', async () => {
    const other = await createConnection(connectionOptions(db.url));
    try {
      await other.query('START TRANSACTION');
      await other.query('SELECT * FROM t WHERE id = 1 FOR UPDATE');
      await conn.query('SET SESSION innodb_lock_wait_timeout = 1');
      await conn.query('START TRANSACTION');
      const e = mapDriverError(await driverError('SELECT * FROM t WHERE id = 1 FOR UPDATE'), 'load');
      expect([e.code, e.retryable]).toEqual(['LOCK_TIMEOUT', true]);
    } finally {
      await conn.query('ROLLBACK');
      await conn.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  test('given an already typed error or a plain error, then it passes or becomes DATABASE_ERROR', () => {
    const typed = new ValidationError('x', [{ field: 'a', rule: 'b' }]);
    expect(mapDriverError(typed, 'op')).toBe(typed);
    expect(mapDriverError(new Error('boom'), 'op').code).toBe('DATABASE_ERROR');
  });
});

describe('connect', () => {
  test('given a server that does not answer, then one CONNECTION_FAILED line without password or stack', async () => {
    const e = await connect({ url: 'mysql://root:hunter2@127.0.0.1:1/pet' }).then(
      () => undefined,
      (x: unknown) => x as PetError,
    );
    expect(isPetError(e, 'CONNECTION_FAILED')).toBe(true);
    expect(e?.message).toMatch(
      /^cannot connect to mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/pet \(.+\); check that the MySQL or MariaDB server is running/,
    );
    expect(e?.message).not.toContain('hunter2');
    expect(e?.message.split('\n')).toHaveLength(1);
  });

  test('given a malformed URL, then a ValidationError names url', async () => {
    const e = await connect({ url: 'postgres://x' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues[0]?.field).toBe('url');
  });
});
