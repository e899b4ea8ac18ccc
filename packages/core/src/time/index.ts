/**
 * Time context: attested time entries, adjustments (the only correction), resource allocations and
 * capacity (spec §2.19–2.21).
 *
 * @module
 */
export {};
