// The timesheet CSV import (importTimeCsv) on PostgreSQL: the shared contract, two clients on their own
// pools to one database, so two imports really run at once.
import { describeTimeImportContract } from '../../sql/src/contract/time-import-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeTimeImportContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const [a, b] = [fx.client(), fx.client()];
  return {
    prefix: 'pet_',
    first: a,
    second: b,
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
