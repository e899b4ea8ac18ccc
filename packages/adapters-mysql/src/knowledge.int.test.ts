// The knowledge context's persistence (articles, versions, links, comments) on MariaDB through
// mysqlDialect: the same contract that runs on SQLite.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeKnowledgeContract } from '../../sql/src/contract/knowledge-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeKnowledgeContract('mariadb', async () => {
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
