// postgres-append-batched: N events in appends of 1000 events (one transaction each).
// lib: `@pet-ops/sql`'s event store on `@pet-ops/adapters-postgres` (validation, xid claim, stream head,
// savepoint, one INSERT of 1000 rows with RETURNING); raw: pg, multi-row INSERTs of 1000 rows with RETURNING
// in a transaction per 1000; raw-min: one `INSERT … SELECT FROM unnest(arrays)` per 1000 (no RETURNING);
// raw-copy: one `COPY domain_events (…) FROM STDIN` of the same 1000 rows per stream (pg-copy-streams,
// no RETURNING), reported beside the ratio (`baselineCopy`, `ratioCopy`), not as its baseline.
import { createEventStore } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import { benchStreams } from '../events.js';
import {
  freshPostgresDatabase,
  openLib,
  parsePostgresArgs,
  rawAppend,
  rawAppendCopy,
  rawAppendUnnest,
  rawClient,
} from '../postgres.js';

const args = parsePostgresArgs(process.argv);
await freshPostgresDatabase(args.url);
const streams = benchStreams(args.size, 1000);
let seconds: number;
let cpu: number;
let stored = 0;
if (args.mode === 'lib') {
  const o = await openLib(args.url);
  const store = createEventStore({ db: o.db, dialect: o.dialect, prefix: '' });
  await store.readStream((streams[0] as (typeof streams)[number]).streamId);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of streams) stored += (await store.append(s.streamId, 0, s.events)).positions.length;
  seconds = (performance.now() - t0) / 1000;
  cpu = timedCpuSeconds(c0);
  await o.close();
} else {
  const c = await rawClient(args.url);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of streams) {
    stored +=
      args.mode === 'raw'
        ? (await rawAppend(c, s.streamId, s.events)).length
        : args.mode === 'raw-copy'
          ? await rawAppendCopy(c, s.streamId, s.events)
          : await rawAppendUnnest(c, s.streamId, s.events);
  }
  seconds = (performance.now() - t0) / 1000;
  cpu = timedCpuSeconds(c0);
  await c.end();
}
if (stored !== args.size) throw new Error(`stored ${stored} events, expected ${args.size}`);
emit({
  value: args.size / seconds,
  unit: 'events/s',
  rssPeakMb: peakRssMb(),
  extra: { timedCpuSeconds: cpu },
});
