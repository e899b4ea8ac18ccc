// Issue 29: the Execute and Track workflows fuzzed with arbitrary and type-confused input on SQLite
// (the shared contract): a PetError or a Rejection, never another throw, nothing written when refused.
import { describePublicInputContract } from '../../sql/src/contract/public-input-contract.test.js';
import { freshFile } from './fixtures.test.js';

describePublicInputContract('sqlite', async () => {
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
