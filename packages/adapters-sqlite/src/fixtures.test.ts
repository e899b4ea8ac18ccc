/**
 * Helpers of the SQLite adapter's tests (not a test file itself: the `.test.ts` suffix only keeps it out of
 * builds and the published package).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@pet-ops/sql';
import { openSqlite, type SqliteDatabase } from './open.js';

/** A fresh database file in its own temporary directory, migrated to head with `prefix`. */
export async function freshFile(
  prefix = '',
): Promise<{ path: string; open: () => SqliteDatabase; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'pet-sqlite-'));
  const path = join(dir, 'pet.db');
  const first = openSqlite({ path });
  await migrate(first.db, first.dialect, { prefix });
  await first.close();
  return {
    path,
    open: () => openSqlite({ path }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
