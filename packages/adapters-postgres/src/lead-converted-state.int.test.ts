// Migration 2026_12_06_1001 (leads.state gains converted, converted leads move) on PostgreSQL, with the
// live-schema verify.
import { seamDataStepTarget } from '../../sql/src/contract/data-step-contract.test.js';
import { describeLeadConvertedStateContract } from '../../sql/src/contract/lead-converted-state-contract.test.js';
import { freshDatabase } from './fixtures.test.js';
import { openPostgres } from './open.js';
import { verifyPostgres } from './verify.js';

describeLeadConvertedStateContract('postgres', async () => {
  const fresh = await freshDatabase();
  const { db, dialect, close } = await openPostgres({ url: fresh.url, schema: 'pet', createSchema: true });
  const prefix = 'lc_';
  return seamDataStepTarget(
    db,
    dialect,
    prefix,
    async () => {
      await close();
      await fresh.drop();
    },
    async (migrations) => {
      const r = await verifyPostgres(db, dialect, { prefix, migrations });
      return [...r.drifts.map((d) => d.message), ...r.journal];
    },
  );
});
