import { inject } from 'vitest';
import { describeEventStoreContract } from '../../../sql/src/contract/event-store-contract.test.js';
import { connect } from '../connection.js';
import { mapDriverError } from '../errors.js';
import { createMysqlEventStore } from './event-store.js';
import { countRows, openFixture } from './fixtures.test.js';

describeEventStoreContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const second = await connect({ url: fx.db.url, connectionLimit: 10 });
  return {
    store: createMysqlEventStore({ pool: fx.pool, prefix: 'pet_' }),
    secondStore: createMysqlEventStore({ pool: second, prefix: 'pet_' }),
    exec: async (statement) => {
      try {
        await fx.pool.query(statement);
      } catch (e) {
        throw mapDriverError(e, 'exec');
      }
    },
    countEvents: () => countRows(fx.pool, 'pet_domain_events'),
    eventsTable: '`pet_domain_events`',
    truncate: 'privileges-only',
    close: async () => {
      await second.end();
      await fx.close();
    },
  };
});
