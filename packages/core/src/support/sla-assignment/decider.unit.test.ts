import { describe, expect, test } from 'vitest';
import { reviseCalendar } from '../../calendar/index.js';
import { replay } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import {
  assignment,
  calendarId,
  contract,
  goldTerms,
  iso,
  london,
  slaId,
  ticket,
  tracked,
} from '../test-support.test.js';
import { evaluateSlaClock, slaClockView } from './clock.js';
import { type BindSla, type SlaAssignmentFacts, slaAssignmentCommandSchema } from './commands.js';
import { slaAssignmentDecider } from './decider.js';
import type { SlaAssignmentEvent, SlaClockPayload } from './events.js';
import { SLA_ASSIGNMENT_REJECTION_CODES } from './rejections.js';
import type { BoundSla } from './state.js';

const { decider, seen } = tracked(slaAssignmentDecider);
const spec = DeciderSpecification.for(decider);

const a = assignment(1);
const tk = ticket(1);
// Monday 2 March 2026, 09:00 London (= UTC before the clocks change on the 29th).
const opened = iso('2026-03-02T09:00Z');
const bindCmd: BindSla = {
  type: 'bind',
  assignmentId: a,
  ticketId: tk,
  contractId: contract(1),
  source: 'contract',
  startedAt: opened,
  at: opened,
};
const facts: SlaAssignmentFacts = {
  sla: { slaDefinitionId: slaId(1), versionNumber: 1, status: 'published', terms: goldTerms },
  calendar: london,
};
const bound: SlaAssignmentEvent = {
  type: 'sla.bound',
  payload: {
    assignmentId: a,
    ticketId: tk,
    contractId: contract(1),
    source: 'contract',
    slaDefinitionId: slaId(1),
    slaVersionNumber: 1,
    slaName: 'Gold',
    responseTargetMinutes: 60,
    resolutionTargetMinutes: 480,
    warningThresholdBp: 8_000,
    escalationThresholdsBp: [5_000, 10_000],
    calendar: london,
    startedAt: opened,
    at: opened,
    responseDueAt: iso('2026-03-02T10:00Z'),
    resolutionDueAt: iso('2026-03-02T17:00Z'),
  },
};

/** A clock payload of the bound ticket. */
const p = (
  targetKind: 'response' | 'resolution',
  at: string,
  elapsedBusinessMinutes: number,
  dueAt: string | null,
): SlaClockPayload => ({
  assignmentId: a,
  ticketId: tk,
  slaVersionNumber: 1,
  targetKind,
  at: iso(at),
  elapsedBusinessMinutes,
  targetMinutes: targetKind === 'response' ? 60 : 480,
  dueAt: dueAt === null ? null : iso(dueAt),
});

/** Decides on the given history and returns the events (failing on a rejection). */
function run(
  history: readonly SlaAssignmentEvent[],
  command: Parameters<typeof decider.decide>[0],
): SlaAssignmentEvent[] {
  const r = decider.decide(command, replay(decider, history), undefined);
  if (!r.ok) throw new Error(r.error.code);
  return [...r.value];
}

