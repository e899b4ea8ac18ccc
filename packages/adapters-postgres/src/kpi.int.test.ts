// The KPI runner of @pet-ops/sql on PostgreSQL: the shared contract, with two pools to one database as
// the concurrent clients, once on the portable path and once with this adapter's accelerator (results
// written with COPY).
import {
  describeKpiRunnerContract,
  type KpiRunnerTarget,
} from '../../sql/src/contract/kpi-runner-contract.test.js';
import { freshPostgres } from './fixtures.test.js';
import { postgresKpiAccelerator } from './kpi.js';

async function target(accelerated: boolean): Promise<KpiRunnerTarget> {
  const fx = await freshPostgres('pet_');
  const [a, b] = [fx.client(), fx.client()];
  return {
    db: a.db,
    dialect: a.dialect,
    prefix: 'pet_',
    second: { db: b.db, dialect: b.dialect },
    ...(accelerated ? { accelerator: () => postgresKpiAccelerator() } : {}),
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
}

describeKpiRunnerContract('postgres, portable', () => target(false));
describeKpiRunnerContract('postgres, accelerated', () => target(true));
