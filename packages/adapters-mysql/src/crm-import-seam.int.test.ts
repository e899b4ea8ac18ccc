// The CRM CSV import on the seam on MariaDB through mysqlDialect: the same contract that runs on SQLite,
// concurrent importers on their own pooled connections. (The adapter's own importer, which the CLI still
// uses, keeps its tests in crm/import.int.test.ts.)
import type { AnyDatabase } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeDeadLetterKeyContract } from '../../sql/src/contract/crm-dead-letters-contract.test.js';
import { describeCrmImportContract } from '../../sql/src/contract/crm-import-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { migrate } from './migration/index.js';
import { mysqlDialect } from './pet-dialect.js';
import { createTestDatabase } from './testing/test-database.js';

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

describeDeadLetterKeyContract('mariadb', async () => {
  const database = await createTestDatabase(inject('mysqlUrl'));
  const pool = await connect({ url: database.url, connectionLimit: 4 });
  const dialect = mysqlDialect({ pool, database: database.name });
  const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    prefix: 'pet_',
    // The adapter's own engine, as hosts and the CLI migrate.
    migrate: async (target) => {
      const migrator = await connect({ url: database.url, connectionLimit: 2 });
      try {
        await migrate(migrator, { prefix: 'pet_', ...(target === undefined ? {} : { target }) });
      } finally {
        await migrator.end();
      }
    },
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
});
