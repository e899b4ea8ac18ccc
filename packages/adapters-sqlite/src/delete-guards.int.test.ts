// Nothing is deleted on SQLite (issue 22): the shared contract, a raw DELETE on every table of a fresh database.
import { describeDeleteGuardContract } from '../../sql/src/contract/delete-guard-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeDeleteGuardContract('sqlite', async () => {
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
