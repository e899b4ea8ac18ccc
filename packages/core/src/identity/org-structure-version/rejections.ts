import type { Rejection } from '../../kernel/index.js';

/**
 * Why publishing an org-structure version was refused (stable codes):
 * - `ORG_VERSION_ALREADY_PUBLISHED` — the version exists (published versions are immutable).
 * - `ORG_VERSION_NOT_AFTER_PREVIOUS` — it would not start strictly after the latest version.
 * - `ORG_VERSION_RETROACTIVE` — it would take effect before it is published (changes only go forward;
 *   only the first version may start in the past).
 * - `ORG_STRUCTURE_INVALID` — the snapshot breaks a structural rule (`details.issues`).
 * - `ORG_VERSION_FACTS_MISSING` — the latest version was not loaded.
 */
export type OrgStructureVersionRejectionCode =
  | 'ORG_VERSION_ALREADY_PUBLISHED'
  | 'ORG_VERSION_NOT_AFTER_PREVIOUS'
  | 'ORG_VERSION_RETROACTIVE'
  | 'ORG_STRUCTURE_INVALID'
  | 'ORG_VERSION_FACTS_MISSING';

/** A refused publication. */
export type OrgStructureVersionRejection = Rejection<OrgStructureVersionRejectionCode>;

/**
 * Every org-structure-version rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...ORG_STRUCTURE_VERSION_REJECTION_CODES].sort());
 * ```
 */
export const ORG_STRUCTURE_VERSION_REJECTION_CODES: readonly OrgStructureVersionRejectionCode[] = [
  'ORG_VERSION_ALREADY_PUBLISHED',
  'ORG_VERSION_NOT_AFTER_PREVIOUS',
  'ORG_VERSION_RETROACTIVE',
  'ORG_STRUCTURE_INVALID',
  'ORG_VERSION_FACTS_MISSING',
];
