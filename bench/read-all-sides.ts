// The two sides of the read-all cases (read-all.ts, read-all-interleaved.ts) and their setup: the event
// store's readAll, and a mysql2 query stream of the same rows parsing each row's JSON payload and context.
import { connect, connectionOptions, createMysqlEventStore, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { createConnection } from 'mysql2';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { benchStreams } from './events.js';
import { type CaseArgs, emit, freshDatabase, parseCaseArgs, peakRssMb } from './harness.js';
import { EVENT_COLUMNS, insertSql, rowParams } from './rows.js';

/** A fresh database at `url` with the schema and `size` events written once, a stream of 1000 at a time. */
async function setupReadAll(url: string, database: string, size: number): Promise<void> {
  const db = await freshDatabase(url, database);
  await installSchema(db);
  const conn = await createPromiseConnection(connectionOptions(db));
  // Generate in slices so setup memory stays small even at 1M events.
  const slice = 50_000;
  for (let done = 0; done < size; done += slice) {
    const streams = benchStreams(Math.min(slice, size - done), 1000, 1000 + done);
    for (const s of streams) {
      await conn.beginTransaction();
      await conn.execute(insertSql('domain_events', s.events.length), rowParams(s.streamId, 1, s.events));
      await conn.commit();
    }
  }
  await conn.end();
}

/** The rows in `domain_events` (the table also holds the migration events; both sides read every row). */
async function countEvents(url: string): Promise<number> {
  const probe = await createPromiseConnection(connectionOptions(url));
  const [[{ n }]] = (await probe.query('SELECT COUNT(*) AS n FROM domain_events')) as unknown as [
    [{ n: string }],
  ];
  await probe.end();
  return Number(n);
}

/** The library side: every event through the event store's `readAll`; returns the events read. */
export async function readAllLib(url: string): Promise<number> {
  const pool = await connect({ url, connectionLimit: 2 });
  const store = createMysqlEventStore({ pool, prefix: '' });
  let count = 0;
  let last = 0n;
  for await (const e of store.readAll({ after: 0n })) {
    count++;
    last = e.position;
  }
  if (last === 0n) throw new Error('no events read');
  await pool.end();
  return count;
}

/**
 * The library side through `forEachEvent`: every event handed to a handler as its row arrives; returns
 * the events handled.
 */
export async function readAllLibEach(url: string): Promise<number> {
  const pool = await connect({ url, connectionLimit: 2 });
  const store = createMysqlEventStore({ pool, prefix: '' });
  let last = 0n;
  const { handled } = await store.forEachEvent((e) => {
    last = e.position;
  });
  if (last === 0n) throw new Error('no events handled');
  await pool.end();
  return handled;
}

/** The raw side: a mysql2 query stream of the same rows, parsing each row's JSON; returns the rows read. */
export async function readAllRaw(url: string): Promise<number> {
  const conn = createConnection(connectionOptions(url));
  let count = 0;
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
  return count;
}

/**
 * A read-all case process: in the setup phase, the events written and reported (`null` returned); in the
 * run phase, its arguments, the database's url and the number of rows each side must read.
 */
export async function readAllCase(
  argv: readonly string[],
): Promise<{ readonly args: CaseArgs; readonly url: string; readonly expected: number } | null> {
  const args = parseCaseArgs(argv);
  if (argv[argv.indexOf('--phase') + 1] === 'setup') {
    await setupReadAll(args.url, args.database, args.size);
    emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
    return null;
  }
  const url = withDatabase(args.url, args.database);
  return { args, url, expected: await countEvents(url) };
}
