// The event store contract on PostgreSQL: the generic store of @pet-ops/sql through postgresDialect, two
// pools on one fresh database (as two processes would be), tables in a tenant schema.
import { createEventStore } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describeEventStoreContract } from '../../sql/src/contract/event-store-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeEventStoreContract('postgres', async () => {
  const prefix = 'pet_';
  const fx = await freshPostgres(prefix, 'marketing');
  const [a, b] = [await fx.open(), await fx.open()];
  return {
    store: createEventStore({ db: a.db, dialect: a.dialect, prefix }),
    secondStore: createEventStore({ db: b.db, dialect: b.dialect, prefix }),
    exec: async (statement) => {
      try {
        await sql.raw(statement).execute(a.db);
      } catch (e) {
        throw a.dialect.classifyError(e, 'exec');
      }
    },
    countEvents: async () => {
      const r = await sql<{ n: string }>`SELECT count(*) AS n FROM pet_domain_events`.execute(a.db);
      return Number(r.rows[0]?.n);
    },
    eventsTable: '"pet_domain_events"',
    // A BEFORE TRUNCATE trigger refuses it (MySQL/MariaDB cannot refuse TRUNCATE but by privileges).
    truncate: 'refused',
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
