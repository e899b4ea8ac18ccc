// Data steps in migrations on PostgreSQL (@pet-ops/sql's engine, in the migration's transaction): the
// shared contract, with the live-schema verify.
import {
  describeDataStepContract,
  seamDataStepTarget,
} from '../../sql/src/contract/data-step-contract.test.js';
import { freshDatabase } from './fixtures.test.js';
import { openPostgres } from './open.js';
import { verifyPostgres } from './verify.js';

describeDataStepContract('postgres', async () => {
  const fresh = await freshDatabase();
  const { db, dialect, close } = await openPostgres({ url: fresh.url, schema: 'pet', createSchema: true });
  const prefix = 'ds_';
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
