import { fc, test } from '@fast-check/vitest';
import { PetError, ValidationError } from '@pet-ops/core';
import { describe, expect, it, vi } from 'vitest';
import manifest from '../package.json' with { type: 'json' };
import { captureIo } from './captured-io.test.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, toFailure } from './failure.js';
import { table, toJson } from './io.js';
import { runCli } from './run.js';
import { DEFAULT_URL, resolveTarget } from './target.js';

describe('pet --version', () => {
  it.each(['--version', '-V'])('%s prints the version of the package and exits 0', async (flag) => {
    const run = captureIo();
    expect(await runCli([flag], run.io)).toBe(EXIT.ok);
    expect(run.stdout()).toBe(`${manifest.version}\n`);
    expect(run.stderr()).toBe('');
  });
});

describe('resolveTarget', () => {
  it('--url wins over PET_URL over MYSQL_URL over the SQLite default; a MySQL URL without a database gets pet', () => {
    expect(
      resolveTarget({ url: 'mysql://u@h:1/a' }, { PET_URL: 'sqlite:x.db', MYSQL_URL: 'mysql://u@h:2/b' }),
    ).toEqual({ kind: 'mysql', url: 'mysql://u@h:1/a', database: 'a', prefix: '' });
    expect(resolveTarget({}, { PET_URL: 'sqlite:x.db', MYSQL_URL: 'mysql://u@h:2/b' })).toEqual({
      kind: 'sqlite',
      url: 'sqlite:x.db',
      database: 'x.db',
      prefix: '',
    });
    expect(resolveTarget({}, { MYSQL_URL: 'mysql://u@h:2/b' }).database).toBe('b');
    expect(resolveTarget({}, {})).toEqual({
      kind: 'sqlite',
      url: DEFAULT_URL,
      database: 'pet.db',
      prefix: '',
    });
    expect(resolveTarget({ prefix: 'wp_pet_' }, { MYSQL_URL: 'mysql://u@h:2' })).toEqual({
      kind: 'mysql',
      url: 'mysql://u@h:2/pet',
      database: 'pet',
      prefix: 'wp_pet_',
    });
  });

  it.each([
    ['postgres://u@h:5432/pet?schema=acme', 'pet'],
    ['postgresql://u:secret@h/shop', 'shop'],
  ])('%s is the PostgreSQL database %s', (url, database) => {
    expect(resolveTarget({ url }, {})).toMatchObject({ kind: 'postgres', database, url });
  });

  it.each([
    ['sqlite:data/pet.db', 'data/pet.db'],
    ['sqlite:///var/pet.db', '/var/pet.db'],
    ['sqlite://pet.db', 'pet.db'],
  ])('%s names the SQLite file %s', (url, file) => {
    expect(resolveTarget({ url }, {})).toMatchObject({ kind: 'sqlite', database: file });
  });

  test.prop([fc.stringMatching(/^[A-Za-z0-9_]{0,20}$/)])('every valid prefix is accepted as is', (prefix) => {
    expect(resolveTarget({ prefix }, {}).prefix).toBe(prefix);
  });

  test.prop([fc.string({ maxLength: 40 }).filter((p) => !/^[A-Za-z0-9_]{0,20}$/.test(p))])(
    'every invalid prefix is a usage failure naming --prefix',
    (prefix) => {
      const e = (() => {
        try {
          resolveTarget({ prefix }, {});
        } catch (x) {
          return x;
        }
        throw new Error('accepted');
      })() as CliFailure;
      expect(e).toBeInstanceOf(CliFailure);
      expect(e.exitCode).toBe(EXIT.usage);
      expect(e.message).toMatch(/^invalid --prefix /);
    },
  );

  it('a prefix of 21 characters is refused naming the 20-character limit', () => {
    expect(() => resolveTarget({ prefix: 'a_long_wordpress_pet_' }, {})).toThrow(/at most 20 letters/);
  });

  it.each([
    'postgres://h',
    'postgresql://h/',
    'mysql://',
    'mysql:/h/db',
    'h:3306/db',
    'mysql://h/db/x',
    'sqlite:',
  ])('a malformed URL (%s) is a usage failure naming the expected shape', (url) => {
    expect(() => resolveTarget({ url }, {})).toThrow(
      /^invalid --url '.*': it must look like (sqlite:path\/to\/file.db, mysql:\/\/|postgres:\/\/)/,
    );
  });
});

