// The CRM CSV import on the seam on SQLite: the shared contract, concurrent importers on their own
// connections to one database file.
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { freshFile } from './fixtures.test.js';

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
