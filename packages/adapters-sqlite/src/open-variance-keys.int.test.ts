// Migration 2026_12_06_1005 (one open variance per breach) on SQLite.
import { seamDataStepTarget } from '../../sql/src/contract/data-step-contract.test.js';
import { describeOpenVarianceKeysContract } from '../../sql/src/contract/open-variance-keys-contract.test.js';
import { openSqlite } from './open.js';

describeOpenVarianceKeysContract('sqlite', async () => {
  const { db, dialect, close } = openSqlite();
  return seamDataStepTarget(db, dialect, 'ov_', close);
});
