// append-batched: N events in appends of 1000 events (one multi-row statement, one transaction each).
// lib: the event store's append; raw: a prepared multi-row INSERT of identical rows.
import { connect, connectionOptions, createMysqlEventStore } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { createConnection } from 'mysql2/promise';
import { benchStreams } from '../events.js';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { insertSql, rowParams } from '../rows.js';

const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);
const streams = benchStreams(args.size, 1000);
let seconds: number;
if (args.mode === 'lib') {
  const pool = await connect({ url, connectionLimit: 2 });
  const store = createMysqlEventStore({ pool, prefix: '' });
  const t0 = performance.now();
  for (const s of streams) await store.append(s.streamId, 0, s.events);
  seconds = (performance.now() - t0) / 1000;
  await pool.end();
} else {
  const conn = await createConnection(connectionOptions(url));
  const t0 = performance.now();
  for (const s of streams) {
    await conn.beginTransaction();
    await conn.execute(insertSql('domain_events', s.events.length), rowParams(s.streamId, 1, s.events));
    await conn.commit();
  }
  seconds = (performance.now() - t0) / 1000;
  await conn.end();
}
emit({ value: args.size / seconds, unit: 'events/s', rssPeakMb: peakRssMb() });
