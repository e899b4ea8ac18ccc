// The CRM CSV import on the seam on PostgreSQL: the shared contract, concurrent importers on their own
// pools to one database.
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeCrmImportContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const d = fx.client();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    client: () => fx.client(),
    close: async () => {
      await d.close();
      await fx.drop();
    },
  };
});
