import { z } from 'zod';
import { defineEvent, type EventDefinition, type EventOf } from '../../kernel/index.js';
import {
  type CompanyId,
  type CompanySlotId,
  companyIdSchema,
  companySlotIdSchema,
  type PersonId,
  personIdSchema,
} from '../ids.js';
import {
  type CompanyUid,
  companyUidSchema,
  type SlotRole,
  type SlotUid,
  slotRoleSchema,
  slotUidSchema,
} from '../uids.js';

/**
 * The stream type of slot streams (key of the `company_slots` state table).
 *
 * @example `tables: { [COMPANY_SLOT_STREAM_TYPE]: 'company_slots' }`
 */
export const COMPANY_SLOT_STREAM_TYPE = 'company_slot';

/** Payload of `company_slot.opened` v1: one of the company's three slots exists, empty. */
export interface SlotOpenedPayload {
  readonly slotId: CompanySlotId;
  readonly slotUid: SlotUid;
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly role: SlotRole;
}

/**
 * Payload of `company_slot.person_proposed`, `company_slot.filled` and `company_slot.vacated` v1. The
 * person is referenced by id only: no personal data in slot events.
 */
export interface SlotPersonPayload {
  readonly slotId: CompanySlotId;
  readonly companyId: CompanyId;
  readonly role: SlotRole;
  readonly personId: PersonId;
}

const personPayload = z.object({
  slotId: companySlotIdSchema,
  companyId: companyIdSchema,
  role: slotRoleSchema,
  personId: personIdSchema,
});

/** `company_slot.opened` v1. @example `slotOpened.payload.parse(raw)` */
export const slotOpened: EventDefinition<'company_slot.opened', z.ZodType<SlotOpenedPayload>> = defineEvent({
  type: 'company_slot.opened',
  version: 1,
  payload: z.object({
    slotId: companySlotIdSchema,
    slotUid: slotUidSchema,
    companyId: companyIdSchema,
    companyUid: companyUidSchema,
    role: slotRoleSchema,
  }),
});

/**
 * `company_slot.person_proposed` v1: open → pending (a candidate, not yet confirmed).
 *
 * @example
 * ```ts
 * const event = { type: slotPersonProposed.type, payload: { slotId, companyId, role: 'CFO', personId } };
 * ```
 */
export const slotPersonProposed: EventDefinition<
  'company_slot.person_proposed',
  z.ZodType<SlotPersonPayload>
> = defineEvent({ type: 'company_slot.person_proposed', version: 1, payload: personPayload });

/**
 * `company_slot.filled` v1: open | pending → filled by the person.
 *
 * @example `if (event.type === slotFilled.type) holders.set(event.payload.role, event.payload.personId);`
 */
export const slotFilled: EventDefinition<'company_slot.filled', z.ZodType<SlotPersonPayload>> = defineEvent({
  type: 'company_slot.filled',
  version: 1,
  payload: personPayload,
});

/**
 * `company_slot.vacated` v1: pending | filled → open; `personId` is the person who left.
 *
 * @example `slotVacated.payload.parse(raw).personId`
 */
export const slotVacated: EventDefinition<'company_slot.vacated', z.ZodType<SlotPersonPayload>> = defineEvent(
  {
    type: 'company_slot.vacated',
    version: 1,
    payload: personPayload,
  },
);

/** Every event a slot stream holds. */
export type CompanySlotEvent =
  | EventOf<typeof slotOpened>
  | EventOf<typeof slotPersonProposed>
  | EventOf<typeof slotFilled>
  | EventOf<typeof slotVacated>;

/**
 * The slot event definitions (current versions).
 *
 * @example `companySlotEvents.map((d) => d.type)` → `['company_slot.opened', …, 'company_slot.vacated']`
 */
export const companySlotEvents: readonly EventDefinition[] = [
  slotOpened,
  slotPersonProposed,
  slotFilled,
  slotVacated,
];