describe('toFailure', () => {
  it('maps error codes to exit codes', () => {
    expect(toFailure(new ValidationError('x', [{ field: 'f', rule: 'r' }])).exitCode).toBe(EXIT.usage);
    expect(toFailure(new PetError('CONNECTION_FAILED', 'cannot connect')).exitCode).toBe(EXIT.connection);
    for (const code of [
      'MIGRATION_FAILED',
      'MIGRATION_TAMPERED',
      'MIGRATION_LOCK_TIMEOUT',
      'SCHEMA_NOT_CURRENT',
    ] as const) {
      expect(toFailure(new PetError(code, 'm')).exitCode).toBe(EXIT.schema);
    }
    expect(toFailure(new PetError('NOT_FOUND', 'm')).exitCode).toBe(EXIT.notFound);
    expect(toFailure(new PetError('DATABASE_ERROR', 'm', { details: { errno: 1146 } })).exitCode).toBe(
      EXIT.schema,
    );
    expect(toFailure(new Error('boom')).exitCode).toBe(EXIT.internal);
  });

  test.prop([
    fc.string(),
    fc.constantFrom('MIGRATION_FAILED', 'DATABASE_ERROR', 'CONNECTION_FAILED' as const),
  ])('the message is always one line, whatever the cause says', (message, code) => {
    expect(toFailure(new PetError(code, message)).message).not.toMatch(/[\r\n]/);
    expect(toFailure(new Error(message)).message).not.toMatch(/[\r\n]/);
  });
});

describe('output helpers', () => {
  it('table pads every column but the last', () => {
    expect(
      table(
        ['a', 'bb'],
        [
          ['xxx', 'y'],
          ['z', ''],
        ],
      ),
    ).toEqual(['a    bb', 'xxx  y', 'z']);
  });

  it('toJson writes bigints (positions) as decimal strings', () => {
    expect(toJson({ position: 18_446_744_073_709_551_615n })).toBe('{"position":"18446744073709551615"}');
  });
});

describe('failures found by the argv fuzz (issue 29, item 6)', () => {
  it('given an unknown option or command, then exit 2 and ONE line on stderr, the usage hint on it', async () => {
    for (const argv of [['migrate', 'status', '--frobnicate'], ['migrat']]) {
      const run = captureIo();
      expect(await runCli(argv, run.io)).toBe(EXIT.usage);
      const text = run.stderr();
      expect(text.trimEnd().split('\n'), text).toHaveLength(1);
      expect(text).toMatch(/^pet: unknown (option|command) .*\(run with --help for usage\)\n$/);
    }
  });

  it('given a URL whose password is not valid percent-encoding, then exit 2 without the password, not an internal error', async () => {
    for (const url of [
      'mysql://u:s3cret%E0%A4%A@127.0.0.1:1/pet',
      'postgres://u:s3cret%E0%A4%A@127.0.0.1:1/db',
    ]) {
      const run = captureIo();
      expect(await runCli(['migrate', 'status', '--url', url], run.io), url).toBe(EXIT.usage);
      expect(run.stderr()).toMatch(/not valid percent-encoding/);
      expect(run.stderr()).not.toContain('s3cret');
    }
  });

  it('given a missing table on SQLite or PostgreSQL, then the schema is missing (exit 4), not an internal error', () => {
    const sqlite = new PetError('DATABASE_ERROR', 'read the KPI result sets: no such table: kpi_result_sets');
    const pg = new PetError('DATABASE_ERROR', 'read: relation "pet_x" does not exist', {
      details: { sqlState: '42P01' },
    });
    for (const e of [sqlite, pg]) {
      expect(toFailure(e)).toMatchObject({ code: 'SCHEMA_MISSING', exitCode: EXIT.schema });
    }
  });
});

describe('a PostgreSQL URL with sslmode', () => {
  it('given ?sslmode=require, when a command connects, then node-postgres prints no SECURITY WARNING (the sslmode is read as libpq reads it)', async () => {
    const warned = vi.spyOn(process, 'emitWarning');
    try {
      const run = captureIo();
      // Port 1: refused at once, after node-postgres has read the URL (where it would warn).
      const code = await runCli(
        ['migrate', 'status', '--url', 'postgres://u@127.0.0.1:1/db?sslmode=require'],
        run.io,
      );
      expect(code).toBe(EXIT.connection);
      expect(warned).not.toHaveBeenCalled();
      expect(run.stderr()).not.toContain('SECURITY WARNING');
    } finally {
      warned.mockRestore();
    }
  });
});
