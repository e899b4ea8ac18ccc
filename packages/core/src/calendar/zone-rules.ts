import { Temporal } from 'temporal-polyfill';

/** One UTC year of a zone: the offset at the year's first instant and every change inside the year. */
interface YearRules {
  /** UTC offset (minutes) at the first instant of the year. */
  readonly startOffset: number;
  /** Offset changes inside the year, ascending: at epoch minute `at` the offset becomes `offset`. */
  readonly transitions: readonly { readonly at: number; readonly before: number; readonly offset: number }[];
}

const MINUTE_NS = 60_000_000_000;
// Memo of Temporal's answers (finding a transition costs milliseconds in the polyfill); the values only
// depend on the zone data, so caching keeps the functions pure in effect.
const cache = new Map<string, Map<number, YearRules>>();

/** First epoch minute of a UTC year (proleptic Gregorian, no zone involved). */
export function yearStart(year: number): number {
  const y = year - 1;
  const days = 365 * (year - 1970) + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477;
  return days * 1440;
}

/** UTC year of an epoch minute. */
export function utcYear(epochMinute: number): number {
  let year = 1970 + Math.floor(epochMinute / 525_949);
  while (yearStart(year) > epochMinute) year -= 1;
  while (yearStart(year + 1) <= epochMinute) year += 1;
  return year;
}

/** Offsets in whole minutes: modern offsets all are (Chatham's +12:45 included); old LMT seconds are dropped. */
function offsetMinutes(zdt: Temporal.ZonedDateTime): number {
  return Math.round(zdt.offsetNanoseconds / MINUTE_NS);
}

function rulesOf(zone: string, year: number): YearRules {
  let years = cache.get(zone);
  if (years === undefined) {
    years = new Map();
    cache.set(zone, years);
  }
  const hit = years.get(year);
  if (hit !== undefined) return hit;
  const start = yearStart(year);
  const end = yearStart(year + 1);
  let zdt: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(
    start * 60_000,
  ).toZonedDateTimeISO(zone);
  const startOffset = offsetMinutes(zdt);
  const transitions: { at: number; before: number; offset: number }[] = [];
  let before = startOffset;
  for (;;) {
    zdt = zdt.getTimeZoneTransition('next');
    if (zdt === null) break;
    const at = Math.floor(zdt.epochMilliseconds / 60_000);
    if (at >= end) break;
    const offset = offsetMinutes(zdt);
    if (offset !== before) transitions.push({ at, before, offset });
    before = offset;
  }
  const rules = { startOffset, transitions };
  years.set(year, rules);
  return rules;
}

/**
 * The offset (minutes) in force at `epochMinute` and the epoch minute at which the next offset piece
 * starts (a transition, or the next UTC year's start, whichever comes first).
 */
export function pieceAt(
  zone: string,
  epochMinute: number,
): { readonly offset: number; readonly end: number } {
  const year = utcYear(epochMinute);
  const rules = rulesOf(zone, year);
  let offset = rules.startOffset;
  for (const t of rules.transitions) {
    if (t.at > epochMinute) return { offset, end: t.at };
    offset = t.offset;
  }
  return { offset, end: yearStart(year + 1) };
}

/**
 * The highest local wall-clock minute (exclusive, as local epoch minutes) reached before `epochMinute`
 * when a fall-back transition shortly before it made the clock go back: walls below it were already
 * lived once, so they do not count again. `-Infinity` when no such transition precedes it.
 */
export function foldWatermark(zone: string, epochMinute: number): number {
  const year = utcYear(epochMinute);
  let last: { at: number; before: number; offset: number } | undefined;
  for (const y of [year - 1, year]) {
    for (const t of rulesOf(zone, y).transitions) if (t.at <= epochMinute) last = t;
  }
  return last !== undefined && last.before > last.offset ? last.at + last.before : Number.NEGATIVE_INFINITY;
}
