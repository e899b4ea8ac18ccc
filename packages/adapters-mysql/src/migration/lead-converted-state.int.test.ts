// Migration 2026_12_06_1001 (leads.state gains converted, converted leads move) on MariaDB through the
// adapter's resumable engine, with its verify.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeLeadConvertedStateContract } from '../../../sql/src/contract/lead-converted-state-contract.test.js';
import { connect } from '../connection.js';
import { mysqlDialect } from '../pet-dialect.js';
import { createTestDatabase } from '../testing/test-database.js';
import { migrate, plan, status, verify } from './engine.js';

describeLeadConvertedStateContract('mariadb', async () => {
  const fresh = await createTestDatabase(inject('mysqlUrl'));
  const pool = await connect({ url: fresh.url });
  const dialect = mysqlDialect({ pool });
  const prefix = 'lc_';
  return {
    db: new Kysely<never>({ dialect: dialect.kysely }),
    dialect,
    prefix,
    migrate: (migrations, target) =>
      migrate(pool, { prefix, migrations, ...(target === undefined ? {} : { target }) }),
    status: async (migrations) => {
      const s = await status(pool, { prefix, migrations });
      return {
        pending: s.migrations.filter((m) => m.state !== 'applied').map((m) => m.id),
        missingDataSteps: s.missingDataSteps,
      };
    },
    plan: (migrations) => plan(pool, { prefix, migrations }),
    verify: async (migrations) => {
      const r = await verify(pool, { prefix, migrations });
      return [...r.drifts.map((d) => d.message), ...r.journal];
    },
    close: async () => {
      await pool.end();
      await fresh.drop();
    },
  };
});