describe('binding (scenarios 43, 53, 36/37, 45)', () => {
  test('binds the real version, freezes targets, thresholds in stage order and the calendar snapshot; due via the calendar', () => {
    spec.given([]).when(bindCmd, facts).then([bound]);
  });

  test('a ticket opened on Friday 16:30 is due to resolve on Monday 16:30 (nights and the weekend skipped)', () => {
    const r = decider.decide({ ...bindCmd, startedAt: iso('2026-03-06T16:30Z') }, replay(decider, []), facts);
    expect(r.ok && r.value[0]?.type === 'sla.bound' && r.value[0].payload.resolutionDueAt).toBe(
      iso('2026-03-09T16:30Z'),
    );
  });

  test('a target the calendar cannot hold within the 20-year horizon is refused, naming the target; nothing binds', () => {
    // One business minute a week: 60 response minutes fit, 2,000 resolution minutes (≈ 38 years) do not.
    const sparse = { ...london, windows: [{ weekday: 1 as const, startMinute: 540, endMinute: 541 }] };
    const sla = { ...facts.sla!, terms: { ...goldTerms, resolutionTargetMinutes: 2_000 } };
    spec.given([]).when(bindCmd, { sla, calendar: sparse }).thenRejects('SLA_TARGET_UNREACHABLE', {
      field: 'resolutionTargetMinutes',
      targetMinutes: 2_000,
      horizonYears: 20,
    });
    const both = { ...sla, terms: { ...sla.terms, responseTargetMinutes: 1_500 } };
    spec
      .given([])
      .when(bindCmd, { sla: both, calendar: sparse })
      .thenRejects('SLA_TARGET_UNREACHABLE', { field: 'responseTargetMinutes', targetMinutes: 1_500 });
  });

  test('scenario 43: version 0 (PET’s fallback) never binds; draft and archived versions do not attach', () => {
    for (const sla of [
      { ...facts.sla!, versionNumber: 0 },
      { ...facts.sla!, status: 'draft' as const },
      { ...facts.sla!, status: 'archived' as const },
    ]) {
      spec
        .given([])
        .when(bindCmd, { ...facts, sla })
        .thenRejects('SLA_NOT_ATTACHABLE', { versionNumber: sla.versionNumber });
    }
  });

  test('scenarios 36/37: a deprecated version attaches only through the contract that bought it', () => {
    const sla = { ...facts.sla!, status: 'deprecated' as const };
    spec
      .given([])
      .when({ ...bindCmd, source: 'explicit', contractId: null }, { ...facts, sla })
      .thenRejects('SLA_NOT_ATTACHABLE', {
        status: 'deprecated',
        source: 'explicit',
      });
    spec
      .given([])
      .when(bindCmd, { ...facts, sla })
      .then([bound]);
  });

  test('without the SLA or with another calendar loaded, then SLA_ASSIGNMENT_FACTS_MISSING', () => {
    spec.given([]).when(bindCmd, {}).thenRejects('SLA_ASSIGNMENT_FACTS_MISSING', { fact: 'sla' });
    spec
      .given([])
      .when(bindCmd, {
        ...facts,
        calendar: { ...london, calendarId: slaId(9) as unknown as typeof calendarId },
      })
      .thenRejects('SLA_ASSIGNMENT_FACTS_MISSING', { fact: 'calendar', calendarId });
  });

  test('scenario 45: a binding never re-binds (a priority change or a new SLA version binds nothing here)', () => {
    spec
      .given([bound])
      .when(bindCmd, { ...facts, sla: { ...facts.sla!, versionNumber: 2 } })
      .thenRejects('SLA_ASSIGNMENT_ALREADY_EXISTS', { status: 'bound' });
  });

  test('scenario 43: a later SLA or calendar edit leaves the bound clock unchanged', () => {
    const clock = replay(decider, [bound]) as BoundSla;
    const v4 = reviseCalendar(london, { windows: [{ weekday: 1, startMinute: 0, endMinute: 1440 }] });
    expect(v4.version).toBe(4);
    expect(clock.calendar).toEqual(london);
    expect(clock.slaVersionNumber).toBe(1);
    expect(slaClockView(clock, iso('2026-03-02T12:00Z')).resolution.elapsedBusinessMinutes).toBe(180);
  });

  test('opting out needs a reason and keeps applicability explicit; clock commands are then SLA_ASSIGNMENT_OPTED_OUT', () => {
    const optedOut: SlaAssignmentEvent = {
      type: 'sla.opted_out',
      payload: { assignmentId: a, ticketId: tk, reason: 'internal housekeeping', at: opened },
    };
    spec
      .given([])
      .when({ type: 'opt_out', assignmentId: a, ticketId: tk, reason: ' internal housekeeping ', at: opened })
      .then([optedOut]);
    spec.given([optedOut]).when({ type: 'evaluate', now: opened }).thenRejects('SLA_ASSIGNMENT_OPTED_OUT');
    spec.given([optedOut]).when(bindCmd, facts).thenRejects('SLA_ASSIGNMENT_ALREADY_EXISTS');
    expect(
      slaAssignmentCommandSchema.safeParse({
        type: 'opt_out',
        assignmentId: a,
        ticketId: tk,
        reason: ' ',
        at: opened,
      }).error?.issues[0]?.path,
    ).toEqual(['reason']);
  });

  test('given nothing, a clock command is SLA_ASSIGNMENT_NOT_FOUND', () => {
    spec.given([]).when({ type: 'evaluate', now: opened }).thenRejects('SLA_ASSIGNMENT_NOT_FOUND');
  });
});

