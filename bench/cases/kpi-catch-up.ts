// kpi-catch-up: 1000 new events after N stored ones. setup: N commercial events (raw, not measured).
// lib: a rebuild (not timed) to have a checkpoint, then 1000 more events written (not timed), then the
// timed `catchUp()` of the same runner (warm: it reuses the state it committed); raw ("baseline"): the
// timed full rebuild of the same data, so `ratio` = rebuild time ÷ catch-up time (target ≥ 50, i.e.
// catch-up ≤ 2 % of a rebuild). Then, reported in `extra.coldSeconds`, 1000 more events caught up by a
// new runner (cold: it parses the stored checkpoint and its deltas). Each lib round adds 2000 events.
import { connect, connectionOptions, createKpiRunner, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { BENCH_TIME_ZONE, benchDefinitions, benchOrgVersions, writeCommercialEvents } from './kpi-shared.js';

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  const url = await freshDatabase(args.url, args.database);
  await installSchema(url);
  await writeCommercialEvents(url, args.size, 0);
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else if (phase === 'run') {
  const url = withDatabase(args.url, args.database);
  const pool = await connect({ url, connectionLimit: 4 });
  const runner = createKpiRunner({
    pool,
    definitions: benchDefinitions,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  let seconds: number;
  let extra: Record<string, unknown> = {};
  if (args.mode === 'lib') {
    await runner.rebuild();
    const probe = await createPromiseConnection(connectionOptions(url));
    const [[{ n }]] = (await probe.query('SELECT COUNT(*) AS n FROM domain_events')) as unknown as [
      [{ n: string }],
    ];
    await probe.end();
    // New events are dated with the last stored ones, as appended events are: event number k is dated at
    // (k mod 1M)/1M of the two-year range, so numbers just below `size` (mod 1M) fall at the stored
    // events' end (the 10M offset keeps their ids apart). Dated at the range's start instead, every
    // running level would re-emit two years of periods (5k result rows for 1000 events at 1M).
    const recent = 10_000_000 + Math.max(0, args.size - 10_000) + (Number(n) - args.size);
    await writeCommercialEvents(url, 1000, recent);
    const t0 = performance.now();
    const summary = await runner.catchUp();
    seconds = (performance.now() - t0) / 1000;
    if (summary.mode !== 'catch-up' || summary.eventsRead !== 1000)
      throw new Error(`catch-up read ${summary.eventsRead} (${summary.mode})`);

    await writeCommercialEvents(url, 1000, recent + 1000);
    const fresh = createKpiRunner({
      pool,
      definitions: benchDefinitions,
      orgTimeZone: BENCH_TIME_ZONE,
      orgVersions: benchOrgVersions,
    });
    const t1 = performance.now();
    const cold = await fresh.catchUp();
    const coldSeconds = (performance.now() - t1) / 1000;
    if (cold.mode !== 'catch-up' || cold.eventsRead !== 1000)
      throw new Error(`cold catch-up read ${cold.eventsRead} (${cold.mode})`);
    extra = {
      resultsWritten: summary.resultsWritten,
      restored: summary.restored,
      coldSeconds,
      coldRestored: cold.restored,
    };
  } else {
    const t0 = performance.now();
    await runner.rebuild();
    seconds = (performance.now() - t0) / 1000;
  }
  await pool.end();
  emit({ value: seconds, unit: 's', rssPeakMb: peakRssMb(), extra });
}
