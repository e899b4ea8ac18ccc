// The CRM CSV import on the seam on SQLite: the shared contract, concurrent importers on their own
// connections to one database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@pet-ops/sql';
import { describeDeadLetterKeyContract } from '../../sql/src/contract/crm-dead-letters-contract.test.js';
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { freshFile } from './fixtures.test.js';
import { openSqlite } from './open.js';

describeCrmImportContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const d = file.open();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    client: () => file.open(),
    close: async () => {
      await d.close();
      file.remove();
    },
  };
});

describeDeadLetterKeyContract('sqlite', async () => {
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
