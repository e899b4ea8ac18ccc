// The time context's persistence contract on MariaDB through this adapter's PetDialect: two pools, so
// the concurrent adjustments race on two connections.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeTimeContract } from '../../sql/src/contract/time-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeTimeContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const secondPool = await connect({ url: fx.db.url, connectionLimit: 10 });
  const [a, b] = [mysqlDialect({ pool: fx.pool }), mysqlDialect({ pool: secondPool })];
  // Kysely's end() would end the pools: the fixture ends them.
  return {
    prefix: 'pet_',
    first: { db: new Kysely<never>({ dialect: a.kysely }), dialect: a },
    second: { db: new Kysely<never>({ dialect: b.kysely }), dialect: b },
    close: async () => {
      await secondPool.end();
      await fx.close();
    },
  };
});
