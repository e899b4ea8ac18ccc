import type { CompanyId, CompanySlotId, PersonId } from '../ids.js';
import type { CompanyUid, SlotRole, SlotUid } from '../uids.js';
import type { CompanySlotEvent } from './events.js';

/** The fields every slot has (all immutable). */
export interface SlotDetails {
  readonly slotId: CompanySlotId;
  readonly slotUid: SlotUid;
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly role: SlotRole;
}

/** A slot's state, a union on `status`: open (empty), pending (a proposed person) or filled (a linked person). */
export type CompanySlotState =
  | { readonly status: 'absent' }
  | (SlotDetails & { readonly status: 'open' })
  | (SlotDetails & { readonly status: 'pending'; readonly personId: PersonId })
  | (SlotDetails & { readonly status: 'filled'; readonly personId: PersonId });

/** The state before any event. @example `initialCompanySlotState()` → `{ status: 'absent' }` */
export function initialCompanySlotState(): CompanySlotState {
  return { status: 'absent' };
}

const details = (s: SlotDetails): SlotDetails => ({
  slotId: s.slotId,
  slotUid: s.slotUid,
  companyId: s.companyId,
  companyUid: s.companyUid,
  role: s.role,
});

/**
 * Folds one event into a slot's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveCompanySlot, initialCompanySlotState());
 * ```
 */
export function evolveCompanySlot(state: CompanySlotState, event: CompanySlotEvent): CompanySlotState {
  switch (event.type) {
    case 'company_slot.opened':
      return state.status === 'absent' ? { status: 'open', ...event.payload } : state;
    case 'company_slot.person_proposed':
      return state.status === 'open'
        ? { ...details(state), status: 'pending', personId: event.payload.personId }
        : state;
    case 'company_slot.filled':
      return state.status === 'open' || state.status === 'pending'
        ? { ...details(state), status: 'filled', personId: event.payload.personId }
        : state;
    case 'company_slot.vacated':
      return state.status === 'pending' || state.status === 'filled'
        ? { ...details(state), status: 'open' }
        : state;
  }
}
