import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type Instant, instantFromEpochMs, isPetError } from '../kernel/index.js';
import { at } from './test-support.test.js';
import {
  type CompanyUid,
  companyUidSchema,
  compareUids,
  dailyUidParts,
  formatCompanyUid,
  formatPersonUid,
  formatSlotUid,
  parseCompanyUid,
  parsePersonUid,
  parseSlotUid,
  personUidSchema,
  SLOT_ROLES,
  slotUidParts,
  slotUidSchema,
  uidDay,
} from './uids.js';

// Any instant from 1970 to 9999 (uids need four-digit years).
const instantArb: fc.Arbitrary<Instant> = fc
  .integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })
  .map((ms) => instantFromEpochMs(ms));
const sequenceArb = fc.integer({ min: 1, max: 999_999 });

describe('uid format', () => {
  test.prop([instantArb, sequenceArb])(
    'format → parse round-trips, and the parts are the UTC day and the sequence',
    (createdAt, seq) => {
      const co = formatCompanyUid(createdAt, seq);
      expect(co).toMatch(/^CO-\d{8}-\d{6}$/);
      expect(parseCompanyUid(co)).toBe(co);
      expect(dailyUidParts(co)).toEqual({ day: createdAt.slice(0, 10).replaceAll('-', ''), sequence: seq });
      const pe = formatPersonUid(createdAt, seq);
      expect(parsePersonUid(pe)).toBe(pe);
      expect(companyUidSchema.safeParse(pe).success).toBe(false);
      for (const role of SLOT_ROLES) {
        const sl = formatSlotUid(co, role);
        expect(sl).toBe(`SL-${co}-${role}`);
        expect(parseSlotUid(sl)).toBe(sl);
        expect(slotUidParts(sl)).toEqual({ companyUid: co, role });
      }
    },
  );

  test.prop([instantArb, sequenceArb, instantArb, sequenceArb])(
    'string order = (day, sequence) order, so ORDER BY company_uid is chronological',
    (d1, s1, d2, s2) => {
      const a = formatCompanyUid(d1, s1);
      const b = formatCompanyUid(d2, s2);
      const byParts = uidDay(d1) === uidDay(d2) ? Math.sign(s1 - s2) : uidDay(d1) < uidDay(d2) ? -1 : 1;
      expect(compareUids(a, b)).toBe(byParts);
      expect(compareUids(formatSlotUid(a, 'CEO'), formatSlotUid(b, 'CEO'))).toBe(byParts);
    },
  );

  test.prop([fc.stringMatching(/^CO-\d{8}-\d{6}$/)])(
    'a well-shaped string is a uid exactly when its day is real and its sequence ≥ 1, and then it round-trips',
    (s) => {
      const [y, m, d] = [Number(s.slice(3, 7)), Number(s.slice(7, 9)), Number(s.slice(9, 11))];
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
      const real = d >= 1 && d <= days;
      const day = `${s.slice(3, 7)}-${s.slice(7, 9)}-${s.slice(9, 11)}`;
      const accepted = companyUidSchema.safeParse(s).success;
      expect(accepted).toBe(real && Number(s.slice(12)) >= 1);
      if (accepted)
        expect(formatCompanyUid(`${day}T00:00:00.000000Z` as Instant, Number(s.slice(12)))).toBe(s);
    },
  );

  test.each([
    ['CO-20261122-000000', 'sequence 0'],
    ['CO-20260230-000001', 'no 30 February'],
    ['CO-20261122-1', 'sequence not padded'],
    ['co-20261122-000001', 'lower-case prefix'],
    [' CO-20261122-000001', 'surrounding space'],
    ['CO-2026112-0000001', 'misplaced dash'],
    ['PE-20261122-000001', 'a person uid'],
  ])('%s is not a company uid (%s)', (value) => {
    expect(companyUidSchema.safeParse(value).success).toBe(false);
  });

  test('slot and person uids are checked the same way', () => {
    expect(slotUidSchema.safeParse('SL-CO-20261122-000001-COO').success).toBe(false);
    expect(slotUidSchema.safeParse('SL-CO-20261331-000001-HR').success).toBe(false);
    expect(personUidSchema.safeParse('PE-20240229-000009').success).toBe(true);
    expect(personUidSchema.safeParse('PE-20230229-000009').success).toBe(false);
  });

  test('formatting refuses a sequence outside 1..999999 with a ValidationError', () => {
    for (const bad of [0, 1_000_000, 1.5, -3]) {
      let caught: unknown;
      try {
        formatCompanyUid(at(0), bad);
      } catch (e) {
        caught = e;
      }
      expect(isPetError(caught, 'VALIDATION_FAILED')).toBe(true);
    }
    expect(() => parseCompanyUid('CO-1')).toThrow(/company uid/);
    expect(formatCompanyUid(at(60 * 24 - 1), 12) satisfies CompanyUid).toBe('CO-20261122-000012');
  });
});
