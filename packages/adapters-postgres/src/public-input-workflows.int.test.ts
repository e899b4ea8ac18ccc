// Issue 29: the Execute and Track workflows fuzzed with arbitrary and type-confused input on PostgreSQL
// (the shared contract): a PetError or a Rejection, never another throw, nothing written when refused.
import { describePublicInputContract } from '../../sql/src/contract/public-input-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describePublicInputContract('postgres', async () => {
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
