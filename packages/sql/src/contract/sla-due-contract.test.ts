/**
 * The contract of `evaluateDue` (the SLA scheduler's entry point), written once and run against every
 * database (not a test file itself: each adapter's `sla-due.int.test.ts` calls
 * {@link describeSlaDueContract}). Also exports {@link seedSlaClocks}, which the CLI's e2e tests use.
 */
import {
  type Calendar,
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  type Instant,
  Support,
  type Uuid,
} from '@pet-ops/core';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  RootOperationNode,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDue } from '../contexts/sla-due.js';
import { supportBindings } from '../contexts/support.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { defaultRetryPolicy } from '../retry.js';
import { STATE_TABLES } from '../tables/index.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One client of the database under test. */
export interface SlaDueClient {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly events: SqlEventStore;
}

/** One migrated database under test, reached by two independent clients. */
export interface SlaDueTarget {
  readonly prefix: string;
  readonly clients: readonly [SlaDueClient, SlaDueClient];
  /**
   * A further client with connections of its own (a pool, a file handle), as another host would have;
   * the caller closes it, which ends its connections (and with them any lock the server gave them).
   */
  readonly openClient: () => Promise<{
    readonly db: AnyDatabase;
    readonly dialect: PetDialect;
    readonly close: () => Promise<void>;
  }>;
  /**
   * True when two write transactions can be open at once (MariaDB, PostgreSQL); false when the database
   * serialises writers (SQLite's `BEGIN IMMEDIATE`): evaluators still run at once, the database takes
   * their units in turn.
   */
  readonly concurrentWriters: boolean;
  readonly close: () => Promise<void>;
}

const metadata: CommandMetadata = { actor: { type: 'system', id: null } };

/** An instant from an ISO string, in the library's canonical form (six fraction digits). */
export const isoInstant = (s: string): Instant => new Date(s).toISOString().replace('Z', '000Z') as Instant;
const plusMinutes = (at: Instant, minutes: number): Instant =>
  isoInstant(new Date(Date.parse(at) + minutes * 60_000).toISOString());

/**
 * Publishes an SLA (respond 60, resolve 480 business minutes round the clock in UTC; warning at 80 %,
 * escalation stages at 50 % and 100 %) and binds `count` fresh support tickets to it, their clocks
 * starting at `startedAt`. Returns the assignment ids.
 *
 * @example
 * ```ts
 * const ids = await seedSlaClocks({ db, dialect, events }, 'pet_', 10, isoInstant('2026-03-02T09:00Z'));
 * ```
 */
