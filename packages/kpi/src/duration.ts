/**
 * A duration in whole minutes as people read it, normalised: whole days and hours from one day up
 * (rounded to the hour first, so 10 079 minutes print `7 d 0 h`, never `6 d 24 h`), hours and minutes
 * below a day, minutes below an hour. Negative durations get a leading minus sign.
 *
 * @example
 * ```ts
 * formatDuration(10_079); // '7 d 0 h'
 * formatDuration(1_500); // '1 d 1 h'
 * formatDuration(310); // '5 h 10 min'
 * formatDuration(45); // '45 min'
 * ```
 */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes)) return String(minutes);
  const sign = minutes < 0 ? '−' : '';
  const m = Math.round(Math.abs(minutes));
  if (m >= 1440) {
    const hours = Math.round(m / 60);
    if (hours >= 24) return `${sign}${Math.floor(hours / 24)} d ${hours % 24} h`;
  }
  if (m >= 60) return `${sign}${Math.floor(m / 60)} h ${m % 60} min`;
  return `${sign}${m} min`;
}
