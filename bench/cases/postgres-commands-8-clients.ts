// postgres-commands-8-clients: single-event commands from 8 concurrent clients on PostgreSQL. Each command
// loads a counter row FOR UPDATE, updates it with a version check and appends one event, in one transaction.
// lib: core's command handler over `@pet-ops/sql`'s unit of work on `@pet-ops/adapters-postgres`.
// raw: the same statements by hand with pg: BEGIN, SELECT … FOR UPDATE, the versioned UPDATE, the
// transaction-id claim that makes readers gap-safe (pg_current_xact_id()), the INSERT … RETURNING, COMMIT.
// raw-min: the same without the claim (what a script without gap safety sends).

import type { Decider, Uuid } from '@pet-ops/core';
import { createCommandHandler, createEventRegistry, defineEvent, ok } from '@pet-ops/core';
import {
  aggregateOf,
  createEventStore,
  createUnitOfWork,
  defineStateTable,
  systemClock,
  uuidV7Ids,
} from '@pet-ops/sql';
import { z } from 'zod';
import { emit, peakRssMb } from '../common.js';
import {
  freshPostgresDatabase,
  openLib,
  PG_EVENT_COLUMNS,
  parsePostgresArgs,
  rawClient,
} from '../postgres.js';

const CLIENTS = 8;
const COUNTERS = 800;
const args = parsePostgresArgs(process.argv);
await freshPostgresDatabase(args.url);

interface Counter {
  readonly total: number;
}
type Incremented = {
  readonly type: 'bench.counter_incremented';
  readonly payload: { by: number; total: number };
};
const counterDecider: Decider<Counter, { readonly by: number }, Incremented> = {
  initialState: () => ({ total: 0 }),
  decide: (c, s) => ok([{ type: 'bench.counter_incremented', payload: { by: c.by, total: s.total + c.by } }]),
  evolve: (_s, e) => ({ total: e.payload.total }),
};
const countersTable = defineStateTable({
  streamType: 'bench_counter',
  table: 'bench_counters',
  columns: { total: { type: 'int' } },
  initialState: (): Counter => ({ total: 0 }),
  toRow: (s: Counter) => ({ total: s.total }),
  fromRow: (r) => ({ total: r.total }),
});

// Setup (not measured): counters at version 1, each with its creation event.
const counterIds: Uuid[] = Array.from({ length: COUNTERS }, () => uuidV7Ids.next());
{
  const c = await rawClient(args.url);
  await c.query(
    'CREATE TABLE bench_counters (id uuid PRIMARY KEY, version integer NOT NULL, total integer NOT NULL)',
  );
  await c.query('BEGIN');
  for (const id of counterIds) {
    await c.query('INSERT INTO bench_counters (id, version, total) VALUES ($1, 1, 0)', [id]);
    await c.query(
      `INSERT INTO domain_events (${PG_EVENT_COLUMNS}) VALUES ($1, 'bench.counter_created', 1, 'bench_counter', $2, 1, now(), 'system', 'bench', NULL, NULL, NULL, '{}', '{}')`,
      [uuidV7Ids.next(), id],
    );
  }
  await c.query('COMMIT');
  await c.end();
}

// Which counter each command of each client touches: identical for every mode.
let seed = 11;
const pick = (): number => {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 2 ** 32;
};
const perClient = Math.floor(args.size / CLIENTS);
const plan: Uuid[][] = Array.from({ length: CLIENTS }, () =>
  Array.from({ length: perClient }, () => counterIds[Math.floor(pick() * COUNTERS)] as Uuid),
);

let seconds: number;
if (args.mode === 'lib') {
  const o = await openLib(args.url);
  const registry = createEventRegistry({
    events: [
      defineEvent({
        type: 'bench.counter_incremented',
        version: 1,
        payload: z.object({ by: z.number().int(), total: z.number().int() }),
      }),
    ],
    upcasters: [],
  });
  const events = createEventStore({ db: o.db, dialect: o.dialect, prefix: '' });
  const unitOfWork = createUnitOfWork({ dialect: o.dialect, prefix: '', events, tables: [countersTable] });
  const handle = createCommandHandler(
    { unitOfWork, registry, clock: systemClock, ids: uuidV7Ids, retry: { maxAttempts: 50 } },
    { definition: aggregateOf(countersTable), decider: counterDecider },
  );
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (ids) => {
      for (const streamId of ids) {
        const r = await handle({
          streamId,
          command: { by: 1 },
          metadata: { actor: { type: 'system', id: 'bench' } },
        });
        if (!r.ok) throw new Error(r.error.code);
      }
    }),
  );
  seconds = (performance.now() - t0) / 1000;
  await o.close();
} else {
  const claim = args.mode === 'raw';
  const clients = await Promise.all(plan.map(() => rawClient(args.url)));
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (ids, k) => {
      const c = clients[k]!;
      for (const streamId of ids) {
        await c.query('BEGIN');
        const r = await c.query<{ version: number; total: number }>(
          'SELECT version, total FROM bench_counters WHERE id = $1 FOR UPDATE',
          [streamId],
        );
        const row = r.rows[0]!;
        const next = row.version + 1;
        const total = row.total + 1;
        await c.query('UPDATE bench_counters SET total = $1, version = $2 WHERE id = $3 AND version = $4', [
          total,
          next,
          streamId,
          row.version,
        ]);
        if (claim) await c.query('SELECT pg_current_xact_id()');
        await c.query(
          `INSERT INTO domain_events (${PG_EVENT_COLUMNS}) VALUES ($1, 'bench.counter_incremented', 1, 'bench_counter', $2, $3, now(), 'system', 'bench', NULL, NULL, NULL, '{}', $4) RETURNING position`,
          [uuidV7Ids.next(), streamId, next, JSON.stringify({ by: 1, total })],
        );
        await c.query('COMMIT');
      }
    }),
  );
  seconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.end()));
}
emit({ value: (perClient * CLIENTS) / seconds, unit: 'commands/s', rssPeakMb: peakRssMb() });
