// postgres-read-all: every event in position order. setup: N events written once (raw, not measured).
// lib: the event store's `readAll` (one server-side cursor, 100 rows per fetch, rows mapped to
// `StoredEvent`, gap checks); raw: pg and pg-cursor, the same cursor and fetches, each row built into the
// same object by hand; raw-min: pg, keyset pages of 1000 (what the library read before), built the same.
import { pgTextToInstant } from '@pet-ops/adapters-postgres';
import { createEventStore } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import { benchStreams } from '../events.js';
import {
  freshPostgresDatabase,
  openLib,
  PG_EVENT_COLUMNS,
  type PgEventRow,
  parsePostgresArgs,
  rawAppendUnnest,
  rawClient,
  rawCursor,
  rawPages,
} from '../postgres.js';

const args = parsePostgresArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  await freshPostgresDatabase(args.url);
  const c = await rawClient(args.url);
  const slice = 50_000;
  for (let done = 0; done < args.size; done += slice) {
    for (const s of benchStreams(Math.min(slice, args.size - done), 1000, 1000 + done))
      await rawAppendUnnest(c, s.streamId, s.events);
  }
  await c.end();
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else {
  let count = 0;
  let last = 0n;
  let seconds: number;
  let cpu: number;
  if (args.mode === 'lib') {
    const o = await openLib(args.url);
    const store = createEventStore({ db: o.db, dialect: o.dialect, prefix: '' });
    for await (const _ of store.readAll({ after: 0n, limit: 1 })) break;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const e of store.readAll({ after: 0n })) {
      count++;
      last = e.position;
    }
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    await o.close();
  } else {
    const c = await rawClient(args.url);
    const read = args.mode === 'raw-min' ? rawPages : rawCursor;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const rows of read<PgEventRow>(c, `${PG_EVENT_COLUMNS}, recorded_at`)) {
      for (const r of rows) {
        const key = r.idempotency_key;
        const e = {
          position: BigInt(r.position),
          eventId: r.event_id,
          type: r.event_type,
          schemaVersion: r.schema_version,
          streamType: r.stream_type,
          streamId: r.stream_id,
          streamVersion: r.stream_version,
          occurredAt: pgTextToInstant(r.occurred_at),
          recordedAt: pgTextToInstant(r.recorded_at),
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
    }
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    await c.end();
  }
  if (last === 0n || count < args.size) throw new Error(`read ${count} events, expected ${args.size}`);
  emit({ value: count / seconds, unit: 'events/s', rssPeakMb: peakRssMb(), extra: { timedCpuSeconds: cpu } });
}
