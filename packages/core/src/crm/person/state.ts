import type { Instant } from '../../kernel/index.js';
import type { PersonId } from '../ids.js';
import type { PersonUid } from '../uids.js';
import type { NormalizedEmail } from '../values.js';
import type { PersonEvent, ValidationStatus } from './events.js';

/** The fields every existing person has. */
export interface PersonDetails {
  readonly personId: PersonId;
  /** Immutable public reference `PE-YYYYMMDD-######`. */
  readonly personUid: PersonUid;
  readonly createdAt: Instant;
  readonly name: string;
  /** Normalised; unique among people when present. */
  readonly email: NormalizedEmail | null;
  readonly linkedinUrl: string | null;
  readonly validationStatus: ValidationStatus;
}

/** A person's state, a union on `status`. */
export type PersonState =
  | { readonly status: 'absent' }
  | (PersonDetails & { readonly status: 'active' })
  | (PersonDetails & { readonly status: 'archived'; readonly archivedAt: Instant });

/** The state before any event. @example `initialPersonState()` → `{ status: 'absent' }` */
export function initialPersonState(): PersonState {
  return { status: 'absent' };
}

/**
 * Folds one event into a person's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolvePerson, initialPersonState());
 * ```
 */
export function evolvePerson(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'person.created':
      return state.status === 'absent' ? { status: 'active', ...event.payload } : state;
    case 'person.updated':
      return state.status === 'active' ? { ...state, ...event.payload.changes } : state;
    case 'person.validation_changed':
      return state.status === 'active'
        ? { ...state, validationStatus: event.payload.validationStatus }
        : state;
    case 'person.archived':
      return state.status === 'active'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
