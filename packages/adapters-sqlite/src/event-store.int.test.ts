import { createEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describeEventStoreContract } from '../../sql/src/contract/event-store-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeEventStoreContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const a = file.open();
  const b = file.open();
  return {
    store: createEventStore({ db: a.db, dialect: a.dialect, prefix: 'pet_' }),
    secondStore: createEventStore({ db: b.db, dialect: b.dialect, prefix: 'pet_' }),
    exec: async (statement) => {
      try {
        await sql.raw(statement).execute(a.db);
      } catch (e) {
        throw a.dialect.classifyError(e, 'exec');
      }
    },
    countEvents: async () => {
      const r = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM pet_domain_events`.execute(a.db);
      return Number(r.rows[0]?.n);
    },
    eventsTable: '"pet_domain_events"',
    truncate: 'no-statement',
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
