// Not a test file: the child process of runner.int.test.ts's crash test, run as
//   node --import tsx --conditions=@pet-ops/source kpi-child.test.ts
// Environment: KPI_URL, KPI_BATCH (events per catch-up transaction), PAUSE_AFTER=k stops forever after
// the k-th committed batch (after printing `paused <watermark>`) so the test can SIGKILL it there.
import { catalogueV1 } from '@pet-ops/kpi';
import { connect } from '../connection.js';
import { createKpiRunner } from './runner.js';

const { KPI_URL: url = '', KPI_BATCH = '50', PAUSE_AFTER = '0' } = process.env;
const pool = await connect({ url, connectionLimit: 4 });
let commits = 0;
const runner = createKpiRunner({
  pool,
  definitions: catalogueV1({ currency: 'EUR', scopes: ['org', 'employee'] }),
  orgTimeZone: 'Europe/Berlin',
  batchSize: Number(KPI_BATCH),
  onCommit: async (watermark) => {
    commits++;
    if (commits === Number(PAUSE_AFTER)) {
      process.stdout.write(`paused ${watermark}\n`);
      setInterval(() => undefined, 1000);
      await new Promise(() => undefined);
    }
  },
});
const summary = await runner.catchUp();
process.stdout.write(`result ${JSON.stringify({ ...summary, watermark: summary.watermark.toString() })}\n`);
await pool.end();
