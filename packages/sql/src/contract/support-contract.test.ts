/**
 * The support context's persistence contract (tickets, SLA definitions, SLA assignments and their clock
 * events, the SLA evaluator), written once and run against every database (not a test file itself: each
 * adapter's `support.int.test.ts` calls {@link describeSupportContract}).
 */
import {
  type Calendar,
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  type Instant,
  isPetError,
  Support,
  type UnitOfWork,
  type UnitOfWorkScope,
} from '@pet-ops/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSlaAssignment, evaluateSlaClocks } from '../contexts/sla-evaluator.js';
import { supportBindings } from '../contexts/support.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import type { SqlEventStore } from '../event-store/event-store.js';
import { defaultRetryPolicy } from '../retry.js';
import { decodeColumn, encodeColumn } from '../state-table.js';
import { STATE_TABLES } from '../tables/index.js';
import { slaEventsTable } from '../tables/support.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One client of the database under test: its own connection(s), dialect and event store. */
export interface SupportClient {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly events: SqlEventStore;
}

/** One migrated database under test, reached by two independent clients. */
export interface SupportTarget {
  readonly prefix: string;
  readonly clients: readonly [SupportClient, SupportClient];
  /**
   * True when two write transactions can be open at once (MariaDB); false when the database serialises
   * writers (SQLite's `BEGIN IMMEDIATE`), so a test may not hold one writer open waiting for the other.
   */
  readonly concurrentWriters: boolean;
  readonly close: () => Promise<void>;
}

const actor = { type: 'employee', id: 'emp-1' } as const;
const metadata: CommandMetadata = { actor };

/** An instant from a short ISO string, in the library's canonical form (six fraction digits). */
const iso = (s: string): Instant => new Date(s).toISOString().replace('Z', '000Z') as Instant;
const plusMinutes = (at: Instant, minutes: number): Instant =>
  iso(new Date(Date.parse(at) + minutes * 60_000).toISOString());

/** Round the clock, in UTC: business minutes are wall-clock minutes. */
const allDay = (): Calendar.BusinessCalendar => ({
  calendarId: newId() as string as Calendar.CalendarId,
  version: 2,
  timeZone: 'UTC',
  windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday: weekday as Calendar.Weekday,
    startMinute: 0,
    endMinute: 1440,
  })),
  holidays: [],
});

/** Respond in 60, resolve in 480 minutes; warn at 80 %; escalation stages at 50 % and 100 %. */
const terms = (name: string, calendarId: Calendar.CalendarId): Support.SlaTerms => ({
  name,
  tier: 'gold',
  responseTargetMinutes: 60,
  resolutionTargetMinutes: 480,
  warningThresholdBp: 8_000,
  calendarId,
  escalationRules: [
    {
      thresholdBp: 10_000,
      action: 'notify_escalation_manager',
      notifyMethod: 'email',
      escalationRoleId: null,
      enabled: true,
    },
    {
      thresholdBp: 5_000,
      action: 'notify_manager',
      notifyMethod: 'internal',
      escalationRoleId: null,
      enabled: true,
    },
  ],
});

/** A unit of work whose saves wait at `barrier` (first attempt only), so two writers both read first. */
function heldAtSave(inner: UnitOfWork, barrier: () => Promise<void>, onRun: () => void): UnitOfWork {
  let first = true;
  return {
    run: (work) =>
      inner.run((scope) => {
        onRun();
        const wait = first;
        first = false;
        const held: UnitOfWorkScope = {
          ...scope,
          aggregate: (definition) => {
            const store = scope.aggregate(definition);
            return {
              ...store,
              save: async (...args) => {
                if (wait) await barrier();
                return store.save(...args);
              },
            };
          },
        };
        return work(held);
      }),
  };
}

/**
 * Declares the support persistence contract for one database.
 *
 * @example
 * ```ts
 * describeSupportContract('sqlite', async () => ({ prefix, clients: [a, b], concurrentWriters: false, close }));
 * ```
 */
