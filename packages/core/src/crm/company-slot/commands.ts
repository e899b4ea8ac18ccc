import { z } from 'zod';
import {
  type CompanyId,
  type CompanySlotId,
  companyIdSchema,
  companySlotIdSchema,
  type PersonId,
  personIdSchema,
} from '../ids.js';
import { type CompanyUid, companyUidSchema, type SlotRole, slotRoleSchema } from '../uids.js';

/** Opens one of a company's slots (`slotId` is the stream id); its uid is `SL-<companyUid>-<role>`. */
export interface OpenSlot {
  readonly type: 'open';
  readonly slotId: CompanySlotId;
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly role: SlotRole;
}

/** Proposes a candidate: open → pending. */
export interface ProposePerson {
  readonly type: 'propose';
  readonly personId: PersonId;
}

/** Links a person: open | pending → filled. A filled slot must be vacated first. */
export interface LinkPerson {
  readonly type: 'link';
  readonly personId: PersonId;
}

/** Empties the slot: pending | filled → open. */
export interface VacateSlot {
  readonly type: 'vacate';
}

/** Every slot command. */
export type CompanySlotCommand = OpenSlot | ProposePerson | LinkPerson | VacateSlot;

/** What `propose` and `link` need: the person's and the company's status. */
export interface CompanySlotFacts {
  readonly person: { readonly personId: PersonId; readonly status: 'active' | 'archived' };
  readonly company: { readonly companyId: CompanyId; readonly status: 'active' | 'archived' };
}

/**
 * Zod schema of a {@link CompanySlotCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(companySlotCommandSchema, raw, 'slot command');
 * ```
 */
export const companySlotCommandSchema: z.ZodType<CompanySlotCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open'),
    slotId: companySlotIdSchema,
    companyId: companyIdSchema,
    companyUid: companyUidSchema,
    role: slotRoleSchema,
  }),
  z.object({ type: z.literal('propose'), personId: personIdSchema }),
  z.object({ type: z.literal('link'), personId: personIdSchema }),
  z.object({ type: z.literal('vacate') }),
]);