describe('evaluation: warning, breach, escalation exactly once (scenarios 25, 34, 35, 38, 40, 44, 64)', () => {
  const responseWarning: SlaAssignmentEvent = {
    type: 'sla.warning',
    payload: { ...p('response', '2026-03-02T09:48Z', 48, '2026-03-02T09:48Z'), thresholdBp: 8_000 },
  };

  test('scenario 34: at 80 % of the response target (48 of 60 minutes), one warning; before it nothing', () => {
    spec
      .given([bound])
      .when({ type: 'evaluate', now: iso('2026-03-02T09:47Z') })
      .then([]);
    spec
      .given([bound])
      .when({ type: 'evaluate', now: iso('2026-03-02T09:48Z') })
      .then([responseWarning]);
  });

  test('scenario 38: evaluating twice at the boundary gives one event (a self-transition fires nothing)', () => {
    spec
      .given([bound, responseWarning])
      .when({ type: 'evaluate', now: iso('2026-03-02T09:48Z') })
      .then([]);
    spec
      .given([bound, responseWarning])
      .when({ type: 'evaluate', now: iso('2026-03-02T09:59Z') })
      .then([]);
  });

  test('scenario 35: at 100 %, one breach; never again', () => {
    const breach: SlaAssignmentEvent = {
      type: 'sla.breached',
      payload: { ...p('response', '2026-03-02T10:00Z', 60, '2026-03-02T10:00Z'), thresholdBp: 10_000 },
    };
    spec
      .given([bound, responseWarning])
      .when({ type: 'evaluate', now: iso('2026-03-02T10:00Z') })
      .then([breach]);
    // Later the same day: the resolution warning (80 % of 480 = 384 minutes → 15:24), then escalation stage 1 (50 % → 13:00).
    spec
      .given([bound, responseWarning, breach])
      .when({ type: 'evaluate', now: iso('2026-03-02T16:00Z') })
      .then([
        {
          type: 'sla.warning',
          payload: { ...p('resolution', '2026-03-02T16:00Z', 420, '2026-03-02T15:24Z'), thresholdBp: 8_000 },
        },
        {
          type: 'sla.escalated',
          payload: {
            ...p('resolution', '2026-03-02T16:00Z', 420, '2026-03-02T13:00Z'),
            thresholdBp: 5_000,
            stage: 1,
          },
        },
      ]);
  });

  test('scenarios 40/64: a late first run fires every crossed threshold once, in order; escalation stages 1 then 2 on the breach', () => {
    const events = run([bound], { type: 'evaluate', now: iso('2026-03-03T10:00Z') });
    expect(
      events.map(
        (e) =>
          `${e.type}:${(e.payload as { targetKind?: string }).targetKind}${'stage' in e.payload ? `:${e.payload.stage}` : ''}`,
      ),
    ).toEqual([
      'sla.warning:response',
      'sla.breached:response',
      'sla.warning:resolution',
      'sla.breached:resolution',
      'sla.escalated:resolution:1',
      'sla.escalated:resolution:2',
    ]);
    // The threshold instants do not depend on when the evaluator ran.
    expect(events.map((e) => (e.payload as { dueAt?: string }).dueAt)).toEqual(
      ['09:48', '10:00', '15:24', '17:00', '13:00', '17:00'].map((t) => iso(`2026-03-02T${t}Z`)),
    );
    expect(run([bound, ...events], { type: 'evaluate', now: iso('2026-03-10T10:00Z') })).toEqual([]);
    const clock = replay(decider, [bound, ...events]) as BoundSla;
    expect(clock.escalationStage).toBe(2);
  });

  test('scenario 44: a ticket set to breach in 30 minutes breaches when the scheduler runs at next_check_at', () => {
    const history = [bound, ...run([bound], { type: 'evaluate', now: iso('2026-03-02T16:30Z') })];
    const view = slaClockView(replay(decider, history) as BoundSla, iso('2026-03-02T16:30Z'));
    expect(view.resolution.dueAt).toBe(iso('2026-03-02T17:00Z'));
    expect(view.nextCheckAt).toBe(iso('2026-03-02T17:00Z'));
    expect(run(history, { type: 'evaluate', now: iso('2026-03-02T16:59Z') })).toEqual([]);
    expect(run(history, { type: 'evaluate', now: view.nextCheckAt! }).map((e) => e.type)).toEqual([
      'sla.breached',
      'sla.escalated',
    ]);
  });

  test('scenario 4: a breach cannot be edited, dismissed or deleted', () => {
    for (const action of ['edit', 'dismiss', 'delete'] as const) {
      spec
        .given([bound])
        .when({ type: 'alter_breach', action })
        .thenRejects('SLA_BREACH_IMMUTABLE', { action });
    }
    spec.given([]).when({ type: 'alter_breach', action: 'delete' }).thenRejects('SLA_ASSIGNMENT_NOT_FOUND');
  });
});

