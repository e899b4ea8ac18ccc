// evaluateDue (the SLA scheduler's entry point) on PostgreSQL: clients on separate pools of one
// database, as hosts running the scheduler at once (clock rows loaded FOR UPDATE).
import { createEventStore } from '@pet-ops/sql';
import { describeSlaDueContract } from '../../sql/src/contract/sla-due-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeSlaDueContract('postgres', async () => {
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
    openClient: async () => fx.client(),
    concurrentWriters: true,
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
