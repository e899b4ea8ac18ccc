// kpi-catch-up: 1000 new events after N stored ones. setup: N events (raw, not measured), half commercial
// and half Execute-context, folded by catalogue v1 + v2 (kpi-execute.ts; v1 and commercial alone before
// 2026-12-07).
// lib: a rebuild (not timed) to have a checkpoint, then five times: 1000 more events appended by a worker
// thread (not timed), then the timed `catchUp()` of the same runner (warm: it reuses the state it
// committed); the round reports the median of the five. raw ("baseline"): the timed full rebuild of the
// same data, so `ratio` = rebuild time ÷ catch-up time (target ≥ 50, i.e. catch-up ≤ 2 % of a rebuild).
// Then, reported in `extra.coldSeconds` and `extra.coldProcessRssPeakMb`, 1000 more events caught up by a
// new runner in a process of its own, as a job runs one (`keepState: false`: it restores only what its
// events read, `restored: 'partial'`); and in `extra.coldWhole…` 1000 more by a runner that keeps its state
// (it restores the whole stored checkpoint and its deltas first). Each lib round adds 7000 events.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connect, connectionOptions, createKpiRunner, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { benchDefinitionsV1V2 } from './kpi-execute.js';
import { writeMixedEvents } from './kpi-mysql.js';
import { BENCH_TIME_ZONE, benchOrgVersions } from './kpi-shared.js';

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];
/** Warm catch-ups timed per lib round; the round reports their median. */
const WARM_CATCH_UPS = 5;
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const numberArg = (name: string): number => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]);

/**
 * Appends `count` events numbered from `first` in a worker thread (its own heap), as a host's other
 * writers would. Written on this thread, the insert's parameters (a few MB) were still young when the
 * timed catch-up began, and it paid a 16–34 ms scavenge promoting them.
 */
async function appendElsewhere(first: number, count: number): Promise<void> {
  const worker = new Worker(new URL(import.meta.url), {
    argv: ['--phase', 'append', '--mode', 'lib', '--url', args.url, '--database', args.database].concat([
      '--first',
      String(first),
      '--count',
      String(count),
    ]),
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`append exited ${code}`))));
  });
}

/** A cold catch-up in a process of its own (the same file, phase `cold`): its time, restore and peak RSS. */
async function coldElsewhere(
  keepState: boolean,
): Promise<{ seconds: number; restored: unknown; rssPeakMb: number }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--phase', 'cold', '--mode', 'lib'].concat([
      '--url',
      args.url,
      '--database',
      args.database,
      '--keep-state',
      String(keepState),
    ]),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`cold catch-up exited ${code}`);
  const r = JSON.parse(out.trim().split('\n').at(-1) ?? '') as {
    value: number;
    rssPeakMb: number;
    extra: { restored: unknown };
  };
  return { seconds: r.value, restored: r.extra.restored, rssPeakMb: r.rssPeakMb };
}

if (phase === 'setup') {
  const url = await freshDatabase(args.url, args.database);
  await installSchema(url);
  await writeMixedEvents(url, args.size, 0);
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else if (phase === 'append') {
  await writeMixedEvents(withDatabase(args.url, args.database), numberArg('count'), numberArg('first'));
} else if (phase === 'cold') {
  const pool = await connect({ url: withDatabase(args.url, args.database), connectionLimit: 4 });
  const runner = createKpiRunner({
    pool,
    definitions: benchDefinitionsV1V2,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
    keepState: process.argv[process.argv.indexOf('--keep-state') + 1] === 'true',
  });
  const t0 = performance.now();
  const cold = await runner.catchUp();
  const seconds = (performance.now() - t0) / 1000;
  await pool.end();
  if (cold.mode !== 'catch-up' || cold.eventsRead !== 1000)
    throw new Error(`cold catch-up read ${cold.eventsRead} (${cold.mode})`);
  emit({ value: seconds, unit: 's', rssPeakMb: peakRssMb(), extra: { restored: cold.restored } });
} else if (phase === 'run') {
  const url = withDatabase(args.url, args.database);
  const pool = await connect({ url, connectionLimit: 4 });
  const runner = createKpiRunner({
    pool,
    definitions: benchDefinitionsV1V2,
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
    // events' end; each further 10k appended events take the next 10M offset (ids stay apart, dates stay
    // recent). Dated at the range's start instead, every running level would re-emit two years of
    // periods (5k result rows for 1000 events at 1M).
    const numbered = (appended: number): number =>
      10_000_000 * (1 + Math.floor(appended / 10_000)) +
      Math.max(0, args.size - 10_000) +
      (appended % 10_000);
    let appended = Number(n) - args.size;
    // Several warm catch-ups, each of 1000 new events, timed one by one: one 0.1 s catch-up alone swings
    // by a third with the machine's noise and with whatever GC the process owes when it starts.
    const warmSeconds: number[] = [];
    const written: number[] = [];
    for (let i = 0; i < WARM_CATCH_UPS; i++) {
      await appendElsewhere(numbered(appended), 1000);
      appended += 1000;
      const t0 = performance.now();
      const summary = await runner.catchUp();
      warmSeconds.push((performance.now() - t0) / 1000);
      if (summary.mode !== 'catch-up' || summary.eventsRead !== 1000 || summary.restored !== 'warm')
        throw new Error(`catch-up read ${summary.eventsRead} (${summary.mode}, ${summary.restored})`);
      written.push(summary.resultsWritten);
    }
    seconds = median(warmSeconds);

    // Cold: 1000 more events caught up in a process of its own (its peak RSS is the catch-up's, not this
    // process's rebuild's), once by a runner that keeps its state (it restores the whole stored state),
    // then by a job (it keeps none: it restores what its events read).
    await appendElsewhere(numbered(appended), 1000);
    appended += 1000;
    const whole = await coldElsewhere(true);
    await appendElsewhere(numbered(appended), 1000);
    const cold = await coldElsewhere(false);
    extra = {
      warmSeconds: warmSeconds.map((x) => Math.round(x * 1000) / 1000),
      resultsWritten: written,
      coldSeconds: cold.seconds,
      coldRestored: cold.restored,
      coldProcessRssPeakMb: cold.rssPeakMb,
      coldWholeSeconds: whole.seconds,
      coldWholeRestored: whole.restored,
      coldWholeProcessRssPeakMb: whole.rssPeakMb,
    };
  } else {
    const t0 = performance.now();
    await runner.rebuild();
    seconds = (performance.now() - t0) / 1000;
  }
  await pool.end();
  emit({ value: seconds, unit: 's', rssPeakMb: peakRssMb(), extra });
}
