import type { Instant } from '../../kernel/index.js';
import type { SlaDefinitionId } from '../ids.js';
import type { SlaDefinitionEvent } from './events.js';
import type { SlaTerms } from './terms.js';

/** An SLA version's lifecycle: draft → published → deprecated → archived (drafts may be archived too). */
export type SlaDefinitionStatus = 'draft' | 'published' | 'deprecated' | 'archived';

/** An SLA definition version's state (`absent` = no stream yet). */
export type SlaDefinitionState =
  | { readonly status: 'absent' }
  | {
      readonly status: SlaDefinitionStatus;
      readonly slaDefinitionId: SlaDefinitionId;
      readonly versionNumber: number;
      readonly terms: SlaTerms;
      readonly publishedAt: Instant | null;
      /** When the version was archived (the `archived_at` audit column). */
      readonly archivedAt: Instant | null;
    };

/** The state before any event. @example `initialSlaDefinitionState()` → `{ status: 'absent' }` */
export function initialSlaDefinitionState(): SlaDefinitionState {
  return { status: 'absent' };
}

/**
 * Folds one event into an SLA definition's state; events that do not fit leave it unchanged (total).
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveSlaDefinition, initialSlaDefinitionState());
 * ```
 */
export function evolveSlaDefinition(
  state: SlaDefinitionState,
  event: SlaDefinitionEvent,
): SlaDefinitionState {
  if (event.type === 'sla.created') {
    if (state.status !== 'absent') return state;
    const { slaDefinitionId, versionNumber, terms } = event.payload;
    return { status: 'draft', slaDefinitionId, versionNumber, terms, publishedAt: null, archivedAt: null };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'sla.updated':
      return state.status === 'draft' ? { ...state, terms: event.payload.terms } : state;
    case 'sla.published':
      return state.status === 'draft'
        ? { ...state, status: 'published', publishedAt: event.payload.at }
        : state;
    case 'sla.deprecated':
      return state.status === 'published' ? { ...state, status: 'deprecated' } : state;
    case 'sla.archived':
      return state.status === 'archived'
        ? state
        : { ...state, status: 'archived', archivedAt: event.payload.at };
  }
}
