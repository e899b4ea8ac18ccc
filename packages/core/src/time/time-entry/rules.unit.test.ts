import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type Instant, instantFromEpochMs, money } from '../../kernel/index.js';
import type { TicketId } from '../ids.js';
import { at, project, task, ticket } from '../test-support.test.js';
import { planTicketBackfill } from './backfill.js';
import { captureCommercialSnapshot } from './commercial.js';
import { entryMinutes } from './duration.js';
import { projectFactOf, taskFactOf, ticketFactOf } from './facts-from.js';
import { checkLockPeriod, workDateIn } from './lock-period.js';
import type { TaskFact } from './work-context.js';

const i = (s: string) => s as Instant;

describe('duration = ⌈(end − start) / 60 s⌉', () => {
  test('a started minute counts; exact minutes are not rounded up', () => {
    expect(entryMinutes(i('2026-03-02T09:00:00.000000Z'), i('2026-03-02T09:01:00.000000Z'))).toBe(1);
    expect(entryMinutes(i('2026-03-02T09:00:00.000000Z'), i('2026-03-02T09:01:00.000001Z'))).toBe(2);
    expect(entryMinutes(i('2026-03-02T09:00:59.999999Z'), i('2026-03-02T09:01:00.000000Z'))).toBe(1);
    expect(entryMinutes(i('2026-03-02T09:00:00.000000Z'), i('2026-03-02T09:00:00.000000Z'))).toBe(0);
    expect(entryMinutes(i('2026-03-02T09:05:00.000000Z'), i('2026-03-02T09:00:00.000000Z'))).toBe(-5);
  });

  test.prop([fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 7 * 24 * 3600 * 1e6 })], {
    numRuns: 200,
  })('for any positive span: (minutes − 1) × 60 s < span ≤ minutes × 60 s', (startMs, spanMicros) => {
    const start = instantFromEpochMs(startMs);
    const endMicros = startMs * 1000 + spanMicros;
    const end = instantFromEpochMs(Math.floor(endMicros / 1000), endMicros % 1000);
    const m = entryMinutes(start, end);
    expect(m).toBeGreaterThan(0);
    expect(spanMicros).toBeLessThanOrEqual(m * 60e6);
    expect(spanMicros).toBeGreaterThan((m - 1) * 60e6);
  });
});

describe('lock periods: boundaries at the first and last minute, with and without DST', () => {
  const cases: readonly [zone: string, closedThrough: string, lastClosed: string, firstOpen: string][] = [
    ['UTC', '2026-03-31', '2026-03-31T23:59:00.000000Z', '2026-04-01T00:00:00.000000Z'],
    // Berlin, the period closes on the day DST starts (a 23-hour day, +02:00 at its end).
    ['Europe/Berlin', '2026-03-29', '2026-03-29T21:59:00.000000Z', '2026-03-29T22:00:00.000000Z'],
    // Berlin, the day before DST starts (+01:00 at its end; the next period opens on the short day).
    ['Europe/Berlin', '2026-03-28', '2026-03-28T22:59:00.000000Z', '2026-03-28T23:00:00.000000Z'],
    // New York, the period closes on the day DST ends (a 25-hour day, −05:00 at its end).
    ['America/New_York', '2026-11-01', '2026-11-02T04:59:00.000000Z', '2026-11-02T05:00:00.000000Z'],
    ['America/New_York', '2026-10-31', '2026-11-01T03:59:00.000000Z', '2026-11-01T04:00:00.000000Z'],
  ];

  test.each(cases)(
    '%s closed through %s: the last minute is refused, the next is open',
    (zone, through, last, first) => {
      const config = { timeZone: zone, closedThrough: through };
      const refused = checkLockPeriod(i(last), config);
      expect(refused.ok ? null : refused.error).toMatchObject({
        code: 'TIME_ENTRY_PERIOD_CLOSED',
        details: { workDate: through, closedThrough: through, timeZone: zone },
      });
      const open = checkLockPeriod(i(first), config);
      expect(open.ok && open.value).not.toBe(through);
      expect(open.ok).toBe(true);
    },
  );

  test('the first minute of the closed period is closed too, in its zone', () => {
    // 2026-03-01 00:00 in Berlin is 2026-02-28T23:00Z: the UTC date differs, the local one decides.
    const berlin = { timeZone: 'Europe/Berlin', closedThrough: '2026-03-31' };
    expect(workDateIn(i('2026-02-28T23:00:00.000000Z'), 'Europe/Berlin')).toBe('2026-03-01');
    expect(checkLockPeriod(i('2026-02-28T23:00:00.000000Z'), berlin).ok).toBe(false);
    expect(
      checkLockPeriod(i('2026-02-28T23:00:00.000000Z'), { timeZone: 'UTC', closedThrough: '2026-02-27' }).ok,
    ).toBe(true);
  });

  test('no closed period: everything is open; a bad configuration fails closed', () => {
    expect(
      checkLockPeriod(i('2020-01-01T00:00:00.000000Z'), { timeZone: 'UTC', closedThrough: null }),
    ).toEqual({
      ok: true,
      value: '2020-01-01',
    });
    for (const bad of [
      undefined,
      'UTC',
      { timeZone: '', closedThrough: null },
      { timeZone: 'UTC' },
      { timeZone: 'Nope/Zone', closedThrough: null },
      { timeZone: 'UTC', closedThrough: null, extra: 1 },
    ]) {
      const r = checkLockPeriod(i('2026-03-02T09:00:00.000000Z'), bad);
      expect(r.ok ? null : r.error.code).toBe('TIME_ENTRY_PERIOD_CONFIG_INVALID');
    }
  });
});

