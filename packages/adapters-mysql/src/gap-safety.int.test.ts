// The gap-safety contract on MariaDB: the generic store of @pet-ops/sql through mysqlDialect (append latch
// held until after COMMIT, readers probing gaps).
import { createEventStore } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { describeGapSafetyContract } from '../../sql/src/contract/gap-safety-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlDialect } from './pet-dialect.js';

describeGapSafetyContract('mariadb', async () => {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const second = await connect({ url: fx.db.url, connectionLimit: 10 });
  const [a, b] = [mysqlDialect({ pool: fx.pool }), mysqlDialect({ pool: second })];
  // Kysely's end() would end the pools: the fixture ends them.
  const [dbA, dbB] = [new Kysely<never>({ dialect: a.kysely }), new Kysely<never>({ dialect: b.kysely })];
  return {
    stores: [
      createEventStore({ db: dbA, dialect: a, prefix: 'pet_' }),
      createEventStore({ db: dbB, dialect: b, prefix: 'pet_' }),
    ],
    gapSafety: a.gapSafety,
    close: async () => {
      await second.end();
      await fx.close();
    },
  };
});
