// Issue 29, item 3, for this package: every public entry answers wrongly typed input with
// VALIDATION_FAILED naming the field — never a raw TypeError — before it touches the server.
import { isPetError, type PetError } from '@pet-ops/core';
import { Kysely } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgTextToInstant } from './codecs.js';
import { compilePostgres, pgIndexName } from './compile.js';
import { postgresDialect } from './dialect.js';
import { postgresGrantStatements } from './grants.js';
import { advisoryKey } from './locks.js';
import { createDatabase, createPostgresPool, openPostgres } from './open.js';
import { postgresSnapshotVisibility } from './snapshot.js';
import { verifyPostgres } from './verify.js';

const CONFUSED: readonly unknown[] = [
  undefined,
  null,
  42,
  Number.NaN,
  true,
  '',
  "'; DROP SCHEMA public; --",
  { evil: true },
  [],
  JSON.parse('{"__proto__": {"polluted": true}}'),
  10n,
  () => 'x',
];

/** The `PetError` of a call (sync or async); anything else fails the test. */
async function refusal(call: () => unknown): Promise<PetError> {
  try {
    await call();
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

// biome-ignore lint/suspicious/noExplicitAny: wrongly typed input on purpose.
type Loose = any;

describe('public entries refuse wrongly typed input with VALIDATION_FAILED', () => {
  /** Values that are valid for an entry (a SQL-looking string is a fine lock name; 42 ms a fine wait). */
  const valid: Readonly<Record<string, (v: unknown) => boolean>> = {
    advisoryKey: (v) => typeof v === 'string' && v.length > 0,
    postgresSnapshotVisibility: (v) => v === 42,
    'createPostgresPool max': (v) => v === 42,
  };
  const cases: readonly [string, (v: Loose) => unknown, string][] = [
    ['openPostgres url', (v) => openPostgres({ url: v }), 'url'],
    [
      'openPostgres schema',
      (v) => openPostgres({ url: 'postgres://x@127.0.0.1:1/d', schema: v === undefined ? '' : v }),
      'schema',
    ],
    ['openPostgres options', (v) => openPostgres(v), ''],
    ['createDatabase', (v) => createDatabase(v), ''],
    ['createPostgresPool', (v) => createPostgresPool(v), ''],
    [
      'createPostgresPool max',
      (v) => createPostgresPool({ url: 'postgres://x@127.0.0.1:1/d', max: v === undefined ? 0 : v }),
      'max',
    ],
    ['postgresDialect pool', (v) => postgresDialect({ pool: v }), 'pool'],
    ['postgresGrantStatements', (v) => postgresGrantStatements(v), ''],
    ['postgresGrantStatements schema', (v) => postgresGrantStatements({ schema: v }), 'schema'],
    ['compilePostgres op', (v) => compilePostgres(v, 'pet_'), 'op'],
    ['pgIndexName', (v) => pgIndexName(v, v, v), ''],
    ['advisoryKey', (v) => advisoryKey(v), 'name'],
    ['postgresSnapshotVisibility', (v) => postgresSnapshotVisibility(v === undefined ? -1 : v), 'waitMs'],
    ['pgTextToInstant', (v) => pgTextToInstant(v), 'value'],
    ['verifyPostgres', (v) => verifyPostgres(v, v, v), ''],
  ];
  it.each(cases)('%s', async (_name, call, field) => {
    for (const v of CONFUSED) {
      if (valid[_name]?.(v) === true) continue;
      const e = await refusal(() => call(v));
      expect(e.code, `${_name}(${String(v)})`).toBe('VALIDATION_FAILED');
      if (field !== '') expect(JSON.stringify(e.details), `${_name}(${String(v)})`).toContain(field);
    }
  });

  it('verifyPostgres names the prefix of a real connection', async () => {
    const untyped = new pg.Pool({ connectionString: 'postgres://x@127.0.0.1:1/d' });
    // A pool without the library's type parsers would lose microseconds: refused, naming the pool.
    expect((await refusal(() => postgresDialect({ pool: untyped }))).details).toMatchObject({
      issues: [{ field: 'pool' }],
    });
    await untyped.end();
    const pool = createPostgresPool({ url: 'postgres://x@127.0.0.1:1/d' });
    const dialect = postgresDialect({ pool });
    const db = new Kysely({ dialect: dialect.kysely });
    const e = await refusal(() => verifyPostgres(db, dialect, { prefix: 'bad prefix' }));
    expect(e.details).toMatchObject({ issues: [{ field: 'prefix' }] });
    await db.destroy();
  });
});
