// The database's immutability guards for versioned definitions on PostgreSQL: the shared contract.
import { describeImmutabilityContract } from '../../sql/src/contract/immutability-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeImmutabilityContract('postgres', async () => {
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
