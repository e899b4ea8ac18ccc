// Data steps in migrations on SQLite (@pet-ops/sql's engine, in the migration's transaction): the
// shared contract.
import {
  describeDataStepContract,
  seamDataStepTarget,
} from '../../sql/src/contract/data-step-contract.test.js';
import { openSqlite } from './open.js';

describeDataStepContract('sqlite', async () => {
  const { db, dialect, close } = openSqlite();
  return seamDataStepTarget(db, dialect, 'ds_', close);
});
