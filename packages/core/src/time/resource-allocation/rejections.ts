import type { Rejection } from '../../kernel/index.js';

/**
 * Why a resource-allocation command was refused (stable codes):
 * - `ALLOCATION_ALREADY_EXISTS` — `plan` on an existing allocation.
 * - `ALLOCATION_NOT_FOUND` — `supersede` / `release` before `plan`.
 * - `ALLOCATION_NOT_ACTIVE` — `supersede` / `release` of a superseded or released allocation.
 * - `ALLOCATION_INVALID_PLAN` — no minutes, a period ending before it starts, or an allocation
 *   superseding itself (details name the rule).
 * - `ALLOCATION_SOURCE_MISMATCH` — the layer does not fit the source or subject: a forecast comes from
 *   a quote, a commitment from a sale, a schedule puts an employee on a task or ticket.
 * - `ALLOCATION_QUOTE_NOT_APPROVED` — a forecast from a quote that is not approved.
 * - `ALLOCATION_OVER_CAPACITY` — only when the policy blocks (`blockAtBp` set): scheduling beyond it.
 *   By default over-allocation is a warning event, never a refusal.
 * - `ALLOCATION_FACTS_MISSING` — the application did not load a fact the command needs.
 */
export type ResourceAllocationRejectionCode =
  | 'ALLOCATION_ALREADY_EXISTS'
  | 'ALLOCATION_NOT_FOUND'
  | 'ALLOCATION_NOT_ACTIVE'
  | 'ALLOCATION_INVALID_PLAN'
  | 'ALLOCATION_SOURCE_MISMATCH'
  | 'ALLOCATION_QUOTE_NOT_APPROVED'
  | 'ALLOCATION_OVER_CAPACITY'
  | 'ALLOCATION_FACTS_MISSING';

/** A refused resource-allocation command. */
export type ResourceAllocationRejection = Rejection<ResourceAllocationRejectionCode>;

/**
 * Every resource-allocation rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...RESOURCE_ALLOCATION_REJECTION_CODES].sort());
 * ```
 */
export const RESOURCE_ALLOCATION_REJECTION_CODES: readonly ResourceAllocationRejectionCode[] = [
  'ALLOCATION_ALREADY_EXISTS',
  'ALLOCATION_NOT_FOUND',
  'ALLOCATION_NOT_ACTIVE',
  'ALLOCATION_INVALID_PLAN',
  'ALLOCATION_SOURCE_MISMATCH',
  'ALLOCATION_QUOTE_NOT_APPROVED',
  'ALLOCATION_OVER_CAPACITY',
  'ALLOCATION_FACTS_MISSING',
];
