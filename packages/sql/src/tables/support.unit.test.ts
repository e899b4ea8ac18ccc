import { type Calendar, type EventDraft, type Instant, Support, type Uuid } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import {
  slaAssignmentsTable,
  slaDefinitionsTable,
  slaEventsTable,
  ticketLinksTable,
  ticketsTable,
} from './support.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (h: number, m = 0): Instant =>
  `2026-03-02T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000000Z` as Instant;
const ticketId = id(1) as Support.TicketId;
const slaId = id(2) as Support.SlaDefinitionId;
const assignmentId = id(3) as Support.SlaAssignmentId;
const calendar: Calendar.BusinessCalendar = {
  calendarId: id(4) as Calendar.CalendarId,
  version: 1,
  timeZone: 'Europe/London',
  windows: [1, 2, 3, 4, 5].map((weekday) => ({
    weekday: weekday as Calendar.Weekday,
    startMinute: 540,
    endMinute: 1020,
  })),
  holidays: [],
};
const terms: Support.SlaTerms = {
  name: 'Gold',
  tier: 'gold',
  responseTargetMinutes: 60,
  resolutionTargetMinutes: 480,
  warningThresholdBp: 8_000,
  calendarId: calendar.calendarId,
  escalationRules: [
    {
      thresholdBp: 5_000,
      action: 'notify_manager',
      notifyMethod: 'email',
      escalationRoleId: 'lead',
      enabled: true,
    },
    {
      thresholdBp: 7_500,
      action: 'notify_manager',
      notifyMethod: 'sms',
      escalationRoleId: null,
      enabled: false,
    },
  ],
};

/** Runs commands through a decider and returns every state on the way (the commands must be accepted). */
function run<S, C, E, F>(
  decider: {
    initialState: () => S;
    decide: (c: C, s: S, f: F) => { ok: boolean; value?: readonly E[] };
    evolve: (s: S, e: E) => S;
  },
  steps: readonly (readonly [C, F])[],
): { states: S[]; events: E[] } {
  let s = decider.initialState();
  const states: S[] = [];
  const events: E[] = [];
  for (const [command, facts] of steps) {
    const r = decider.decide(command, s, facts);
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
    for (const e of r.value ?? []) {
      s = decider.evolve(s, e);
      events.push(e);
    }
    states.push(s);
  }
  return { states, events };
}

const draft = (e: { type: string; payload: unknown }, n: number): EventDraft => ({
  eventId: id(100 + n) as Uuid,
  type: e.type,
  schemaVersion: 1,
  streamType: 'x',
  occurredAt: at(9),
  actor: { type: 'system', id: null },
  context: {},
  correlationId: null,
  causationId: null,
  payload: e.payload,
});

function roundTrips<S>(table: unknown, states: readonly S[], streamId: string): void {
  const t = table as { toRow(s: S): unknown; fromRow(r: unknown, id: string): S };
  for (const s of states) {
    // Through JSON: what a database hands back is plain data.
    const row = JSON.parse(JSON.stringify(t.toRow(s)));
    expect(t.fromRow(row, streamId)).toEqual(s);
  }
}

