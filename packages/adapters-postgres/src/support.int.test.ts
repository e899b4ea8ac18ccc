// The support persistence contract (tickets, SLA definitions and clocks, the SLA evaluator) on PostgreSQL:
// two pools on one database, as two hosts; writers run at once (rows loaded FOR UPDATE).
import { createEventStore } from '@pet-ops/sql';
import { describeSupportContract } from '../../sql/src/contract/support-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeSupportContract('postgres', async () => {
  const prefix = 'pet_';
  const fx = await freshPostgres(prefix);
  const [a, b] = [fx.client(), fx.client()];
  const client = (d: typeof a) => ({
    db: d.db,
    dialect: d.dialect,
    events: createEventStore({ db: d.db, dialect: d.dialect, prefix }),
  });
  return {
    prefix,
    clients: [client(a), client(b)],
    concurrentWriters: true,
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
