// evaluateDue (the SLA scheduler's entry point) on SQLite: two clients on one database file, as two
// hosts running the scheduler from cron would be.
import { createEventStore } from '@pet-ops/sql';
import { describeSlaDueContract } from '../../sql/src/contract/sla-due-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeSlaDueContract('sqlite', async () => {
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
    openClient: async () => file.open(),
    // BEGIN IMMEDIATE: evaluators run at once, their units take the one write lock in turn.
    concurrentWriters: false,
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