describe('support state tables', () => {
  it('every SLA clock state on the way through bind, evaluate, pause, resume, respond, resolve, reopen and unbind reads back unchanged', () => {
    const sla = { slaDefinitionId: slaId, versionNumber: 1, status: 'published' as const, terms };
    const { states, events } = run(Support.slaAssignmentDecider, [
      [
        {
          type: 'bind',
          assignmentId,
          ticketId,
          contractId: null,
          source: 'explicit',
          startedAt: at(9),
          at: at(9),
        },
        { sla, calendar },
      ],
      [{ type: 'evaluate', now: at(9, 55) }, undefined],
      [{ type: 'pause', at: at(10) }, undefined],
      [{ type: 'resume', at: at(11) }, undefined],
      [{ type: 'respond', at: at(11, 30) }, undefined],
      [{ type: 'evaluate', now: at(16) }, undefined],
      [{ type: 'resolve', at: at(16, 30) }, undefined],
      [{ type: 'reopen', at: at(16, 45) }, undefined],
      [{ type: 'unbind', at: at(16, 50) }, undefined],
    ] as const);
    roundTrips(slaAssignmentsTable, states, assignmentId);
    const bound = slaAssignmentsTable.toRow(states[0]!);
    expect(bound).toMatchObject({
      clock_state: 'active',
      next_check_at: at(9, 48),
      warning_at: at(9, 48),
      breach_at: at(10),
      active_ticket_id: ticketId,
    });
    expect(slaAssignmentsTable.toRow(states[2]!)).toMatchObject({
      clock_state: 'paused',
      next_check_at: null,
    });
    expect(slaAssignmentsTable.toRow(states.at(-1)!)).toMatchObject({
      is_active: false,
      active_ticket_id: null,
      next_check_at: null,
    });
    const rows = events.flatMap((e, n) => slaEventsTable.rowsOf(draft(e, n), assignmentId));
    // The pause at 10:00 first fires the response breach that was due then.
    expect(rows.map((r) => `${r.kind}:${r.target_kind}:${r.stage}`)).toEqual([
      'warning:response:0',
      'breach:response:0',
      'paused:response:null',
      'paused:resolution:null',
      'resumed:response:null',
      'resumed:resolution:null',
      'responded:response:null',
      'escalation:resolution:1',
      'warning:resolution:0',
      'resolved:resolution:null',
      'resumed:resolution:null',
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.domain_event_id === r.id && r.sla_assignment_id === assignmentId)).toBe(true);
  });

  it('an opted-out assignment, every SLA definition and every ticket state read back unchanged; links become ticket_links rows', () => {
    const optedOut = run(Support.slaAssignmentDecider, [
      [{ type: 'opt_out', assignmentId, ticketId, reason: 'internal', at: at(9) }, undefined],
    ] as const);
    roundTrips(slaAssignmentsTable, optedOut.states, assignmentId);
    const definitions = run(Support.slaDefinitionDecider, [
      [
        { type: 'create', slaDefinitionId: slaId, versionNumber: 1, terms, at: at(9) },
        { latestVersionNumber: null },
      ],
      [{ type: 'publish', at: at(10) }, undefined],
      [{ type: 'deprecate', at: at(11) }, undefined],
      [{ type: 'archive', at: at(12) }, undefined],
    ] as const);
    roundTrips(slaDefinitionsTable, definitions.states, slaId);
    const tickets = run(Support.ticketDecider, [
      [
        {
          type: 'create',
          ticketId,
          owner: 'support',
          customerId: id(5) as Support.CustomerId,
          siteId: null,
          projectId: null,
          subject: 'Printer',
          priority: 'high',
          kind: 'incident',
          soldMinutes: 100,
          sla: { mode: 'opt_out', reason: 'internal' },
          parentTicketId: null,
          at: at(9),
        },
        undefined,
      ],
      [{ type: 'queue', teamId: id(6) as never, at: at(9, 5) }, undefined],
      [{ type: 'add_link', linkType: 'external', linkedId: 'JIRA-1', at: at(9, 10) }, undefined],
      [
        {
          type: 'split',
          children: [
            { ticketId: id(7) as Support.TicketId, subject: 'A', soldMinutes: 40 },
            { ticketId: id(8) as Support.TicketId, subject: 'B', soldMinutes: 60 },
          ],
          at: at(9, 15),
        },
        { loggedMinutes: 0 },
      ],
      [{ type: 'change_status', to: 'open', at: at(9, 20) }, undefined],
      [{ type: 'change_status', to: 'resolved', at: at(9, 30) }, undefined],
      [{ type: 'change_status', to: 'closed', at: at(9, 40) }, undefined],
      [{ type: 'change_status', to: 'archived', at: at(9, 50) }, undefined],
    ] as const);
    roundTrips(ticketsTable, tickets.states, ticketId);
    const links = tickets.events.flatMap((e, n) => ticketLinksTable.rowsOf(draft(e, n), ticketId));
    expect(links).toEqual([
      { id: id(102), ticket_id: ticketId, link_type: 'external', linked_id: 'JIRA-1', linked_at: at(9, 10) },
    ]);
    expect(() => ticketsTable.toRow(Support.initialTicketState())).toThrow(TypeError);
    expect(() => slaDefinitionsTable.toRow(Support.initialSlaDefinitionState())).toThrow(TypeError);
    expect(() => slaAssignmentsTable.toRow(Support.initialSlaAssignmentState())).toThrow(TypeError);
  });
});