export function describeSupportContract(name: string, open: () => Promise<SupportTarget>): void {
  describe(`support persistence contract (${name})`, () => {
    let t: SupportTarget;
    const runtimes: CommandRuntime[] = [];
    beforeAll(async () => {
      t = await open();
      for (const c of t.clients) {
        runtimes.push(runtimeOf(c));
      }
    });
    afterAll(async () => {
      await t?.close();
    });

    const runtimeOf = (c: SupportClient, wrap?: (u: UnitOfWork) => UnitOfWork): CommandRuntime => {
      const uow = createUnitOfWork({
        dialect: c.dialect,
        prefix: t.prefix,
        events: c.events,
        tables: STATE_TABLES,
      });
      return {
        unitOfWork: wrap === undefined ? uow : wrap(uow),
        registry: Support.supportEventRegistry,
        clock: { now: () => iso(new Date().toISOString()) },
        ids: { next: newId },
        retry: defaultRetryPolicy,
      };
    };
    const handlers = (i: 0 | 1 = 0) => ({
      ticket: createCommandHandler(runtimes[i]!, supportBindings.ticket),
      sla: createCommandHandler(runtimes[i]!, supportBindings.slaDefinition),
      clock: createCommandHandler(runtimes[i]!, supportBindings.slaAssignment),
    });
    const client = (i: 0 | 1 = 0): SupportClient => t.clients[i];
    const table = (name: string) => `${t.prefix}${name}`;
    const text = (v: unknown) => decodeColumn(client().dialect.codecs, { type: 'text' }, v);

    /** Rows of a table matching one id column, decoded with the declared child columns where known. */
    async function rows(name: string, column: string, id: string): Promise<Record<string, unknown>[]> {
      const c = client();
      const found = (await c.db
        .selectFrom(table(name))
        .selectAll()
        .where(column, '=', c.dialect.codecs.encodeId(id))
        .execute()) as Record<string, unknown>[];
      return found;
    }

    async function slaEvents(assignmentId: string) {
      const c = client();
      const specs = Object.entries(slaEventsTable.columns);
      const found = await rows('sla_events', 'sla_assignment_id', assignmentId);
      return found
        .map((r) => {
          const out: Record<string, unknown> = {};
          for (const [column, spec] of specs) out[column] = decodeColumn(c.dialect.codecs, spec, r[column]);
          return out;
        })
        .sort(
          (a, b) =>
            String(a['occurred_at']).localeCompare(String(b['occurred_at'])) ||
            (a['kind'] === 'warning' ? -1 : 1),
        );
    }

    async function assignmentRow(id: string) {
      const c = client();
      const [r] = await rows('sla_assignments', 'id', id);
      if (r === undefined) return undefined;
      const codecs = c.dialect.codecs;
      const instant = (v: unknown) => decodeColumn(codecs, { type: 'instant' }, v);
      return {
        version: Number(r['version']),
        clockState: r['clock_state'],
        isActive: decodeColumn(codecs, { type: 'bool' }, r['is_active']),
        activeTicketId: decodeColumn(codecs, { type: 'id' }, r['active_ticket_id']),
        nextCheckAt: instant(r['next_check_at']),
        warningAt: instant(r['warning_at']),
        breachAt: instant(r['breach_at']),
        responseDueAt: instant(r['response_due_at']),
        resolutionDueAt: instant(r['resolution_due_at']),
        lastEvaluatedAt: instant(r['last_evaluated_at']),
        escalationStage: Number(r['escalation_stage']),
        calendar: decodeColumn(codecs, { type: 'json' }, r['calendar_snapshot_json']),
      };
    }

    /** Runs a statement on the first client, as the database's error when it refuses. */
    async function exec(statement: ReturnType<typeof sql>): Promise<void> {
      const c = client();
      try {
        await statement.execute(c.db);
      } catch (e) {
        throw isPetError(e) ? e : c.dialect.classifyError(e, 'exec');
      }
    }

    /** A published SLA version 1 of a fresh name, with its calendar. */
    async function publishedSla() {
      const calendar = allDay();
      const slaId = newId() as string as Support.SlaDefinitionId;
      const slaName = `Gold ${slaId.slice(-12)}`;
      const created = await handlers().sla({
        streamId: slaId,
        command: {
          type: 'create',
          slaDefinitionId: slaId,
          versionNumber: 1,
          terms: terms(slaName, calendar.calendarId),
          at: iso('2026-03-01T09:00Z'),
        },
        metadata,
        loadFacts: supportBindings.slaDefinitionFacts({ name: slaName, previousVersionId: null }),
      });
      expect(created.ok).toBe(true);
      const published = await handlers().sla({
        streamId: slaId,
        command: { type: 'publish', at: iso('2026-03-01T10:00Z') },
        metadata,
      });
      expect(published.ok).toBe(true);
      return { slaId, slaName, calendar };
    }

    /** A new support ticket. */
    async function newTicket(at: Instant) {
      const ticketId = newId() as string as Support.TicketId;
      const r = await handlers().ticket({
        streamId: ticketId,
        command: {
          type: 'create',
          ticketId,
          owner: 'support',
          customerId: newId() as string as Support.CustomerId,
          siteId: null,
          projectId: null,
          subject: 'Printer on fire',
          priority: 'high',
          kind: 'incident',
          soldMinutes: null,
          sla: { mode: 'inherit' },
          parentTicketId: null,
          at,
        },
        metadata,
      });
      expect(r.ok).toBe(true);
      return ticketId;
    }

    /** A ticket bound to a fresh published SLA whose clocks start at `startedAt`. */
    async function boundTicket(startedAt: Instant) {
      const sla = await publishedSla();
      const ticketId = await newTicket(startedAt);
      const assignmentId = newId() as string as Support.SlaAssignmentId;
      const r = await handlers().clock({
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
        loadFacts: supportBindings.slaBindFacts(sla.slaId, sla.calendar),
      });
      if (!r.ok) throw new Error(`bind refused: ${r.error.code}`);
      return { ...sla, ticketId, assignmentId, bound: r.value };
    }

    const evaluate = (now: Instant, i: 0 | 1 = 0) =>
      evaluateSlaClocks({
        db: client(i).db,
        dialect: client(i).dialect,
        prefix: t.prefix,
        events: client(i).events,
        now,
      });
    const firedFor = (report: Awaited<ReturnType<typeof evaluate>>, id: string) =>
      report.evaluated.filter((c) => c.assignmentId === id).flatMap((c) => c.fired);

    it('given a published SLA, a ticket and a binding, then each row holds its state and loads back equal to what the handler decided', async () => {
      const startedAt = iso('2026-03-02T09:00Z');
      const b = await boundTicket(startedAt);
      const [sla] = await rows('sla_definitions', 'id', b.slaId);
      expect(sla).toMatchObject({ state: 'published' });
      expect(text(sla?.['name'])).toBe(b.slaName);
      expect([Number(sla?.['version']), Number(sla?.['version_number'])]).toEqual([2, 1]);
      const [ticket] = await rows('tickets', 'id', b.ticketId);
      expect(ticket).toMatchObject({ state: 'new', lifecycle_owner: 'support', subject: 'Printer on fire' });
      expect(await assignmentRow(b.assignmentId)).toMatchObject({
        version: 1,
        clockState: 'active',
        isActive: true,
        activeTicketId: b.ticketId,
        nextCheckAt: plusMinutes(startedAt, 48), // the response warning: 80 % of 60 minutes
        warningAt: plusMinutes(startedAt, 48),
        breachAt: plusMinutes(startedAt, 60),
        responseDueAt: plusMinutes(startedAt, 60),
        resolutionDueAt: plusMinutes(startedAt, 480),
        lastEvaluatedAt: null,
        escalationStage: 0,
        calendar: b.calendar,
      });
      const loaded = await runtimes[0]!.unitOfWork.run(async (s) => ({
        clock: await s.aggregate(supportBindings.slaAssignment.definition).load(b.assignmentId),
        sla: await s.aggregate(supportBindings.slaDefinition.definition).load(b.slaId),
      }));
      expect(loaded.clock).toEqual({ state: b.bound.state, version: 1 });
      expect(loaded.sla.state).toMatchObject({ status: 'published', versionNumber: 1, archivedAt: null });
      expect(await slaEvents(b.assignmentId)).toEqual([]);
    });

    it('given a bound clock, when evaluated past the warning and then the breach, then one sla_events row each; evaluated again at the boundary, nothing more (scenarios 34, 35, 38)', async () => {
      const startedAt = iso('2026-03-03T09:00Z');
      const b = await boundTicket(startedAt);
      const warnedAt = plusMinutes(startedAt, 50);
      expect(firedFor(await evaluate(warnedAt), b.assignmentId)).toEqual(['sla.warning']);
      const breachedAt = plusMinutes(startedAt, 60);
      expect(firedFor(await evaluate(breachedAt), b.assignmentId)).toEqual(['sla.breached']);
      // A second run at the breach boundary fires nothing: the clock is no longer due.
      const again = await evaluate(breachedAt);
      expect(again.evaluated.some((c) => c.assignmentId === b.assignmentId)).toBe(false);
      const events = await slaEvents(b.assignmentId);
      expect(events.map((e) => [e['kind'], e['target_kind'], e['stage'], e['threshold_bp']])).toEqual([
        ['warning', 'response', 0, 8_000],
        ['breach', 'response', 0, 10_000],
      ]);
      expect(events[0]).toMatchObject({
        ticket_id: b.ticketId,
        occurred_at: warnedAt,
        due_at: plusMinutes(startedAt, 48),
        elapsed_business_minutes: 50,
        target_minutes: 60,
        sla_version_number: 1,
      });
      expect(events[0]?.['domain_event_id']).toBe(events[0]?.['id']);
      expect(await assignmentRow(b.assignmentId)).toMatchObject({
        version: 3,
        nextCheckAt: plusMinutes(startedAt, 240), // escalation stage 1 at 50 % of the resolution target
        lastEvaluatedAt: breachedAt,
      });
      const stream = await client().events.readStream(b.assignmentId);
      expect(stream.map((e) => e.type)).toEqual(['sla.bound', 'sla.warning', 'sla.breached']);
    });

    it('given two evaluators on two connections at the same moment, then every warning, breach and stage is one row and one event (scenario 39)', async () => {
      const startedAt = iso('2026-03-04T09:00Z');
      const b = await boundTicket(startedAt);
      const now = plusMinutes(startedAt, 500);
      const reports = await Promise.all([evaluate(now, 0), evaluate(now, 1)]);
      const fired = reports.flatMap((r) => firedFor(r, b.assignmentId)).sort();
      expect(fired).toEqual(
        [
          'sla.warning',
          'sla.breached',
          'sla.warning',
          'sla.breached',
          'sla.escalated',
          'sla.escalated',
        ].sort(),
      );
      expect(reports.flatMap((r) => r.failed.filter((f) => f.assignmentId === b.assignmentId))).toEqual([]);
      const events = await slaEvents(b.assignmentId);
      expect(events.map((e) => `${e['kind']}:${e['target_kind']}:${e['stage']}`).sort()).toEqual(
        [
          'warning:response:0',
          'breach:response:0',
          'warning:resolution:0',
          'breach:resolution:0',
          'escalation:resolution:1',
          'escalation:resolution:2',
        ].sort(),
      );
      const stream = await client().events.readStream(b.assignmentId);
      expect(stream).toHaveLength(7);
      expect(await assignmentRow(b.assignmentId)).toMatchObject({ nextCheckAt: null, escalationStage: 2 });
    });

    it('given two units of work evaluating one clock at once, then one fires; the other (after its row lock wait, or a version conflict and a retry) reloads and fires nothing (scenario 39)', async () => {
      const startedAt = iso('2026-03-05T09:00Z');
      const b = await boundTicket(startedAt);
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothRead = new Promise<void>((r) => {
        release = r;
      });
      const barrier = async () => {
        arrived += 1;
        if (arrived === 2) release();
        // Where loads lock the row (FOR UPDATE) the other writer cannot read before this one commits, so
        // the wait is bounded; a database that serialises writers cannot hold one open at all.
        if (t.concurrentWriters) {
          await Promise.race([bothRead, new Promise((r) => setTimeout(r, 300))]);
        }
      };
      let runs = 0;
      const held = [0, 1].map((i) =>
        runtimeOf(client(i as 0 | 1), (u) =>
          heldAtSave(u, barrier, () => {
            runs += 1;
          }),
        ),
      );
      const now = plusMinutes(startedAt, 55);
      const outcomes = await Promise.all(held.map((r) => evaluateSlaAssignment(r, b.assignmentId, now)));
      const fired = outcomes.map((o) => (o.ok ? o.value.events.map((e) => e.type) : [o.error.code]));
      expect(fired.flat()).toEqual(['sla.warning']);
      expect(fired.filter((f) => f.length === 0)).toHaveLength(1);
      expect((await slaEvents(b.assignmentId)).map((e) => e['kind'])).toEqual(['warning']);
      // Either both read version v and the loser's save found the row moved (a retry: three runs), or the
      // second read waited on the first's row lock and saw the warning already fired (two runs).
      expect(runs).toBe(arrived === 2 ? 3 : 2);
    });

    it('given a recorded warning, when a writer bypasses the version check and inserts it again, then the unique key refuses it (DUPLICATE_KEY)', async () => {
      const startedAt = iso('2026-03-06T09:00Z');
      const b = await boundTicket(startedAt);
      await evaluate(plusMinutes(startedAt, 50));
      const [warning] = await slaEvents(b.assignmentId);
      const codecs = client().dialect.codecs;
      const copy: Record<string, unknown> = {};
      for (const [column, spec] of Object.entries(slaEventsTable.columns)) {
        copy[column] = encodeColumn(codecs, spec, column === 'id' ? newId() : warning?.[column]);
      }
      const e = await caught(
        client()
          .db.insertInto(table('sla_events'))
          .values(copy)
          .execute()
          .catch((x) => {
            throw client().dialect.classifyError(x, 'insert');
          }),
      );
      expect(e.code).toBe('DUPLICATE_KEY');
      expect(await slaEvents(b.assignmentId)).toHaveLength(1);
    });

    it('given sla_events, ticket_links and kept rows, when UPDATE or DELETE targets them, then the database refuses it (IMMUTABLE_ROW)', async () => {
      const startedAt = iso('2026-03-07T09:00Z');
      const b = await boundTicket(startedAt);
      await evaluate(plusMinutes(startedAt, 61));
      const linked = await handlers().ticket({
        streamId: b.ticketId,
        command: { type: 'add_link', linkType: 'external', linkedId: 'JIRA-42', at: startedAt },
        metadata,
      });
      expect(linked.ok).toBe(true);
      const links = await rows('ticket_links', 'ticket_id', b.ticketId);
      expect(links).toHaveLength(1);
      expect(links[0]).toMatchObject({ link_type: 'external' });
      expect(text(links[0]?.['linked_id'])).toBe('JIRA-42');
      const events = sql.table(table('sla_events'));
      for (const statement of [
        sql`UPDATE ${events} SET stage = 7`,
        sql`UPDATE ${events} SET kind = ${'resolved'}`,
        sql`DELETE FROM ${events}`,
        sql`UPDATE ${sql.table(table('ticket_links'))} SET linked_id = ${'x'}`,
        sql`DELETE FROM ${sql.table(table('ticket_links'))}`,
        sql`DELETE FROM ${sql.table(table('sla_assignments'))}`,
        sql`DELETE FROM ${sql.table(table('tickets'))}`,
        sql`DELETE FROM ${sql.table(table('sla_definitions'))}`,
      ]) {
        expect((await caught(exec(statement))).code).toBe('IMMUTABLE_ROW');
      }
      expect((await slaEvents(b.assignmentId)).map((e) => [e['kind'], e['stage']])).toEqual([
        ['warning', 0],
        ['breach', 0],
      ]);
      expect(await rows('ticket_links', 'ticket_id', b.ticketId)).toHaveLength(1);
    });

    it('given a ticket that pauses, resolves and closes, then its clock stops (never evaluated again) and the closed ticket refuses every change (scenarios 41, 42)', async () => {
      const startedAt = iso('2026-03-09T09:00Z');
      const b = await boundTicket(startedAt);
      const ticketStep = async (to: Support.TicketStatus, at: Instant) => {
        const r = await handlers().ticket({
          streamId: b.ticketId,
          command: { type: 'change_status', to, at },
          metadata,
        });
        if (!r.ok) throw new Error(r.error.code);
        // The application sends each ticket event's clock effect to the assignment.
        for (const e of r.value.events) {
          const effect = Support.slaEffectOfTicketEvent('support', e as Support.TicketEvent);
          if (effect === null) continue;
          const c = await handlers().clock({
            streamId: b.assignmentId,
            command: { type: effect, at },
            metadata,
          });
          if (!c.ok) throw new Error(c.error.code);
        }
      };
      await ticketStep('open', plusMinutes(startedAt, 5));
      await ticketStep('pending', plusMinutes(startedAt, 10));
      expect(await assignmentRow(b.assignmentId)).toMatchObject({ clockState: 'paused', nextCheckAt: null });
      await ticketStep('open', plusMinutes(startedAt, 70));
      expect(await assignmentRow(b.assignmentId)).toMatchObject({
        clockState: 'active',
        nextCheckAt: plusMinutes(startedAt, 70 + 38), // 10 minutes ran before the pause
      });
      await ticketStep('resolved', plusMinutes(startedAt, 80));
      expect(await assignmentRow(b.assignmentId)).toMatchObject({ clockState: 'stopped', nextCheckAt: null });
      expect(firedFor(await evaluate(plusMinutes(startedAt, 10_000)), b.assignmentId)).toEqual([]);
      expect((await slaEvents(b.assignmentId)).map((e) => `${e['kind']}:${e['target_kind']}`).sort()).toEqual(
        [
          'paused:resolution',
          'paused:response',
          'resolved:resolution',
          'responded:response',
          'resumed:resolution',
          'resumed:response',
        ],
      );
      await ticketStep('closed', plusMinutes(startedAt, 90));
      const [before] = await rows('tickets', 'id', b.ticketId);
      const refused = await handlers().ticket({
        streamId: b.ticketId,
        command: { type: 'change_priority', priority: 'low', at: plusMinutes(startedAt, 95) },
        metadata,
      });
      expect(refused.ok).toBe(false);
      expect(refused.ok ? undefined : refused.error.code).toBe('TICKET_CLOSED');
      const reopen = await handlers().ticket({
        streamId: b.ticketId,
        command: { type: 'change_status', to: 'open', at: plusMinutes(startedAt, 95) },
        metadata,
      });
      expect(reopen.ok ? undefined : reopen.error.code).toBe('TICKET_CLOSED');
      const [after] = await rows('tickets', 'id', b.ticketId);
      expect(after).toEqual(before);
      await ticketStep('archived', plusMinutes(startedAt, 100));
      const archived = await runtimes[0]!.unitOfWork.run((s) =>
        s.aggregate(supportBindings.ticket.definition).load(b.ticketId),
      );
      expect(archived.state).toMatchObject({
        status: 'archived',
        closedAt: plusMinutes(startedAt, 90),
        archivedAt: plusMinutes(startedAt, 100),
        respondedAt: plusMinutes(startedAt, 80),
      });
    });

    it('given an unbound assignment, then its row is kept inactive and the ticket can be bound again; a second active binding is refused by the database', async () => {
      const startedAt = iso('2026-03-10T09:00Z');
      const b = await boundTicket(startedAt);
      const bindAgain = (assignmentId: Support.SlaAssignmentId) =>
        handlers().clock({
          streamId: assignmentId,
          command: {
            type: 'bind',
            assignmentId,
            ticketId: b.ticketId,
            contractId: null,
            source: 'explicit',
            startedAt,
            at: startedAt,
          },
          metadata,
          loadFacts: supportBindings.slaBindFacts(b.slaId, b.calendar),
        });
      const second = newId() as string as Support.SlaAssignmentId;
      expect((await caught(bindAgain(second))).code).toBe('DUPLICATE_KEY');
      const unbound = await handlers().clock({
        streamId: b.assignmentId,
        command: { type: 'unbind', at: plusMinutes(startedAt, 5) },
        metadata,
      });
      expect(unbound.ok).toBe(true);
      expect(await assignmentRow(b.assignmentId)).toMatchObject({
        isActive: false,
        activeTicketId: null,
        clockState: 'stopped',
        nextCheckAt: null,
      });
      expect((await bindAgain(second)).ok).toBe(true);
      const refused = await handlers().clock({
        streamId: b.assignmentId,
        command: { type: 'evaluate', now: plusMinutes(startedAt, 600) },
        metadata,
      });
      expect(refused.ok ? undefined : refused.error.code).toBe('SLA_ASSIGNMENT_INACTIVE');
    });

    it('given the facts loaders, then an unknown or mismatched source is a *_FACTS_MISSING refusal, a draft does not bind, and a second writer of one SLA version is refused by UNIQUE(name, version_number)', async () => {
      const sla = await publishedSla();
      const ticketId = await newTicket(iso('2026-03-11T09:00Z'));
      const bind = (slaId: Support.SlaDefinitionId) => {
        const assignmentId = newId() as string as Support.SlaAssignmentId;
        const at = iso('2026-03-11T09:00Z');
        return handlers().clock({
          streamId: assignmentId,
          command: {
            type: 'bind',
            assignmentId,
            ticketId,
            contractId: null,
            source: 'explicit',
            startedAt: at,
            at,
          },
          metadata,
          loadFacts: supportBindings.slaBindFacts(slaId, sla.calendar),
        });
      };
      const unknown = await bind(newId() as string as Support.SlaDefinitionId);
      expect(unknown.ok ? undefined : unknown.error).toMatchObject({
        code: 'SLA_ASSIGNMENT_FACTS_MISSING',
        details: { fact: 'sla' },
      });
      // Version 2 of the name, as a draft: it does not bind.
      const createV2 = (
        id: Support.SlaDefinitionId,
        name: string,
        previousVersionId: Support.SlaDefinitionId,
      ) =>
        handlers().sla({
          streamId: id,
          command: {
            type: 'create',
            slaDefinitionId: id,
            versionNumber: 2,
            terms: terms(sla.slaName, sla.calendar.calendarId),
            at: iso('2026-03-11T08:00Z'),
          },
          metadata,
          loadFacts: supportBindings.slaDefinitionFacts({ name, previousVersionId }),
        });
      const v2 = newId() as string as Support.SlaDefinitionId;
      const mismatch = await createV2(v2, 'Another name', sla.slaId);
      expect(mismatch.ok ? undefined : mismatch.error.code).toBe('SLA_FACTS_MISSING');
      expect((await createV2(v2, sla.slaName, sla.slaId)).ok).toBe(true);
      const draft = await bind(v2);
      expect(draft.ok ? undefined : draft.error.code).toBe('SLA_NOT_ATTACHABLE');
      const other = newId() as string as Support.SlaDefinitionId;
      expect((await caught(createV2(other, sla.slaName, sla.slaId))).code).toBe('DUPLICATE_KEY');
      const [v2row] = await rows('sla_definitions', 'id', v2);
      expect(v2row).toMatchObject({ state: 'draft' });
      expect(text(v2row?.['name'])).toBe(sla.slaName);
      expect(await rows('sla_definitions', 'id', other)).toEqual([]);
      // A split child's parent comes through the ticket loader; an unknown parent is TICKET_FACTS_MISSING.
      const child = newId() as string as Support.TicketId;
      const missingParent = newId() as string as Support.TicketId;
      const orphan = await handlers().ticket({
        streamId: child,
        command: {
          type: 'create',
          ticketId: child,
          owner: 'support',
          customerId: newId() as string as Support.CustomerId,
          siteId: null,
          projectId: null,
          subject: 'Child',
          priority: 'medium',
          kind: 'work',
          soldMinutes: 60,
          sla: { mode: 'opt_out', reason: 'internal follow-up' },
          parentTicketId: missingParent,
          at: iso('2026-03-11T09:00Z'),
        },
        metadata,
        loadFacts: supportBindings.ticketFacts({ parentTicketId: missingParent }),
      });
      expect(orphan.ok ? undefined : orphan.error.code).toBe('TICKET_FACTS_MISSING');
      const bad = await caught(
        evaluateSlaClocks({ ...client(), prefix: t.prefix, now: iso('2026-03-11T09:00Z'), limit: 0 }),
      );
      expect(bad.code).toBe('VALIDATION_FAILED');
    });

    it('given a split ticket, when its children are created through the loader, then the parent is read in the transaction and the rows carry the roll-up; an opt-out assignment is kept with its reason', async () => {
      const parentId = newId() as string as Support.TicketId;
      const customerId = newId() as string as Support.CustomerId;
      const at = iso('2026-03-12T09:00Z');
      const base = {
        owner: 'support' as const,
        customerId,
        siteId: null,
        projectId: null,
        priority: 'medium' as const,
        kind: 'work' as const,
        sla: { mode: 'inherit' as const },
        at,
      };
      const created = await handlers().ticket({
        streamId: parentId,
        command: {
          type: 'create',
          ticketId: parentId,
          subject: 'Parent',
          soldMinutes: 100,
          parentTicketId: null,
          ...base,
        },
        metadata,
      });
      expect(created.ok).toBe(true);
      const children = [
        { ticketId: newId() as string as Support.TicketId, subject: 'A', soldMinutes: 40 },
        { ticketId: newId() as string as Support.TicketId, subject: 'B', soldMinutes: 60 },
      ];
      const split = await handlers().ticket({
        streamId: parentId,
        command: { type: 'split', children, at },
        metadata,
        loadFacts: supportBindings.ticketFacts({ loggedMinutes: 0 }),
      });
      expect(split.ok).toBe(true);
      for (const c of children) {
        const r = await handlers().ticket({
          streamId: c.ticketId,
          command: {
            type: 'create',
            ticketId: c.ticketId,
            subject: c.subject,
            soldMinutes: c.soldMinutes,
            parentTicketId: parentId,
            ...base,
          },
          metadata,
          loadFacts: supportBindings.ticketFacts({ parentTicketId: parentId }),
        });
        if (!r.ok) throw new Error(r.error.code);
      }
      const [parent] = await rows('tickets', 'id', parentId);
      const codecs = client().dialect.codecs;
      expect(decodeColumn(codecs, { type: 'bool' }, parent?.['is_rollup'])).toBe(true);
      expect(decodeColumn(codecs, { type: 'json' }, parent?.['split_children'])).toEqual(children);
      const kids = await rows('tickets', 'parent_ticket_id', parentId);
      expect(kids.map((k) => decodeColumn(codecs, { type: 'id' }, k['root_ticket_id']))).toEqual([
        parentId,
        parentId,
      ]);
      const optOut = newId() as string as Support.SlaAssignmentId;
      const r = await handlers().clock({
        streamId: optOut,
        command: { type: 'opt_out', assignmentId: optOut, ticketId: parentId, reason: 'internal work', at },
        metadata,
      });
      expect(r.ok).toBe(true);
      const [row] = await rows('sla_assignments', 'id', optOut);
      expect(row).toMatchObject({ state: 'opted_out', source: 'opt_out' });
      expect(text(row?.['opt_out_reason'])).toBe('internal work');
      const loaded = await runtimes[0]!.unitOfWork.run((s) =>
        s.aggregate(supportBindings.slaAssignment.definition).load(optOut),
      );
      expect(loaded.state).toEqual({
        status: 'opted_out',
        assignmentId: optOut,
        ticketId: parentId,
        reason: 'internal work',
      });
    });
  });
}
