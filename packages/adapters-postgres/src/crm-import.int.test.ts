// The CRM CSV import on the seam on PostgreSQL: the shared contract, concurrent importers on their own
// pools to one database.
import { migrate } from '@pet-ops/sql';
import { describeDeadLetterKeyContract } from '../../sql/src/contract/crm-dead-letters-contract.test.js';
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { freshDatabase, freshPostgres } from './fixtures.test.js';
import { openPostgres } from './open.js';

describeCrmImportContract('postgres', async () => {
  const fx = await freshPostgres('pet_');
  const d = fx.client();
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    client: () => fx.client(),
    close: async () => {
      await d.close();
      await fx.drop();
    },
  };
});

describeDeadLetterKeyContract('postgres', async () => {
  const fresh = await freshDatabase();
  const d = await openPostgres({ url: fresh.url, schema: 'pet', createSchema: true });
  return {
    db: d.db,
    dialect: d.dialect,
    prefix: 'pet_',
    migrate: async (target) => {
      await migrate(d.db, d.dialect, { prefix: 'pet_', ...(target === undefined ? {} : { target }) });
    },
    close: async () => {
      await d.close();
      await fresh.drop();
    },
  };
});
