// The crm context's persistence on PostgreSQL: the shared contract, with concurrent clients on their own
// pools to one database.
import { describeCrmContract } from '../../sql/src/contract/crm-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeCrmContract('postgres', async () => {
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
