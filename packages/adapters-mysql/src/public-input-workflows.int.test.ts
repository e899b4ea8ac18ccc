// Issue 29: the Execute and Track workflows fuzzed with arbitrary and type-confused input on MariaDB
// through mysqlDialect (the shared contract): a PetError or a Rejection, never another throw, nothing
// written when refused.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describePublicInputContract } from '../../sql/src/contract/public-input-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describePublicInputContract('mariadb', async () => {
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
