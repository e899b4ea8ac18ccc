import type { Instant } from '@pet-ops/core';

/** Instant (`…T…Z`, 6 digits) → DATETIME(6) literal in UTC. */
export function instantToSql(i: Instant): string {
  return `${i.slice(0, 10)} ${i.slice(11, 26)}`;
}

/** DATETIME(6) string (dateStrings) → Instant. */
export function sqlToInstant(s: string): Instant {
  // DATETIME(6) as the server sends it (`YYYY-MM-DD HH:MM:SS.ffffff`): two slices, no splitting.
  if (s.length === 26 && s.charCodeAt(10) === 32) return `${s.slice(0, 10)}T${s.slice(11)}Z` as Instant;
  const [date, time = '00:00:00'] = s.split(' ');
  const [hms, frac = ''] = time.split('.');
  return `${date}T${hms}.${frac.padEnd(6, '0').slice(0, 6)}Z` as Instant;
}
