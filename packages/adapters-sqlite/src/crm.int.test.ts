// The CRM context's persistence (companies, company slots, people, per-day uids) on SQLite: the shared
// contract, with concurrent clients on their own connections to one database file.
import { describeCrmContract } from '../../sql/src/contract/crm-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeCrmContract('sqlite', async () => {
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
