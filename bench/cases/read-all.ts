// read-all: stream every event in position order. setup: N events written once (raw, not measured).
// lib: the event store's readAll (rows mapped to StoredEvent), or with --each its forEachEvent (the
// read-all-each case); raw: a mysql2 query stream of the rows, parsing each row's JSON payload and
// context (read-all-sides.ts).
import { emit, peakRssMb } from '../harness.js';
import { readAllCase, readAllLib, readAllLibEach, readAllRaw } from '../read-all-sides.js';

const run = await readAllCase(process.argv);
if (run !== null) {
  const { args, url, expected } = run;
  const t0 = performance.now();
  const each = process.argv.includes('--each');
  const lib = each ? readAllLibEach : readAllLib;
  const count = args.mode === 'lib' ? await lib(url) : await readAllRaw(url);
  const seconds = (performance.now() - t0) / 1000;
  if (count !== expected || count < args.size) throw new Error(`read ${count} events, expected ${expected}`);
  emit({ value: count / seconds, unit: 'events/s', rssPeakMb: peakRssMb() });
}
