// The KPI runner of @pet-ops/sql on MariaDB through mysqlDialect: the contract that runs on SQLite, once
// on the portable path and once with this adapter's accelerator (streamed fold, LOAD DATA); and the same
// events give the same results on MariaDB and on SQLite.
import { catalogueV1 } from '@pet-ops/kpi';
import { createEventStore, createKpiRunner, migrate } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { openSqlite } from '../../adapters-sqlite/src/open.js';
import { commercialDrafts, fixtureId } from '../../sql/src/contract/kpi-fixtures.test.js';
import {
  describeKpiRunnerContract,
  type KpiRunnerTarget,
} from '../../sql/src/contract/kpi-runner-contract.test.js';
import { connect } from './connection.js';
import { openFixture } from './event-store/fixtures.test.js';
import { mysqlKpiSeam } from './kpi/accelerator.js';
import { mysqlDialect } from './pet-dialect.js';

async function target(accelerated: boolean): Promise<KpiRunnerTarget> {
  const fx = await openFixture(inject('mysqlUrl'), 'pet_');
  const secondPool = await connect({ url: fx.db.url, connectionLimit: 10 });
  if (accelerated) {
    // The adapter's own seam: Kysely over connections that can bulk-load, and its fast paths.
    const [a, b] = [
      mysqlKpiSeam({ pool: fx.pool, prefix: 'pet_' }),
      mysqlKpiSeam({ pool: secondPool, prefix: 'pet_' }),
    ];
    return {
      db: a.db,
      dialect: a.dialect,
      prefix: 'pet_',
      second: { db: b.db, dialect: b.dialect },
      accelerator: (client) => (client.db === a.db ? a.accelerator : b.accelerator),
      close: async () => {
        await secondPool.end();
        await fx.close();
      },
    };
  }
  const a = mysqlDialect({ pool: fx.pool });
  const b = mysqlDialect({ pool: secondPool });
  // Kysely's end() would end the pools: the fixture ends them.
  return {
    db: new Kysely<never>({ dialect: a.kysely }),
    dialect: a,
    prefix: 'pet_',
    second: { db: new Kysely<never>({ dialect: b.kysely }), dialect: b },
    close: async () => {
      await secondPool.end();
      await fx.close();
    },
  };
}

describeKpiRunnerContract('mariadb, portable', () => target(false));
describeKpiRunnerContract('mariadb, accelerated', () => target(true));

describe('one stream, two databases', () => {
  it('given the same events appended to MariaDB and to SQLite, when both rebuild, then their results are identical', async () => {
    const fx = await openFixture(inject('mysqlUrl'), 'pet_');
    const lite = openSqlite({ path: ':memory:' });
    try {
      await migrate(lite.db, lite.dialect, { prefix: 'pet_' });
      const maria = {
        db: new Kysely<never>({ dialect: mysqlDialect({ pool: fx.pool }).kysely }),
        dialect: mysqlDialect({ pool: fx.pool }),
      };
      const drafts = commercialDrafts(40, 0, 11);
      const results = [];
      for (const { db, dialect } of [maria, lite]) {
        const store = createEventStore({ db, dialect, prefix: 'pet_' });
        for (let i = 0; i < drafts.length; i += 25) {
          await store.append(fixtureId(0xb00, i), 'no_stream', drafts.slice(i, i + 25));
        }
        const runner = createKpiRunner({
          db,
          dialect,
          prefix: 'pet_',
          definitions: catalogueV1({ currency: 'EUR' }),
          orgTimeZone: 'Europe/Berlin',
        });
        await runner.rebuild();
        // Positions differ (MariaDB's migrations record events first): name each watermark by its event.
        const idAt = new Map<bigint, string>();
        for await (const e of store.readAll({ after: 0n })) idAt.set(e.position, e.eventId);
        results.push((await runner.results()).map((r) => ({ ...r, watermark: idAt.get(r.watermark) })));
      }
      expect(results[0]?.length).toBeGreaterThan(50);
      expect(results[0]).toEqual(results[1]);
    } finally {
      await lite.close();
      await fx.close();
    }
  });
});
