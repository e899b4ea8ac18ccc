// Not a test file: the set-up the CLI's MySQL e2e files share — a fresh database migrated under a
// prefix, a pool for the test's own reads, a scratch folder for input files — and `pet` bound to them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrate } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { type PetRun, pet } from './pet-process.test.js';
import type { Pool } from './target.js';

/** What {@link useMigratedMysql} gives a test file (usable once its `beforeAll` has run). */
export interface MigratedMysql {
  readonly db: () => TestDatabase;
  readonly conn: () => Pool;
  /** The file's scratch folder. */
  readonly dir: () => string;
  /** Writes `text` to `name` in the file's scratch folder and returns its path. */
  readonly file: (name: string, text: string) => string;
  /** `pet <args> --prefix <prefix>` against the fresh database. */
  readonly run: (...args: string[]) => Promise<PetRun>;
  /** Rows in `<prefix><table>`. */
  readonly count: (table: string) => Promise<number>;
}

/** A fresh MariaDB database migrated under `prefix` for one e2e file, dropped after its last test. */
export function useMigratedMysql(prefix: string): MigratedMysql {
  let db: TestDatabase | undefined;
  let conn: Pool | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(inject('mysqlUrl'));
    await migrate(db.url, { prefix });
    conn = await connect({ url: db.url, connectionLimit: 1 });
    dir = mkdtempSync(join(tmpdir(), `pet-${prefix}`));
  });
  afterAll(async () => {
    await conn?.end();
    await db?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMigratedMysql: used before its beforeAll ran');
    return value;
  };
  const self: MigratedMysql = {
    db: () => ready(db),
    conn: () => ready(conn),
    dir: () => ready(dir),
    file: (name, text) => {
      const path = join(ready(dir), name);
      writeFileSync(path, text);
      return path;
    },
    run: (...args) => pet([...args, '--prefix', prefix], { MYSQL_URL: ready(db).url }),
    count: async (table) => {
      const [rows] = (await ready(conn).query(
        `SELECT COUNT(*) AS n FROM \`${prefix}${table}\``,
      )) as unknown as [Array<{ n: unknown }>];
      return Number(rows[0]?.n);
    },
  };
  return self;
}
