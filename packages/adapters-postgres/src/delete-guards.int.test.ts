// Nothing is deleted on PostgreSQL (issue 22): the shared contract, a raw DELETE on every table of a fresh database.
import { describeDeleteGuardContract } from '../../sql/src/contract/delete-guard-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeDeleteGuardContract('postgres', async () => {
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
