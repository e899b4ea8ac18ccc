// The activity-feed runner of @pet-ops/sql on PostgreSQL: the shared contract, with two pools to one
// database as the concurrent clients.
import { describeFeedContract } from '../../sql/src/contract/feed-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeFeedContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const [a, b] = [fx.client(), fx.client()];
  return {
    db: a.db,
    dialect: a.dialect,
    prefix: 'pet_',
    second: { db: b.db, dialect: b.dialect },
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
