// The delivery context's persistence (projects, baselines, milestones, tasks, variances) on MariaDB
// through mysqlDialect: the same contract that runs on SQLite.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeDeliveryContract } from '../../sql/src/contract/delivery-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeDeliveryContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const dialect = mysqlDialect({ pool: fx.pool });
  // Kysely's end() would end the pool: the fixture ends it.
  return {
    db: new Kysely<never>({ dialect: dialect.kysely }),
    dialect,
    prefix: 'pet_',
    close: () => fx.close(),
  };
});
