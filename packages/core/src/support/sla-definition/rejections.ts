import type { Rejection } from '../../kernel/index.js';

/**
 * Why an SLA definition command was refused (stable codes):
 * - `SLA_ALREADY_EXISTS` — `create` on an existing SLA version.
 * - `SLA_NOT_FOUND` — any other command before `create`.
 * - `SLA_VERSION_NOT_NEXT` — the new version number is not the latest of that name + 1 (1 for a new name).
 * - `SLA_TARGETS_INVALID` — a target ≤ 0, or the response target above the resolution target.
 * - `SLA_THRESHOLD_INVALID` — a warning or escalation threshold outside 1–100 % (warning below 100 %),
 *   or two escalation rules with one threshold.
 * - `SLA_NOT_DRAFT` — an edit or a publish of a version that is not a draft (published is immutable).
 * - `SLA_CALENDAR_REQUIRED` — publishing without a business calendar.
 * - `SLA_ESCALATION_RULE_REQUIRED` — publishing without an enabled escalation rule.
 * - `SLA_NOT_PUBLISHED` — deprecating a version that is not published.
 * - `SLA_ARCHIVED` — any change to an archived version (terminal).
 * - `SLA_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type SlaDefinitionRejectionCode =
  | 'SLA_ALREADY_EXISTS'
  | 'SLA_NOT_FOUND'
  | 'SLA_VERSION_NOT_NEXT'
  | 'SLA_TARGETS_INVALID'
  | 'SLA_THRESHOLD_INVALID'
  | 'SLA_NOT_DRAFT'
  | 'SLA_CALENDAR_REQUIRED'
  | 'SLA_ESCALATION_RULE_REQUIRED'
  | 'SLA_NOT_PUBLISHED'
  | 'SLA_ARCHIVED'
  | 'SLA_FACTS_MISSING';

/** A refused SLA definition command. */
export type SlaDefinitionRejection = Rejection<SlaDefinitionRejectionCode>;

/**
 * Every SLA definition rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...SLA_DEFINITION_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const SLA_DEFINITION_REJECTION_CODES: readonly SlaDefinitionRejectionCode[] = [
  'SLA_ALREADY_EXISTS',
  'SLA_NOT_FOUND',
  'SLA_VERSION_NOT_NEXT',
  'SLA_TARGETS_INVALID',
  'SLA_THRESHOLD_INVALID',
  'SLA_NOT_DRAFT',
  'SLA_CALENDAR_REQUIRED',
  'SLA_ESCALATION_RULE_REQUIRED',
  'SLA_NOT_PUBLISHED',
  'SLA_ARCHIVED',
  'SLA_FACTS_MISSING',
];
