/**
 * Business calendars: an IANA time zone, weekly working windows and holidays; business minutes between
 * instants and due instants, computed in the calendar's zone (used by SLA clocks and capacity).
 *
 * @module
 */
export {};
