/**
 * Support context: tickets, versioned SLA definitions, SLA assignments (clocks) and SLA events
 * (spec §2.22–2.25).
 *
 * @module
 */
export {};
