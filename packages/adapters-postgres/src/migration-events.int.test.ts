// Migration events on PostgreSQL (transactional DDL): the shared contract, in a fresh database.
import { describeMigrationEventsContract } from '../../sql/src/contract/migration-events-contract.test.js';
import { freshDatabase } from './fixtures.test.js';
import { openPostgres } from './open.js';

describeMigrationEventsContract('postgres', async () => {
  const fresh = await freshDatabase();
  const o = await openPostgres({ url: fresh.url, schema: 'pet', createSchema: true });
  return {
    db: o.db,
    dialect: o.dialect,
    close: async () => {
      await o.close();
      await fresh.drop();
    },
  };
});
