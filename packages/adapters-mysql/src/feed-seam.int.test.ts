// The activity-feed runner of @pet-ops/sql on MariaDB through mysqlDialect: the contract that runs on
// SQLite, with two pools as the concurrent clients.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeFeedContract } from '../../sql/src/contract/feed-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeFeedContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const secondPool = await connect({ url: fx.db.url, connectionLimit: 10 });
  const a = mysqlDialect({ pool: fx.pool });
  const b = mysqlDialect({ pool: secondPool });
  // Kysely's end() would end the pools: the fixture ends them.
  return {
    db: new Kysely<never>({ dialect: a.kysely }),
    dialect: a,
    prefix: 'pet_',
    second: { db: new Kysely<never>({ dialect: b.kysely }), dialect: b },
    close: async () => {
      await secondPool.end();
      await fx.close();
    },
  };
});