describe('pause, resume, respond, resolve, reopen (scenarios 41, 42, 62, 63)', () => {
  const paused = [
    { type: 'sla.paused', payload: p('response', '2026-03-02T09:30Z', 30, null) },
    { type: 'sla.paused', payload: p('resolution', '2026-03-02T09:30Z', 30, null) },
  ] as SlaAssignmentEvent[];

  test('scenario 62: waiting on the customer pauses both running targets; a paused clock fires nothing', () => {
    spec
      .given([bound])
      .when({ type: 'pause', at: iso('2026-03-02T09:30Z') })
      .then(paused);
    spec
      .given([bound, ...paused])
      .when({ type: 'evaluate', now: iso('2026-03-04T12:00Z') })
      .then([]);
    expect(
      slaClockView(replay(decider, [bound, ...paused]) as BoundSla, iso('2026-03-04T12:00Z')).clockState,
    ).toBe('paused');
  });

  test('scenario 41: resume continues the elapsed time; the new due instants come from the calendar', () => {
    spec
      .given([bound, ...paused])
      .when({ type: 'resume', at: iso('2026-03-02T14:00Z') })
      .then([
        {
          type: 'sla.resumed',
          payload: { ...p('response', '2026-03-02T14:00Z', 30, '2026-03-02T14:30Z'), reopened: false },
        },
        // 450 left: 180 today, 270 tomorrow from 09:00.
        {
          type: 'sla.resumed',
          payload: { ...p('resolution', '2026-03-02T14:00Z', 30, '2026-03-03T13:30Z'), reopened: false },
        },
      ]);
    const resumed = run([bound, ...paused], { type: 'resume', at: iso('2026-03-02T14:00Z') });
    expect(run([bound, ...paused, ...resumed], { type: 'evaluate', now: iso('2026-03-02T14:18Z') })).toEqual([
      {
        type: 'sla.warning',
        payload: { ...p('response', '2026-03-02T14:18Z', 48, '2026-03-02T14:18Z'), thresholdBp: 8_000 },
      },
    ]);
  });

  test('a pause fires what was already due first, so a crossing is never hidden by the pause', () => {
    const events = run([bound], { type: 'pause', at: iso('2026-03-02T10:05Z') });
    expect(events.map((e) => `${e.type}:${(e.payload as { targetKind?: string }).targetKind}`)).toEqual([
      'sla.warning:response',
      'sla.breached:response',
      'sla.paused:response',
      'sla.paused:resolution',
    ]);
  });

  test('a pause dated just before an evaluator’s run (another host’s clock) is still accepted', () => {
    const fired = run([bound], { type: 'evaluate', now: iso('2026-03-02T09:50Z') });
    expect(fired.map((e) => e.type)).toEqual(['sla.warning']);
    expect(
      run([bound, ...fired], { type: 'pause', at: iso('2026-03-02T09:49Z') }).map((e) => e.type),
    ).toEqual(['sla.paused', 'sla.paused']);
  });

  test('pause twice, resume while running, and a command dated before the clock’s last change are refused', () => {
    spec
      .given([bound, ...paused])
      .when({ type: 'pause', at: iso('2026-03-02T10:00Z') })
      .thenRejects('SLA_CLOCK_ALREADY_PAUSED');
    spec
      .given([bound])
      .when({ type: 'resume', at: iso('2026-03-02T10:00Z') })
      .thenRejects('SLA_CLOCK_NOT_PAUSED');
    spec
      .given([bound, ...paused])
      .when({ type: 'resume', at: iso('2026-03-02T09:29Z') })
      .thenRejects('SLA_TIME_BEFORE_CLOCK', { lastChangeAt: iso('2026-03-02T09:30Z') });
  });

  test('the first response stops the response target once; the resolution clock runs on', () => {
    const responded: SlaAssignmentEvent = {
      type: 'sla.responded',
      payload: p('response', '2026-03-02T09:30Z', 30, null),
    };
    spec
      .given([bound])
      .when({ type: 'respond', at: iso('2026-03-02T09:30Z') })
      .then([responded]);
    spec
      .given([bound, responded])
      .when({ type: 'respond', at: iso('2026-03-02T09:40Z') })
      .thenRejects('SLA_TARGET_ALREADY_MET');
    expect(
      run([bound, responded], { type: 'evaluate', now: iso('2026-03-02T13:00Z') }).map((e) => e.type),
    ).toEqual(['sla.escalated']);
  });

  test('scenario 42: a resolved clock is not evaluated; pause, resume and respond are SLA_CLOCK_STOPPED', () => {
    const resolved = run([bound], { type: 'resolve', at: iso('2026-03-02T09:40Z') });
    expect(resolved.map((e) => e.type)).toEqual(['sla.responded', 'sla.resolved']);
    spec
      .given([bound, ...resolved])
      .when({ type: 'evaluate', now: iso('2026-03-09T09:00Z') })
      .then([]);
    for (const type of ['pause', 'resume', 'respond', 'resolve'] as const) {
      spec
        .given([bound, ...resolved])
        .when({ type, at: iso('2026-03-02T10:00Z') })
        .thenRejects('SLA_CLOCK_STOPPED');
    }
  });

  test('scenario 63 (§8 decision): reopening a resolved ticket resumes the resolution clock from its elapsed time', () => {
    const resolved = run([bound], { type: 'resolve', at: iso('2026-03-02T09:40Z') });
    spec
      .given([bound, ...resolved])
      .when({ type: 'reopen', at: iso('2026-03-03T09:00Z') })
      .then([
        // 40 elapsed, 440 left from Tuesday 09:00 → Tuesday 16:20; the night while resolved did not count.
        {
          type: 'sla.resumed',
          payload: { ...p('resolution', '2026-03-03T09:00Z', 40, '2026-03-03T16:20Z'), reopened: true },
        },
      ]);
    spec
      .given([bound])
      .when({ type: 'reopen', at: iso('2026-03-03T09:00Z') })
      .thenRejects('SLA_CLOCK_NOT_STOPPED');
  });
});

