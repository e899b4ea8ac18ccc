// The identity context's persistence on PostgreSQL (tables in a tenant schema): the shared contract.
import { describeIdentityContract } from '../../sql/src/contract/identity-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeIdentityContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const d = fx.client();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    close: async () => {
      await d.close();
      await fx.drop();
    },
  };
});
