// Content rows (quote_versions, quote_line_groups, quote_lines, lead_schema_versions) on MariaDB: the shared contract on a
// fresh database migrated in two halves by the adapter's own engine (the one hosts and the CLI run),
// before and after the change, like a host's database.
import type { AnyDatabase } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeContentRowsContract } from '../../sql/src/contract/content-rows-contract.test.js';
import { connect } from './connection.js';
import { migrate } from './migration/index.js';
import { mysqlDialect } from './pet-dialect.js';
import { createTestDatabase } from './testing/test-database.js';

describeContentRowsContract('mysql', async () => {
  const database = await createTestDatabase(inject('mysqlUrl'));
  const pool = await connect({ url: database.url, connectionLimit: 4 });
  const dialect = mysqlDialect({ pool, database: database.name });
  const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    prefix: 'pet_',
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
