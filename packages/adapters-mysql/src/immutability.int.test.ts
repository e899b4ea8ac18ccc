// The database's immutability guards for versioned definitions on MariaDB through mysqlDialect: the
// shared contract, with REPLACE and INSERT … ON DUPLICATE KEY UPDATE.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeImmutabilityContract } from '../../sql/src/contract/immutability-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeImmutabilityContract('mariadb', async () => {
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
