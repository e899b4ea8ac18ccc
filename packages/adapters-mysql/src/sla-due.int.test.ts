// evaluateDue (the SLA scheduler's entry point) on MariaDB through mysqlDialect: two clients on two
// pools, so two schedulers really run at once.
import { createEventStore } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeSlaDueContract } from '../../sql/src/contract/sla-due-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeSlaDueContract('mariadb', async () => {
  const prefix = 'pet_';
  const fx = await openFixture(inject('mysqlUrl'), prefix, 10);
  const second = await connect({ url: fx.db.url, connectionLimit: 10 });
  const client = (pool: typeof second) => {
    const dialect = mysqlDialect({ pool });
    // Kysely's end() would end the pools: they are ended below.
    const db = new Kysely<never>({ dialect: dialect.kysely });
    return { db, dialect, events: createEventStore({ db, dialect, prefix }) };
  };
  return {
    prefix,
    clients: [client(fx.pool), client(second)],
    openClient: async () => {
      const pool = await connect({ url: fx.db.url, connectionLimit: 2 });
      return { ...client(pool), close: () => pool.end() };
    },
    concurrentWriters: true,
    close: async () => {
      await second.end();
      await fx.close();
    },
  };
});
