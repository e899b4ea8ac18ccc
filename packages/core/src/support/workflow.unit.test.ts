// A support desk driven end to end through the pure deciders, as the application layer will: ticket
// events are mapped to SLA clock commands with slaEffectOfTicketEvent. The desk works around the clock in
// Europe/London, and the ticket waits on the customer across the spring-forward night, so the pause spans
// the transition; elapsed business minutes are checked against the minute-by-minute reference.
import { describe, expect, test } from 'vitest';
import type { BusinessCalendar } from '../calendar/index.js';
import { referencePrefix } from '../calendar/test-support.test.js';
import type { Instant } from '../kernel/index.js';
import { slaClockView } from './sla-assignment/clock.js';
import type { SlaAssignmentCommand, SlaAssignmentFacts } from './sla-assignment/commands.js';
import { slaAssignmentDecider } from './sla-assignment/decider.js';
import type { SlaAssignmentEvent } from './sla-assignment/events.js';
import type { BoundSla, SlaAssignmentState } from './sla-assignment/state.js';
import {
  assignment,
  calendarId,
  customer,
  employee,
  goldTerms,
  iso,
  slaId,
  team,
  ticket,
} from './test-support.test.js';
import type { TicketCommand, TicketFacts } from './ticket/commands.js';
import { ticketDecider } from './ticket/decider.js';
import { slaEffectOfTicketEvent } from './ticket/lifecycle.js';
import type { TicketState } from './ticket/state.js';

const desk: BusinessCalendar = {
  calendarId,
  version: 1,
  timeZone: 'Europe/London',
  windows: ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
  holidays: [],
};

/** The application layer in miniature: both streams, ticket events forwarded to the clock. */
function supportDesk() {
  let ticketState: TicketState = ticketDecider.initialState();
  let clock: SlaAssignmentState = slaAssignmentDecider.initialState();
  const slaEvents: SlaAssignmentEvent[] = [];
  const sla = (command: SlaAssignmentCommand, facts?: SlaAssignmentFacts) => {
    const r = slaAssignmentDecider.decide(command, clock, facts);
    if (!r.ok) throw new Error(r.error.code);
    clock = r.value.reduce(slaAssignmentDecider.evolve, clock);
    slaEvents.push(...r.value);
    return r.value;
  };
  const onTicket = (command: TicketCommand, facts?: TicketFacts) => {
    const r = ticketDecider.decide(command, ticketState, facts);
    if (!r.ok) throw new Error(r.error.code);
    for (const e of r.value) {
      ticketState = ticketDecider.evolve(ticketState, e);
      const effect = ticketState.status === 'absent' ? null : slaEffectOfTicketEvent(ticketState.owner, e);
      if (effect !== null) sla({ type: effect, at: e.payload.at });
    }
  };
  return { onTicket, sla, slaEvents, clock: () => clock as BoundSla, ticket: () => ticketState };
}

const minute = (i: Instant) => Date.parse(i) / 60_000;

