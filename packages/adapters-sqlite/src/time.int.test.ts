// The time context's persistence contract on SQLite: two connections on one migrated file.
import { describeTimeContract } from '../../sql/src/contract/time-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeTimeContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const [a, b] = [file.open(), file.open()];
  return {
    prefix: 'pet_',
    first: { db: a.db, dialect: a.dialect },
    second: { db: b.db, dialect: b.dialect },
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
