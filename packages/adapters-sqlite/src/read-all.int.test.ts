// The readAll iterator contract on SQLite: keyset pages, none read ahead (node:sqlite runs queries
// synchronously).
import { createEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describeReadAllContract } from '../../sql/src/contract/read-all-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeReadAllContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const a = file.open();
  return {
    store: createEventStore({ db: a.db, dialect: a.dialect, prefix: 'pet_' }),
    exec: async (statement) => {
      await sql.raw(statement).execute(a.db);
    },
    hideEvents: 'ALTER TABLE "pet_domain_events" RENAME TO "pet_hidden_events"',
    restoreEvents: 'ALTER TABLE "pet_hidden_events" RENAME TO "pet_domain_events"',
    close: async () => {
      await a.close();
      file.remove();
    },
  };
});