export async function seedSlaClocks(
  client: { readonly db: AnyDatabase; readonly dialect: PetDialect; readonly events?: SqlEventStore },
  prefix: string,
  count: number,
  startedAt: Instant,
): Promise<Support.SlaAssignmentId[]> {
  const events = client.events ?? createEventStore({ db: client.db, dialect: client.dialect, prefix });
  const runtime: CommandRuntime = {
    unitOfWork: createUnitOfWork({ dialect: client.dialect, prefix, events, tables: STATE_TABLES }),
    registry: Support.supportEventRegistry,
    clock: { now: () => startedAt },
    ids: { next: newId },
    retry: defaultRetryPolicy,
  };
  const sla = createCommandHandler(runtime, supportBindings.slaDefinition);
  const ticket = createCommandHandler(runtime, supportBindings.ticket);
  const clock = createCommandHandler(runtime, supportBindings.slaAssignment);
  const calendar: Calendar.BusinessCalendar = {
    calendarId: newId() as string as Calendar.CalendarId,
    version: 1,
    timeZone: 'UTC',
    windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday: weekday as Calendar.Weekday,
      startMinute: 0,
      endMinute: 1440,
    })),
    holidays: [],
  };
  const slaId = newId() as string as Support.SlaDefinitionId;
  const name = `Gold ${slaId.slice(-12)}`;
  const created = await sla({
    streamId: slaId,
    command: {
      type: 'create',
      slaDefinitionId: slaId,
      versionNumber: 1,
      terms: {
        name,
        tier: 'gold',
        responseTargetMinutes: 60,
        resolutionTargetMinutes: 480,
        warningThresholdBp: 8_000,
        calendarId: calendar.calendarId,
        escalationRules: [5_000, 10_000].map((thresholdBp) => ({
          thresholdBp,
          action: 'notify_manager' as const,
          notifyMethod: 'internal' as const,
          escalationRoleId: null,
          enabled: true,
        })),
      },
      at: startedAt,
    },
    metadata,
    loadFacts: supportBindings.slaDefinitionFacts({ name, previousVersionId: null }),
  });
  if (!created.ok) throw new Error(`seedSlaClocks: SLA refused: ${created.error.code}`);
  const published = await sla({ streamId: slaId, command: { type: 'publish', at: startedAt }, metadata });
  if (!published.ok) throw new Error(`seedSlaClocks: publish refused: ${published.error.code}`);
  const ids: Support.SlaAssignmentId[] = [];
  for (let i = 0; i < count; i++) {
    const ticketId = newId() as string as Support.TicketId;
    const t = await ticket({
      streamId: ticketId,
      command: {
        type: 'create',
        ticketId,
        owner: 'support',
        customerId: newId() as string as Support.CustomerId,
        siteId: null,
        projectId: null,
        subject: `Ticket ${i + 1}`,
        priority: 'high',
        kind: 'incident',
        soldMinutes: null,
        sla: { mode: 'inherit' },
        parentTicketId: null,
        at: startedAt,
      },
      metadata,
    });
    if (!t.ok) throw new Error(`seedSlaClocks: ticket refused: ${t.error.code}`);
    const assignmentId = newId() as string as Support.SlaAssignmentId;
    const b = await clock({
      streamId: assignmentId,
      command: {
        type: 'bind',
        assignmentId,
        ticketId,
        contractId: null,
        source: 'explicit',
        startedAt,
        at: startedAt,
      },
      metadata,
      loadFacts: supportBindings.slaBindFacts(slaId, calendar),
    });
    if (!b.ok) throw new Error(`seedSlaClocks: bind refused: ${b.error.code}`);
    ids.push(assignmentId);
  }
  return ids;
}

/** A small seeded generator (mulberry32), so a failing run's kill points can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A Kysely plugin that lets `after` statements through and fails every later one, as a host that died at
 * that point: the open transaction is rolled back by the driver (BEGIN/COMMIT/ROLLBACK are not queries, so
 * they never pass here) and nothing more reaches the database. Every later statement fails too because
 * the evaluator reports a failed clock and goes on with the next one: the run must die, not skip a clock.
 * The error is a plain `Error`, which no dialect classifies as retryable.
 */
function killAfter(after: number): KyselyPlugin & { readonly killed: () => boolean } {
  let statements = 0;
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements++;
      if (statements > after) throw new Error(`killed after ${after} statements`);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs) => args.result,
    killed: () => statements > after,
  };
}

/**
 * Clocks of the kill test, and the range of statements a killed run gets (uniform in 1 … KILL_SPAN): a
 * killed run gets through a clock or two, so most of the 200 runs find work. With 30, once a unit took no
 * savepoints (fewer statements a clock), the killed runs did all 400 clocks by run 130–140 on SQLite and
 * PostgreSQL, and the runs after found nothing to do.
 */
const KILL_CLOCKS = 400;
const KILL_SPAN = 16;

/** The `sla_events.kind` of each threshold event type. */
const THRESHOLD_KIND: Readonly<Record<string, string>> = {
  'sla.warning': 'warning',
  'sla.breached': 'breach',
  'sla.escalated': 'escalation',
};

/** What every clock of {@link seedSlaClocks} fires once past every stage: kind/target/stage. */
const EVERY_STAGE = [
  'breach/resolution/0',
  'breach/response/0',
  'escalation/resolution/1',
  'escalation/resolution/2',
  'warning/resolution/0',
  'warning/response/0',
];

/** Keys (`clock/kind/target/stage`) seen more than once, and those of `ids` × {@link EVERY_STAGE} never seen. */
function duplicatesAndMisses(
  keys: readonly string[],
  ids: Iterable<string>,
): { duplicates: string[]; misses: string[] } {
  const seen = new Map<string, number>();
  for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  const misses = [...ids].flatMap((id) => EVERY_STAGE.map((s) => `${id}/${s}`)).filter((k) => !seen.has(k));
  return { duplicates, misses };
}