describe('unbinding (scenario 65)', () => {
  test('a ChangeOrder’s new SLA: the old assignment is unbound and kept with its snapshot; a new one binds', () => {
    const unbound: SlaAssignmentEvent = {
      type: 'sla.unbound',
      payload: { assignmentId: a, ticketId: tk, slaVersionNumber: 1, at: iso('2026-03-02T09:10Z') },
    };
    spec
      .given([bound])
      .when({ type: 'unbind', at: iso('2026-03-02T09:10Z') })
      .then([unbound]);
    const old = replay(decider, [bound, unbound]) as BoundSla;
    expect(old.active).toBe(false);
    expect(old.calendar).toEqual(london);
    expect(evaluateSlaClock(old, iso('2026-03-09T09:00Z'))).toEqual([]);
    spec
      .given([bound, unbound])
      .when({ type: 'evaluate', now: iso('2026-03-03T09:00Z') })
      .thenRejects('SLA_ASSIGNMENT_INACTIVE');
    const next = { ...bindCmd, assignmentId: assignment(2), at: iso('2026-03-02T09:10Z') };
    const r = decider.decide(next, replay(decider, []), {
      ...facts,
      sla: { ...facts.sla!, versionNumber: 2 },
    });
    expect(r.ok && r.value[0]?.type === 'sla.bound' && r.value[0].payload.slaVersionNumber).toBe(2);
  });
});

test('every SLA assignment rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...SLA_ASSIGNMENT_REJECTION_CODES].sort());
});
