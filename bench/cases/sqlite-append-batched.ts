// sqlite-append-batched: N events in appends of 1000 events (one transaction each) to a database file.
// lib: `@pet-ops/sql`'s event store on `@pet-ops/adapters-sqlite` (validation, stream head, savepoint,
// one INSERT of 1000 rows with RETURNING, positions); raw: node:sqlite, one prepared single-row INSERT per
// event inside `BEGIN IMMEDIATE … COMMIT` per 1000, into the same migrated table.
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { createEventStore } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import { benchStreams } from '../events.js';
import {
  freshSqliteFile,
  parseSqliteArgs,
  rawAppend,
  rawOpen,
  removeSqliteFile,
  SQLITE_INSERT,
} from '../sqlite.js';

const args = parseSqliteArgs(process.argv);
await freshSqliteFile(args.path);
const streams = benchStreams(args.size, 1000);
let seconds: number;
let cpu: number;
let stored = 0;
if (args.mode === 'lib') {
  const { db, dialect, close } = openSqlite({ path: args.path });
  const store = createEventStore({ db, dialect, prefix: '' });
  // Open the connection (the driver opens on first use) before timing, as the raw side does.
  await store.readStream((streams[0] as (typeof streams)[number]).streamId);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of streams) stored += (await store.append(s.streamId, 0, s.events)).positions.length;
  seconds = (performance.now() - t0) / 1000;
  cpu = timedCpuSeconds(c0);
  await close();
} else {
  const db = rawOpen(args.path);
  const insert = db.prepare(SQLITE_INSERT);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of streams) stored += rawAppend(db, insert, s.streamId, s.events).length;
  seconds = (performance.now() - t0) / 1000;
  cpu = timedCpuSeconds(c0);
  db.close();
}
if (stored !== args.size) throw new Error(`stored ${stored} events, expected ${args.size}`);
removeSqliteFile(args.path);
emit({
  value: args.size / seconds,
  unit: 'events/s',
  rssPeakMb: peakRssMb(),
  extra: { timedCpuSeconds: cpu },
});