describe('commercial snapshot (scenario 26: agreement minutes are consumed by time)', () => {
  const rate = money(100_00, 'EUR');
  test('billable time is valued once and drawn from the agreement; the rest is overage', () => {
    const s = captureCommercialSnapshot(true, 50, {
      billingContext: 'agreement',
      ratePlanRef: 'RP',
      hourlyRate: rate,
      agreement: { agreementRef: 'AG', remainingMinutes: 600 },
    });
    expect(s.value).toEqual(money(83_33, 'EUR'));
    expect(s.agreement).toEqual({
      agreementRef: 'AG',
      remainingBeforeMinutes: 600,
      drawdownMinutes: 50,
      overageMinutes: 0,
    });
  });

  test('an overdrawn agreement takes nothing more; non-billable time neither values nor draws', () => {
    const terms = {
      billingContext: 'agreement' as const,
      ratePlanRef: null,
      hourlyRate: rate,
      agreement: { agreementRef: 'AG', remainingMinutes: -10 },
    };
    expect(captureCommercialSnapshot(true, 30, terms).agreement).toMatchObject({
      drawdownMinutes: 0,
      overageMinutes: 30,
    });
    const free = captureCommercialSnapshot(false, 30, terms);
    expect(free.value).toBeNull();
    expect(free.agreement).toMatchObject({ drawdownMinutes: 0, overageMinutes: 0 });
    expect(
      captureCommercialSnapshot(true, 30, { ...terms, hourlyRate: null, agreement: null }),
    ).toMatchObject({ value: null, agreement: null });
  });

  test.prop([fc.boolean(), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: -1000, max: 10_000 })], {
    numRuns: 200,
  })(
    'drawdown + overage = the billable minutes, drawdown ≤ max(0, remaining)',
    (billable, minutes, remaining) => {
      const s = captureCommercialSnapshot(billable, minutes, {
        billingContext: 'agreement',
        ratePlanRef: null,
        hourlyRate: null,
        agreement: { agreementRef: 'AG', remainingMinutes: remaining },
      });
      const a = s.agreement;
      expect(a).not.toBeNull();
      if (a === null) return;
      expect(a.drawdownMinutes + a.overageMinutes).toBe(billable ? minutes : 0);
      expect(a.drawdownMinutes).toBeLessThanOrEqual(Math.max(0, remaining));
      expect(a.drawdownMinutes).toBeGreaterThanOrEqual(0);
    },
  );
});

