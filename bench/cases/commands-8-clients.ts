// commands-8-clients: single-event commands from 8 concurrent clients. Each command loads a counter row
// FOR UPDATE, updates it with a version check and appends one event, in one transaction.
// lib: core's command handler over the MySQL unit of work (createMysqlUnitOfWork: the seam's unit of work on
// mysqlDialect, which adds a savepoint per save and holds the append latch until after COMMIT).
// raw: the same statements the library sends, by hand with mysql2 (READ COMMITTED, the row lock, the
// versioned UPDATE, the append latch around the INSERT — see GAP-SAFETY.md — and COMMIT).
// raw-min: the 5 statements a script without gap safety would send (BEGIN, SELECT … FOR UPDATE,
// UPDATE, INSERT, COMMIT): what the append latch costs shows as the difference of the two ratios.
import {
  appendLatchName,
  connect,
  connectionOptions,
  createMysqlUnitOfWork,
  systemClock,
  uuidV7Ids,
} from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import {
  createCommandHandler,
  createEventRegistry,
  type Decider,
  defineEvent,
  type Instant,
  ok,
  type Uuid,
} from '@pet-ops/core';
import { aggregateOf, defineStateTable } from '@pet-ops/sql';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { benchUuid } from '../events.js';
import { emit, freshDatabase, parseCaseArgs, peakRssMb, seeded } from '../harness.js';
import { insertSql, rowParams } from '../rows.js';

const CLIENTS = 8;
const COUNTERS = 800;
const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

// Setup (not measured): counters at version 1, each with its creation event.
const rand = seeded(7);
const counterIds: Uuid[] = Array.from({ length: COUNTERS }, (_, i) => benchUuid(rand, i));
const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
{
  const conn = await createConnection(connectionOptions(url));
  await conn.query(
    'CREATE TABLE bench_counters (id BINARY(16) NOT NULL PRIMARY KEY, version INT UNSIGNED NOT NULL, total INT NOT NULL) ENGINE=InnoDB',
  );
  await conn.beginTransaction();
  for (const id of counterIds) {
    await conn.execute('INSERT INTO bench_counters (id, version, total) VALUES (?, 1, 0)', [bytes(id)]);
    await conn.execute(
      insertSql('domain_events', 1),
      rowParams(id, 1, [
        {
          eventId: uuidV7Ids.next(),
          type: 'bench.counter_created',
          schemaVersion: 1,
          streamType: 'bench_counter',
          occurredAt: '2026-01-01T00:00:00.000000Z' as Instant,
          actor: { type: 'system', id: 'bench' },
          context: {},
          correlationId: null,
          causationId: null,
          payload: {},
        },
      ]),
    );
  }
  await conn.commit();
  await conn.end();
}

// Which counter each command of each client touches: identical for lib and raw.
const perClient = Math.floor(args.size / CLIENTS);
const pick = seeded(11);
const plan: Uuid[][] = Array.from({ length: CLIENTS }, () =>
  Array.from({ length: perClient }, () => counterIds[Math.floor(pick() * COUNTERS)] as Uuid),
);

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
// The bench's own aggregate, declared once like every state table (createMysqlUnitOfWork's stateTables).
const countersTable = defineStateTable({
  streamType: 'bench_counter',
  table: 'bench_counters',
  columns: { total: { type: 'int' } },
  initialState: (): Counter => ({ total: 0 }),
  toRow: (s) => ({ total: s.total }),
  fromRow: (r) => ({ total: r.total }),
});
const counterDefinition = aggregateOf(countersTable);

const t0 = performance.now();
if (args.mode === 'lib') {
  const pool = await connect({ url, connectionLimit: CLIENTS });
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
  const unitOfWork = createMysqlUnitOfWork({ pool, prefix: '', stateTables: [countersTable] });
  const handle = createCommandHandler(
    { unitOfWork, registry, clock: systemClock, ids: uuidV7Ids },
    { definition: counterDefinition, decider: counterDecider },
  );
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
  await pool.end();
} else {
  const sameStatements = args.mode === 'raw';
  const latch = appendLatchName(args.database, 'domain_events');
  await Promise.all(
    plan.map(async (ids) => {
      const conn = await createConnection(connectionOptions(url));
      if (sameStatements) await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      for (const streamId of ids) {
        const id = bytes(streamId);
        await conn.beginTransaction();
        const [rows] = await conn.execute<RowDataPacket[]>(
          'SELECT id, version, total FROM bench_counters WHERE id = ? FOR UPDATE',
          [id],
        );
        const row = rows[0] as { version: number; total: number };
        const next = row.version + 1;
        const total = row.total + 1;
        await conn.execute('UPDATE bench_counters SET total = ?, version = ? WHERE id = ? AND version = ?', [
          total,
          next,
          id,
          row.version,
        ]);
        if (sameStatements) {
          await conn.execute(
            'SELECT GET_LOCK(?, ?) AS latched, (SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM domain_events WHERE stream_id = ?) AS head',
            [latch, 10, id],
          );
        }
        await conn.execute(
          insertSql('domain_events', 1),
          rowParams(streamId, next, [
            {
              eventId: uuidV7Ids.next(),
              type: 'bench.counter_incremented',
              schemaVersion: 1,
              streamType: 'bench_counter',
              occurredAt: systemClock.now(),
              actor: { type: 'system', id: 'bench' },
              context: {},
              correlationId: null,
              causationId: null,
              payload: { by: 1, total },
            },
          ]),
        );
        if (sameStatements) await conn.execute('DO RELEASE_LOCK(?)', [latch]);
        await conn.commit();
      }
      await conn.end();
    }),
  );
}
const seconds = (performance.now() - t0) / 1000;
emit({ value: (perClient * CLIENTS) / seconds, unit: 'commands/s', rssPeakMb: peakRssMb() });
