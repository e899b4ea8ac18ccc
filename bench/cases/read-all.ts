// read-all: stream every event in position order. setup: N events written once (raw, not measured).
// lib: the event store's readAll (rows mapped to StoredEvent); raw: a mysql2 query stream of the rows,
// parsing each row's JSON payload and context.
import { connect, connectionOptions, createMysqlEventStore, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { createConnection } from 'mysql2';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { benchStreams } from '../events.js';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { EVENT_COLUMNS, insertSql, rowParams } from '../rows.js';

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  const url = await freshDatabase(args.url, args.database);
  await installSchema(url);
  const conn = await createPromiseConnection(connectionOptions(url));
  // Generate in slices so setup memory stays small even at 1M events.
  const slice = 50_000;
  for (let done = 0; done < args.size; done += slice) {
    const streams = benchStreams(Math.min(slice, args.size - done), 1000, 1000 + done);
    for (const s of streams) {
      await conn.beginTransaction();
      await conn.execute(insertSql('domain_events', s.events.length), rowParams(s.streamId, 1, s.events));
      await conn.commit();
    }
  }
  await conn.end();
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else {
  const url = withDatabase(args.url, args.database);
  // The table also holds the migration events; both sides read every row.
  const probe = await createPromiseConnection(connectionOptions(url));
  const [[{ n }]] = (await probe.query('SELECT COUNT(*) AS n FROM domain_events')) as unknown as [
    [{ n: string }],
  ];
  await probe.end();
  const expected = Number(n);
  let count = 0;
  const t0 = performance.now();
  if (args.mode === 'lib') {
    const pool = await connect({ url, connectionLimit: 2 });
    const store = createMysqlEventStore({ pool, prefix: '' });
    let last = 0n;
    for await (const e of store.readAll({ after: 0n })) {
      count++;
      last = e.position;
    }
    if (last === 0n) throw new Error('no events read');
    await pool.end();
  } else {
    const conn = createConnection(connectionOptions(url));
    await new Promise<void>((resolve, reject) => {
      conn
        .query(`SELECT position, ${EVENT_COLUMNS}, recorded_at FROM domain_events ORDER BY position`)
        .stream({ highWaterMark: 1000 })
        .on('data', (row: { context: string; payload: string }) => {
          // What any consumer must do to use an event (mysql2 itself parses JSON columns on MySQL 8;
          // on MariaDB JSON is LONGTEXT and arrives as text).
          JSON.parse(row.context);
          JSON.parse(row.payload);
          count++;
        })
        .on('end', () => resolve())
        .on('error', reject);
    });
    conn.end();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (count !== expected || count < args.size) throw new Error(`read ${count} events, expected ${expected}`);
  emit({ value: count / seconds, unit: 'events/s', rssPeakMb: peakRssMb() });
}
