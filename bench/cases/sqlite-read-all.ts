// sqlite-read-all: every event of a database file in position order. setup: N events written once (raw,
// not measured). lib: the event store's `readAll` (pages of 1000 by position, rows mapped to `StoredEvent`);
// raw: one prepared `SELECT … ORDER BY position` iterated with node:sqlite, each row built into the same
// object (position as bigint, JSON context and payload parsed, no idempotency key when null).
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { createEventStore } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import { benchStreams, type RawEventRow } from '../events.js';
import {
  freshSqliteFile,
  parseSqliteArgs,
  rawAppend,
  rawOpen,
  SQLITE_EVENT_COLUMNS,
  SQLITE_INSERT,
} from '../sqlite.js';

type Row = RawEventRow<number>;

const args = parseSqliteArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  await freshSqliteFile(args.path);
  const db = rawOpen(args.path);
  const insert = db.prepare(SQLITE_INSERT);
  // Generate in slices so setup memory stays small even at 1M events.
  const slice = 50_000;
  for (let done = 0; done < args.size; done += slice) {
    for (const s of benchStreams(Math.min(slice, args.size - done), 1000, 1000 + done))
      rawAppend(db, insert, s.streamId, s.events);
  }
  db.close();
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else {
  const probe = rawOpen(args.path);
  const expected = Number(
    (probe.prepare('SELECT COUNT(*) AS n FROM domain_events').get() as { n: number }).n,
  );
  probe.close();
  let count = 0;
  let last = 0n;
  let seconds: number;
  let cpu: number;
  if (args.mode === 'lib') {
    const { db, dialect, close } = openSqlite({ path: args.path });
    const store = createEventStore({ db, dialect, prefix: '' });
    // Open the connection (the driver opens on first use) before timing, as the raw side does.
    for await (const _ of store.readAll({ after: 0n, limit: 1 })) break;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const e of store.readAll({ after: 0n })) {
      count++;
      last = e.position;
    }
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    await close();
  } else {
    const db = rawOpen(args.path);
    const select = db.prepare(
      `SELECT position, ${SQLITE_EVENT_COLUMNS}, recorded_at FROM domain_events ORDER BY position`,
    );
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const row of select.iterate()) {
      const r = row as unknown as Row;
      const key = r.idempotency_key;
      // What the library hands out for each row (StoredEvent), built by hand.
      const e = {
        position: BigInt(r.position),
        eventId: r.event_id,
        type: r.event_type,
        schemaVersion: r.schema_version,
        streamType: r.stream_type,
        streamId: r.stream_id,
        streamVersion: r.stream_version,
        occurredAt: r.occurred_at,
        recordedAt: r.recorded_at,
        actor: { type: r.actor_type, id: r.actor_id },
        correlationId: r.correlation_id,
        causationId: r.causation_id,
        ...(key === null ? {} : { idempotencyKey: key }),
        context: JSON.parse(r.context) as unknown,
        payload: JSON.parse(r.payload) as unknown,
      };
      count++;
      last = e.position;
    }
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    db.close();
  }
  if (last === 0n) throw new Error('no events read');
  if (count !== expected || count < args.size) throw new Error(`read ${count} events, expected ${expected}`);
  emit({ value: count / seconds, unit: 'events/s', rssPeakMb: peakRssMb(), extra: { timedCpuSeconds: cpu } });
}
