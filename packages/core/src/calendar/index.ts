/**
 * Business calendars: an IANA time zone, weekly working windows and holidays; business minutes between
 * instants and due instants, computed in the calendar's zone with `Temporal` (used by SLA clocks and
 * capacity). Minute granularity, start inclusive, end exclusive; the skipped DST hour counts 0 and the
 * repeated hour counts once.
 *
 * @module
 */
export {
  addBusinessMinutes,
  addBusinessMinutesEpoch,
  BUSINESS_MINUTES_HORIZON_YEARS,
  businessMinutesBetween,
  businessMinutesBetweenEpoch,
  isBusinessMinute,
  tryAddBusinessMinutes,
  tryAddBusinessMinutesEpoch,
  workingMinutesOn,
} from './business-minutes.js';
export {
  type BusinessCalendar,
  businessCalendarSchema,
  type CalendarId,
  type CalendarRevision,
  calendarIdSchema,
  type LocalDate,
  localDateSchema,
  parseBusinessCalendar,
  reviseCalendar,
  snapshotCalendar,
  type Weekday,
  type WorkingWindow,
} from './calendar.js';
