import { connect, createKpiRunner, withDatabase } from '@pet-ops/adapters-mysql';
import { BENCH_TIME_ZONE, benchDefinitions, benchOrgVersions, writeCommercialEvents } from './cases/kpi-shared.js';
const url = withDatabase('mysql://root@127.0.0.1:3306', 'prof_cu');
const pool = await connect({ url, connectionLimit: 4 });
const runner = createKpiRunner({ pool, definitions: benchDefinitions, orgTimeZone: BENCH_TIME_ZONE, orgVersions: benchOrgVersions });
let t = performance.now();
await runner.catchUp();
console.error('first catchUp (cold or rebuild)', Math.round(performance.now() - t));
for (let i = 0; i < 2; i++) {
  await writeCommercialEvents(url, 1000, 20_000_000 + i * 1000 + Number(process.argv[2] ?? 0));
  process.env.LAPS = '1';
  t = performance.now();
  const s = await runner.catchUp();
  console.error('warm catchUp', Math.round(performance.now() - t), s.restored, s.resultsWritten);
  process.env.LAPS = '';
}
await pool.end();
