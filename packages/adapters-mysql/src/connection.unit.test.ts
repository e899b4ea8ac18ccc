import { isPetError, ValidationError } from '@pet-ops/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { connectionFailed, connectionOptions, databaseOf, redactUrl, withDatabase } from './connection.js';
import { parseTablePrefix } from './prefix.js';

describe('connection URLs', () => {
  test('given a URL with a password, when redacted, then the password is replaced and nothing else changes', () => {
    expect(redactUrl('mysql://app:s3cr3t@db.local:3307/pet')).toBe('mysql://app:***@db.local:3307/pet');
    // Unescaped '@', '#', '/' or '?' in a password: still all of it hidden.
    expect(redactUrl('mysql://root:a@s3cret@127.0.0.1:1/pet')).toBe('mysql://root:***@127.0.0.1:1/pet');
    expect(redactUrl('mysql://root:pa#ss@h/db')).toBe('mysql://root:***@h/db');
    expect(redactUrl('mysql://root:p/a?s s@h/db')).toBe('mysql://root:***@h/db');
    expect(redactUrl('mysql://root@127.0.0.1:3306')).toBe('mysql://root@127.0.0.1:3306');
    // Every scheme and every secret the URL can carry (issue 29: a postgres:// password was echoed).
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactUrl('postgresql://u:p%40ss@h:5432/db?sslmode=require&sslpassword=x&token=t#f')).toBe(
      'postgresql://u:***@h:5432/db?sslmode=require&sslpassword=***&token=***#f',
    );
    expect(redactUrl('sqlite:///var/pet.db')).toBe('sqlite:///var/pet.db');
    expect(redactUrl('mysql://:only-password@h/db')).toBe('mysql://:***@h/db');
    expect(redactUrl('mysql://h/db?password=p')).toBe('mysql://h/db?password=***');
  });

  test('property: whatever characters a password holds, the redacted URL never shows it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('mysql', 'postgres', 'postgresql'),
        fc.stringMatching(/^[a-z]{1,8}$/),
        // A marker makes the password unmistakable in the output; the rest is any text at all.
        fc.string({ maxLength: 20 }).map((p) => `Zq9${p}`),
        fc.constantFrom('127.0.0.1:1', 'db.local', '[::1]:5432'),
        fc.constantFrom('/pet', '/pet?ssl=true', '', '/db#frag'),
        (scheme, user, password, host, tail) => {
          const out = redactUrl(`${scheme}://${user}:${password}@${host}${tail}`);
          expect(out).not.toContain(password);
          expect(out.startsWith(`${scheme}://${user}:***@`)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('given URLs, when reading and replacing the database, then both round-trip', () => {
    expect(databaseOf('mysql://root@127.0.0.1:3306/pet_demo')).toBe('pet_demo');
    expect(databaseOf('mysql://root@127.0.0.1:3306')).toBeUndefined();
    expect(withDatabase('mysql://root@127.0.0.1:3306', 't_1')).toBe('mysql://root@127.0.0.1:3306/t_1');
  });

  test('given a URL, then the driver options lose no precision and work in UTC', () => {
    expect(connectionOptions('mysql://u:p%40ss@h:3310/db')).toMatchObject({
      host: 'h',
      port: 3310,
      user: 'u',
      password: 'p@ss',
      database: 'db',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      timezone: 'Z',
    });
  });

  test('given a driver failure, then CONNECTION_FAILED names the URL without password and the fix', () => {
    const e = connectionFailed(
      'mysql://app:s3cr3t@127.0.0.1:1/pet',
      Object.assign(new Error(''), { code: 'ECONNREFUSED' }),
    );
    expect(isPetError(e, 'CONNECTION_FAILED')).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(
      'cannot connect to mysql://app:***@127.0.0.1:1/pet (ECONNREFUSED); check that the MySQL or MariaDB server is running and reachable at this host and port',
    );
    expect(e.message).not.toContain('s3cr3t');
  });

  test('given an unknown database (errno 1049), then DATABASE_NOT_FOUND, not retryable, naming it and createDatabase', () => {
    const e = connectionFailed(
      'mysql://app:s3cr3t@127.0.0.1:3306/pet_prod',
      Object.assign(new Error("Unknown database 'pet_prod'"), { errno: 1049 }),
    );
    expect(isPetError(e, 'DATABASE_NOT_FOUND')).toBe(true);
    expect(e.retryable).toBe(false);
    expect(e.details).toMatchObject({ database: 'pet_prod', errno: 1049 });
    expect(e.message).toBe(
      'database "pet_prod" does not exist on mysql://app:***@127.0.0.1:3306/pet_prod; create it (utf8mb4) with createDatabase({ url }) and migrate it',
    );
  });

  test('given refused credentials (errno 1045), then CONNECTION_FAILED, not retryable, naming the credentials', () => {
    const e = connectionFailed(
      'mysql://app:s3cr3t@127.0.0.1:3306/pet',
      Object.assign(new Error("Access denied for user 'app'"), { errno: 1045 }),
    );
    expect(isPetError(e, 'CONNECTION_FAILED')).toBe(true);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('check the user, the password');
    expect(e.message).not.toContain('s3cr3t');
  });
});

describe('table prefix', () => {
  test.each(['', 'wp_pet_', 'A1_', 'x'.repeat(20)])('given %j, then it is accepted', (p) => {
    expect(parseTablePrefix(p)).toBe(p);
  });

  test.each(['wp-pet', 'pet;', 'p`', 'é_', ' '])(
    'given %j, then a ValidationError names prefix and the rule',
    (p) => {
      const e = (() => {
        try {
          parseTablePrefix(p);
          return undefined;
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues).toEqual([
        { field: 'prefix', rule: 'must match ^[A-Za-z0-9_]{0,20}$' },
      ]);
    },
  );

  test('given a prefix of 21 characters, then a ValidationError names prefix and the 20-character limit', () => {
    expect(() => parseTablePrefix('x'.repeat(21))).toThrow(ValidationError);
    try {
      parseTablePrefix('x'.repeat(21));
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([
        {
          field: 'prefix',
          rule: "is 21 characters; at most 20, so every table and trigger name (<prefix><name>) fits MariaDB's 64-character identifiers (^[A-Za-z0-9_]{0,20}$)",
        },
      ]);
    }
  });
});
