// The delivery context's persistence (projects, baselines, milestones, tasks, variances) on SQLite: the
// shared contract.
import { describeDeliveryContract } from '../../sql/src/contract/delivery-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeDeliveryContract('sqlite', async () => {
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
