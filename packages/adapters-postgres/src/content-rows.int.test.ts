// Content rows (quote_versions, quote_line_groups, quote_lines, lead_schema_versions) on PostgreSQL: the shared contract
// on a fresh database migrated in two halves, before and after the change, like a host's database.
import { migrate } from '@pet-ops/sql';
import { describeContentRowsContract } from '../../sql/src/contract/content-rows-contract.test.js';
import { freshDatabase } from './fixtures.test.js';
import { openPostgres } from './open.js';

describeContentRowsContract('postgres', async () => {
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
