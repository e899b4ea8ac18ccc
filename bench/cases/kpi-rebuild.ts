// kpi-rebuild: every KPI of catalogue v1 + v2 (122 definitions, kpi-execute.ts) rebuilt from N events
// stored in MariaDB, half commercial and half Execute-context (issue 26; catalogue v1 over commercial
// events alone before 2026-12-07). setup: N events written once (raw, not measured). lib: `createKpiRunner(...).rebuild()` —
// stream every event, fold, write all results and the checkpoint, switch the result set; raw: a mysql2
// query stream of the same rows parsing each row's JSON payload and context (reading is the floor any
// KPI job pays); raw-min: the same stream of only the columns a fold needs, folded by the hand-written
// folds of the same KPIs (kpi-hand-fold.ts, kpi-hand-fold-v2.ts), writing nothing — the least a rebuild could do.
import { connect, connectionOptions, createKpiRunner, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import type { Actor, EventContext, Instant, Uuid } from '@pet-ops/core';
import { createConnection } from 'mysql2';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { EVENT_COLUMNS } from '../rows.js';
import { benchDefinitionsV1V2 } from './kpi-execute.js';
import { createHandFold } from './kpi-hand-fold.js';
import { createHandFoldV2 } from './kpi-hand-fold-v2.js';
import { writeMixedEvents } from './kpi-mysql.js';
import { BENCH_TIME_ZONE, benchOrgVersions } from './kpi-shared.js';

interface RawRow {
  position: string;
  event_type: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string;
  context: string;
  payload: string;
}

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  const url = await freshDatabase(args.url, args.database);
  await installSchema(url);
  await writeMixedEvents(url, args.size, 0);
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else if (phase === 'run') {
  const url = withDatabase(args.url, args.database);
  const t0 = performance.now();
  let count = 0;
  let extra: Record<string, unknown> | undefined;
  if (args.mode === 'lib') {
    const pool = await connect({ url, connectionLimit: 4 });
    const runner = createKpiRunner({
      pool,
      definitions: benchDefinitionsV1V2,
      orgTimeZone: BENCH_TIME_ZONE,
      orgVersions: benchOrgVersions,
    });
    const summary = await runner.rebuild();
    count = summary.eventsRead;
    // The run's own split: reading and folding, then writing results and the checkpoint (which raw-min
    // does not do at all).
    extra = {
      results: summary.resultsWritten,
      definitions: benchDefinitionsV1V2.length,
      foldSeconds: summary.foldMs / 1000,
      writeSeconds: summary.writeMs / 1000,
    };
    await pool.end();
  } else if (args.mode === 'raw-min') {
    const conn = createConnection(connectionOptions(url));
    const hand = createHandFold();
    const handV2 = createHandFoldV2();
    await new Promise<void>((resolve, reject) => {
      conn
        .query(
          'SELECT position, event_type, occurred_at, actor_type, actor_id, context, payload FROM domain_events ORDER BY position',
        )
        .stream({ highWaterMark: 1000 })
        .on('data', (row: RawRow) => {
          const event = {
            position: BigInt(row.position),
            eventId: '' as Uuid,
            type: row.event_type,
            occurredAt: `${row.occurred_at.slice(0, 10)}T${row.occurred_at.slice(11)}Z` as Instant,
            actor: { type: row.actor_type, id: row.actor_id } as Actor,
            context: JSON.parse(row.context) as EventContext,
            payload: JSON.parse(row.payload) as unknown,
          };
          hand.apply(event);
          handV2.apply(event);
          count++;
        })
        .on('end', () => resolve())
        .on('error', reject);
    });
    conn.end();
    if (hand.cells().size === 0 || handV2.cells().size === 0) throw new Error('nothing folded');
  } else {
    const conn = createConnection(connectionOptions(url));
    await new Promise<void>((resolve, reject) => {
      conn
        .query(`SELECT position, ${EVENT_COLUMNS}, recorded_at FROM domain_events ORDER BY position`)
        .stream({ highWaterMark: 1000 })
        .on('data', (row: { context: string; payload: string }) => {
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
  if (count < args.size) throw new Error(`read ${count} events, expected at least ${args.size}`);
  emit({
    value: count / seconds,
    unit: 'events/s',
    rssPeakMb: peakRssMb(),
    ...(extra === undefined ? {} : { extra }),
  });
}
