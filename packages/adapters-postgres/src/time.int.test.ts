// The time context's persistence contract on PostgreSQL: two pools on one fresh database, as two hosts.
import { describeTimeContract } from '../../sql/src/contract/time-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeTimeContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const [a, b] = [fx.client(), fx.client()];
  return {
    prefix: 'pet_',
    first: { db: a.db, dialect: a.dialect },
    second: { db: b.db, dialect: b.dialect },
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
