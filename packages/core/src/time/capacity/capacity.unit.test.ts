import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type BusinessCalendar,
  type CalendarId,
  type LocalDate,
  parseBusinessCalendar,
} from '../../calendar/index.js';
import type { Instant } from '../../kernel/index.js';
import { uuid } from '../test-support.test.js';
import {
  type CapacityFacts,
  type CapacityOverride,
  capacityBetween,
  capacityFactsSchema,
  effectiveCapacity,
  groupUtilisation,
  type LeavePeriod,
  utilisationBp,
} from './capacity.js';
import { assessLoad, DEFAULT_OVER_ALLOCATION_POLICY, overAllocationPolicySchema } from './load.js';

const d = (s: string) => s as LocalDate;
const t = (s: string) => s as Instant;
const weekdays = [1, 2, 3, 4, 5] as const;
const office: BusinessCalendar = parseBusinessCalendar({
  calendarId: uuid(0xb00001) as CalendarId,
  version: 1,
  timeZone: 'Europe/London',
  windows: weekdays.flatMap((weekday) => [
    { weekday, startMinute: 9 * 60, endMinute: 12 * 60 + 30 },
    { weekday, startMinute: 13 * 60 + 30, endMinute: 17 * 60 + 30 },
  ]),
  holidays: ['2026-04-03'],
});
const allDay: BusinessCalendar = parseBusinessCalendar({
  calendarId: uuid(0xb00002) as CalendarId,
  version: 1,
  timeZone: 'Europe/London',
  windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
  holidays: [],
});
const none: CapacityFacts = { calendar: office, leave: [], overrides: [] };
const leave = (from: string, to: string, status: LeavePeriod['status'] = 'approved'): LeavePeriod => ({
  from: d(from),
  to: d(to),
  status,
});
const override = (
  date: string,
  minutes: number,
  recordedAt = '2026-03-01T00:00:00.000000Z',
): CapacityOverride => ({
  date: d(date),
  minutes,
  recordedAt: t(recordedAt),
});

describe('effective capacity: override > approved leave (0) > holiday (0) > working window', () => {
  test('a working day gives its windows (split shift), a weekend nothing', () => {
    expect(effectiveCapacity(none, d('2026-03-02'))).toEqual({
      date: '2026-03-02',
      minutes: 450,
      source: 'window',
    });
    expect(effectiveCapacity(none, d('2026-03-07'))).toMatchObject({ minutes: 0, source: 'window' });
  });

  test('windows are counted in the calendar’s zone: the spring-forward day loses its skipped hour', () => {
    expect(effectiveCapacity({ ...none, calendar: allDay }, d('2026-03-29'))).toMatchObject({
      minutes: 1380,
    });
    expect(effectiveCapacity({ ...none, calendar: allDay }, d('2026-10-25'))).toMatchObject({
      minutes: 1440,
    });
  });

  test('a holiday gives 0; approved leave gives 0; requested, rejected or cancelled leave changes nothing', () => {
    expect(effectiveCapacity(none, d('2026-04-03'))).toMatchObject({ minutes: 0, source: 'holiday' });
    expect(
      effectiveCapacity({ ...none, leave: [leave('2026-03-02', '2026-03-04')] }, d('2026-03-04')),
    ).toMatchObject({ minutes: 0, source: 'leave' });
    for (const status of ['requested', 'rejected', 'cancelled'] as const)
      expect(
        effectiveCapacity({ ...none, leave: [leave('2026-03-02', '2026-03-04', status)] }, d('2026-03-03')),
      ).toMatchObject({ minutes: 450, source: 'window' });
    // Leave outranks a holiday (both 0; the source says which rule decided).
    expect(
      effectiveCapacity({ ...none, leave: [leave('2026-04-03', '2026-04-03')] }, d('2026-04-03')),
    ).toMatchObject({ source: 'leave' });
  });

  test('an override wins over leave, holidays and windows (a Saturday worked, a holiday on call)', () => {
    const facts: CapacityFacts = {
      ...none,
      leave: [leave('2026-04-01', '2026-04-10')],
      overrides: [override('2026-04-03', 240), override('2026-03-07', 300)],
    };
    expect(effectiveCapacity(facts, d('2026-04-03'))).toMatchObject({ minutes: 240, source: 'override' });
    expect(effectiveCapacity(facts, d('2026-03-07'))).toMatchObject({ minutes: 300, source: 'override' });
    expect(
      effectiveCapacity({ ...none, overrides: [override('2026-03-02', 0)] }, d('2026-03-02')),
    ).toMatchObject({ minutes: 0, source: 'override' });
  });

  test('overrides do not stack: the latest recorded one is in force, whatever the input order', () => {
    const a = override('2026-03-02', 120, '2026-03-01T08:00:00.000000Z');
    const b = override('2026-03-02', 360, '2026-03-01T09:00:00.000000Z');
    for (const overrides of [
      [a, b],
      [b, a],
    ])
      expect(effectiveCapacity({ ...none, overrides }, d('2026-03-02')).minutes).toBe(360);
  });

  test('capacityBetween lists every day; a week of the office calendar is 5 × 450 minus the leave', () => {
    const week = capacityBetween(
      { ...none, leave: [leave('2026-03-04', '2026-03-04')] },
      d('2026-03-02'),
      d('2026-03-08'),
    );
    expect(week.map((x) => x.minutes)).toEqual([450, 450, 0, 450, 450, 0, 0]);
    expect(() => capacityBetween(none, d('2026-03-08'), d('2026-03-02'))).toThrow(RangeError);
  });

  const dateArb = fc.integer({ min: 1, max: 28 }).map((n) => d(`2026-03-${String(n).padStart(2, '0')}`));
  const factsArb = fc.record({
    leave: fc.array(
      fc
        .record({
          a: dateArb,
          b: dateArb,
          status: fc.constantFrom('requested', 'approved', 'rejected', 'cancelled' as const),
        })
        .map(({ a, b, status }): LeavePeriod => {
          const [from, to] = [a, b].sort() as [LocalDate, LocalDate];
          return { from, to, status };
        }),
      { maxLength: 3 },
    ),
    overrides: fc.array(
      fc
        .record({
          date: dateArb,
          minutes: fc.integer({ min: 0, max: 1440 }),
          h: fc.integer({ min: 0, max: 23 }),
        })
        .map(({ date, minutes, h }) =>
          override(date, minutes, `2026-02-01T${String(h).padStart(2, '0')}:00:00.000000Z`),
        ),
      { maxLength: 4 },
    ),
  });

  test.prop([factsArb, dateArb], { numRuns: 300 })(
    'precedence holds and an override never adds to another',
    (f, date) => {
      const facts: CapacityFacts = { calendar: office, ...f };
      const got = effectiveCapacity(facts, date);
      const mine = f.overrides.filter((o) => o.date === date);
      if (mine.length > 0) {
        expect(got.source).toBe('override');
        expect(mine.map((o) => o.minutes)).toContain(got.minutes);
        expect(got.minutes).toBeLessThanOrEqual(1440);
      } else if (f.leave.some((l) => l.status === 'approved' && l.from <= date && date <= l.to)) {
        expect(got).toMatchObject({ minutes: 0, source: 'leave' });
      } else {
        expect(got).toEqual(effectiveCapacity(none, date));
      }
      expect(effectiveCapacity({ ...facts, overrides: [...f.overrides].reverse() }, date)).toEqual(got);
    },
  );

  test('the facts schema names bad input', () => {
    const r = capacityFactsSchema.safeParse({
      calendar: office,
      leave: [{ from: '2026-03-05', to: '2026-03-01', status: 'approved' }],
      overrides: [{ date: '2026-03-01', minutes: 2000, recordedAt: 'x' }],
    });
    expect([...new Set(r.error?.issues.map((i) => i.path.join('.')))].sort()).toEqual([
      'leave.0.to',
      'overrides.0.minutes',
      'overrides.0.recordedAt',
    ]);
  });
});

