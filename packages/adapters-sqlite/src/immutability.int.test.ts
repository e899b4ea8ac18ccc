// The database's immutability guards for versioned definitions on SQLite: the shared contract.
import { describeImmutabilityContract } from '../../sql/src/contract/immutability-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeImmutabilityContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const d = file.open();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    close: async () => {
      await d.close();
      file.remove();
    },
  };
});
