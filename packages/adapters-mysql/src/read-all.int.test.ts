// The readAll iterator contract on MariaDB: the generic store of @pet-ops/sql through mysqlDialect (keyset
// pages, the next one read ahead), as the seam's units of work use it.
import { createEventStore } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeReadAllContract } from '../../sql/src/contract/read-all-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeReadAllContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const dialect = mysqlDialect({ pool: fx.pool });
  // Kysely's end() would end the pool: the fixture ends it.
  const db = new Kysely<never>({ dialect: dialect.kysely });
  return {
    store: createEventStore({ db, dialect, prefix: 'pet_' }),
    exec: async (statement) => {
      await fx.pool.query(statement);
    },
    hideEvents: 'RENAME TABLE `pet_domain_events` TO `pet_hidden_events`',
    restoreEvents: 'RENAME TABLE `pet_hidden_events` TO `pet_domain_events`',
    close: () => fx.close(),
  };
});
