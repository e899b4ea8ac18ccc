// The identity context's persistence (employees, teams, memberships, org-structure versions) on SQLite:
// the shared contract.
import { describeIdentityContract } from '../../sql/src/contract/identity-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeIdentityContract('sqlite', async () => {
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