describe('utilisation and over-allocation levels', () => {
  test('utilisation in basis points (the spec’s 5.0 h / 6.8 h = 73.5 %), null on zero capacity', () => {
    expect(utilisationBp(300, 408)).toBe(7353);
    expect(utilisationBp(480, 480)).toBe(10_000);
    expect(utilisationBp(10, 0)).toBeNull();
  });

  test('a group’s utilisation is Σ minutes ÷ Σ capacity, not the mean of ratios', () => {
    expect(
      groupUtilisation([
        { minutes: 400, capacityMinutes: 480 },
        { minutes: 100, capacityMinutes: 240 },
      ]),
    ).toEqual({
      minutes: 500,
      capacityMinutes: 720,
      utilisationBp: 6944,
    });
    expect(groupUtilisation([]).utilisationBp).toBeNull();
  });

  test('warn at 85 %, escalate at 100 %, never block by default', () => {
    expect(assessLoad(407, 480, DEFAULT_OVER_ALLOCATION_POLICY).level).toBe('ok'); // 8479 bp
    expect(assessLoad(408, 480, DEFAULT_OVER_ALLOCATION_POLICY).level).toBe('warning'); // 8500 bp
    expect(assessLoad(479, 480, DEFAULT_OVER_ALLOCATION_POLICY).level).toBe('warning');
    expect(assessLoad(480, 480, DEFAULT_OVER_ALLOCATION_POLICY).level).toBe('escalation');
    expect(assessLoad(10_000, 480, DEFAULT_OVER_ALLOCATION_POLICY)).toMatchObject({
      level: 'escalation',
      blocked: false,
    });
    expect(assessLoad(0, 0, DEFAULT_OVER_ALLOCATION_POLICY)).toMatchObject({
      level: 'ok',
      utilisationBp: null,
    });
    expect(assessLoad(1, 0, DEFAULT_OVER_ALLOCATION_POLICY)).toMatchObject({
      level: 'escalation',
      utilisationBp: null,
    });
  });

  test('the policy schema keeps warn ≤ escalate ≤ block', () => {
    expect(overAllocationPolicySchema.safeParse(DEFAULT_OVER_ALLOCATION_POLICY).success).toBe(true);
    expect(
      overAllocationPolicySchema.safeParse({ warnAtBp: 9000, escalateAtBp: 8000, blockAtBp: null }).success,
    ).toBe(false);
    expect(
      overAllocationPolicySchema.safeParse({ warnAtBp: 8000, escalateAtBp: 9000, blockAtBp: 8500 }).success,
    ).toBe(false);
  });
});
