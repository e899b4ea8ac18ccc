// postgres-kpi-rebuild: every catalogue KPI (11 definitions × 5 scopes) rebuilt from N commercial events
// stored in PostgreSQL — kpi-rebuild.ts on PostgreSQL. setup: the same N events written once (raw, not
// measured). lib: `@pet-ops/sql`'s `createKpiRunner(...).rebuild()` on `@pet-ops/adapters-postgres`' dialect
// with its accelerator (`postgresKpiAccelerator`: results written with COPY): keyset pages of 1000 through
// Kysely, fold, results and checkpoint written, the result set switched; raw: pg, the same keyset pages of
// 1000 over every column, parsing each row's JSON payload and context (reading is the floor any KPI job
// pays); raw-min: pages of only the columns a fold needs, folded by the hand-written fold of these 55 KPIs
// (kpi-hand-fold.ts), writing nothing — the least a rebuild could do (its check that it folded anything is
// timed). Timed after the connections are open, on every side.
import { pgTextToInstant, postgresKpiAccelerator } from '@pet-ops/adapters-postgres';
import type { Actor, EventContext, Instant, Uuid } from '@pet-ops/core';
import { createKpiRunner } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import {
  freshPostgresDatabase,
  openLib,
  PG_EVENT_COLUMNS,
  type PgEventRow,
  parsePostgresArgs,
  rawAppendUnnest,
  rawClient,
  rawPages,
} from '../postgres.js';
import { createHandFold } from './kpi-hand-fold.js';
import { BENCH_TIME_ZONE, benchDefinitions, benchOrgVersions, commercialStreams } from './kpi-shared.js';

/** The columns a KPI fold reads (those of the library's `readKpiEvents`). */
type FoldRow = Pick<
  PgEventRow,
  'position' | 'event_id' | 'event_type' | 'occurred_at' | 'actor_type' | 'actor_id' | 'context' | 'payload'
>;

const args = parsePostgresArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  await freshPostgresDatabase(args.url);
  const c = await rawClient(args.url);
  for (const s of commercialStreams(args.size, 0)) await rawAppendUnnest(c, s.streamId, s.events);
  await c.end();
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else if (phase === 'run') {
  let count = 0;
  let seconds: number;
  let cpu: number;
  let extra: Record<string, unknown> = {};
  if (args.mode === 'lib') {
    const o = await openLib(args.url);
    const runner = createKpiRunner({
      db: o.db,
      dialect: o.dialect,
      prefix: '',
      definitions: benchDefinitions,
      orgTimeZone: BENCH_TIME_ZONE,
      orgVersions: benchOrgVersions,
      accelerator: postgresKpiAccelerator(),
    });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await runner.rebuild();
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    count = summary.eventsRead;
    extra = { results: summary.resultsWritten, definitions: benchDefinitions.length };
    await o.close();
  } else {
    const c = await rawClient(args.url);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (args.mode === 'raw-min') {
      const hand = createHandFold();
      const columns = 'event_id, event_type, occurred_at, actor_type, actor_id, context, payload';
      for await (const rows of rawPages<FoldRow>(c, columns)) {
        for (const r of rows) {
          hand.apply({
            position: BigInt(r.position),
            eventId: r.event_id as Uuid,
            type: r.event_type,
            occurredAt: pgTextToInstant(r.occurred_at) as Instant,
            actor: { type: r.actor_type, id: r.actor_id } as Actor,
            context: JSON.parse(r.context) as EventContext,
            payload: JSON.parse(r.payload) as unknown,
          });
          count++;
        }
      }
      if (hand.cells().size === 0) throw new Error('nothing folded');
    } else {
      for await (const rows of rawPages<PgEventRow>(c, `${PG_EVENT_COLUMNS}, recorded_at`)) {
        for (const r of rows) {
          JSON.parse(r.context);
          JSON.parse(r.payload);
          count++;
        }
      }
    }
    seconds = (performance.now() - t0) / 1000;
    cpu = timedCpuSeconds(c0);
    await c.end();
  }
  if (count < args.size) throw new Error(`read ${count} events, expected at least ${args.size}`);
  emit({
    value: count / seconds,
    unit: 'events/s',
    rssPeakMb: peakRssMb(),
    extra: { timedCpuSeconds: cpu, ...extra },
  });
}
