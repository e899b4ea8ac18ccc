// The activity-feed runner of @pet-ops/sql on SQLite: the shared contract, with two connections to one
// database file as the concurrent clients.
import { describeFeedContract } from '../../sql/src/contract/feed-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeFeedContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const a = file.open();
  const b = file.open();
  return {
    db: a.db,
    dialect: a.dialect,
    prefix: 'pet_',
    second: { db: b.db, dialect: b.dialect },
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
