// The support persistence contract (tickets, SLA definitions and clocks, the SLA evaluator) on SQLite:
// two clients on one database file, as two processes or hosts would be.
import { createEventStore } from '@pet-ops/sql';
import { describeSupportContract } from '../../sql/src/contract/support-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeSupportContract('sqlite', async () => {
  const prefix = 'pet_';
  const file = await freshFile(prefix);
  const [a, b] = [file.open(), file.open()];
  const client = (d: typeof a) => ({
    db: d.db,
    dialect: d.dialect,
    events: createEventStore({ db: d.db, dialect: d.dialect, prefix }),
  });
  return {
    prefix,
    clients: [client(a), client(b)],
    concurrentWriters: false,
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
