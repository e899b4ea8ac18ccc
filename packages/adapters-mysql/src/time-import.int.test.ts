// The timesheet CSV import (importTimeCsv) on MariaDB through mysqlDialect: the shared contract, two
// pools, so two imports really run at once.
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeTimeImportContract } from '../../sql/src/contract/time-import-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeTimeImportContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_', 10);
  const second = await connect({ url: fx.db.url, connectionLimit: 10 });
  const client = (pool: typeof second) => {
    const dialect = mysqlDialect({ pool });
    // Kysely's end() would end the pools: they are ended below.
    return { db: new Kysely<never>({ dialect: dialect.kysely }), dialect };
  };
  return {
    prefix: 'pet_',
    first: client(fx.pool),
    second: client(second),
    close: async () => {
      await second.end();
      await fx.close();
    },
  };
});
