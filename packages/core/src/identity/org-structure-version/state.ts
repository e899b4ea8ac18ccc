import type { Instant } from '../../kernel/index.js';
import type { OrgStructureVersionId } from '../ids.js';
import type { OrgStructureVersionEvent } from './events.js';
import type { OrgStructure } from './structure.js';

/** A published version: immutable once it exists. */
export interface PublishedOrgVersion {
  readonly status: 'published';
  readonly versionId: OrgStructureVersionId;
  readonly versionNumber: number;
  readonly effectiveFrom: Instant;
  readonly publishedAt: Instant;
  readonly structure: OrgStructure;
}

/** An org-structure version's state, a union on `status`. */
export type OrgStructureVersionState = { readonly status: 'absent' } | PublishedOrgVersion;

/** The state before any event. @example `initialOrgStructureVersionState()` → `{ status: 'absent' }` */
export function initialOrgStructureVersionState(): OrgStructureVersionState {
  return { status: 'absent' };
}

/**
 * Folds one event into a version's state; only the first `version_published` counts.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveOrgStructureVersion, initialOrgStructureVersionState());
 * ```
 */
export function evolveOrgStructureVersion(
  state: OrgStructureVersionState,
  event: OrgStructureVersionEvent,
): OrgStructureVersionState {
  return state.status === 'absent' && event.type === 'org_structure.version_published'
    ? { status: 'published', ...event.payload }
    : state;
}
