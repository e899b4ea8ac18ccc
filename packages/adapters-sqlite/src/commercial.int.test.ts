// The commercial context's persistence (malleable schemas, leads, qualifications, opportunities, quotes,
// sales, quote numbers) and the acceptance hand-off to delivery on SQLite: the shared contract, with
// concurrent clients on their own connections to one database file.
import { describeCommercialContract } from '../../sql/src/contract/commercial-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeCommercialContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const d = file.open();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    client: () => file.open(),
    close: async () => {
      await d.close();
      file.remove();
    },
  };
});
