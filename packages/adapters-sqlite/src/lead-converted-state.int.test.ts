// Migration 2026_12_06_1001 (leads.state gains converted, converted leads move) on SQLite.
import { seamDataStepTarget } from '../../sql/src/contract/data-step-contract.test.js';
import { describeLeadConvertedStateContract } from '../../sql/src/contract/lead-converted-state-contract.test.js';
import { openSqlite } from './open.js';

describeLeadConvertedStateContract('sqlite', async () => {
  const { db, dialect, close } = openSqlite();
  return seamDataStepTarget(db, dialect, 'lc_', close);
});
