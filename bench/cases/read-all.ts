// read-all: stream every event in position order. setup: N events written once (raw, not measured).
// lib: the event store's readAll (rows mapped to StoredEvent); raw: a mysql2 query stream of the rows,
// parsing each row's JSON payload and context (read-all-sides.ts).
import { withDatabase } from '@pet-ops/adapters-mysql';
import { emit, parseCaseArgs, peakRssMb } from '../harness.js';
import { countEvents, readAllLib, readAllRaw, setupReadAll } from '../read-all-sides.js';

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  await setupReadAll(args.url, args.database, args.size);
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else {
  const url = withDatabase(args.url, args.database);
  const expected = await countEvents(url);
  const t0 = performance.now();
  const count = args.mode === 'lib' ? await readAllLib(url) : await readAllRaw(url);
  const seconds = (performance.now() - t0) / 1000;
  if (count !== expected || count < args.size) throw new Error(`read ${count} events, expected ${expected}`);
  emit({ value: count / seconds, unit: 'events/s', rssPeakMb: peakRssMb() });
}
