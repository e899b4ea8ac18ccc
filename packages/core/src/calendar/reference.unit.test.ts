import { describe, expect, test } from 'vitest';
import {
  addBusinessMinutesEpoch as due,
  businessMinutesBetweenEpoch as elapsed,
} from './business-minutes.js';
import type { BusinessCalendar, Weekday } from './calendar.js';
import { CALENDAR_ID, localDateNear, referencePrefixes, transitionsOf, ZONES } from './test-support.test.js';

// The check: the engine agrees with a deliberately simple minute-by-minute reference (Temporal
// per minute, 'earlier' disambiguation for the repeated hour) around every offset transition from 2020 to
// 2030 in every zone, with split shifts, night windows, a holiday near the transition, and due dates
// walked from inside the window. Zero mismatches.

const SPAN = 2 * 60; // minutes on each side of a transition (a gap or fold lasts at most an hour)
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2031, 0, 1);

/** Three calendars per transition: the night of the change, a split office day, and one with a holiday. */
function calendarsAround(zone: string, transitionMinute: number, k: number): BusinessCalendar[] {
  const all: Weekday[] = [1, 2, 3, 4, 5, 6, 7];
  const win = (pairs: [number, number][], days: Weekday[] = all) =>
    days.flatMap((weekday) => pairs.map(([startMinute, endMinute]) => ({ weekday, startMinute, endMinute })));
  const base = { calendarId: CALENDAR_ID, version: 1, timeZone: zone, holidays: [] };
  return [
    { ...base, windows: win([[0, 1440]]) },
    {
      ...base,
      windows: win([
        [(k * 37) % 120, 130 + ((k * 53) % 60)],
        [200, 700],
        [760, 1380],
      ]),
    },
    {
      ...base,
      windows: win(
        [
          [0, 360],
          [420, 1440],
        ],
        [1, 2, 3, 4, 5, 6],
      ),
      holidays: [localDateNear(zone, transitionMinute, k % 2 === 0 ? 1 : -1)],
    },
  ];
}

describe('calendar engine vs the minute-by-minute reference', () => {
  test(`every transition 2020–2030 in ${ZONES.length} zones (Lord_Howe, Chatham, Casablanca among them)`, () => {
    expect(ZONES.length).toBeGreaterThanOrEqual(30);
    expect(ZONES).toEqual(
      expect.arrayContaining(['Australia/Lord_Howe', 'Pacific/Chatham', 'Africa/Casablanca']),
    );
    let transitions = 0;
    let checks = 0;
    const mismatches: string[] = [];
    for (const zone of ZONES) {
      const list = transitionsOf(zone, FROM, TO);
      // Zones without a transition are checked on a random-ish stretch instead.
      const points =
        list.length > 0
          ? list.map((ms) => Math.floor(ms / 60_000))
          : [Math.floor(Date.UTC(2026, 2, 29) / 60_000)];
      transitions += list.length;
      points.forEach((t, k) => {
        const from = t - SPAN;
        const cals = calendarsAround(zone, t, k);
        const prefixes = referencePrefixes(cals, from, 2 * SPAN);
        cals.forEach((cal, c) => {
          const prefix = prefixes[c] as Int32Array;
          const total = prefix[2 * SPAN] ?? 0;
          for (const [i, j] of [
            [0, 2 * SPAN],
            [SPAN - 45, SPAN + 45],
            [(k * 17) % SPAN, SPAN + ((k * 29) % SPAN)],
          ] as const) {
            checks += 1;
            const got = elapsed(cal, from + i, from + j);
            const want = (prefix[j] ?? 0) - (prefix[i] ?? 0);
            if (got !== want)
              mismatches.push(`${zone} ${new Date(t * 60_000).toISOString()} [${i},${j}) ${got} ≠ ${want}`);
          }
          for (const n of [1, Math.floor(total / 2), total]) {
            if (n === 0 || total === 0) continue;
            checks += 1;
            const idx = prefix.indexOf(n); // the reference due: end of the n-th minute
            const got = due(cal, from, n);
            if (got !== from + idx)
              mismatches.push(
                `${zone} ${new Date(t * 60_000).toISOString()} due ${n}: ${got - from} ≠ ${idx}`,
              );
          }
        });
      });
    }
    expect(mismatches).toEqual([]);
    expect(transitions).toBeGreaterThan(300);
    expect(checks).toBeGreaterThan(3000);
  }, 60_000);
});
