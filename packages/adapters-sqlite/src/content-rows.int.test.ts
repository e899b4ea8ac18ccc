// Content rows (quote_versions, quote_line_groups, quote_lines, lead_schema_versions) on SQLite: the shared contract on
// a fresh file migrated in two halves, before and after the change, like a host's database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@pet-ops/sql';
import { describeContentRowsContract } from '../../sql/src/contract/content-rows-contract.test.js';
import { openSqlite } from './open.js';

describeContentRowsContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pet-sqlite-'));
  const d = openSqlite({ path: join(dir, 'pet.db') });
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    migrate: async (target) => {
      await migrate(d.db, d.dialect, { prefix: 'pet_', ...(target === undefined ? {} : { target }) });
    },
    close: async () => {
      await d.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