/**
 * Declares the `evaluateDue` contract for one database.
 *
 * @example
 * ```ts
 * describeSlaDueContract('sqlite', async () => ({ prefix, clients: [a, b], close }));
 * ```
 */
export function describeSlaDueContract(name: string, open: () => Promise<SlaDueTarget>): void {
  describe(`evaluateDue contract (${name})`, () => {
    let t: SlaDueTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });
    // Each test starts its clocks a day before the previous test's, so earlier tests' clocks are never
    // due at a later test's `now`.
    const client = (i: 0 | 1 = 0) => t.clients[i];
    const due = (now: Instant, i: 0 | 1 = 0, more: { batchSize?: number; signal?: AbortSignal } = {}) =>
      evaluateDue({ ...client(i), prefix: t.prefix, now, ...more });
    async function slaEventCount(): Promise<{ rows: number; distinct: number }> {
      const rows = (await client()
        .db.selectFrom(`${t.prefix}sla_events`)
        .select(['sla_assignment_id', 'kind', 'target_kind', 'stage'])
        .execute()) as Record<string, unknown>[];
      const keys = rows.map((r) =>
        [
          client().dialect.codecs.decodeId(r['sla_assignment_id']),
          r['kind'],
          r['target_kind'],
          r['stage'],
        ].join('/'),
      );
      return { rows: rows.length, distinct: new Set(keys).size };
    }

    /**
     * The threshold events fired for the clocks `ids`, as `clock/kind/target/stage` keys: one list from
     * `sla_events`, one from the domain events (a key per row, so a duplicate shows twice).
     */
    async function firedKeys(ids: ReadonlySet<string>): Promise<{ rows: string[]; events: string[] }> {
      const { db, dialect } = client();
      const c = dialect.codecs;
      const rows = (await db
        .selectFrom(`${t.prefix}sla_events`)
        .select(['sla_assignment_id', 'kind', 'target_kind', 'stage'])
        .where('kind', 'in', Object.values(THRESHOLD_KIND))
        .where('sla_assignment_id', 'in', [...ids].map(c.encodeId))
        .execute()) as Record<string, unknown>[];
      const events = (await db
        .selectFrom(`${t.prefix}domain_events`)
        .select(['stream_id', 'event_type', 'payload'])
        .where('event_type', 'in', Object.keys(THRESHOLD_KIND))
        .where('stream_id', 'in', [...ids].map(c.encodeId))
        .execute()) as Record<string, unknown>[];
      return {
        rows: rows.map((r) =>
          [c.decodeId(r['sla_assignment_id']), r['kind'], r['target_kind'], Number(r['stage'])].join('/'),
        ),
        events: events.map((e) => {
          const p = c.decodeJson(e['payload']) as { targetKind: string; stage?: number };
          const kind = THRESHOLD_KIND[e['event_type'] as string];
          return [c.decodeId(e['stream_id']), kind, p.targetKind, p.stage ?? 0].join('/');
        }),
      };
    }
    /** `count` clocks seeded by four writers at once (two per client): seeding is not under test. */
    async function seedMany(count: number, startedAt: Instant): Promise<Set<string>> {
      const parts = [0, 1, 2, 3].map((i) => Math.floor(count / 4) + (i < count % 4 ? 1 : 0));
      const seeded = await Promise.all(
        parts.map((n, i) => seedSlaClocks(client((i % 2) as 0 | 1), t.prefix, n, startedAt)),
      );
      return new Set(seeded.flat().map(String));
    }

    it('given 7 clocks due past their warning, when evaluateDue runs in batches of 3, then every clock is evaluated once, each warning fires once, and a second run finds nothing due', async () => {
      const startedAt = isoInstant('2026-03-09T09:00Z');
      const ids = await seedSlaClocks(client(), t.prefix, 7, startedAt);
      const now = plusMinutes(startedAt, 50); // past the response warning (48), before the breach (60)
      const seen: number[] = [];
      const report = await evaluateDue({
        ...client(),
        prefix: t.prefix,
        now,
        batchSize: 3,
        onProgress: (p) => seen.push(p.evaluated),
      });
      expect(report).toMatchObject({
        now,
        due: 7,
        evaluated: 7,
        fired: { 'sla.warning': 7 },
        failedCount: 0,
        failed: [],
        complete: true,
      });
      expect(report.batches).toBe(3);
      expect(seen).toEqual([3, 6, 7]);
      const again = await due(now);
      expect(again).toMatchObject({ due: 0, evaluated: 0, fired: {}, batches: 1, complete: true });
      for (const id of ids) {
        const stream = await client().events.readStream(id as string as Uuid);
        expect(stream.map((e) => e.type)).toEqual(['sla.bound', 'sla.warning']);
      }
    });

    it('given 40 clocks past every stage, when two evaluators run evaluateDue on two connections at once, then each warning, breach and stage is fired once in total (zero duplicates, zero misses)', async () => {
      const startedAt = isoInstant('2026-03-08T09:00Z');
      const before = await slaEventCount();
      await seedSlaClocks(client(), t.prefix, 40, startedAt);
      const now = plusMinutes(startedAt, 600);
      const reports = await Promise.all([due(now, 0, { batchSize: 7 }), due(now, 1, { batchSize: 5 })]);
      const total = (type: string) => reports.reduce((n, r) => n + (r.fired[type] ?? 0), 0);
      // Per clock: response warning + breach, resolution warning + breach, escalation stages 1 and 2.
      expect([total('sla.warning'), total('sla.breached'), total('sla.escalated')]).toEqual([80, 80, 80]);
      expect(reports.flatMap((r) => r.failed)).toEqual([]);
      const after = await slaEventCount();
      expect(after.rows - before.rows).toBe(240);
      expect(after.distinct).toBe(after.rows);
      expect((await due(now)).due).toBe(0);
    });

    it('given an aborted signal, then nothing is evaluated and the report says it is not complete', async () => {
      const startedAt = isoInstant('2026-03-07T09:00Z');
      await seedSlaClocks(client(), t.prefix, 2, startedAt);
      const now = plusMinutes(startedAt, 50);
      const stopped = await due(now, 0, { signal: AbortSignal.abort() });
      expect(stopped).toMatchObject({ due: 2, evaluated: 0, batches: 0, complete: false });
      expect((await due(now)).evaluated).toBe(2);
    });

    it('given bad options (batch size 0, a malformed instant, a bad prefix), then VALIDATION_FAILED naming the field, and nothing is evaluated', async () => {
      const startedAt = isoInstant('2026-03-06T09:00Z');
      await seedSlaClocks(client(), t.prefix, 1, startedAt);
      const now = plusMinutes(startedAt, 50);
      const bad = [
        evaluateDue({ ...client(), prefix: t.prefix, now, batchSize: 0 }),
        evaluateDue({ ...client(), prefix: t.prefix, now: 'yesterday' as Instant }),
        evaluateDue({ ...client(), prefix: 'x-y', now }),
      ];
      const fields = ['batchSize', 'now', 'prefix'];
      for (const [i, p] of bad.entries()) {
        const e = await caught(p);
        expect(e.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(e.details)).toContain(fields[i]);
      }
      expect((await due(now)).evaluated).toBe(1);
    });
    it('given 1000 clocks past every stage, when 8 evaluators run evaluateDue at once, each on its own client, then every warning, breach and escalation stage is fired exactly once in total (zero duplicates, zero misses, in sla_events rows and in domain events per clock)', async () => {
      const startedAt = isoInstant('2026-03-05T09:00Z');
      const ids = await seedMany(1000, startedAt);
      const now = plusMinutes(startedAt, 600);
      const hosts = await Promise.all(Array.from({ length: 8 }, () => t.openClient()));
      try {
        // Different batch sizes, so the evaluators' selections overlap in shifting ways.
        const batchSizes = [500, 7, 64, 13, 250, 5, 100, 31];
        const reports = await Promise.all(
          hosts.map((h, i) =>
            evaluateDue({
              db: h.db,
              dialect: h.dialect,
              events: createEventStore({ db: h.db, dialect: h.dialect, prefix: t.prefix }),
              prefix: t.prefix,
              now,
              batchSize: batchSizes[i] as number,
            }),
          ),
        );
        const total = (type: string) => reports.reduce((n, r) => n + (r.fired[type] ?? 0), 0);
        expect([total('sla.warning'), total('sla.breached'), total('sla.escalated')]).toEqual([
          2000, 2000, 2000,
        ]);
        expect(reports.flatMap((r) => r.failed)).toEqual([]);
        // Where writers run at once the evaluators share the work (MariaDB: all 8 fired some); where the
        // database takes them in turn one may win every clock (SQLite: the first fired all 6000).
        const firing = reports.filter((r) => Object.keys(r.fired).length > 0).length;
        expect(firing).toBeGreaterThanOrEqual(t.concurrentWriters ? 2 : 1);
        const { rows, events } = await firedKeys(ids);
        expect(duplicatesAndMisses(rows, ids)).toEqual({ duplicates: [], misses: [] });
        expect(duplicatesAndMisses(events, ids)).toEqual({ duplicates: [], misses: [] });
        expect((await due(now)).due).toBe(0);
      } finally {
        await Promise.all(hosts.map((h) => h.close()));
      }
    });

    it('given clocks past every stage, when an evaluator is killed at a random point 200 times and re-run each time, then every stage fires exactly once (zero duplicates, zero misses)', async () => {
      // Replay a failure with SLA_KILL_SEED=<seed>.
      const seed = Number(process.env['SLA_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
      console.info(`evaluateDue kill test (${name}): seed ${seed}`);
      const random = seededRandom(seed);
      const startedAt = isoInstant('2026-03-04T09:00Z');
      const ids = await seedMany(KILL_CLOCKS, startedAt);
      const now = plusMinutes(startedAt, 600);
      let killedWithWork = 0;
      for (let i = 0; i < 200; i++) {
        const after = 1 + Math.floor(random() * KILL_SPAN);
        const killer = killAfter(after);
        // A fresh host per run: closing it ends its connections, as the server does for a dead process.
        const host = await t.openClient();
        let outcome: unknown;
        try {
          const db = host.db.withPlugin(killer);
          const events = createEventStore({ db, dialect: host.dialect, prefix: t.prefix });
          outcome = await evaluateDue({
            db,
            dialect: host.dialect,
            events,
            prefix: t.prefix,
            now,
            batchSize: 10,
          }).catch((e: unknown) => e);
        } finally {
          await host.close();
        }
        const at = `seed ${seed}, run ${i + 1}, killed after ${after} statements`;
        const { rows, events } = await firedKeys(ids);
        expect(duplicatesAndMisses(rows, []).duplicates, at).toEqual([]);
        expect(duplicatesAndMisses(events, []).duplicates, at).toEqual([]);
        // A unit commits its sla_events rows and its domain events together or not at all.
        expect([...rows].sort(), at).toEqual([...events].sort());
        // A killed run fails, whether or not work was left (the kill may land on the first look for due
        // clocks once every stage has fired); a run that was not killed completes.
        if (killer.killed()) {
          if (rows.length < ids.size * EVERY_STAGE.length) killedWithWork++;
        } else expect(outcome, at).toMatchObject({ complete: true });
      }
      const beforeLast = (await firedKeys(ids)).rows.length;
      const last = await due(now);
      expect(last.failed).toEqual([]);
      const { rows, events } = await firedKeys(ids);
      expect(duplicatesAndMisses(rows, ids), `seed ${seed}`).toEqual({ duplicates: [], misses: [] });
      expect(duplicatesAndMisses(events, ids), `seed ${seed}`).toEqual({ duplicates: [], misses: [] });
      expect((await due(now)).due).toBe(0);
      // The clock count leaves work for most runs: the kills land inside real evaluations.
      console.info(
        `evaluateDue kill test (${name}): ${killedWithWork} of 200 runs killed with work left, ${beforeLast / EVERY_STAGE.length} of ${ids.size} clocks done by the killed runs`,
      );
      expect(killedWithWork).toBeGreaterThan(100);
    });
  });
}
