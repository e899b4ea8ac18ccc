// The identity context's persistence (employees, teams, memberships, org-structure versions) on MariaDB
// through mysqlDialect: the same contract that runs on SQLite. (The adapter's own identity repository,
// which the demo and the CLI use, keeps its tests in identity/identity.int.test.ts.)
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeIdentityContract } from '../../sql/src/contract/identity-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeIdentityContract('mariadb', async () => {
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
