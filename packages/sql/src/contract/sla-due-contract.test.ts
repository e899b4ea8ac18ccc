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
  });
}
