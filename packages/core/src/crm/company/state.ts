import type { Instant } from '../../kernel/index.js';
import type { CompanyId } from '../ids.js';
import type { CompanyUid } from '../uids.js';
import type { NormalizedWebsite } from '../values.js';
import type { CompanyEvent } from './events.js';

/** The fields every existing company has. */
export interface CompanyDetails {
  readonly companyId: CompanyId;
  /** Immutable public reference `CO-YYYYMMDD-######`. */
  readonly companyUid: CompanyUid;
  readonly createdAt: Instant;
  readonly name: string;
  /** Normalised; unique among companies when present. */
  readonly website: NormalizedWebsite | null;
  /** Source system id (e.g. Apollo); unique when present. */
  readonly externalId: string | null;
  readonly einRaw: string | null;
}

/** A company's state, a union on `status`. */
export type CompanyState =
  | { readonly status: 'absent' }
  | (CompanyDetails & { readonly status: 'active' })
  | (CompanyDetails & { readonly status: 'archived'; readonly archivedAt: Instant });

/** The state before any event. @example `initialCompanyState()` → `{ status: 'absent' }` */
export function initialCompanyState(): CompanyState {
  return { status: 'absent' };
}

/**
 * Folds one event into a company's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveCompany, initialCompanyState());
 * ```
 */
export function evolveCompany(state: CompanyState, event: CompanyEvent): CompanyState {
  switch (event.type) {
    case 'company.created':
      return state.status === 'absent' ? { status: 'active', ...event.payload } : state;
    case 'company.updated':
      return state.status === 'active' ? { ...state, ...event.payload.changes } : state;
    case 'company.archived':
      return state.status === 'active'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