describe('ticket backfill (scenario 18): fills ticket_id only, flags what it cannot link', () => {
  const taskFact = (ticketId: TicketId | null): TaskFact => ({
    taskId: task(1),
    ticketId,
    status: 'completed',
    projectId: null,
  });
  test('each case', () => {
    expect(planTicketBackfill({ ticketId: null, taskId: task(1) }, taskFact(ticket(1)))).toEqual({
      kind: 'link',
      ticketId: ticket(1),
    });
    expect(planTicketBackfill({ ticketId: ticket(1), taskId: task(1) }, taskFact(ticket(1)))).toEqual({
      kind: 'unchanged',
    });
    expect(planTicketBackfill({ ticketId: ticket(2), taskId: task(1) }, taskFact(ticket(1)))).toEqual({
      kind: 'flag',
      reason: 'ticket_differs_from_task_ticket',
    });
    expect(planTicketBackfill({ ticketId: null, taskId: task(1) }, taskFact(null))).toEqual({
      kind: 'flag',
      reason: 'task_has_no_ticket',
    });
    expect(planTicketBackfill({ ticketId: null, taskId: task(1) }, null)).toEqual({
      kind: 'flag',
      reason: 'task_not_found',
    });
    expect(planTicketBackfill({ ticketId: null, taskId: null }, null)).toEqual({
      kind: 'flag',
      reason: 'no_task_or_ticket',
    });
    expect(planTicketBackfill({ ticketId: ticket(3), taskId: null }, null)).toEqual({ kind: 'unchanged' });
  });

  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
  test.prop(
    [
      opt(fc.integer({ min: 1, max: 3 })),
      opt(fc.integer({ min: 1, max: 3 })),
      opt(opt(fc.integer({ min: 1, max: 3 }))),
      fc.integer({ min: 0, max: 1e6 }),
      fc.integer({ min: 1, max: 600 }),
    ],
    { numRuns: 200 },
  )(
    'applying the outcome never changes start, end or duration, and never unlinks',
    (tk, ts, taskTicket, startMin, minutes) => {
      const row = {
        ticketId: tk === null ? null : ticket(tk),
        taskId: ts === null ? null : task(ts),
        start: at(startMin),
        end: at(startMin + minutes),
        minutes,
      };
      const fact =
        taskTicket === null || ts === null
          ? null
          : { ...taskFact(taskTicket === null ? null : ticket(taskTicket)), taskId: task(ts) };
      const outcome = planTicketBackfill(row, fact);
      const after = outcome.kind === 'link' ? { ...row, ticketId: outcome.ticketId } : row;
      expect([after.start, after.end, after.minutes]).toEqual([row.start, row.end, row.minutes]);
      if (row.ticketId !== null) expect(after.ticketId).toBe(row.ticketId);
      if (outcome.kind === 'link') expect(row.ticketId).toBeNull();
    },
  );
});

describe('facts from loaded tickets, tasks and projects', () => {
  test('closed/archived tickets are closed; baseline-locked counts as a roll-up; a bad bridge fails closed', () => {
    const base = { ticketId: ticket(1), owner: 'project' as const, isRollup: false, projectId: null };
    expect(ticketFactOf({ ...base, status: 'in_progress' })).toEqual({
      ticketId: ticket(1),
      isRollup: false,
      closed: false,
      lifecycleOwner: 'project',
      projectId: null,
    });
    expect(ticketFactOf({ ...base, status: 'closed' }).closed).toBe(true);
    expect(ticketFactOf({ ...base, status: 'archived' }).closed).toBe(true);
    expect(ticketFactOf({ ...base, status: 'resolved' }).closed).toBe(false);
    expect(ticketFactOf({ ...base, status: 'baseline_locked' }).isRollup).toBe(true);
    const t = { taskId: task(1), status: 'in_progress' as const, projectId: project(1) };
    expect(taskFactOf({ ...t, ticketId: ticket(2) }).ticketId).toBe(ticket(2));
    expect(taskFactOf({ ...t, ticketId: 'not-a-uuid' }).ticketId).toBeNull();
    expect(
      projectFactOf({ projectId: project(1), status: 'active', ...{ name: 'extra fields are dropped' } }),
    ).toEqual({ projectId: project(1), status: 'active' });
  });
});
