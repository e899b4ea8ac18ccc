// business-minutes: N pure due-date computations (`start + n` business minutes) in Europe/Berlin with a
// split shift (09:00–12:30, 13:30–18:00, Monday–Friday) and two holidays, the starts spread over the
// fortnight around the spring-forward night (2026-03-29) and the targets (15 min … 3 days of business
// time) carrying most of them across it. No database (run like the embedded cases).
// lib: `Calendar.addBusinessMinutesEpoch` of `@pet-ops/core` (zone rules compiled once, piece by piece).
// raw: a hand-written day stepper: for each local date, each window's local start and end turned into
//   UTC with the zone's offset read through a cached `Intl.DateTimeFormat` (per hour, memoised) — exact
//   for this calendar, whose windows never contain a transition. Every due date of both sides is checked
//   equal, so they do the same work.
import { Calendar } from '@pet-ops/core';
import { emit, peakRssMb, seeded, timedCpuSeconds } from '../common.js';

const argv = process.argv;
const get = (k: string): string | undefined => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const mode = get('mode');
if (mode !== 'lib' && mode !== 'raw') throw new Error('--mode lib|raw required');
const size = Number(get('size') ?? '100000');

const ZONE = 'Europe/Berlin';
const windows = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday: weekday as Calendar.Weekday, startMinute: 9 * 60, endMinute: 12 * 60 + 30 },
  { weekday: weekday as Calendar.Weekday, startMinute: 13 * 60 + 30, endMinute: 18 * 60 },
]);
const calendar = Calendar.parseBusinessCalendar({
  calendarId: '019b76da-a800-7000-8000-00000000ca11',
  version: 1,
  timeZone: ZONE,
  windows,
  holidays: ['2026-04-03', '2026-04-06'],
});

// Inputs: epoch minutes from 2026-03-20 to 2026-04-03 (the transition is 2026-03-29 01:00 UTC).
const rand = seeded(11);
const from = Date.UTC(2026, 2, 20) / 60_000;
const span = 14 * 1440;
const starts = new Float64Array(size);
const targets = new Float64Array(size);
for (let i = 0; i < size; i++) {
  starts[i] = from + Math.floor(rand() * span);
  targets[i] = 15 + Math.floor(rand() * (3 * 8 * 60));
}

// ---- raw: a hand-written day stepper --------------------------------------------------------------
const fmt = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});
const offsetCache = new Map<number, number>();
/** The zone's offset (minutes) at a UTC epoch minute, read once per UTC hour. */
function offsetAt(utcMinute: number): number {
  const hour = Math.floor(utcMinute / 60);
  const hit = offsetCache.get(hour);
  if (hit !== undefined) return hit;
  const p = Object.fromEntries(fmt.formatToParts(hour * 3_600_000).map((x) => [x.type, x.value]));
  const local =
    Date.UTC(
      Number(p['year']),
      Number(p['month']) - 1,
      Number(p['day']),
      Number(p['hour']),
      Number(p['minute']),
    ) / 60_000;
  const offset = local - hour * 60;
  offsetCache.set(hour, offset);
  return offset;
}
/** UTC epoch minute of a local wall minute (the offset of the wall time read as UTC, then corrected). */
function utcOf(wall: number): number {
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}
const holidays = new Set(['2026-04-03', '2026-04-06'].map((d) => Date.parse(`${d}T00:00Z`) / 86_400_000));
const byWeekday: [number, number][][] = [[], [], [], [], [], [], [], []];
for (const w of windows) byWeekday[w.weekday]?.push([w.startMinute, w.endMinute]);

function rawDue(start: number, minutes: number): number {
  let remaining = minutes;
  let day = Math.floor((start + offsetAt(start)) / 1440);
  for (;;) {
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1;
    if (!holidays.has(day)) {
      for (const [ws, we] of byWeekday[weekday] ?? []) {
        const s = Math.max(utcOf(day * 1440 + ws), start);
        const e = utcOf(day * 1440 + we);
        if (s >= e) continue;
        if (remaining <= e - s) return s + remaining;
        remaining -= e - s;
      }
    }
    day++;
  }
}

const due = new Float64Array(size);
const c0 = process.cpuUsage();
const t0 = performance.now();
if (mode === 'lib') {
  for (let i = 0; i < size; i++)
    due[i] = Calendar.addBusinessMinutesEpoch(calendar, starts[i] as number, targets[i] as number);
} else {
  for (let i = 0; i < size; i++) due[i] = rawDue(starts[i] as number, targets[i] as number);
}
const seconds = (performance.now() - t0) / 1000;
const cpu = timedCpuSeconds(c0);

// Both sides compute the same due dates: checked (not timed) against the other side on a sample.
const transition = Date.UTC(2026, 2, 29, 1) / 60_000;
const crossing = { count: 0 };
for (let i = 0; i < size; i += Math.max(1, Math.floor(size / 5000))) {
  const other =
    mode === 'lib'
      ? rawDue(starts[i] as number, targets[i] as number)
      : Calendar.addBusinessMinutesEpoch(calendar, starts[i] as number, targets[i] as number);
  if (other !== due[i]) throw new Error(`due dates differ at ${i}: ${due[i]} vs ${other}`);
  if ((starts[i] as number) < transition && (due[i] as number) > transition) crossing.count++;
}
emit({
  value: size / seconds,
  unit: 'computations/s',
  rssPeakMb: peakRssMb(),
  extra: { timedCpuSeconds: cpu, sampledAcrossDst: crossing.count },
});