describe('a support desk across the spring-forward night (scenarios 25, 41, 45, 62, 63, 64)', () => {
  test('reassignment never resets the clock; a pause over the DST change; one warning, breach and escalation each', () => {
    const d = supportDesk();
    const opened = iso('2026-03-28T22:00Z'); // Saturday 22:00 GMT
    d.onTicket({
      type: 'create',
      ticketId: ticket(1),
      owner: 'support',
      customerId: customer(1),
      siteId: null,
      projectId: null,
      subject: 'VPN down',
      priority: 'high',
      kind: 'incident',
      soldMinutes: null,
      sla: { mode: 'inherit' },
      parentTicketId: null,
      at: opened,
    });
    d.sla(
      {
        type: 'bind',
        assignmentId: assignment(1),
        ticketId: ticket(1),
        contractId: null,
        source: 'customer',
        startedAt: opened,
        at: opened,
      },
      {
        sla: { slaDefinitionId: slaId(1), versionNumber: 4, status: 'published', terms: goldTerms },
        calendar: desk,
      },
    );
    d.onTicket({ type: 'change_status', to: 'open', at: iso('2026-03-28T22:05Z') });
    d.onTicket({ type: 'queue', teamId: team(1), at: iso('2026-03-28T22:05Z') });
    d.onTicket(
      { type: 'pull', employeeId: employee(1), at: iso('2026-03-28T22:10Z') },
      { pullerTeamIds: [team(1)] },
    );
    d.onTicket({ type: 'respond', at: iso('2026-03-28T22:30Z') });
    // Scenario 45: the head reallocates and raises the priority; the clock neither resets nor re-binds.
    d.onTicket({
      type: 'allocate',
      to: { employeeId: employee(2) },
      byEmployeeId: employee(9),
      at: iso('2026-03-28T23:00Z'),
    });
    d.onTicket({ type: 'change_priority', priority: 'critical', at: iso('2026-03-28T23:00Z') });
    expect(slaClockView(d.clock(), iso('2026-03-28T23:00Z')).resolution.elapsedBusinessMinutes).toBe(60);
    expect(d.clock().slaVersionNumber).toBe(4);

    // Scenario 62: waiting on the customer from 00:30 GMT to 03:30 BST (02:30 UTC): the 01:00–02:00 hour never existed.
    d.onTicket({ type: 'change_status', to: 'pending', at: iso('2026-03-29T00:30Z') });
    d.sla({ type: 'evaluate', now: iso('2026-03-29T02:00Z') });
    d.onTicket({ type: 'change_status', to: 'open', at: iso('2026-03-29T02:30Z') });
    // 150 minutes ran before the pause; 330 are left: due at 08:00 UTC (09:00 BST).
    expect(slaClockView(d.clock(), iso('2026-03-29T02:30Z')).resolution.dueAt).toBe(iso('2026-03-29T08:00Z'));

    // Scenario 64: the scheduler runs every 30 minutes through the morning; each threshold fires once.
    for (let t = minute(iso('2026-03-29T03:00Z')); t <= minute(iso('2026-03-29T09:00Z')); t += 30) {
      d.sla({ type: 'evaluate', now: new Date(t * 60_000).toISOString().replace('Z', '000Z') as Instant });
    }
    const fired = d.slaEvents.filter((e) =>
      ['sla.warning', 'sla.breached', 'sla.escalated'].includes(e.type),
    );
    expect(
      fired.map(
        (e) =>
          `${e.type}:${(e.payload as { targetKind?: string }).targetKind}@${(e.payload as { dueAt?: string }).dueAt}`,
      ),
    ).toEqual([
      `sla.escalated:resolution@${iso('2026-03-29T04:00Z')}`, // 50 % = 240: 150 + 90 after 02:30
      `sla.warning:resolution@${iso('2026-03-29T06:24Z')}`, // 80 % = 384
      `sla.breached:resolution@${iso('2026-03-29T08:00Z')}`,
      `sla.escalated:resolution@${iso('2026-03-29T08:00Z')}`,
    ]);

    // The clock's elapsed minutes equal the reference's over the two running stretches.
    const now = iso('2026-03-29T09:00Z');
    const ran =
      (referencePrefix(desk, minute(opened), 150)[150] ?? 0) +
      (referencePrefix(desk, minute(iso('2026-03-29T02:30Z')), 390)[390] ?? 0);
    expect(slaClockView(d.clock(), now).resolution.elapsedBusinessMinutes).toBe(ran);
    expect(ran).toBe(540);

    // Scenario 63 (§8): resolved, then reopened — the clock resumes from 540, the time resolved not counted.
    d.onTicket({ type: 'change_status', to: 'resolved', at: now });
    d.onTicket({ type: 'change_status', to: 'open', at: iso('2026-03-29T12:00Z') });
    const view = slaClockView(d.clock(), iso('2026-03-29T12:30Z'));
    expect([view.clockState, view.resolution.elapsedBusinessMinutes]).toEqual(['active', 570]);
    expect(d.sla({ type: 'evaluate', now: iso('2026-03-29T12:30Z') })).toEqual([]);
  });
});
