// Nothing is deleted on MariaDB (issue 22): the shared contract through mysqlDialect, a raw DELETE on
// every table of a database the MySQL engine migrated.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeDeleteGuardContract } from '../../sql/src/contract/delete-guard-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeDeleteGuardContract('mariadb', async () => {
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
