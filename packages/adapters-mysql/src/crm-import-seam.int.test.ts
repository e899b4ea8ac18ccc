// The CRM CSV import on the seam on MariaDB through mysqlDialect: the same contract that runs on SQLite,
// concurrent importers on their own pooled connections. (The adapter's own importer, which the CLI still
// uses, keeps its tests in crm/import.int.test.ts.)
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeCrmImportContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_', 10);
  const dialect = mysqlDialect({ pool: fx.pool });
  // Kysely's end() would end the pool: the fixture ends it.
  const db = new Kysely<never>({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    prefix: 'pet_',
    client: () => ({ db, dialect, close: async () => undefined }),
    close: () => fx.close(),
  };
});
